"""Image checks: the type and pixel size from the header, then the whole content.

``inspect_image`` reads only the header, so a 12000x12000 PNG of 17 KB is refused before
anything decodes it. ``check_image`` (validation) goes on to the whole file: a PNG, JPEG
or GIF is decoded once with Pillow, imported only then, with its decompression-bomb cap
kept, so damaged or cut-short data is found before a PDF shows a blank box; an SVG is
parsed safely and must stand alone (``svgcheck``).
"""

from __future__ import annotations

import contextlib
import io
import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_PIXELS = 40_000_000
#: How much of a file the header facts are read from.
HEAD_BYTES = 64 * 1024
#: Raised whenever ``check_image`` judges the same bytes differently: cached verdicts of
#: another version are not used.
CHECK_VERSION = 1

_DAMAGED_HINT = "open the image in an image editor and save or export it again"
_PILLOW_FORMATS = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF"}


class ImageProblem(ValueError):
    """The file is not an image trainkit can place in a document (TK504)."""

    code = "TK504"

    def __init__(self, problem: str, hint: str | None = None) -> None:
        super().__init__(problem)
        self.hint = hint


class UnsafeImage(ImageProblem):
    """An SVG that does not stand alone: it refers to other files, or holds a script (TK512)."""

    code = "TK512"


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What a writer needs to know about an image before embedding it."""

    kind: str
    width: int | None
    height: int | None


def inspect_image(path: Path) -> ImageInfo:
    """Type and size of the image at ``path``; ``ImageProblem`` when it is not usable."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    return _sized(_sniff(head, path.suffix.lower()))


def check_image(data: bytes, suffix: str) -> ImageInfo:
    """Type and size of the image ``data`` (a file ending in ``suffix``), after checking
    all of it; ``ImageProblem`` (or ``UnsafeImage``) when it is not usable."""
    info = _sized(_sniff(data[:HEAD_BYTES], suffix.lower()))
    if info.kind == "svg":
        from trainkit.loading.svg_check import check_svg

        check_svg(data)
    else:
        _decode(data, info.kind)
    return info


def _decode(data: bytes, kind: str) -> None:
    """Decode a raster image once, with Pillow: damaged or missing data is an ImageProblem.

    ``verify`` checks the PNG chunk checksums, ``load`` decodes the pixels (the first
    frame of a GIF). A decompression bomb warning counts as an error, like Pillow's own
    error beyond twice its limit; trainkit's 40-megapixel cap has refused larger images
    before this point anyway.
    """
    from PIL import Image, ImageFile

    # WeasyPrint, once imported in this process, lets Pillow load truncated images
    # (ImageFile.LOAD_TRUNCATED_IMAGES): a damaged image would pass here, then fail or
    # print grey in the PDF. The check decodes strictly, whatever was imported before.
    lenient = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings(), _truncated_images_refused():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            for step in ("verify", "load"):
                with Image.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[kind]]) as image:
                    getattr(image, step)()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(f"the image has more pixels than trainkit can decode safely (at "
                           f"most {MAX_PIXELS // 1_000_000} megapixels)") from None
    except Exception:  # noqa: BLE001 - whatever Pillow raises, the data is unusable
        raise ImageProblem("the image data is damaged or incomplete", _DAMAGED_HINT) from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient


@contextlib.contextmanager
def _truncated_images_refused() -> Iterator[None]:
    """Pillow's strict loading while the block runs.

    WeasyPrint switches ``ImageFile.LOAD_TRUNCATED_IMAGES`` on for the whole process when
    it is imported, which makes Pillow pad missing data silently: a process that has
    rendered a PDF (``build --watch``, a handout) would otherwise accept cut-short images.
    """
    from PIL import ImageFile

    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _sized(info: ImageInfo) -> ImageInfo:
    """``info``, or ``ImageProblem`` when its size is refused."""
    if info.width is not None and info.height is not None:
        if info.width * info.height > MAX_PIXELS:
            raise ImageProblem(
                f"the image is {info.width}x{info.height} pixels; the limit is "
                f"{MAX_PIXELS // 1_000_000} megapixels")
        if info.width == 0 or info.height == 0:
            raise ImageProblem("the image has no pixels")
    return info


def _sniff(head: bytes, suffix: str) -> ImageInfo:
    if head.startswith(b"\x89PNG\r\n\x1a\n") and len(head) >= 24:
        width, height = struct.unpack(">II", head[16:24])
        return ImageInfo("png", width, height)
    if head[:6] in (b"GIF87a", b"GIF89a") and len(head) >= 10:
        width, height = struct.unpack("<HH", head[6:10])
        return ImageInfo("gif", width, height)
    if head.startswith(b"\xff\xd8"):
        width, height = _jpeg_size(head)
        return ImageInfo("jpeg", width, height)
    if suffix == ".svg" and b"<svg" in head[:4096]:
        return ImageInfo("svg", None, None)
    raise ImageProblem("the file is not a PNG, JPEG, GIF or SVG image")


def _jpeg_size(data: bytes) -> tuple[int | None, int | None]:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            index += 1
            continue
        marker = data[index + 1]
        length = struct.unpack(">H", data[index + 2:index + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[index + 5:index + 9])
            return width, height
        index += 2 + length
    return None, None
