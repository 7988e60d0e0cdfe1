"""``trainkit review export | import | approve`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from docx import Document
from typer.testing import CliRunner

from conftest import LAW, ProjectDir
from trainkit.cli.app import app
from trainkit.commands.review_log import read_log

runner = CliRunner()


def reviewed_copy(project: ProjectDir, tmp_path: Path) -> Path:
    exported = runner.invoke(app, ["review", "export", str(project.root), "-m", "law"])
    assert exported.exit_code == 0, exported.output
    copy = Path(exported.stdout.strip())
    assert copy.name == "test-manual-north-trainer-for-review.docx"
    document = Document(str(copy))
    paragraph = next(p for p in document.paragraphs if "offences are set out" in p.text)
    document.add_comment(paragraph.runs[0], "Cite the article.", author="Ana Reviewer")
    document.save(str(tmp_path / "back.docx"))
    return tmp_path / "back.docx"


def test_import_prints_text_and_writes_a_review_log(project: ProjectDir,
                                                    tmp_path: Path) -> None:
    back = reviewed_copy(project, tmp_path)
    result = runner.invoke(app, ["review", "import", str(project.root), str(back)])
    assert result.exit_code == 0, result.output
    assert f"{LAW}:16:1: comment by Ana Reviewer" in result.stdout
    assert "Cite the article. (location: high)" in result.stdout
    assert "1 comment and 0 tracked changes." in result.stdout
    logs = list((project.root / "reviews").glob("*.md"))
    assert len(logs) == 1
    log = read_log(logs[0])
    assert log is not None and log.files == ["back.docx"] and log.reviewers == ["Ana Reviewer"]
    assert [(m.path, m.comments, m.open_comments) for m in log.modules] == [(LAW, 1, 1)]
    assert f"`{LAW}:16:1` comment by Ana Reviewer" in logs[0].read_text(encoding="utf-8")
    listed = json.loads(runner.invoke(app, ["list", str(project.root), "--format",
                                            "json"]).stdout)
    assert {m["id"]: m["open_comments"] for m in listed["modules"]}["law"] == 1
    assert project.codes() == []


def test_import_as_json_and_github(project: ProjectDir, tmp_path: Path) -> None:
    back = reviewed_copy(project, tmp_path)
    result = runner.invoke(app, ["review", "import", str(project.root), str(back),
                                 "--format", "json", "--no-log"])
    assert result.exit_code == 0, result.output
    item = json.loads(result.stdout)["items"][0]
    assert (item["path"], item["line"], item["column"]) == (LAW, 16, 1)
    assert item["author"] == "Ana Reviewer" and item["suggestion"] == "Cite the article."
    github = runner.invoke(app, ["review", "import", str(project.root), str(back),
                                 "--format", "github", "--no-log"])
    assert github.stdout.startswith(
        f"::notice file={LAW},line=16,col=1,title=Review comment (Ana Reviewer)::")
    assert not (project.root / "reviews").exists()


def test_a_bad_file_is_an_error_naming_it(project: ProjectDir, tmp_path: Path) -> None:
    bad = tmp_path / "review.docx"
    bad.write_text("not a document", encoding="utf-8")
    result = runner.invoke(app, ["review", "import", str(project.root), str(bad)])
    assert result.exit_code == 1
    assert f"error: {bad}: not a Word document (.docx): it is not a ZIP package" in \
        " ".join(result.output.split())


def test_approve_from_the_command_line(project: ProjectDir) -> None:
    result = runner.invoke(app, ["review", "approve", str(project.root), "law",
                                 "--reviewer", "Ana Reviewer", "--date", "2026-12-04"])
    assert result.exit_code == 0, result.output
    assert f"{LAW}: status: approved; reviewers += Ana Reviewer; last_reviewed: 2026-12-04" \
        in result.stdout
    wrong = runner.invoke(app, ["review", "approve", str(project.root), "law",
                                "--reviewer", "Ana", "--date", "4/12/2026"])
    assert wrong.exit_code == 2 and "write the date as YYYY-MM-DD" in wrong.output


def test_every_review_command_has_dash_h() -> None:
    for command in ("export", "import", "approve"):
        short = runner.invoke(app, ["review", command, "-h"])
        assert short.exit_code == 0 and "-h, --help" in short.stdout, short.output


def test_the_review_log_schema_is_printed() -> None:
    result = runner.invoke(app, ["schema", "review-log"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["additionalProperties"] is False and "open_comments" in str(schema)


def tracked_copy(project: ProjectDir, tmp_path: Path) -> Path:
    """A copy where a reviewer replaced the sentence's first run, tracked."""
    from copy import deepcopy

    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    copy = Path(runner.invoke(app, ["review", "export", str(project.root)]).stdout.strip())
    document = Document(str(copy))
    paragraph = next(p for p in document.paragraphs if "offences are set out" in p.text)
    run = paragraph.runs[0]._r
    inserted = deepcopy(run)
    inserted.find(qn("w:t")).text = "The crimes are set out in "
    for kind, element in (("del", run), ("ins", inserted)):
        wrapper = OxmlElement(f"w:{kind}", {qn("w:id"): "7" if kind == "del" else "8",
                                            qn("w:author"): "Rita"})
        if kind == "del":
            run.addprevious(wrapper)
            element.find(qn("w:t")).tag = qn("w:delText")
        else:
            paragraph._p.find(qn("w:del")).addnext(wrapper)
        wrapper.append(element)
    document.save(str(tmp_path / "tracked.docx"))
    return tmp_path / "tracked.docx"


def test_import_apply_prints_what_it_changed(project: ProjectDir, tmp_path: Path) -> None:
    back = tracked_copy(project, tmp_path)
    result = runner.invoke(app, ["review", "import", str(project.root), str(back), "--apply",
                                 "--no-log"])
    assert result.exit_code == 0, result.output
    assert (f'applied {LAW}:16:1: replaced "The offences are set out in " with "The crimes '
            'are set out in "') in result.stdout
    assert "Applied 1 change to 1 file; 0 left to do by hand." in result.stdout
    assert "The crimes are set out in [the Protocol]" in project.read(LAW)
    assert project.codes() == []


def test_import_apply_conflict_exits_1_and_writes_nothing(project: ProjectDir,
                                                         tmp_path: Path) -> None:
    back = tracked_copy(project, tmp_path)
    project.edit(LAW, "The offences are set out in", "Offences are set out in")
    before = project.read(LAW)
    result = runner.invoke(app, ["review", "import", str(project.root), str(back), "--apply",
                                 "--no-log"])
    assert result.exit_code == 1
    assert "is no longer in the source, which changed since the copy was exported; nothing " \
        "was applied" in " ".join(result.output.split())
    assert project.read(LAW) == before


def test_import_of_several_copies_writes_one_log(project: ProjectDir, tmp_path: Path) -> None:
    first = reviewed_copy(project, tmp_path)
    second = tmp_path / "other.docx"
    second.write_bytes(first.read_bytes())
    result = runner.invoke(app, ["review", "import", str(project.root), str(first),
                                 str(second)])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Cite the article.") == 2
    logs = list((project.root / "reviews").glob("*.md"))
    log = read_log(logs[0])
    assert len(logs) == 1 and log is not None and log.files == ["back.docx", "other.docx"]
    assert log.modules[0].open_comments == 2
