"""Inline pictures: resolved through the project resolver, scaled to the text width.

An image is shown at its natural size at 96 dpi, or smaller when that would overflow the
text block; its alt text becomes the picture's description (``wp:docPr/@descr``), which
screen readers announce. Each file is stored once however often it is used. python-docx
cannot embed SVG: :meth:`Images.picture` returns None for one and the writer prints a
placeholder with the alt text instead.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from docx.image.image import Image as DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.parts.image import ImagePart

from trainkit.errors import ReferenceRejected, RenderError
from trainkit.loading.images import ImageProblem, inspect_image
from trainkit.loading.resolver import IMAGE_SUFFIXES, MAX_IMAGE_BYTES, ProjectResolver
from trainkit.writers.docx.oxml import Element, clean_text, declarations, parse, qn
from trainkit.writers.docx.relations import PartLinks, PartNames

EMU_PER_PIXEL = 9525  # 914400 EMU per inch / 96 dpi
EMU_PER_TWIP = 635
PICTURE_URI = "http://schemas.openxmlformats.org/drawingml/2006/picture"

_TEMPLATE = (
    f'<w:drawing {declarations("w", "wp", "a", "pic", "r")}>'
    '<wp:inline distT="0" distB="0" distL="0" distR="0">'
    '<wp:extent cx="0" cy="0"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
    '<wp:docPr id="0" name=""/>'
    '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
    f'<a:graphic><a:graphicData uri="{PICTURE_URI}"><pic:pic>'
    '<pic:nvPicPr><pic:cNvPr id="0" name=""/><pic:cNvPicPr/></pic:nvPicPr>'
    '<pic:blipFill><a:blip r:embed=""/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
    '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
    '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>'
)


@dataclass(frozen=True, slots=True)
class _Stored:
    part: ImagePart
    width: int  # pixels
    height: int


def fit(width_px: int, height_px: int, max_cx: int, max_cy: int) -> tuple[int, int]:
    """The size in EMU: natural at 96 dpi, scaled down (never up) to fit the box."""
    cx, cy = width_px * EMU_PER_PIXEL, height_px * EMU_PER_PIXEL
    scale = min(1.0, max_cx / cx, max_cy / cy)
    return max(1, round(cx * scale)), max(1, round(cy * scale))


class Images:
    """Stores the project's images in the package and makes ``w:drawing`` elements."""

    def __init__(self, resolver: ProjectResolver, names: PartNames, max_height: int) -> None:
        self._resolver = resolver
        self._names = names
        self._max_cy = max_height * EMU_PER_TWIP
        self._stored: dict[Path, _Stored] = {}
        self._template = parse(_TEMPLATE)
        self._shape_id = 0

    def resolve(self, src: str) -> Path:
        try:
            return self._resolver.resolve(src, self._resolver.root, suffixes=IMAGE_SUFFIXES,
                                          max_bytes=MAX_IMAGE_BYTES)
        except ReferenceRejected as rejected:
            raise RenderError(f"image `{src}`: {rejected.reason}") from None

    def picture(self, src: str, alt: str, title: str, links: PartLinks,
                max_width: int) -> Element | None:
        """A ``w:drawing`` showing ``src`` at most ``max_width`` twips wide; None for SVG."""
        path = self.resolve(src)
        if path.suffix.lower() == ".svg":
            return None
        stored = self._store(src, path)
        rid = links.relate(stored.part, RT.IMAGE)
        cx, cy = fit(stored.width, stored.height, max_width * EMU_PER_TWIP, self._max_cy)
        self._shape_id += 1
        return self._drawing(rid, cx, cy, path.name, clean_text(alt), clean_text(title))

    def _store(self, src: str, path: Path) -> _Stored:
        stored = self._stored.get(path)
        if stored is None:
            try:
                info = inspect_image(path)
                image = DocxImage.from_file(str(path))
            except ImageProblem as problem:
                raise RenderError(f"image `{src}`: {problem}") from None
            except Exception as error:  # python-docx cannot read the header
                raise RenderError(f"image `{src}` cannot be embedded: {error}") from None
            width = info.width or image.px_width
            height = info.height or image.px_height
            partname = self._names.next(f"/word/media/image%d.{image.ext}")
            stored = _Stored(ImagePart.from_image(image, partname), max(width, 1),
                             max(height, 1))
            self._stored[path] = stored
        return stored

    def _drawing(self, rid: str, cx: int, cy: int, filename: str, alt: str,
                 title: str) -> Element:
        drawing: Element = copy.deepcopy(self._template)
        for extent in (drawing.find(f".//{qn('wp:extent')}"), drawing.find(f".//{qn('a:ext')}")):
            assert extent is not None
            extent.set("cx", str(cx))
            extent.set("cy", str(cy))
        properties = drawing.find(f".//{qn('wp:docPr')}")
        assert properties is not None
        properties.set("id", str(self._shape_id))
        properties.set("name", f"Picture {self._shape_id}")
        properties.set("descr", alt)
        if title:
            properties.set("title", title)
        picture = drawing.find(f".//{qn('pic:cNvPr')}")
        assert picture is not None
        picture.set("name", clean_text(filename))
        picture.set("descr", alt)
        blip = drawing.find(f".//{qn('a:blip')}")
        assert blip is not None
        blip.set(qn("r:embed"), rid)
        return drawing
