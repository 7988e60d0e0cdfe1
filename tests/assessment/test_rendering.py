"""Typed questions in the editions: participants get boxes, columns and lines; trainers
get marks, answers and feedback. Read back from the HTML and the DOCX."""

from __future__ import annotations

from pathlib import Path

import docx
import lxml.html
import pytest

from assessment.samples import SECRETS, typed_module
from conftest import LAW, copy_valid
from trainkit.commands.build import BuildOptions, build_edition


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_valid(tmp_path_factory.mktemp("typed") / "p")
    project.write(LAW, typed_module())
    return project.root


def _build(root: Path, edition: str, fmt: str) -> Path:
    result = build_edition(root, BuildOptions(region="north", edition=edition, formats=(fmt,),  # type: ignore[arg-type]
                                              out_dir=root / "out" / edition))
    assert result.ok, result.failures
    return result.files[0].path


def _html(root: Path, edition: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(_build(root, edition, "html").read_bytes())


def _docx_text(root: Path, edition: str) -> str:
    document = docx.Document(str(_build(root, edition, "docx")))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_participant_html_has_empty_boxes_and_no_answer(root: Path) -> None:
    page = _html(root, "participant")
    text = page.text_content()
    assert not [secret for secret in SECRETS if secret in text]
    options = [li.text_content() for li in page.xpath("//ul[@class='options']/li")]
    assert options == ["\u2610 An intent to obtain a financial benefit",
                       "\u2610 That the migrant did not consent",
                       "\u2610 That the migrant was exploited"]
    assert page.xpath("//li[contains(@class, 'correct')]") == []
    assert [li.text_content() for li in page.xpath("//ul[contains(@class, 'true-false')]/li")] \
        == ["\u2610 True", "\u2610 False"]
    rows = [[td.text_content() for td in tr.xpath("td")]
            for tr in page.xpath("//table[@class='matching']//tr")]
    assert [row[0] for row in rows] == ["1. Smuggling", "2. Trafficking", "3. Corruption"]
    rights = [row[2][3:] for row in rows]
    assert sorted(rights) == ["SECRET-BENEFIT", "SECRET-BRIBE", "SECRET-EXPLOITATION"]
    assert page.xpath("//p[@class='question-meta']") == []


def test_the_participant_html_shuffles_the_right_column_the_same_way_each_time(
        root: Path) -> None:
    def rights() -> list[str]:
        page = _html(root, "participant")
        return [tr.xpath("td")[2].text_content()
                for tr in page.xpath("//table[@class='matching']//tr")]
    first = rights()
    assert first == rights()
    assert first != ["A. SECRET-BENEFIT", "B. SECRET-EXPLOITATION", "C. SECRET-BRIBE"]


def test_the_trainer_html_marks_answers_and_shows_feedback(root: Path) -> None:
    page = _html(root, "trainer")
    correct = [li.text_content() for li in page.xpath("//li[contains(@class, 'correct')]")]
    assert correct[0].startswith("\u2611 An intent to obtain a financial benefit")
    assert correct[1] == "\u2611 False"
    text = page.text_content()
    for secret in SECRETS:
        assert secret in text
    assert "Accepted answers: SECRET-PALERMO; Smuggling Protocol" in text
    metas = [p.text_content() for p in page.xpath("//p[@class='question-meta']")]
    assert metas[0] == "Points\u00a02 · Objectives\u00a01, 3"
    rows = [[td.text_content() for td in tr.xpath("td")]
            for tr in page.xpath("//table[@class='matching']//tr")]
    assert rows[0] == ["1. Smuggling", "\u2192", "SECRET-BENEFIT"]


def test_the_participant_docx_has_no_answer_and_the_trainer_docx_has_them(root: Path) -> None:
    participant = _docx_text(root, "participant")
    assert not [secret for secret in SECRETS if secret in participant]
    assert "\u2610 An intent to obtain a financial benefit" in participant
    assert "\u2611" not in participant
    trainer = _docx_text(root, "trainer")
    assert "\u2611 An intent to obtain a financial benefit" in trainer
    assert "\u2611 False" in trainer
    for secret in SECRETS:
        assert secret in trainer


def test_the_trainer_edition_ends_with_a_coverage_table(root: Path) -> None:
    page = _html(root, "trainer")
    rows = [[td.text_content() for td in tr.xpath("td")]
            for tr in page.xpath("//table[@class='coverage']/tbody/tr")]
    assert ["Module\u00a02: The law", "2. Explain consent.",
            "Question\u00a02.2, Exercise\u00a02.1"] in rows
    assert ["Module\u00a01: Introduction", "1. Define the smuggling of migrants.",
            "not assessed"] in rows
    assert page.xpath("//table[@class='coverage']") and not _html(
        root, "participant").xpath("//table[@class='coverage']")
    trainer = _docx_text(root, "trainer")
    assert "Coverage of the learning objectives" in trainer
    assert "Question\u00a02.2, Exercise\u00a02.1" in trainer
    assert "Coverage of the learning objectives" not in _docx_text(root, "participant")


def test_no_coverage_table_without_typed_questions(tmp_path: Path) -> None:
    project = copy_valid(tmp_path / "p")
    result = build_edition(project.root, BuildOptions(region="north", edition="trainer",
                                                      formats=("html",), out_dir=tmp_path))
    page = lxml.html.fromstring(result.files[0].path.read_bytes())
    assert page.xpath("//section[@id='coverage']") == []


def test_a_handout_shows_typed_questions_without_answers(root: Path) -> None:
    from trainkit.commands.handout import HandoutOptions, build_handouts

    result = build_handouts(root, HandoutOptions(modules=("law",), region="north",
                                                 formats=("docx",), out_dir=root / "handout"))
    assert not result.failures
    text = _docx_text_of(result.files[0].path)
    assert "\u2610 An intent to obtain a financial benefit" in text
    assert not [secret for secret in SECRETS if secret in text] and "\u2611" not in text


def _docx_text_of(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Accepted answers</span>: Article 5; Art. 5</p>"),
    ("fr", "Réponses acceptées</span>\u00a0: Article 5\u202f; Art. 5</p>"),
    ("ar", "</span>: Article 5؛ Art. 5</p>"),
])
def test_accepted_answers_are_punctuated_in_the_edition_language(
        language: str, expected: str) -> None:
    from trainkit.labels import labels
    from trainkit.model.assessment import Question
    from trainkit.writers.html.questions import QuestionHtml

    question = Question(id="q", kind="short-answer", prompt=(), accepted=("Article 5", "Art. 5"))
    html = QuestionHtml(lambda blocks: "", lambda inlines: "", labels(language),
                        keeps_answers=True).short_answer(question)
    assert html.endswith(expected)
