"""The screen HTML: one self-contained file whose structure follows the edition."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest

from trainkit.commands.build import BuildOptions, build_edition

TOUR = Path(__file__).resolve().parents[3] / "examples" / "feature-tour"


@pytest.fixture(scope="module")
def tour(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tour-html")
    shutil.copytree(TOUR, root, dirs_exist_ok=True)
    return root


def _build(root: Path, region: str, edition: str) -> lxml.html.HtmlElement:
    result = build_edition(root, BuildOptions(region=region, edition=edition, formats=("html",),
                                              out_dir=root / "out"))
    assert result.ok and len(result.files) == 1
    path = result.files[0].path
    assert path.name == f"feature-tour-{region}-{edition}.html"
    return lxml.html.fromstring(path.read_bytes())


def test_document_declares_language_and_metadata(tour: Path) -> None:
    page = _build(tour, "coastal", "trainer")
    assert page.get("lang") == "en"
    assert page.findtext(".//title") == "Feature Tour of trainkit"
    description = page.xpath("//meta[@name='description']/@content")
    assert description == ["Feature Tour of trainkit: Trainer\u2019s manual, Coastal States"]


def test_html_is_self_contained(tour: Path) -> None:
    page = _build(tour, "coastal", "trainer")
    assert page.xpath("//link") == [] and page.xpath("//script") == []
    sources = page.xpath("//img/@src")
    assert sources and all(src.startswith("data:image/png;base64,") for src in sources)
    assert page.xpath("//img/@alt") == [
        "A journey in three stages: origin, transit and destination"]
    assert "font-family" in page.findtext(".//style")


def test_contents_lists_the_modules_of_the_edition(tour: Path) -> None:
    coastal = _build(tour, "coastal", "trainer")
    inland = _build(tour, "inland", "trainer")
    entries = [a.text_content() for a in coastal.xpath("//nav//li[@class='toc-module']/a")]
    assert entries == ["Module\u00a01: Everything a module can hold",
                       "Module\u00a02: Patrolling the Inner Sea", "Module\u00a03: A second module"]
    assert [a.text_content() for a in inland.xpath("//nav//li[@class='toc-module']/a")] == [
        "Module\u00a01: Everything a module can hold"]
    assert "Patrolling the Inner Sea" not in inland.text_content()


def test_blocks_and_sections_have_their_markup(tour: Path) -> None:
    page = _build(tour, "coastal", "trainer")
    kinds = [el.get("class") for el in page.xpath("//*[contains(@class, 'block ')]")]
    assert kinds[:6] == ["block case-study", "block exercise", "block trainer-note",
                         "block key-points", "block question", "block answer"]
    labels = page.xpath("//section[@class='block case-study']/p[@class='block-label']")
    assert labels[0].text_content() == "Case study\u00a01.1: The night crossing (fictional)"
    assert page.xpath("//h2[@id='first--text-and-lists']")[0].text_content() == (
        "1.1 Text and lists")
    assert page.xpath("//thead/tr/th")[0].text_content() == "Element"


def test_participant_html_has_no_trainer_notes_or_answers(tour: Path) -> None:
    page = _build(tour, "coastal", "participant")
    assert page.xpath("//*[contains(@class, 'trainer-note')]") == []
    assert page.xpath("//*[contains(@class, 'answer')]") == []
    assert "Only the trainer's edition prints this note." not in page.text_content()


def test_cross_references_link_to_existing_ids(tour: Path) -> None:
    page = _build(tour, "coastal", "trainer")
    links = page.xpath("//a[@class='xref']")
    assert [a.text_content() for a in links] == [
        "Module\u00a03: A second module", "section on evidence", "the tables"]
    for link in links:
        target = link.get("href")[1:]
        assert page.xpath(f"//*[@id='{target}']"), target


def test_footnotes_become_end_notes_on_screen(tour: Path) -> None:
    page = _build(tour, "coastal", "trainer")
    note = page.xpath("//section[@class='endnotes']//li")[0]
    assert "Footnotes are numbered per page in print" in note.text_content()
    assert page.xpath("//sup[@class='footnote-ref']/a/@href") == ["#first--fn1"]


def test_raw_html_in_markdown_is_text(tmp_path: Path) -> None:
    shutil.copytree(TOUR, tmp_path, dirs_exist_ok=True)
    second = tmp_path / "modules" / "second.md"
    second.write_text(second.read_text(encoding="utf-8")
                      + "\n<script>alert(1)</script> <img src=\"file:///etc/passwd\">\n",
                      encoding="utf-8")
    page = _build(tmp_path, "coastal", "trainer")
    assert page.xpath("//script") == []
    assert page.xpath("//img[starts-with(@src, 'file:')]") == []
    assert "<script>alert(1)</script>" in page.text_content()


def test_compiled_templates_are_cached_outside_the_project(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from trainkit.writers.html import templates as html

    monkeypatch.setattr(html, "user_cache_dir", lambda: tmp_path / "user-cache")
    cache = html._template_cache()
    assert cache is not None
    from jinja2 import Environment, FunctionLoader

    environment = Environment(loader=FunctionLoader(
        lambda name: html.read_resource(f"templates/{name}")), bytecode_cache=cache)
    environment.get_template("chunk.html.j2")
    assert list((tmp_path / "user-cache").glob("templates-*/__jinja2_*.cache"))
    (tmp_path / "blocked").write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setattr(html, "user_cache_dir", lambda: tmp_path / "blocked")
    assert html._template_cache() is None  # no cache, no error
