"""Tagged PDF (issue 13, item 11): one structure tree read back from the merged edition.

The feature tour is built in pieces (front matter, part page, modules, back matter), each
tagged by WeasyPrint; the merged file must hold one tree: every piece's headings under
one /Document, a /ParentTree that resolves every page's /StructParents, tables with
header cells, the figure's alt text, the edition's /Lang and a module left in English
(French edition) with its own.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from trainkit.commands.build import BuildOptions, build_edition

REPOSITORY = Path(__file__).resolve().parents[3]
TOUR = REPOSITORY / "examples" / "feature-tour"

pytestmark = pytest.mark.slow


def _build(root: Path, out: Path, language: str | None = None,
           untagged: bool = False) -> Path:
    result = build_edition(root, BuildOptions(region="coastal", edition="trainer",
                                              formats=("pdf",), out_dir=out,
                                              language=language, untagged=untagged))
    assert result.ok, result.failures
    return result.files[0].path


@pytest.fixture(scope="module")
def tour(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tour-tagged")
    shutil.copytree(TOUR, root, dirs_exist_ok=True)
    return root


@pytest.fixture(scope="module")
def english(tour: Path) -> PdfReader:
    return PdfReader(_build(tour, tour / "out-en"))


@pytest.fixture(scope="module")
def french(tour: Path) -> PdfReader:
    return PdfReader(_build(tour, tour / "out-fr", language="fr"))


def marked_text(reader: PdfReader) -> dict[tuple[int, int], str]:
    """The text of each marked-content sequence: (page's object number, MCID) -> text."""
    texts: dict[tuple[int, int], str] = {}
    for page in reader.pages:
        stack: list[int | None] = []
        number = page.indirect_reference.idnum if page.indirect_reference else 0

        def before(operator: bytes, args: list[Any], *_: Any) -> None:
            if operator == b"BDC":
                props = args[1] if len(args) > 1 else None
                mcid = props.get("/MCID") if isinstance(props, dict) else None
                stack.append(int(mcid) if mcid is not None else None)
            elif operator == b"BMC":
                stack.append(None)
            elif operator == b"EMC" and stack:
                stack.pop()

        def text(value: str, *_: Any) -> None:
            mcid = next((m for m in reversed(stack) if m is not None), None)
            if mcid is not None:
                key = (number, mcid)
                texts[key] = texts.get(key, "") + value

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return texts


def elements(reader: PdfReader) -> list[Any]:
    """Every structure element, depth first in document order."""
    root: Any = reader.root_object["/StructTreeRoot"].get_object()
    found: list[Any] = []

    def walk(element: Any) -> None:
        found.append(element)
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, DictionaryObject) and kid.get("/Type") != "/OBJR" \
                    and "/S" in kid:
                walk(kid)

    walk(root["/K"].get_object())
    return found


def element_text(element: Any, texts: dict[tuple[int, int], str],
                 page: int | None = None) -> str:
    page = element.raw_get("/Pg").idnum if "/Pg" in element else page
    kids = element.get("/K", [])
    parts = []
    for kid in kids if isinstance(kids, list) else [kids]:
        if isinstance(kid, int):
            parts.append(texts.get((page, kid), "") if page is not None else "")
        else:
            child = kid.get_object()
            if isinstance(child, DictionaryObject) and "/S" in child:
                parts.append(element_text(child, texts, page))
    return "".join(parts)


def test_pdfinfo_says_tagged(english: PdfReader, tour: Path) -> None:
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    path = next((tour / "out-en").glob("*.pdf"))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout


def test_catalogue_of_a_tagged_pdf(english: PdfReader) -> None:
    catalogue: Any = english.root_object
    assert catalogue["/MarkInfo"]["/Marked"] is True or catalogue["/MarkInfo"]["/Marked"]
    assert catalogue["/Lang"] == "en"
    assert catalogue["/ViewerPreferences"]["/DisplayDocTitle"]
    assert english.metadata is not None and english.metadata.title
    assert b"<pdfuaid:part>1</pdfuaid:part>" in catalogue["/Metadata"].get_object().get_data()


def test_one_document_element_holds_every_piece(english: PdfReader) -> None:
    root: Any = english.root_object["/StructTreeRoot"].get_object()
    document = root["/K"].get_object()
    assert document["/S"] == "/Document"
    parts = [kid.get_object() for kid in document["/K"]]
    assert parts and all(part["/S"] == "/Part" for part in parts)
    assert all(part["/P"].get_object() is document for part in parts)
    assert [e["/S"] for e in elements(english)].count("/Document") == 1


def _outline(items: list[Any]) -> list[str]:
    titles: list[str] = []
    for item in items:
        titles.extend(_outline(item) if isinstance(item, list) else [item.title])
    return titles


def test_headings_in_document_order(english: PdfReader) -> None:
    """Every bookmark (contents, part, modules, sections, back matter: all the pieces) is
    an H1 or H2 with the same text, in the same order."""
    texts = marked_text(english)
    headings = [" ".join(element_text(e, texts).split())
                for e in elements(english) if e["/S"] in ("/H1", "/H2")]
    expected = [re.sub(r"^Module \d+: ", "", title) for title in _outline(english.outline)]
    assert len(expected) > 10
    found = [title for title in headings if title in expected]
    assert found == expected, headings
    levels = {" ".join(element_text(e, texts).split()): e["/S"] for e in elements(english)
              if e["/S"] in ("/H1", "/H2")}
    assert levels["Everything a module can hold"] == "/H1"
    assert levels["1.1 Text and lists"] == "/H2"


def test_parent_tree_resolves_every_page(english: PdfReader) -> None:
    root: Any = english.root_object["/StructTreeRoot"].get_object()
    nums = root["/ParentTree"].get_object()["/Nums"]
    keys = [int(key) for key in nums[0::2]]
    assert keys == sorted(set(keys))
    assert int(root["/ParentTreeNextKey"]) > max(keys)
    table = dict(zip(keys, nums[1::2]))
    tagged_pages = 0
    page: Any
    for page in english.pages:
        if "/StructParents" not in page:
            assert not page.extract_text().strip(), "only blank pages are left out"
            continue
        tagged_pages += 1
        value = table[int(page["/StructParents"])].get_object()
        content = page.get_contents().get_data()
        used = sorted({int(mcid) for mcid in re.findall(rb"/MCID (\d+)", content)})
        assert used == list(range(len(value)))  # every marked content has its element
        for mcid, ref in enumerate(value):
            element = ref.get_object()
            assert element["/Type"] == "/StructElem"
            assert element["/Pg"].get_object().indirect_reference == page.indirect_reference
            kids = element["/K"] if isinstance(element["/K"], list) else [element["/K"]]
            assert mcid in kids
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if "/StructParent" in annotation:  # a web link: its element holds it
                holder = table[int(annotation["/StructParent"])].get_object()
                assert any(not isinstance(kid, int) and kid.get_object().get("/Obj")
                           is not None and kid.get_object().raw_get("/Obj")
                           == annotation.indirect_reference for kid in holder["/K"])
    assert tagged_pages > 5


def test_tables_have_header_cells(english: PdfReader) -> None:
    tags = [e["/S"] for e in elements(english)]
    assert "/Table" in tags and "/TH" in tags and "/TD" in tags and "/TR" in tags
    assert "/L" in tags and "/LI" in tags


def test_figure_has_its_alt_text(english: PdfReader) -> None:
    figures = [e for e in elements(english) if e["/S"] == "/Figure"]
    assert [f.get("/Alt") for f in figures] == [
        "A journey in three stages: origin, transit and destination"]


def test_module_in_another_language_keeps_its_lang(french: PdfReader) -> None:
    catalogue: Any = french.root_object
    assert catalogue["/Lang"] == "fr"
    texts = marked_text(french)
    languages = {}
    for part in catalogue["/StructTreeRoot"]["/K"].get_object()["/K"]:
        part = part.get_object()
        languages[" ".join(element_text(part, texts).split())[:40]] = part.get("/Lang")
    assert "en" in languages.values(), languages  # first.md has no French translation


def test_stamped_page_numbers_are_artifacts(english: PdfReader) -> None:
    page: Any = english.pages[-1]
    data = page.get_contents().get_data()
    assert b"/Artifact BMC BT" in data


def test_no_tags(tour: Path) -> None:
    reader = PdfReader(_build(tour, tour / "out-untagged", untagged=True))
    assert "/StructTreeRoot" not in reader.root_object
    assert all("/StructParents" not in page for page in reader.pages)
