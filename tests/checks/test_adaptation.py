"""Adaptation fragments are checked like module text, their findings located in them."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conftest import ADDED, LAW, MANIFEST, NORTH, SOUTH, ProjectDir, law_body
from trainkit.cli.app import app
from trainkit.diagnostics import Severity

runner = CliRunner()

SLOT = "::: adapt national-law\nThe generic text.\n:::\n"
GLOSSARY = """terms:
  - id: irregular-migrant
    term:
      en: migrant in an irregular situation
      fr: migrant en situation irrégulière
    avoid:
      en: [illegal migrant]
      fr: [migrant illégal]
"""


def _found(project: ProjectDir, strict: bool = False) -> list[tuple[str, int, int, str, str]]:
    return [(d.path, d.line, d.column, d.code, d.message)
            for d in project.validate(strict=strict)]


def test_a_fragment_file_is_checked_where_it_is(project: ProjectDir) -> None:
    project.write(LAW, law_body(SLOT))
    project.append(NORTH, "adaptations:\n  national-law: law.md\n")
    project.write("regions/north/law.md",
                  "Read [the rules](nowhere.md).\n\n![](map.png)\n\n{{ region.nope }}\n")
    assert _found(project) == [
        ("regions/north/law.md", 1, 6, "TK505",
         "link to `nowhere.md` does not reach a module of this project"),
        ("regions/north/law.md", 3, 1, "TK501", "image `map.png` does not exist"),
        ("regions/north/law.md", 3, 1, "TK503", "image has no alt text"),
        ("regions/north/law.md", 5, 1, "TK406", "unknown variable `region.nope`"),
    ]


def test_a_fragment_links_and_images_are_relative_to_it(project: ProjectDir) -> None:
    project.write(LAW, law_body(SLOT))
    project.append(NORTH, "adaptations:\n  national-law: law.md\n")
    project.write("regions/north/law.md", "See [the law](../../modules/02-law.md#offences).\n\n"
                  "![The map](../../images/map.svg)\n")
    assert _found(project) == []


def test_inline_text_is_located_in_the_region_profile(project: ProjectDir) -> None:
    project.write(LAW, law_body(SLOT))
    project.append(NORTH, "adaptations:\n  national-law: Call {{ region.nope }} now.\n")
    project.append(SOUTH, "adaptations:\n  national-law:\n    en: Call {{ region.hotline }}.\n"
                          "    fr: |\n      Appelez\n      {{ region.nada }}.\n")
    assert _found(project) == [
        (NORTH, 11, 6, "TK406", "unknown variable `region.nope`"),  # column: in the text
        (SOUTH, 11, 1, "TK406", "unknown variable `region.nada`"),
    ]


def test_a_variable_of_a_fragment_must_be_defined_where_it_is_used(
        project: ProjectDir) -> None:
    project.write(LAW, law_body(SLOT))
    project.append(SOUTH, "adaptations:\n  national-law: law.md\n")
    project.write("regions/south/law.md", "Ask {{ region.border_agency }}.\n")
    assert _found(project) == []
    project.write("regions/south/law.md", "Ask {{ region.only_north }}.\n")
    project.edit(NORTH, "variables:\n", "variables:\n  only_north: x\n")
    assert _found(project) == [
        ("regions/south/law.md", 1, 5, "TK406",
         "variable `region.only_north` is not defined for south, where this text appears")]


def test_terminology_of_fragments_and_their_translations(project: ProjectDir) -> None:
    project.write("glossary.yaml", GLOSSARY)
    project.write(LAW, law_body(SLOT))
    project.append(NORTH, "adaptations:\n  national-law: law.md\n")
    project.write("regions/north/law.md", "Text.\n\nAn illegal migrant.\n")
    project.write("regions/north/fr/law.md", "Un migrant illégal.\n")
    assert _found(project) == [
        ("regions/north/fr/law.md", 1, 4, "TK605",
         "`migrant illégal` is a wording to avoid (glossary term `irregular-migrant`)"),
        ("regions/north/law.md", 3, 4, "TK605",
         "`illegal migrant` is a wording to avoid (glossary term `irregular-migrant`)"),
    ]


def test_a_complete_region_makes_missing_slots_and_variables_errors(
        project: ProjectDir) -> None:
    project.write(LAW, law_body("::: adapt national-law\n:::\n"))
    project.append(MANIFEST, "declared_variables:\n  focal_point:\n"
                             "    description: The focal point\n    required: true\n")
    project.append(NORTH, "status: complete\n")
    levels = {(d.code, d.path if d.code == "TK702" else d.message[-7:]): d.level
              for d in project.validate()}
    assert levels == {
        ("TK701", "`north`"): Severity.ERROR, ("TK701", "`south`"): Severity.WARNING,
        ("TK702", NORTH): Severity.ERROR, ("TK702", SOUTH): Severity.WARNING}
    project.append(NORTH, "adaptations:\n  national-law@law: The law of the north.\n")
    project.edit(NORTH, "variables:\n", "variables:\n  focal_point: the ministry\n")
    assert [(d.path, d.code, d.level) for d in project.validate()] == [
        (LAW, "TK701", Severity.WARNING), (SOUTH, "TK702", Severity.WARNING)]
    assert all(d.level is Severity.ERROR for d in project.validate(strict=True))


def test_a_region_without_languages_must_extend_one(project: ProjectDir) -> None:
    project.edit(SOUTH, "languages: [en]\n", "")
    assert _found(project) == [(SOUTH, 1, 1, "TK202", "`languages` is missing")]
    project.append(SOUTH, "extends: north\n")
    assert _found(project) == []
    assert project.validation().valid().regions["south"].languages == ["en", "fr"]


def test_an_adapt_block_with_a_default_is_not_required(project: ProjectDir) -> None:
    project.write(LAW, law_body(SLOT))
    assert _found(project, strict=True) == []
    assert ADDED == 17


def test_a_country_is_checked_for_the_blocks_meant_for_its_region(
        project: ProjectDir) -> None:
    project.write("regions/east.yaml", "name: East\nextends: north\ncountries: [Libya]\n")
    project.write(LAW, law_body("::::: only region=north\n:::: adapt national-law\n"
                                "::: trainer-note Regional content\nAdd the law.\n:::\n"
                                "::::\n:::::\n\n::: except region=north\n"
                                "{{ region.only_south }}\n:::\n"))
    project.edit(SOUTH, "variables:\n", "variables:\n  only_south: x\n")
    assert [(d.code, d.message.rsplit(" ", 1)[1]) for d in project.validate()] == [
        ("TK701", "`east`"), ("TK701", "`north`")]
    result = runner.invoke(app, ["list", str(project.root), "--adaptations", "-f", "json"])
    assert [(r["id"], r["extends"], r["slots"]) for r in json.loads(result.stdout)["regions"]] \
        == [("north", None, {"national-law": "missing"}),
            ("east", "north", {"national-law": "missing"}),
            ("south", None, {"national-law": "n/a"})]


def test_the_schemas_describe_adaptation() -> None:
    region = json.loads(runner.invoke(app, ["schema", "region"]).stdout)["properties"]
    for name in ("extends", "status", "last_reviewed", "adaptations"):
        assert region[name]["description"], name
    assert region["status"]["enum"] == ["draft", "complete"]
    manifest = json.loads(runner.invoke(app, ["schema", "manifest"]).stdout)
    assert "declared_variables" in manifest["properties"]
    declaration = manifest["$defs"]["VariableDeclaration"]["properties"]
    assert set(declaration) == {"description", "required"}
