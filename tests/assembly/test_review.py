"""The review workflow: ``build --status``, the DRAFT watermark and ``build --review``."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from typer.testing import CliRunner

from trainkit.cli.app import app

runner = CliRunner()


def _set_status(tour: Path, module: str, status: str) -> None:
    path = tour / "modules" / f"{module}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("status: approved",
                                                             f"status: {status}"),
                    encoding="utf-8")


def _build(tour: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["build", str(tour), "-o", str(tour / "out"), *args])
    return result.exit_code, " ".join(result.output.split())


def test_status_approved_fails_naming_every_other_module(tour: Path) -> None:
    _set_status(tour, "second", "draft")
    _set_status(tour, "coastal-extra", "in-review")
    code, output = _build(tour, "-r", "coastal", "-f", "html", "--status", "approved")
    assert code == 1
    assert ("2 modules of the coastal trainer edition are not approved: coastal-extra is "
            "in-review (modules/coastal-extra.md); second is draft (modules/second.md); "
            "nothing was built") in output
    assert not (tour / "out").exists()


def test_status_approved_builds_when_every_module_is(tour: Path) -> None:
    _set_status(tour, "second", "draft")  # not in the inland edition
    code, output = _build(tour, "-r", "inland", "-f", "html", "--status", "approved")
    assert code == 0, output
    assert (tour / "out" / "feature-tour-inland-trainer.html").is_file()


def test_drop_others_leaves_the_other_modules_out(tour: Path) -> None:
    _set_status(tour, "second", "draft")
    code, output = _build(tour, "-r", "coastal", "-f", "html", "--status", "approved",
                          "--drop-others")
    assert code == 0, output
    page = lxml.html.fromstring((tour / "out" / "feature-tour-coastal-trainer.html").read_bytes())
    titles = [a.text_content() for a in page.xpath("//nav//li[@class='toc-module']/a")]
    assert titles == ["Module\u00a01: Everything a module can hold",
                      "Module\u00a02: Patrolling the Inner Sea"]
    assert page.xpath("//div[@class='watermark']") == []  # what is left is approved


def test_drop_others_needs_status(tour: Path) -> None:
    code, output = _build(tour, "-f", "html", "--drop-others")
    assert code == 2
    assert "--drop-others needs --status" in output


def test_all_with_status_fails_once_listing_the_modules(tour: Path) -> None:
    _set_status(tour, "second", "in-review")
    code, output = _build(tour, "--all", "-f", "html", "--status", "approved")
    assert code == 1
    assert ("1 module of the editions is not approved: second is in-review "
            "(modules/second.md); nothing was built") in output
    assert not (tour / "out").exists()


def test_a_draft_module_puts_the_watermark_on_the_html_edition(tour: Path) -> None:
    _set_status(tour, "second", "draft")
    assert _build(tour, "-r", "coastal", "-f", "html")[0] == 0
    assert _build(tour, "-r", "inland", "-f", "html")[0] == 0
    coastal = lxml.html.fromstring(
        (tour / "out" / "feature-tour-coastal-trainer.html").read_bytes())
    assert [w.text_content() for w in coastal.xpath("//div[@class='watermark']")] == ["Draft"]
    assert "draft" in coastal.xpath("//body/@class")[0].split()
    inland = lxml.html.fromstring(
        (tour / "out" / "feature-tour-inland-trainer.html").read_bytes())
    assert inland.xpath("//div[@class='watermark']") == []  # `second` is not in it


@pytest.mark.slow
def test_a_draft_module_puts_the_watermark_on_the_pdf_pages(tour: Path) -> None:
    from pypdf import PdfReader

    _set_status(tour, "second", "draft")
    assert _build(tour, "-r", "coastal", "-f", "pdf")[0] == 0
    pages = [page.extract_text() for page in
             PdfReader(tour / "out" / "feature-tour-coastal-trainer.pdf").pages]
    with_mark = [i for i, text in enumerate(pages) if "Draft" in text or "DRAFT" in text]
    assert len(with_mark) == len(pages)


def test_review_copy_shows_version_status_reviewers_and_date(tour: Path) -> None:
    _set_status(tour, "second", "in-review")
    code, output = _build(tour, "-r", "coastal", "-f", "html", "--review")
    assert code == 0, output
    path = tour / "out" / "feature-tour-coastal-trainer-review.html"
    assert str(path) in output
    page = lxml.html.fromstring(path.read_bytes())
    tables = {}
    for article in page.xpath("//article[@data-module]"):
        table = article.xpath("./header/following-sibling::*[1]")[0]
        assert table.tag == "table"
        tables[article.get("data-module")] = [
            [cell.text_content() for cell in row.xpath("./th|./td")]
            for row in table.xpath(".//tr")]
    assert tables["first"] == [["Version", "Status", "Reviewers", "Last reviewed"],
                               ["1.0", "approved", "trainkit examples", "1 October 2026"]]
    assert tables["second"][1] == ["1.0", "in-review", "—", "not reviewed yet"]
    assert len(tables) == 3


def test_review_copy_in_docx(tour: Path) -> None:
    import docx

    code, output = _build(tour, "-r", "inland", "-f", "docx", "--review")
    assert code == 0, output
    document = docx.Document(str(tour / "out" / "feature-tour-inland-trainer-review.docx"))
    rows = [[cell.text for cell in row.cells] for table in document.tables
            for row in table.rows]
    assert ["Version", "Status", "Reviewers", "Last reviewed"] in rows
    assert ["1.0", "approved", "trainkit examples", "1 October 2026"] in rows
