"""Editors and the CLI agree: the JSON Schemas give the verdicts ``validate`` gives."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from conftest import LAW, ProjectDir, module_text
from trainkit.schemas.export import KINDS, json_schema

#: (key, as written in the file, as an editor's YAML 1.2 reader reads it, valid?)
CASES: list[tuple[str, str, Any, bool]] = [
    ("duration", "1:30", "1:30", False),      # YAML 1.1 would read 90; both refuse it
    ("duration", "90m", "90m", True),
    ("duration", "1h75m", "1h75m", False),
    ("duration", "0m", "0m", False),
    ("version", "1.10", 1.1, True),           # unquoted: trainkit keeps the text 1.10
    ("version", '"1.2"', "1.2", True),
    ("version", '"1.2.3.4"', "1.2.3.4", False),
]

FRONT = {"id": "law", "title": "The law", "version": "1.0", "status": "draft",
         "summary": "The legal framework.", "duration": "90m", "audiences": ["prosecutors"],
         "learning_objectives": ["Name the offences."], "prerequisites": ["intro"]}


@pytest.mark.parametrize(("key", "written", "read", "valid"), CASES,
                         ids=[f"{c[0]}={c[1]}" for c in CASES])
def test_the_schema_and_validate_agree(project: ProjectDir, key: str, written: str,
                                       read: Any, valid: bool) -> None:
    project.write(LAW, module_text(**{key: written}))
    cli_ok = not [d for d in project.validate() if d.path == LAW]
    validator = jsonschema.Draft202012Validator(json_schema("module"))
    editor_ok = validator.is_valid({**FRONT, key: read})
    assert (cli_ok, editor_ok) == (valid, valid)


@pytest.mark.parametrize("kind", KINDS)
def test_every_schema_has_an_id_and_a_readable_title(kind: str) -> None:
    schema = json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"urn:trainkit:schema:{kind}"
    assert schema["title"].startswith("trainkit ") and " " in schema["title"][9:]


def test_the_editor_guide_covers_every_file_type_and_the_modeline() -> None:
    from conftest import REPOSITORY

    guide = (REPOSITORY / "docs" / "editor-setup.md").read_text(encoding="utf-8")
    for needle in ("trainkit.yaml", "regions/*.yaml", "glossary.yaml", "modules/**/*.md",
                   "modules/<lang>/*.md", "# yaml-language-server: $schema=", *KINDS):
        assert needle in guide, needle
