"""Issue 12, items 3 and 4: SVG and raster images are checked whole at validate time.

An SVG that refers to anything outside itself (``<image href>``, ``xlink:href``,
``<use href="other.svg#x">``, CSS ``@import`` and ``url(...)``, a linked style sheet),
holds a script or a ``<foreignObject>``, or declares entities in a DOCTYPE, is an error
at the image reference in the Markdown (TK512). A PNG, JPEG or GIF whose data is damaged
or cut short is decoded once with Pillow and is an error there too (TK504), instead of a
blank box in the PDF. ``validate`` and ``build`` agree, so a build refuses before it
replaces any output. Verdicts are cached by content in ``.trainkit-cache/``.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ADDED, LAW, ProjectDir, law_body, png
from trainkit.cli.app import app
from trainkit.diagnostics import Severity
from trainkit.loading.image_cache import ImageVerdicts

runner = CliRunner()

SVG_HINT = ("an SVG image must stand alone: keep only references to its own parts (#id) "
            "and no scripts; embed or redraw what it refers to, or export it again as "
            "plain SVG")
DAMAGED = "the image data is damaged or incomplete"
DAMAGED_HINT = "open the image in an image editor and save or export it again"


def svg(inner: str, *, head: str = "", xlink: bool = True) -> str:
    namespaces = ' xmlns:xlink="http://www.w3.org/1999/xlink"' if xlink else ""
    return (f'{head}<svg xmlns="http://www.w3.org/2000/svg"{namespaces} width="10" '
            f'height="10">{inner}</svg>\n')


def with_image(project: ProjectDir, name: str, content: str | bytes) -> None:
    project.write(f"images/{name}", content)
    project.write(LAW, law_body(f"![A map](../images/{name})\n"))


Found = tuple[str, int, int, str, str, str | None]


def located(project: ProjectDir) -> list[Found]:
    return [(f.path, f.line, f.column, f.code, f.message, f.hint) for f in project.validate()]


def chunk(kind: bytes, data: bytes, crc: int | None = None) -> bytes:
    checksum = zlib.crc32(kind + data) if crc is None else crc
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)


def png_with(idat: bytes, *, crc: int | None = None) -> bytes:
    """A 4x4 grey PNG with ``idat`` as its image data (header and end intact)."""
    header = struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat, crc)
            + chunk(b"IEND", b""))


GOOD_IDAT = zlib.compress(b"\x00" * 5 * 4)


def jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "JPEG")
    return buffer.getvalue()


def gif() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("P", (64, 64)).save(buffer, "GIF")
    return buffer.getvalue()


# -- SVG ----------------------------------------------------------------------------------------

UNSAFE_SVGS = [
    pytest.param(svg('<image href="http://169.254.169.254/x.png" width="5" height="5"/>'),
                 "refers to `http://169.254.169.254/x.png` outside itself", id="image-url"),
    pytest.param(svg('<image xlink:href="../../secret.png" width="5" height="5"/>'),
                 "refers to `../../secret.png` outside itself", id="xlink-href-path"),
    pytest.param(svg('<image href="photo.png"/>'), "refers to `photo.png` outside itself",
                 id="image-next-to-it"),
    pytest.param(svg('<image href="data:image/png;base64,iVBORw0KGgo="/>'),
                 "refers to `data:image/png;base64,iVBORw0KGgo=` outside itself",
                 id="data-url"),
    pytest.param(svg('<image href="file:///etc/passwd"/>'),
                 "refers to `file:///etc/passwd` outside itself", id="file-url"),
    pytest.param(svg('<use href="other.svg#shape"/>'),
                 "refers to `other.svg#shape` outside itself", id="use-other-file"),
    pytest.param(svg('<use xlink:href="other.svg#shape"/>'),
                 "refers to `other.svg#shape` outside itself", id="use-xlink"),
    pytest.param(svg('<a href="https://example.org"><rect width="1" height="1"/></a>'),
                 "refers to `https://example.org` outside itself", id="hyperlink"),
    pytest.param(svg('<filter id="f"><feImage href="x.png"/></filter>'),
                 "refers to `x.png` outside itself", id="fe-image"),
    pytest.param(svg('<style>@import url("https://evil.example/x.css");</style>'),
                 "imports a style sheet (`@import`)", id="style-import"),
    pytest.param(svg("<style>@IMPORT 'x.css';</style>"), "imports a style sheet (`@import`)",
                 id="style-import-case"),
    pytest.param(svg("<style>rect { fill: url(https://evil.example/p.svg#g) }</style>"),
                 "refers to `https://evil.example/p.svg#g` outside itself", id="style-url"),
    pytest.param(svg("<style>@font-face { src: u\\72l(font.ttf) }</style>"),
                 "refers to `font.ttf` outside itself", id="style-url-escaped"),
    pytest.param(svg('<rect width="1" height="1" style="fill: URL( \'x.svg#p\' )"/>'),
                 "refers to `x.svg#p` outside itself", id="style-attribute"),
    pytest.param(svg('<rect width="1" height="1" fill="url(other.svg#grad)"/>'),
                 "refers to `other.svg#grad` outside itself", id="fill-url"),
    pytest.param(svg('<rect width="1" height="1" mask="url(http://x/m)"/>'),
                 "refers to `http://x/m` outside itself", id="mask-url"),
    pytest.param(svg("<script>alert(1)</script>"), "holds a script (`<script>`)",
                 id="script"),
    pytest.param(svg('<rect width="1" height="1" onload="alert(1)"/>'),
                 "holds a script (the `onload` attribute)", id="event-attribute"),
    pytest.param(svg('<foreignObject width="5" height="5"><p xmlns="http://www.w3.org/1999/'
                     'xhtml">x</p></foreignObject>'),
                 "holds a `<foreignObject>` (HTML inside the SVG)", id="foreign-object"),
    pytest.param(svg('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="x.svg"/>'),
                 "includes another file (XInclude)", id="xinclude"),
    pytest.param(svg("", head='<?xml-stylesheet href="https://evil.example/x.css"?>\n'),
                 "links a style sheet (`<?xml-stylesheet?>`)", id="xml-stylesheet"),
    pytest.param(svg("<text>&lol;</text>", head='<!DOCTYPE svg [<!ENTITY lol "lol">]>\n'),
                 "declares entities or other markup in its DOCTYPE", id="entity"),
    pytest.param(svg("<text>&xxe;</text>",
                     head='<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'),
                 "declares entities or other markup in its DOCTYPE", id="external-entity"),
    pytest.param(svg("", head='<!DOCTYPE svg [<!ENTITY % p SYSTEM "http://x/e.dtd"> %p;]>\n'),
                 "declares entities or other markup in its DOCTYPE", id="parameter-entity"),
    pytest.param(svg("<text>&a9;</text>", head=(
        '<!DOCTYPE svg [<!ENTITY a0 "lol">'
        + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
        + "]>\n")), "declares entities or other markup in its DOCTYPE", id="billion-laughs"),
]


@pytest.mark.parametrize(("content", "problem"), UNSAFE_SVGS)
def test_unsafe_svg_is_a_located_error(project: ProjectDir, content: str,
                                       problem: str) -> None:
    with_image(project, "map2.svg", content)
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code, f.message, f.hint) for f in found] == [
        (LAW, ADDED, 1, "TK512", f"image `../images/map2.svg` {problem}", SVG_HINT)]
    assert found[0].level is Severity.ERROR


@pytest.mark.parametrize("content", [
    pytest.param(svg('<defs><linearGradient id="g"/></defs><rect width="1" height="1" '
                     'fill="url(#g)" style="stroke: url( \'#g\' )"/>'), id="internal-urls"),
    pytest.param(svg('<defs><path id="p" d="M0 0"/></defs><use href="#p"/>'
                     '<use xlink:href="#p"/>'), id="internal-use"),
    pytest.param(svg("<style>rect { fill: #eee } /* url(x.png) in a comment */</style>"
                     "<title>url(x) in text</title>"), id="style-and-text"),
    pytest.param(svg('<rect width="1" height="1"/>', xlink=False, head=(
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n')), id="plain-doctype"),
    pytest.param(svg('<text font-family="Amiri">مرحبا</text>'), id="arabic-text"),
])
def test_self_contained_svg_is_fine(project: ProjectDir, content: str) -> None:
    with_image(project, "map2.svg", content)
    assert project.validate() == []


@pytest.mark.parametrize(("content", "problem"), [
    pytest.param(svg("<rect>", xlink=False), "the SVG file is not well-formed XML (line 1, "
                 "column 72: mismatched tag)", id="mismatched"),
    pytest.param(svg("<image xlink:href='#a'/>", xlink=False), "the SVG file is not "
                 "well-formed XML (line 1, column 64: unbound prefix)", id="unbound-prefix"),
    pytest.param('<html><svg xmlns="http://www.w3.org/2000/svg"/></html>\n',
                 "the file is not an SVG image", id="not-svg-root"),
])
def test_malformed_svg_is_not_a_usable_image(project: ProjectDir, content: str,
                                             problem: str) -> None:
    with_image(project, "map2.svg", content)
    hint = None if "not an SVG" in problem else (
        "open it in a vector editor and save it again as plain SVG")
    assert located(project) == [(LAW, ADDED, 1, "TK504",
                                 f"image `../images/map2.svg` cannot be used: {problem}", hint)]


def test_each_referring_module_gets_the_finding(project: ProjectDir) -> None:
    project.write("images/bad.svg", svg('<image href="x.png"/>'))
    project.write(LAW, law_body("![A](../images/bad.svg)\n\nText ![B](../images/bad.svg).\n"))
    project.append("modules/01-intro.md", "\n![C](../images/bad.svg)\n")
    found = [(f.path, f.line, f.column, f.code) for f in project.validate()]
    lines = project.read("modules/01-intro.md").split("\n")
    assert found == [("modules/01-intro.md", len(lines) - 1, 1, "TK512"),
                     (LAW, ADDED, 1, "TK512"), (LAW, ADDED + 2, 6, "TK512")]


# -- raster images --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content"), [
    pytest.param("broken.png", png_with(b"this is not zlib data"), id="png-garbage-data"),
    pytest.param("crc.png", png_with(GOOD_IDAT, crc=1), id="png-bad-checksum"),
    pytest.param("cut.png", png_with(GOOD_IDAT)[:45], id="png-truncated"),
    pytest.param("cut.jpg", b"", id="jpeg-truncated"),
    pytest.param("cut.gif", b"", id="gif-truncated"),
])
def test_damaged_raster_image_is_a_located_error(project: ProjectDir, name: str,
                                                 content: bytes) -> None:
    if name == "cut.jpg":
        whole = jpeg()
        content = whole[:len(whole) // 2]
    elif name == "cut.gif":
        whole = gif()
        content = whole[:len(whole) - 10]
    with_image(project, name, content)
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code, f.message, f.hint) for f in found] == [
        (LAW, ADDED, 1, "TK504", f"image `../images/{name}` cannot be used: {DAMAGED}",
         DAMAGED_HINT)]


def test_damaged_images_are_refused_after_weasyprint_was_imported(
        project: ProjectDir, monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint makes Pillow pad truncated images for the whole process (``build
    --watch`` renders and validates in one process): the check stays strict."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # as `import weasyprint`
    with_image(project, "broken.png", png_with(b"this is not zlib data"))
    assert [f.code for f in project.validate()] == ["TK504"]
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # put back as it was


@pytest.mark.parametrize(("name", "content"), [
    pytest.param("ok.png", png_with(GOOD_IDAT), id="png"),
    pytest.param("tiny.png", png(2, 2), id="png-of-the-fixtures"),
    pytest.param("ok.jpg", b"jpeg", id="jpeg"),
    pytest.param("ok.gif", b"gif", id="gif"),
])
def test_sound_raster_images_are_fine(project: ProjectDir, name: str, content: bytes) -> None:
    content = jpeg() if content == b"jpeg" else gif() if content == b"gif" else content
    with_image(project, name, content)
    assert project.validate() == []


def test_shipped_example_image_is_fine() -> None:
    from trainkit.loading.images import check_image

    path = Path(__file__).resolve().parents[2] / "examples/feature-tour/images/journey.png"
    info = check_image(path.read_bytes(), ".png")
    assert info.kind == "png" and info.width and info.height


def test_a_png_that_claims_a_huge_size_is_refused_before_decoding(
        project: ProjectDir, monkeypatch: pytest.MonkeyPatch) -> None:
    """The 40-megapixel cap comes first; Pillow's decompression-bomb cap stays on."""
    from PIL import Image

    decoded: list[object] = []
    monkeypatch.setattr(Image, "open", lambda *args, **kwargs: decoded.append(args))
    with_image(project, "huge.png", png(12000, 12000))
    assert [f.code for f in project.validate()] == ["TK504"]
    assert decoded == []
    assert Image.MAX_IMAGE_PIXELS is not None


# -- validate and build agree; nothing is replaced ---------------------------------------------


@pytest.mark.parametrize(("name", "content"), [
    pytest.param("bad.svg", svg('<image href="http://169.254.169.254/x.png"/>'), id="svg"),
    pytest.param("bad.png", png_with(b"this is not zlib data"), id="png"),
])
def test_build_refuses_before_replacing_any_output(
        project: ProjectDir, tmp_path: Path, name: str, content: str | bytes) -> None:
    out = tmp_path / "out"
    first = runner.invoke(app, ["build", str(project.root), "-f", "html", "-f", "docx",
                                "-o", str(out)])
    assert first.exit_code == 0, first.output
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    assert sorted(before) == ["test-manual-north-trainer.docx", "test-manual-north-trainer.html"]
    with_image(project, name, content)
    result = runner.invoke(app, ["build", str(project.root), "-f", "html", "-f", "docx",
                                 "-o", str(out)])
    assert result.exit_code == 1
    code = "TK512" if name.endswith(".svg") else "TK504"
    assert f"error[{code}]: image `../images/{name}`" in result.output
    assert f"--> {LAW}:{ADDED}:1" in result.output
    assert "nothing was built" in result.output
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def test_cli_validate_reports_the_svg_at_the_reference(project: ProjectDir) -> None:
    with_image(project, "bad.svg", svg("<script>alert(1)</script>"))
    result = runner.invoke(app, ["validate", "--no-cache", "-f", "json", str(project.root)])
    assert result.exit_code == 1
    assert json.loads(result.output)["diagnostics"] == [{
        "path": LAW, "line": ADDED, "column": 1, "severity": "error", "code": "TK512",
        "message": "image `../images/bad.svg` holds a script (`<script>`)", "hint": SVG_HINT}]


# -- the verdict cache ---------------------------------------------------------------------------


def test_verdicts_are_cached_by_content(project: ProjectDir,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from trainkit.loading import images
    from trainkit.checks.validate import validate_project

    project.write("images/a.png", png_with(GOOD_IDAT))
    project.write("images/b.png", png_with(b"this is not zlib data"))
    project.write(LAW, law_body("![A](../images/a.png)\n\n![B](../images/b.png)\n"))
    cold = validate_project(project.root).diagnostics
    assert [f.code for f in cold] == ["TK504"]
    assert list((project.root / ".trainkit-cache").glob("images-*.json"))

    def no_decoding(data: bytes, suffix: str) -> images.ImageInfo:
        raise AssertionError("a cached verdict was checked again")

    monkeypatch.setattr(images, "check_image", no_decoding)
    assert validate_project(project.root).diagnostics == cold
    project.write("images/b.png", png(3, 3))  # new content: checked again
    with pytest.raises(AssertionError, match="checked again"):
        validate_project(project.root)


def test_a_verdict_cache_from_elsewhere_is_ignored(project: ProjectDir) -> None:
    project.write("images/b.png", png_with(b"this is not zlib data"))
    project.write(LAW, law_body("![B](../images/b.png)\n"))
    folder = project.root / ".trainkit-cache"
    verdicts = ImageVerdicts(folder)
    key = verdicts.key(project.path("images/b.png").read_bytes(), ".png")
    folder.mkdir(exist_ok=True)
    forged = json.dumps({key: None}).encode()
    (folder / ImageVerdicts.FILE).write_bytes(ImageVerdicts.MAGIC + b"\0" * 32 + forged)
    from trainkit.checks.validate import validate_project

    assert [f.code for f in validate_project(project.root).diagnostics] == ["TK504"]


# -- Pillow is imported only when an image is checked ---------------------------------------------

_PROBE = """
import json, sys
import trainkit.cli.app
sys.argv = ["trainkit", *sys.argv[1:]]
try:
    trainkit.cli.main()
except SystemExit:
    pass
print(json.dumps("PIL" in sys.modules), file=sys.stderr)
"""


def imports_pillow(*args: str) -> bool:
    result = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True,
                            text=True, check=True, timeout=120)
    found: bool = json.loads(result.stderr.strip().splitlines()[-1])
    return found


def test_pillow_is_imported_lazily(project: ProjectDir) -> None:
    assert imports_pillow("--help") is False
    assert imports_pillow("validate", "--no-cache", str(project.root)) is False  # an SVG only
    with_image(project, "ok.png", png_with(GOOD_IDAT))
    assert imports_pillow("validate", "--no-cache", str(project.root)) is True
