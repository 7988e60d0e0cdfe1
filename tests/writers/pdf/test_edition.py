"""The PDF read back with pypdf: pages, bookmarks, headers, metadata, edition filtering."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from trainkit.commands.build import BuildOptions, build_edition
from trainkit.writers.dispatch import BuiltFile
from trainkit.errors import RenderError
from trainkit.loading.resolver import ProjectResolver

REPOSITORY = Path(__file__).resolve().parents[3]
TOUR = REPOSITORY / "examples" / "feature-tour"

pytestmark = pytest.mark.slow


def _build(root: Path, region: str, edition: str, out: Path,
           jobs: int | None = None) -> BuiltFile:
    result = build_edition(root, BuildOptions(region=region, edition=edition, formats=("pdf",),
                                              out_dir=out, writer_jobs=jobs))
    assert result.ok, result.failures
    return result.files[0]


def _outline(reader: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def tour_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, PdfReader]:
    root = tmp_path_factory.mktemp("tour-pdf")
    shutil.copytree(TOUR, root, dirs_exist_ok=True)
    out = root / "out"
    return {
        f"{region}-{edition}": PdfReader(_build(root, region, edition, out).path)
        for region, edition in [("coastal", "trainer"), ("inland", "participant")]
    }


def test_pdf_has_pages_bookmarks_and_metadata(tour_pdfs: dict[str, PdfReader]) -> None:
    reader = tour_pdfs["coastal-trainer"]
    assert len(reader.pages) > 5
    assert _outline(reader) == [
        "Contents", "The basics", "Module 1: Everything a module can hold",
        "1.1 Text and lists", "1.2 Tables and figures", "1.3 Variables", "1.4 Named blocks",
        "1.5 Conditional blocks", "1.6 Cross-references",
        "Module 2: Patrolling the Inner Sea", "2.1 Patrol areas",
        "Module 3: A second module", "3.1 Evidence", "3.2 National provisions",
        "Index of legal instruments", "Module durations", "Glossary",
    ]
    metadata = reader.metadata
    assert metadata is not None
    assert metadata.title == "Feature Tour of trainkit"
    assert metadata.author == "trainkit examples"
    assert metadata.subject == "Feature Tour of trainkit: Trainer\u2019s manual, Coastal States"
    assert reader.trailer["/Root"]["/Lang"] == "en"  # type: ignore[index]


def test_cover_contents_and_running_headers(tour_pdfs: dict[str, PdfReader]) -> None:
    reader = tour_pdfs["coastal-trainer"]
    cover = reader.pages[0].extract_text()
    for expected in ("Feature Tour of trainkit", "Every syntax feature in two short modules",
                     "Coastal States", "Trainer\u2019s manual", "1.0", "trainkit examples"):
        assert expected in cover
    imprint = reader.pages[1].extract_text()  # the back of the cover
    assert imprint.split("\n")[:3] == [
        "Feature Tour of trainkit", "Every syntax feature in two short modules",
        "Trainer\u2019s manual · Coastal States"]
    assert reader.page_labels[:3] == ["i", "ii", "iii"]
    contents = reader.pages[2].extract_text()
    assert "Module\u00a01: Everything a module can hold ....." in contents  # a dotted leader
    # the page number ends the entry's line: after a dotted leader on module entries,
    # after the title on section entries (which have no leader)
    assert re.search(r"Module\u00a01: Everything a module can hold \.{5,} 1\u20131\n", contents)
    assert "1.1 Text and lists 1\u20131\n" in contents
    assert "1.1 Text and lists ." not in contents  # section entries have no leader


def test_contents_page_numbers_are_the_labels_of_their_targets(
        tour_pdfs: dict[str, PdfReader]) -> None:
    reader = tour_pdfs["coastal-trainer"]
    printed = [found.group(1) for line in reader.pages[2].extract_text().split("\n")
               if (found := re.search(r" ([0-9A]+\u2013[0-9]+)$", line))]
    back = {"Index of legal instruments", "Module durations", "Glossary"}
    targets: list[str] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            elif item.title.startswith("Module ") or item.title[0].isdigit() or item.title in back:
                page = reader.get_destination_page_number(item)
                assert page is not None
                targets.append(reader.page_labels[page])

    walk(reader.outline)
    assert len(printed) == len(targets) > 10
    assert sorted(printed) == sorted(targets)


def test_running_headers_name_the_module(tour_pdfs: dict[str, PdfReader]) -> None:
    reader = tour_pdfs["coastal-trainer"]
    headers = [line for page in reader.pages[3:] for line in page.extract_text().split("\n")
               if line.startswith("Feature Tour of trainkit ")]
    assert "Feature Tour of trainkit Module\u00a01: Everything a module can hold" in headers
    assert "Feature Tour of trainkit Module\u00a03: A second module" in headers


def test_fonts_are_embedded(tour_pdfs: dict[str, PdfReader]) -> None:
    page = tour_pdfs["coastal-trainer"].pages[3]
    fonts = page["/Resources"]["/Font"]  # type: ignore[index]
    for font in fonts.values():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert any(key in descriptor for key in ("/FontFile2", "/FontFile3", "/FontFile"))


def test_region_and_edition_filtering_reach_text_bookmarks_and_headers(
        tour_pdfs: dict[str, PdfReader]) -> None:
    trainer, participant = tour_pdfs["coastal-trainer"], tour_pdfs["inland-participant"]
    trainer_text, participant_text = _text(trainer), _text(participant)
    assert "Only the Coastal States edition prints this paragraph." in trainer_text
    assert "Only the Coastal States edition prints this paragraph." not in participant_text
    assert "Only the trainer\u2019s edition prints this note." in trainer_text
    assert "Only the trainer\u2019s edition prints this note." not in participant_text
    assert "Trainer note" not in participant_text
    assert "Patrolling the Inner Sea" not in participant_text
    assert not any("Inner Sea" in title or "second module" in title
                   for title in _outline(participant))


def test_footnote_is_a_page_footnote_not_inline_text(tour_pdfs: dict[str, PdfReader]) -> None:
    pages = [" ".join(page.extract_text().split()) for page in tour_pdfs["coastal-trainer"].pages]
    call = next(i for i, text in enumerate(pages) if "sits at the foot of the page.1" in text)
    note = next(i for i, text in enumerate(pages)
                if "1. Footnotes are numbered per page in print" in text)
    assert note == call  # at the foot of the call's page (preflight TK707)
    assert "Footnotes are numbered" not in pages[call].split("foot of the page.1")[0]


def test_shipped_manual_regional_and_trainer_content(tmp_path: Path) -> None:
    north = PdfReader(_build(REPOSITORY, "north-africa", "trainer", tmp_path).path)
    west = PdfReader(_build(REPOSITORY, "west-africa", "participant", tmp_path).path)
    north_titles, west_titles = _outline(north), _outline(west)
    assert any("Saharan crossings" in title for title in north_titles)
    assert not any("Saharan crossings" in title for title in west_titles)
    north_text, west_text = _text(north), _text(west)
    assert "Trainer note" in north_text and "Trainer note" not in west_text
    assert "Answer" in north_text
    assert "AFRIPOL" in north_text
    assert "WACAP" in west_text and "WACAP" not in north_text
    # The book: an imprint with the manifest's disclaimer on the back of the cover, every
    # module on a right-hand page (printed on both sides), the legal index's instrument
    # repeated where it runs over a page, the abbreviations the text uses.
    assert "It is not an official publication of the United Nations" in " ".join(
        north.pages[1].extract_text().split())
    for index, page in enumerate(north.pages):
        if page.extract_text().startswith("MODULE"):
            assert index % 2 == 0, f"page {index + 1} starts a module on a left-hand page"
    pages = [page.extract_text().split("\n") for page in north.pages]
    legal_index = [i for i, lines in enumerate(pages) if "Article Cited in" in lines]
    assert len(legal_index) >= 2
    for i in legal_index:
        first = next(n for n, line in enumerate(pages[i]) if line == "Article Cited in")
        assert pages[i][first - 1].endswith(")")  # an instrument's title, then the columns
    # (a page may start with the DRAFT watermark: no module of the manual is approved)
    abbreviations = next(lines for lines in pages if "Abbreviations" in lines[:2])
    entries = abbreviations[abbreviations.index("The abbreviations used in this edition.") + 1:]
    assert entries[:5] == [
        "FATF Financial Action Task Force", "JIT joint investigation team",
        "SOLAS International Convention for the Safety of Life at Sea",
        "UNCLOS United Nations Convention on the Law of the Sea",
        "UNTOC United Nations Convention against Transnational Organized Crime"]


def test_failed_render_leaves_previous_output_untouched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(TOUR, tmp_path / "tour")
    out = tmp_path / "out"
    first = _build(tmp_path / "tour", "coastal", "trainer", out)
    before = first.path.read_bytes()

    import weasyprint

    def broken(self: object, *args: object, **kwargs: object) -> None:
        raise RuntimeError("layout exploded in module 7")

    monkeypatch.setattr(weasyprint.HTML, "render", broken)
    second = tmp_path / "tour" / "modules" / "second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nA new paragraph.\n",
                      encoding="utf-8")
    result = build_edition(tmp_path / "tour", BuildOptions(
        region="coastal", edition="trainer", formats=("pdf",), out_dir=out))
    assert not result.ok
    assert "layout exploded in module 7" in result.failures[0]
    assert first.path.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [first.path.name]


def test_a_worker_that_dies_fails_the_build_cleanly(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from trainkit.writers.pdf import pieces as chunks

    shutil.copytree(TOUR, tmp_path / "tour")
    out = tmp_path / "out"
    first = _build(tmp_path / "tour", "coastal", "trainer", out, jobs=2)
    before = first.path.read_bytes()
    real = chunks.render_chunk

    def crash_on_module_three(root: str, html: str, css: str, own_css: str,
                              tagged: bool = False) -> object:
        if "A second module" in html and "chunk-module" in html:
            os._exit(3)  # as a crash in a native library would end the worker
        return real(root, html, css, own_css, tagged)

    monkeypatch.setattr(chunks, "render_chunk", crash_on_module_three)  # forked workers too
    second = tmp_path / "tour" / "modules" / "second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nA new paragraph.\n",
                      encoding="utf-8")
    result = build_edition(tmp_path / "tour", BuildOptions(
        region="coastal", edition="trainer", formats=("pdf",), out_dir=out, writer_jobs=2))
    assert not result.ok
    assert "rendering failed" in result.failures[0], result.failures
    assert "terminated abruptly" in result.failures[0]
    assert first.path.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [first.path.name]


def test_unchanged_modules_come_from_the_chunk_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from trainkit.writers.pdf import pieces as chunks

    shutil.copytree(TOUR, tmp_path / "tour")
    _build(tmp_path / "tour", "coastal", "trainer", tmp_path / "out", jobs=1)
    rendered: list[str] = []
    original = chunks.render_chunk

    def counting(root: str, html: str, css: str, own_css: str,
                 tagged: bool = False) -> object:
        rendered.append(html)
        return original(root, html, css, own_css, tagged)

    monkeypatch.setattr(chunks, "render_chunk", counting)
    second = tmp_path / "tour" / "modules" / "second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nAn edited paragraph.\n",
                      encoding="utf-8")
    rebuilt = _build(tmp_path / "tour", "coastal", "trainer", tmp_path / "out", jobs=1)
    assert len(rendered) == 1 and "An edited paragraph." in rendered[0]
    assert "An edited paragraph." in _text(PdfReader(rebuilt.path))


def test_fetcher_serves_only_approved_project_images(tmp_path: Path) -> None:
    from trainkit.writers.pdf.pieces import project_fetcher

    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes((TOUR / "images" / "journey.png").read_bytes())
    fetcher = project_fetcher(ProjectResolver(tmp_path))
    assert fetcher.fetch("trainkit:asset/images/a.png").read().startswith(b"\x89PNG")
    for url in ("file:///etc/passwd", "http://169.254.169.254/latest",
                "trainkit:asset/../../etc/passwd", "trainkit:asset/images/missing.png",
                "data:image/png;base64,AAAA"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_missing_image_at_render_time_fails_the_build(tmp_path: Path) -> None:
    from trainkit.assembly.edition import assemble
    from trainkit.model.edition import EditionRequest
    from trainkit.checks.validate import validate_project
    from trainkit.writers.pdf.edition import write_pdf

    shutil.copytree(TOUR, tmp_path / "tour")
    validation = validate_project(tmp_path / "tour", use_cache=False)
    edition = assemble(validation.valid(), EditionRequest("coastal", "trainer"))
    (tmp_path / "tour" / "images" / "journey.png").unlink()
    target = tmp_path / "out.pdf"
    with pytest.raises(RenderError, match="journey.png"):
        write_pdf(edition, validation.project.resolver, target)
    assert not target.exists()
