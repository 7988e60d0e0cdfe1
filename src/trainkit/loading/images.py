"""Image sniffing: the type from the first bytes and the pixel size from the header.

Only the header is read, so a 12000x12000 PNG of 17 KB is refused before anything
decodes it.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

MAX_PIXELS = 40_000_000


class ImageProblem(ValueError):
    """The file is not an image trainkit can place in a document."""


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What a writer needs to know about an image before embedding it."""

    kind: str
    width: int | None
    height: int | None


def inspect_image(path: Path) -> ImageInfo:
    """Type and size of the image at ``path``; ``ImageProblem`` when it is not usable."""
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    info = _sniff(head, path.suffix.lower())
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
