"""``trainkit init`` makes a project that validates and builds; ``new module`` adds one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trainkit.checks.validate import validate_project
from trainkit.cli.app import app
from trainkit.commands.build import BuildOptions, build_edition
from trainkit.commands.scaffold import ascii_slug, init_project, new_module
from trainkit.errors import UsageError

runner = CliRunner()


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    init_project(tmp_path / "course", "Interviewing Witnesses")
    return tmp_path / "course"


def test_init_writes_the_project_and_its_ecosystem_files(starter: Path) -> None:
    names = {str(p.relative_to(starter)) for p in starter.rglob("*") if p.is_file()}
    assert {"trainkit.yaml", "regions/main.yaml", "glossary.yaml", "modules/01-welcome.md",
            "modules/02-practice.md", ".github/workflows/trainkit.yml",
            ".pre-commit-config.yaml", ".vscode/settings.json", ".gitignore",
            ".vscode/schemas/manifest.json"} <= names
    settings = json.loads((starter / ".vscode/settings.json").read_text(encoding="utf-8"))
    for schema in settings["yaml.schemas"]:
        assert (starter / schema).is_file(), schema
    workflow = (starter / ".github/workflows/trainkit.yml").read_text(encoding="utf-8")
    assert "trainkit validate --strict --format github" in workflow
    assert "pip install trainkit-manuals" in workflow
    assert '"Interviewing Witnesses"' in (starter / "trainkit.yaml").read_text(encoding="utf-8")


def test_init_output_validates_strictly(starter: Path) -> None:
    result = validate_project(starter, strict=True, use_cache=False)
    assert result.diagnostics == []


def test_the_two_modules_show_every_block_type(starter: Path) -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in (starter / "modules").glob("*.md"))
    for block in ("case-study", "exercise", "trainer-note", "key-points", "question",
                  "answer", "only", "except"):
        assert f"::: {block}" in text, block
    for feature in ("[^", "| ", "![", "{{ region.", "> ", "](02-practice.md)"):
        assert feature in text, feature


def test_init_output_builds_html(starter: Path) -> None:
    result = build_edition(starter, BuildOptions(formats=("html",), edition="participant"))
    assert result.ok and result.files
    html = result.files[0].path.read_text(encoding="utf-8")
    assert "Sorting the facts" in html and "Welcome the participants" not in html


@pytest.mark.slow
def test_init_output_builds_a_pdf(starter: Path) -> None:
    result = build_edition(starter, BuildOptions(formats=("pdf",)))
    assert result.ok
    assert result.files[0].path.read_bytes().startswith(b"%PDF")


def test_init_refuses_a_project_and_never_overwrites(starter: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="already exists"):
        init_project(starter)
    other = tmp_path / "other"
    (other / "modules").mkdir(parents=True)
    (other / "modules/01-welcome.md").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="overwrite"):
        init_project(other)
    assert (other / "modules/01-welcome.md").read_text(encoding="utf-8") == "mine"


def test_init_and_new_module_on_the_command_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "c"), "--title", "Café training"])
    assert result.exit_code == 0, result.output
    assert "trainkit validate" in result.stdout
    result = runner.invoke(app, ["new", "module", "Taking statements", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert "03-taking-statements.md" in result.stdout
    assert validate_project(tmp_path / "c", strict=True, use_cache=False).diagnostics == []


def test_ascii_slug() -> None:
    assert ascii_slug("Café & Co: Taking Statements!") == "cafe-co-taking-statements"


def _inserted(before: str, after: str) -> list[str]:
    """The lines of ``after`` that are not in ``before``, checking the rest is unchanged."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(new) == len(old) + 1
    index = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), len(old))
    assert new[:index] + new[index + 1:] == old
    return [new[index]]


def test_new_module_keeps_the_manifest_byte_for_byte(starter: Path) -> None:
    manifest = starter / "trainkit.yaml"
    before = manifest.read_bytes().decode("utf-8")
    made = new_module(starter, "Taking statements")
    after = manifest.read_bytes().decode("utf-8")
    assert _inserted(before, after) == ["  - modules/03-taking-statements.md\n"]
    assert after.splitlines()[made.manifest_line - 1] == "  - modules/03-taking-statements.md"
    front = made.path.read_text(encoding="utf-8")
    for key in ("id: taking-statements", 'title: "Taking statements"', "version:", "status:",
                "summary:", "duration:", "audiences: [practitioners]",
                "learning_objectives:", "prerequisites:", "keywords:", "authors:"):
        assert key in front, key
    assert validate_project(starter, strict=True, use_cache=False).diagnostics == []


MANIFEST_WITH_PARTS = """\
title: Course   # the title
version: "1.0"
modules:
    # the first part
    -   part: Basics
        modules:
            - intro.md   # first
            # a comment inside the part

    # comment about audiences, kept above them
audiences: {a: A}
"""


def test_new_module_after_a_part_keeps_comments_and_indentation(tmp_path: Path) -> None:
    (tmp_path / "trainkit.yaml").write_bytes(MANIFEST_WITH_PARTS.encode())
    new_module(tmp_path, "Second one")
    after = (tmp_path / "trainkit.yaml").read_bytes().decode()
    assert _inserted(MANIFEST_WITH_PARTS, after) == ["    - modules/second-one.md\n"]
    assert after.index("second-one") < after.index("# comment about audiences")
    assert after.index("second-one") > after.index("# a comment inside the part")


def test_new_module_keeps_crlf_line_ends(tmp_path: Path) -> None:
    text = 'title: C\r\nversion: "1"\r\nmodules:\r\n- a.md\r\naudiences: {a: A}'
    (tmp_path / "trainkit.yaml").write_bytes(text.encode())
    new_module(tmp_path, "B")
    after = (tmp_path / "trainkit.yaml").read_bytes().decode()
    assert after == text.replace("- a.md\r\n", "- a.md\r\n- modules/b.md\r\n")


def test_new_module_refuses_a_flow_list(tmp_path: Path) -> None:
    (tmp_path / "trainkit.yaml").write_text("title: C\nmodules: [a.md]\n", encoding="utf-8")
    with pytest.raises(UsageError, match="by hand"):
        new_module(tmp_path, "B")
    assert not (tmp_path / "modules").exists()
