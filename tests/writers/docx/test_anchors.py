"""Review anchors: every paragraph of a module in a review copy names its source line."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from trainkit.commands.review_export import ExportOptions, export_review
from trainkit.writers.docx.anchors import Anchor, parse_anchor

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def anchored(copy: Path) -> tuple[list[tuple[str, Anchor | None]], dict[int, str]]:
    """Each paragraph with text from the first module to the back matter, and the files."""
    with zipfile.ZipFile(copy) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
        custom = etree.fromstring(archive.read("docProps/custom.xml"))
    files = {int(p.get("name").rsplit(".", 1)[1]): "".join(p.itertext())
             for p in custom if p.get("name", "").startswith("tk.file.")}
    found: list[tuple[str, Anchor | None]] = []
    inside = False
    for p in root.iter(f"{W}p"):
        names = [b.get(f"{W}name", "") for b in p.iter(f"{W}bookmarkStart")]
        inside = (inside or any(n.startswith("module_") for n in names)) and \
            "legal_index" not in names
        text = "".join(t.text or "" for t in p.iter(f"{W}t")).strip()
        if inside and text:
            anchors = [a for n in names if (a := parse_anchor(n)) is not None]
            found.append((text, anchors[0] if anchors else None))
    return found, files


def test_every_module_paragraph_is_anchored_to_a_line_that_holds_it(tour: Path) -> None:
    copy = export_review(tour, ExportOptions()).path
    paragraphs, files = anchored(copy)
    assert len(paragraphs) > 50
    assert [text for text, anchor in paragraphs if anchor is None] == []
    sources = {i: (tour / path).read_text(encoding="utf-8").split("\n")
               for i, path in files.items()}
    for text, anchor in paragraphs:
        assert anchor is not None
        line = sources[anchor.file][anchor.line - 1]
        assert line.strip(), (text, anchor)
        if anchor.line > 1 and text[:1].isalpha() and not line.lstrip().startswith(
                ("|", ":::", "```")):
            first_word = text.split()[0].strip(".,:;")
            assert first_word in line or first_word.isdigit(), (text, line)


def test_a_translated_edition_is_anchored_to_the_translation(tour: Path) -> None:
    copy = export_review(tour, ExportOptions(region="coastal", language="fr",
                                             modules=("second",))).path
    _, files = anchored(copy)
    assert list(files.values()) == ["modules/fr/second.md"]
