"""Test papers, answer keys, pre-/post-tests and the evaluation form, read back from
the files (pypdf, python-docx), and the ``trainkit test`` command's exit codes."""

from __future__ import annotations

from pathlib import Path

import docx
import pypdf
import pytest
from typer.testing import CliRunner

from assessment.samples import SECRETS, typed_module
from conftest import LAW, copy_valid
from trainkit.cli.app import app
from trainkit.commands.testpaper import PaperOptions, PaperResult, write_papers

#: What only an answer key may print (besides ``SECRETS``): the correct marks and the
#: letters the key gives the right-hand column.
KEY_ONLY = ("\u2611", "Accepted answers", "Points\u00a0")
#: Every answer of ``typed_module``, as the key prints it.
ANSWERS = ("SECRET-EXPLANATION", "SECRET-TF", "SECRET-PALERMO", "Smuggling Protocol",
           "SECRET-MODEL-ANSWER", "Right: the benefit", "No: consent is not",
           "\u2611 An intent to obtain a financial benefit", "\u2611 False")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_valid(tmp_path_factory.mktemp("papers") / "p")
    project.write(LAW, typed_module())
    return project.root


def _write(root: Path, out: str, **options: object) -> PaperResult:
    result = write_papers(root, PaperOptions(region="north", out_dir=root / out,
                                             **options))  # type: ignore[arg-type]
    assert not result.failures
    return result


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def _texts(result: PaperResult, read: object) -> tuple[str, str]:
    paper, key = (f.path for f in result.files)
    assert key.name.endswith("-key" + paper.suffix)
    return read(paper), read(key)  # type: ignore[operator]


def test_the_docx_paper_has_no_answer_and_the_key_has_every_one(root: Path) -> None:
    result = _write(root, "docx", output_format="docx", seed=3)
    assert [f.path.name for f in result.files] == ["test-manual-north-test.docx",
                                                   "test-manual-north-test-key.docx"]
    paper, key = _texts(result, _docx_text)
    assert not [s for s in (*SECRETS, *KEY_ONLY) if s in paper]
    assert "\u2610 An intent to obtain a financial benefit" in paper
    assert "Name:" in paper and "Total: 9 points" in paper
    assert not [answer for answer in ANSWERS if answer not in key]
    assert "Objectives\u00a02.1, 2.3" in key


def test_options_are_shuffled_by_the_seed_and_the_key_follows_the_paper(root: Path) -> None:
    def options(seed: int) -> tuple[list[str], list[str]]:
        paper, key = _texts(_write(root, f"seed{seed}", output_format="docx", seed=seed),
                            _docx_text)
        pick = ("financial benefit", "did not consent", "was exploited")
        return ([line for line in paper.split("\n") if any(p in line for p in pick)],
                [line[2:] for line in key.split("\n") if any(p in line for p in pick)])
    first, first_key = options(3)
    assert options(3) == (first, first_key)
    assert [line[2:] for line in first] == first_key
    orders = {tuple(options(seed)[0]) for seed in range(1, 6)}
    assert len(orders) > 1


def test_matching_letters_in_the_key_match_the_paper(root: Path) -> None:
    paper, key = _texts(_write(root, "match", output_format="docx", seed=5), _docx_text)
    lines = paper.split("\n")
    for right in ("SECRET-BENEFIT", "SECRET-EXPLOITATION", "SECRET-BRIBE"):
        on_paper = next(line for line in lines if line.endswith(". " + right))
        assert on_paper[0] + ". " + right in key


def test_pre_and_post_tests_are_disjoint_and_reproducible(root: Path) -> None:
    def drawn(kind: str, out: str) -> list[str]:
        result = _write(root, out, output_format="docx", seed=11, draw=kind, count=2)
        document = docx.Document(str(result.files[1].path))
        return [p.text for p in document.paragraphs if p.text.startswith("Question\u00a0")]
    pre, post = drawn("pre", "pre"), drawn("post", "post")
    assert len(pre) == len(post) == 2
    ids = [{title.split(" · ")[-1] for title in titles} for titles in (pre, post)]
    assert not ids[0] & ids[1]
    assert "law-q2" in ids[0]  # pool=pre
    assert "law-q3" in ids[1]  # pool=post
    assert drawn("pre", "pre-again") == pre


def test_a_pool_too_small_is_a_usage_error(root: Path) -> None:
    result = CliRunner().invoke(app, ["test", str(root), "--region", "north", "--draw",
                                      "post", "--count", "5", "--format", "docx",
                                      "--out", str(root / "small")])
    assert result.exit_code == 2
    assert "the pool has 1 question for a post-test of 5 besides the pre-test's" in \
        result.output


def test_draw_needs_a_count_and_an_unknown_module_is_refused(root: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["test", str(root), "--draw", "pre"])
    assert result.exit_code == 2 and "--draw and --count go together" in result.output
    result = runner.invoke(app, ["test", str(root), "--modules", "lwa"])
    assert result.exit_code == 2 and "`lwa`" in result.output


def test_the_command_writes_both_files(root: Path) -> None:
    out = root / "cli"
    result = CliRunner().invoke(app, ["test", str(root), "--region", "north", "--modules",
                                      "law", "--format", "docx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["test-manual-north-test-key.docx",
                                                     "test-manual-north-test.docx"]
    assert "What is the smuggling" not in _docx_text(out / "test-manual-north-test.docx")


def test_the_evaluation_form_rates_every_objective(root: Path) -> None:
    result = _write(root, "evaluation", output_format="docx", evaluation=True)
    (form,) = result.files
    assert form.path.name == "test-manual-north-evaluation.docx"
    text = _docx_text(form.path)
    for objective in ("Name the offences.", "Tell smuggling from trafficking.",
                      "Define the smuggling of migrants."):
        assert objective in text
    assert "The course was relevant to my work." in text and "Before the course" in text


@pytest.mark.slow
def test_the_pdf_paper_has_no_answer_and_the_key_has_every_one(root: Path) -> None:
    paper, key = _texts(_write(root, "pdf", seed=3), _pdf_text)
    assert not [s for s in (*SECRETS, *KEY_ONLY) if s in paper]
    assert "An intent to obtain a financial benefit" in paper
    assert not [a for a in ANSWERS if a.replace("\u2611 ", "") not in key.replace("\n", " ")]
