"""Every diagnostic code, triggered from a small project, with its exact position.

Each case spoils the valid baseline (``tests/roots/valid``) in one way and lists *every*
finding the project then has: path, line, column, code and a stable part of the message.
Front-matter problems are put in ``modules/regional/north-extra.md`` because nothing refers
to that module's id, so a broken front-matter there has no knock-on findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Union

import pytest

from conftest import (
    ADDED, EXTRA, INTRO, LAW, MANIFEST, NORTH, REPOSITORY, SOUTH, VALID, ProjectDir,
    baseline_files, copy_root, law_body, module_text, png, sub,
)
from trainkit.diagnostics import CODES, Diagnostic, Severity
from trainkit.checks.validate import validate_project

Change = Union[str, bytes, None, Callable[[str], str]]
Expected = tuple[str, int, int, str, str]


def extra(body: str = "## Routes\n\nText.\n", **fields: str | None) -> str:
    """``north-extra.md`` with front-matter ``fields`` overridden (same line layout)."""
    fields.setdefault("id", "north-extra")
    fields.setdefault("prerequisites", "[intro]")
    return module_text(body, **fields)  # type: ignore[arg-type]  # None drops a field


def apply(project: ProjectDir, changes: dict[str, Change]) -> None:
    for relative, change in changes.items():
        if change is None:
            project.remove(relative)
        elif callable(change):
            project.write(relative, change(project.read(relative)))
        else:
            project.write(relative, change)


FR_LAW = "modules/fr/02-law.md"
GLOSSARY = "glossary.yaml"
GLOSSARY_TEXT = """terms:
  - id: irregular-migrant
    term:
      en: migrant in an irregular situation
      fr: migrant en situation irrégulière
    avoid:
      en: [illegal migrant]
"""


def translation(of: str = "law", objectives: str = "[Nommer les infractions.]") -> str:
    """A French translation of ``modules/02-law.md``."""
    return (f"---\ntranslation_of: {of}\nsource_version: \"1.0\"\ntitle: Le droit\n"
            f"learning_objectives: {objectives}\nsummary: Le cadre juridique.\n"
            "status: draft\n---\n\n## Infractions\n\nLes infractions du Protocole.\n")

REQUIRED_VARIABLE = ("declared_variables:\n  focal_point:\n"
                     "    description: The national focal point\n    required: true\n")
DEFAULT_SLOT = "::: adapt national-law\nThe generic text.\n:::\n"
ADAPT = "adaptations:\n"
LAW_FILE = "regions/north/national-law.yaml"


def law_entry(country: str = "Algeria", checked: str = "2026-12-05",
              extra: str = "    sources: [https://example.org/law]\n") -> str:
    """A national law file with one entry; its keys are on lines 2, 3, 4..."""
    return f"countries:\n  - country: {country}\n    last_checked: {checked}\n{extra}"



CASES = [
    # -- TK0xx: reading files --------------------------------------------------------------
    pytest.param(
        {EXTRA: b"---\nid: north-extra\ntitle: Caf\xe9\n---\n"},
        [(EXTRA, 3, 11, "TK001", "the file is not UTF-8 text")], id="TK001-not-utf8"),
    pytest.param(
        {EXTRA: "---\n" + "x" * (2 * 1024 * 1024) + "\n"},
        [(EXTRA, 1, 1, "TK001", "the file is larger than 2 MiB")], id="TK001-too-large"),
    pytest.param(
        {SOUTH: b"name: S\xf6d\nlanguages: [en]\n"},
        [(SOUTH, 1, 8, "TK001", "not UTF-8")], id="TK001-region-not-utf8"),
    # -- TK1xx: YAML -----------------------------------------------------------------------
    pytest.param(
        {EXTRA: extra(title="[unclosed")},
        [(EXTRA, 3, 8, "TK101", "`[` is never closed")], id="TK101-syntax"),  # where it opens
    pytest.param(
        {EXTRA: "---\nid: north-extra\nkeywords:\n\t- routes\n---\n"},
        [(EXTRA, 4, 1, "TK101", "a tab is used for indentation")], id="TK101-tab"),
    pytest.param(
        {EXTRA: extra(title="Evidence: what counts")},
        [(EXTRA, 3, 16, "TK101", "a colon followed by a space inside an unquoted value")],
        id="TK101-colon-in-title"),
    pytest.param(
        {MANIFEST: sub("title: Test manual", "title: [Test manual")},
        [(MANIFEST, 1, 8, "TK101", "`[` is never closed")],
        id="TK101-manifest"),
    pytest.param(
        {EXTRA: extra(extra="title: Again")},
        [(EXTRA, 11, 1, "TK102", "key `title` is given twice")], id="TK102-front-matter"),
    pytest.param(
        {SOUTH: sub("name: South\n", "name: South\nname: Sud\n")},
        [(SOUTH, 2, 1, "TK102", "key `name` is given twice")], id="TK102-region"),
    pytest.param(
        {EXTRA: extra(title='!!python/object/apply:os.system ["id"]')},
        [(EXTRA, 3, 8, "TK103", "tag tag:yaml.org,2002:python/object/apply:os.system")],
        id="TK103-tag"),
    pytest.param(
        {EXTRA: extra(extra="keywords: [&a routes, *a]")},
        [(EXTRA, 11, 12, "TK103", "anchor &a is not allowed")], id="TK103-anchor"),
    pytest.param(
        {EXTRA: extra(extra="keywords: [routes, *a]")},
        [(EXTRA, 11, 20, "TK103", "alias *a is not allowed")], id="TK103-alias"),
    pytest.param(
        {EXTRA: "## Routes\n\nNo front-matter.\n"},
        [(EXTRA, 1, 1, "TK104", "the module has no front-matter")], id="TK104-missing"),
    pytest.param(
        {EXTRA: "---\nid: north-extra\ntitle: Northern routes\n\n## Routes\n"},
        [(EXTRA, 1, 1, "TK104", "the front-matter is never closed")], id="TK104-unclosed"),
    pytest.param(
        {EXTRA: "---\n- id\n- title\n---\n\n## Routes\n\nText.\n"},
        [(EXTRA, 1, 1, "TK105", "the front-matter is a list")], id="TK105-list"),
    pytest.param(
        {EXTRA: "---\nNorthern routes\n---\n\n## Routes\n\nText.\n"},
        [(EXTRA, 1, 1, "TK105", "the front-matter is a single value")], id="TK105-scalar"),
    pytest.param(
        {EXTRA: "---\n---\n\n## Routes\n\nText.\n"},
        [(EXTRA, 1, 1, "TK105", "the front-matter is empty")], id="TK105-empty"),
    pytest.param(
        {MANIFEST: "- modules/01-intro.md\n"},
        [(MANIFEST, 1, 1, "TK105", "trainkit.yaml must be a mapping")], id="TK105-manifest"),
    pytest.param(
        {EXTRA: extra(extra="keywords: " + "[" * 500 + "]" * 500)},
        [(EXTRA, 11, 30, "TK106", "nested more than 20 levels deep")], id="TK106-deep"),
    pytest.param(
        {EXTRA: extra(extra="keywords: [" + ", ".join(["routes"] * 10_000) + "]")},
        [(EXTRA, 2, 1, "TK106", "larger than 64 KiB")], id="TK106-large"),
    # -- TK2xx: schema ---------------------------------------------------------------------
    pytest.param(
        {EXTRA: extra(extra="ttle: Routes")},
        [(EXTRA, 11, 1, "TK201", "unknown key `ttle`")], id="TK201-module"),
    pytest.param(
        {MANIFEST: sub("  edition: trainer\n", "  edition: trainer\n  formt: [pdf]\n")},
        [(MANIFEST, 26, 3, "TK201", "unknown key `formt`")], id="TK201-manifest-nested"),
    pytest.param(
        {EXTRA: extra(summary=None)},
        [(EXTRA, 2, 1, "TK202", "required key `summary` is missing")], id="TK202-module"),
    pytest.param(
        {NORTH: sub("  - file: modules/regional/north-extra.md\n", "  - nothing: here\n")},
        [(EXTRA, 1, 1, "TK305", "no manifest entry or region profile includes this module"),
         (NORTH, 8, 5, "TK201", "unknown key `nothing`"),
         (NORTH, 8, 5, "TK202", "required key `file` is missing in `add_modules.0`")],
        id="TK202-region-nested"),
    pytest.param(
        {MANIFEST: sub("  - part: Basics\n    modules:", "  - modules:")},
        [(MANIFEST, 6, 5, "TK202", "required key `part` is missing in `modules.0`")],
        id="TK202-part-title"),
    pytest.param(
        {MANIFEST: sub("      - modules/01-intro.md", "      - ''")},
        [(MANIFEST, 8, 9, "TK203", "`modules.0.modules.0` must not be empty")],
        id="TK203-empty-entry-in-a-part"),
    pytest.param(
        {EXTRA: extra(status="final")},
        [(EXTRA, 5, 9, "TK203", "`status` is `final`, which is not one of")],
        id="TK203-enum"),
    pytest.param(
        {EXTRA: extra(audiences="police")},
        [(EXTRA, 8, 12, "TK203", "`audiences` must be a list, not `police`")],
        id="TK203-not-a-list"),
    pytest.param(
        {EXTRA: extra(id="../../x")},
        [(EXTRA, 2, 5, "TK203", "`id` is `../../x`, which is not allowed here")],
        id="TK203-id-not-a-slug"),
    pytest.param(
        {SOUTH: sub("languages: [en]", "languages: [en, French]")},
        [(SOUTH, 3, 17, "TK203", "`languages.1` is `French`")], id="TK203-region-language"),
    pytest.param(
        {EXTRA: extra(duration="1:30")},
        [(EXTRA, 7, 11, "TK204", "`1:30` is not a duration; write it like 90m, 2h or 1h30m")],
        id="TK204-sexagesimal"),
    pytest.param(
        {EXTRA: extra(duration="2h75m")},
        [(EXTRA, 7, 11, "TK204", "has 75 minutes after the hours")], id="TK204-minutes"),
    pytest.param(
        {EXTRA: extra(extra="last_reviewed: 2024-13-45")},
        [(EXTRA, 11, 16, "TK205", "`last_reviewed` is `2024-13-45`, which is not a real date")],
        id="TK205-impossible-date"),
    # -- TK3xx: project structure ----------------------------------------------------------
    pytest.param(
        {"modules/03-copy.md": module_text(prerequisites=None),
         MANIFEST: sub("  - modules/02-law.md\n",
                       "  - modules/02-law.md\n  - modules/03-copy.md\n")},
        [("modules/03-copy.md", 2, 5, "TK301",
          "module id `law` is already used by modules/02-law.md")], id="TK301"),
    pytest.param(
        {LAW: module_text(prerequisites="[intro, missing-one]")},
        [(LAW, 10, 24, "TK302", "prerequisite `missing-one` names no module")], id="TK302"),
    pytest.param(
        {LAW: module_text(prerequisites="[intro, law]")},
        [(LAW, 10, 24, "TK303", "prerequisites form a cycle: law -> law")], id="TK303-self"),
    pytest.param(
        {INTRO: sub("last_reviewed:", "prerequisites: [law]\nlast_reviewed:")},
        [(INTRO, 14, 17, "TK303", "prerequisites form a cycle: intro -> law -> intro")],
        id="TK303-two-modules"),
    pytest.param(
        {MANIFEST: sub("  - modules/02-law.md", "  - modules/02-lwa.md")},
        [(LAW, 1, 1, "TK305", "no manifest entry or region profile includes this module"),
         (MANIFEST, 9, 5, "TK304", "module file `modules/02-lwa.md` does not exist")],
        id="TK304-manifest"),
    pytest.param(
        {NORTH: sub("file: modules/regional/north-extra.md", "file: modules/regional/gone.md")},
        [(EXTRA, 1, 1, "TK305", "no manifest entry or region profile includes this module"),
         (NORTH, 8, 11, "TK304", "module file `modules/regional/gone.md` does not exist")],
        id="TK304-region"),
    pytest.param(
        {"modules/99-orphan.md": module_text(id="orphan", prerequisites=None)},
        [("modules/99-orphan.md", 1, 1, "TK305",
          "no manifest entry or region profile includes this module")], id="TK305"),
    pytest.param(
        {EXTRA: extra(extra="regions: [north, nowhere]")},
        [(EXTRA, 11, 18, "TK306", "unknown region `nowhere`")], id="TK306"),
    pytest.param(
        {EXTRA: extra(audiences="[police, judges]")},
        [(EXTRA, 8, 21, "TK307", "unknown audience `judges`")], id="TK307"),
    pytest.param(
        {EXTRA: extra(extra='legal_references:\n  - instrument: protocl\n    article: "6"')},
        [(EXTRA, 12, 17, "TK308", "unknown legal instrument `protocl`")], id="TK308"),
    pytest.param(
        {MANIFEST: sub("  - modules/02-law.md\n",
                       "  - modules/02-law.md\n  - modules/01-intro.md\n")},
        [(MANIFEST, 10, 5, "TK309", "`modules/01-intro.md` is listed twice")], id="TK309"),
    pytest.param(
        {NORTH: sub("after: law", "after: lwa")},
        [(NORTH, 9, 12, "TK310", "no module has the id `lwa`")], id="TK310-after"),
    pytest.param(
        {SOUTH: lambda text: text + "omit_modules: [intro, nothing]\n"},
        [(SOUTH, 6, 23, "TK310", "no module has the id `nothing`")], id="TK310-omit"),
    pytest.param(
        {MANIFEST: sub("  edition: trainer", "  edition: trainr")},
        [(MANIFEST, 25, 12, "TK311", "default edition `trainr` is not defined")],
        id="TK311-default-edition"),
    pytest.param(
        {MANIFEST: sub("  region: north", "  region: west")},
        [(MANIFEST, 24, 11, "TK312", "default region `west` has no profile in regions/")],
        id="TK312-default-region"),
    pytest.param(
        {MANIFEST: sub("  edition: trainer\n", "  edition: trainer\n  out_dir: ../escaped\n")},
        [(MANIFEST, 26, 12, "TK313", "the output folder `../escaped` is outside the project")],
        id="TK313-out-dir"),
    # -- TK32x: the manifest's theme (more cases in test_theme.py) ---------------------------
    pytest.param(
        {MANIFEST: lambda text: text + "theme:\n  logo: images/logo.png\n"},
        [(MANIFEST, 28, 9, "TK320", "theme logo `images/logo.png` does not exist")],
        id="TK320-missing-logo"),
    pytest.param(
        {MANIFEST: lambda text: text + "theme:\n  logo: ../logo.png\n"},
        [(MANIFEST, 28, 9, "TK321", "theme logo `../logo.png` points outside the project")],
        id="TK321-outside"),
    pytest.param(
        {MANIFEST: lambda text: text + "theme:\n  colors:\n    headings: blu\n"},
        [(MANIFEST, 29, 15, "TK322", "theme colour `headings` is `blu`, which is not a CSS "
                                     "colour")],
        id="TK322-colour"),
    pytest.param(
        {MANIFEST: lambda text: text + "theme:\n  fonts:\n    body:\n      family: X\n"
                                       "      file: fonts/x.ttf\n",
         "fonts/x.ttf": "not a font"},
        [(MANIFEST, 31, 13, "TK323", "theme body font `fonts/x.ttf` is not a TrueType, "
                                     "OpenType or WOFF2 font")],
        id="TK323-not-a-font"),
    pytest.param(
        {MANIFEST: lambda text: text + "theme:\n  fonts:\n    body:\n"
                                       "      family: No Such Family Anywhere\n"},
        [(MANIFEST, 30, 15, "TK324", "font family `No Such Family Anywhere` has no file in "
                                     "the theme and is not installed")],
        id="TK324-family"),
    pytest.param(
        {MANIFEST: lambda text: text + "theme:\n  css: theme.css\n",
         "theme.css": "h1 { color: red; }\nbody { background: url(bg.png); }\n"},
        [("theme.css", 2, 20, "TK325", "the theme stylesheet uses url()")],
        id="TK325-url"),
    pytest.param(
        {"modules/notes.md/.keep": ""},
        [("modules/notes.md", 1, 1, "TK314", "`modules/notes.md` is a folder, not a module")],
        id="TK314-folder"),
    pytest.param(
        {LAW: law_body("## Ev\u202eidence\n\nText.\n")},
        [(LAW, ADDED, 6, "TK510", "bidirectional control character U+202E")], id="TK510"),
    pytest.param(
        {EXTRA: sub("id: north-extra", "id: nor\u202eth-extra")},
        [(EXTRA, 2, 5, "TK511", "`id` contains the invisible bidirectional control")],
        id="TK511-id"),
    pytest.param(
        {LAW: law_body("![A map](../images/bad.svg)\n"),
         "images/bad.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>\n'},
        [(LAW, ADDED, 1, "TK512", "image `../images/bad.svg` holds a script")], id="TK512"),
    # -- TK4xx: module bodies --------------------------------------------------------------
    pytest.param(
        {LAW: law_body("::: case-stuy A case\nText.\n:::\n")},
        [(LAW, ADDED, 5, "TK401", "unknown block `case-stuy`")], id="TK401-unknown"),
    pytest.param(
        {LAW: law_body(":::\nText.\n:::\n")},
        [(LAW, ADDED, 1, "TK401", "a `:::` fence that names no block")], id="TK401-no-name"),
    pytest.param(
        {LAW: law_body("::: exercise Role play\nText.\n")},
        [(LAW, ADDED, 1, "TK402", "block `exercise` is never closed")], id="TK402"),
    pytest.param(
        {LAW: law_body("A paragraph.\n\n::: answer\nArticle 5.\n:::\n")},
        [(LAW, ADDED + 2, 1, "TK403", "an answer block that does not follow a question block")],
        id="TK403"),
    pytest.param(
        {LAW: law_body("::: only regoin=north\nText.\n:::\n")},
        [(LAW, ADDED, 10, "TK404", "`regoin=north` is not a condition")],
        id="TK404-bad-condition"),
    pytest.param(
        {LAW: law_body("::: except\nText.\n:::\n")},
        [(LAW, ADDED, 1, "TK404", "`except` block without a condition")],
        id="TK404-no-condition"),
    pytest.param(
        {LAW: law_body("::: only region=north,nowhere\nText.\n:::\n")},
        [(LAW, ADDED, 10, "TK405", "unknown region `nowhere` in a conditional block")],
        id="TK405-region"),
    pytest.param(
        {LAW: law_body("::: except edition=trainr\nText.\n:::\n")},
        [(LAW, ADDED, 12, "TK405", "unknown edition `trainr` in a conditional block")],
        id="TK405-edition"),
    pytest.param(
        {LAW: law_body("::: only region=south audience=judges\nText.\n:::\n")},
        [(LAW, ADDED, 23, "TK405", "unknown audience `judges` in a conditional block")],
        id="TK405-audience"),
    pytest.param(
        {LAW: law_body("Call {{ region.hotlin }} today.\n")},
        [(LAW, ADDED, 6, "TK406", "unknown variable `region.hotlin`")], id="TK406-unknown"),
    pytest.param(
        {NORTH: sub("  border_agency: the border police\n",
                    "  border_agency: the border police\n  coast: the coast guard\n"),
         LAW: law_body("Ask {{ region.coast }}.\n")},
        [(LAW, ADDED, 5, "TK406", "variable `region.coast` is not defined for south")],
        id="TK406-missing-in-a-region"),
    pytest.param(
        {LAW: law_body("## Empty\n\n## Next\n\nText.\n")},
        [(LAW, ADDED, 1, "TK407", 'section "Empty" is empty')], id="TK407"),
    pytest.param(
        {LAW: law_body("# The law\n\nText.\n")},
        [(LAW, ADDED, 1, "TK408", "a level-1 heading in the module body")], id="TK408"),
    pytest.param(
        {LAW: law_body("::: key-points\n:::\n")},
        [(LAW, ADDED, 1, "TK409", "block `key-points` is empty")], id="TK409"),
    # -- TK5xx: references and text --------------------------------------------------------
    pytest.param(
        {LAW: law_body("![A map](../images/none.png)\n")},
        [(LAW, ADDED, 1, "TK501", "image `../images/none.png` does not exist")], id="TK501"),
    pytest.param(
        {LAW: law_body("![A map](../../secret.png)\n")},
        [(LAW, ADDED, 1, "TK502", "image `../../secret.png` points outside the project folder")],
        id="TK502-image-outside"),
    pytest.param(
        {MANIFEST: sub("  - modules/02-law.md", "  - ../02-law.md")},
        [(LAW, 1, 1, "TK305", "no manifest entry or region profile includes this module"),
         (MANIFEST, 9, 5, "TK502", "module file `../02-law.md` points outside the project")],
        id="TK502-manifest-outside"),
    pytest.param(
        {LAW: law_body("Text ![](../images/map.svg).\n")},
        [(LAW, ADDED, 6, "TK503", "image has no alt text")], id="TK503"),
    pytest.param(
        {LAW: law_body("![A map](../images/fake.png)\n"), "images/fake.png": b"not a PNG\n"},
        [(LAW, ADDED, 1, "TK504", "the file is not a PNG, JPEG, GIF or SVG image")],
        id="TK504-not-an-image"),
    pytest.param(
        {LAW: law_body("![A map](../images/huge.png)\n"), "images/huge.png": png(12000, 12000)},
        [(LAW, ADDED, 1, "TK504", "the image is 12000x12000 pixels")], id="TK504-too-big"),
    pytest.param(
        {LAW: law_body("See [the routes](03-routes.md).\n")},
        [(LAW, ADDED, 5, "TK505", "link to `03-routes.md` does not reach a module")],
        id="TK505-missing-module"),
    pytest.param(
        {LAW: law_body("See [the notes](notes.txt).\n")},
        [(LAW, ADDED, 5, "TK505", "link target `notes.txt` is not a module")],
        id="TK505-not-a-module"),
    pytest.param(
        {LAW: law_body("Do not [click](javascript:alert(1)).\n")},
        [(LAW, ADDED, 8, "TK506", "links to `javascript:` addresses are not allowed")],
        id="TK506"),
    pytest.param(
        {LAW: law_body("See [the basics](01-intro.md#basics).\n")},
        [(LAW, ADDED, 5, "TK507", "`modules/01-intro.md` has no section `#basics`")],
        id="TK507"),
    pytest.param(
        {LAW: law_body("Some <script>alert(1)</script> text.\n")},
        [(LAW, ADDED, 6, "TK508", "raw HTML `<script>` is printed as text, not interpreted")],
        id="TK508"),
    pytest.param(
        {LAW: law_body("A bell\a rings.\n")},
        [(LAW, ADDED, 7, "TK509", "control character U+0007 in the text is removed")],
        id="TK509"),
    # -- TK6xx: languages, translations, terminology ---------------------------------------
    pytest.param(
        {LAW: sub('version: "1.0"', 'version: "1.1"'), FR_LAW: translation()},
        [(FR_LAW, 3, 17, "TK601", "follows version 1.0 of `law`, which is now at version 1.1")],
        id="TK601"),
    pytest.param(
        {FR_LAW: translation(of="lwa")},
        [(FR_LAW, 2, 17, "TK602", "`lwa` is not the id of a module")], id="TK602"),
    pytest.param(
        {SOUTH: sub("languages: [en]", "languages: [en, ar]")},
        [(SOUTH, 3, 17, "TK603", "language `ar` is not one of the manifest's languages")],
        id="TK603"),
    pytest.param(
        {FR_LAW: translation(), GLOSSARY: GLOSSARY_TEXT,
         LAW: law_body("Never say illegal migrant.\n")},
        [(LAW, ADDED, 11, "TK605", "`illegal migrant` is a wording to avoid")], id="TK605"),
    pytest.param(
        {FR_LAW: translation(objectives="[Un, Deux]")},
        [(FR_LAW, 5, 22, "TK606", "2 learning objectives, but the source module has 1")],
        id="TK606"),
    pytest.param(
        {GLOSSARY: GLOSSARY_TEXT.replace("      fr: migrant en situation irrégulière\n", "")},
        [(GLOSSARY, 4, 7, "TK607", "term `irregular-migrant` has no wording in fr")],
        id="TK607"),
    pytest.param(
        {MANIFEST: sub("languages: [fr]", "languages: [fr, es]")},
        [(MANIFEST, 26, 17, "TK608", "trainkit has no words for language `es`")], id="TK608"),
    pytest.param(
        {"labels/fr.yaml": "contents: Sommaire\nhours-minutes: '{h} h'\n"},
        [("labels/fr.yaml", 2, 16, "TK609", "label `hours-minutes` must hold the fields {h}, {m}")],
        id="TK609"),
    # -- TK7xx: regional adaptation ----------------------------------------------------------
    pytest.param(
        {LAW: law_body("::: adapt national-law\n:::\n")},
        [(LAW, ADDED, 1, "TK701",
          "slot `national-law` has no default text and is not adapted for `north`"),
         (LAW, ADDED, 1, "TK701",
          "slot `national-law` has no default text and is not adapted for `south`")],
        id="TK701"),
    pytest.param(
        {MANIFEST: lambda text: text + REQUIRED_VARIABLE},
        [(NORTH, 5, 3, "TK702", "required variable `focal_point` is not set for `north`"),
         (SOUTH, 5, 3, "TK702", "required variable `focal_point` is not set for `south`")],
        id="TK702"),
    pytest.param(
        {LAW: law_body(DEFAULT_SLOT), NORTH: lambda text: text + ADAPT + "  national-lwa: X.\n"},
        [(NORTH, 11, 3, "TK703", "no module has an adaptation slot `national-lwa`")],
        id="TK703-unknown-slot"),
    pytest.param(
        {LAW: law_body(DEFAULT_SLOT),
         NORTH: lambda text: text + ADAPT + "  national-law@intro: X.\n"},
        [(NORTH, 11, 3, "TK703", "module `intro` has no adaptation slot `national-law`")],
        id="TK703-wrong-module"),
    pytest.param(
        {LAW: law_body(DEFAULT_SLOT),
         NORTH: lambda text: text + ADAPT + "  national-law: missing.md\n"},
        [(NORTH, 11, 17, "TK704", "adaptation `national-law`: fragment file `missing.md` "
                                  "does not exist")],
        id="TK704"),
    pytest.param(
        {SOUTH: lambda text: text + "extends: nowhere\n"},
        [(SOUTH, 6, 10, "TK705", "region `south` extends `nowhere`, which is not a region")],
        id="TK705-unknown-parent"),
    pytest.param(
        {SOUTH: lambda text: text + "extends: north\n",
         NORTH: lambda text: text + "extends: south\n"},
        [(NORTH, 10, 10, "TK705", "regions extend each other in a cycle: north -> south -> "
                                  "north"),
         (SOUTH, 6, 10, "TK705", "regions extend each other in a cycle: south -> north -> "
                                 "south")],
        id="TK705-cycle"),
    pytest.param(
        {LAW_FILE: "countries: Algeria\n"},
        [(LAW_FILE, 1, 12, "TK720", "`countries` must be a list, not `Algeria`")],
        id="TK720"),
    pytest.param(
        {LAW_FILE: law_entry(extra="    sources: [https://example.org/law]\n    penalties: 5 years\n")},
        [(LAW_FILE, 5, 5, "TK721", "unknown key `penalties`")], id="TK721"),
    pytest.param(
        {LAW_FILE: law_entry(extra="")},
        [(LAW_FILE, 2, 5, "TK722", "required key `sources` is missing in `countries.0`")],
        id="TK722-missing"),
    pytest.param(
        {LAW_FILE: law_entry(extra="    sources: []\n")},
        [(LAW_FILE, 4, 14, "TK722", "`countries.0.sources` is empty")], id="TK722-empty"),
    pytest.param(
        {LAW_FILE: law_entry(checked="2026-02-30")},
        [(LAW_FILE, 3, 19, "TK723", "`countries.0.last_checked` is `2026-02-30`, which is not "
                                    "a real date")], id="TK723"),
    pytest.param(
        {LAW_FILE: law_entry(country="Tunisia")},
        [(LAW_FILE, 2, 14, "TK724", "`Tunisia` is not one of the countries of region `north`")],
        id="TK724"),
    pytest.param(
        {LAW_FILE: law_entry() + law_entry().removeprefix("countries:\n")},
        [(LAW_FILE, 5, 14, "TK725", "`Algeria` has a second entry (the first is on line 2)")],
        id="TK725"),
    pytest.param(
        {LAW_FILE: law_entry(extra="    sources: [www.example.org]\n")},
        [(LAW_FILE, 4, 15, "TK726", "source `www.example.org` is not a web address")],
        id="TK726"),
    pytest.param(
        {"regions/nowhere/national-law.yaml": law_entry()},
        [("regions/nowhere/national-law.yaml", 1, 1, "TK727",
          "there is no region `nowhere`, so this national law file is not used")],
        id="TK727"),
    pytest.param(
        {LAW_FILE: law_entry(extra="    penalty: Five years.\n    localized:\n"
                                   "      de: {penalty: Fünf Jahre.}\n"
                                   "    sources: [https://example.org/law]\n")},
        [(LAW_FILE, 6, 7, "TK728", "`de` is not a language of region `north` other than "
                                   "English, so this translation is never printed")],
        id="TK728"),
    pytest.param(
        {LAW_FILE: law_entry(extra="    localized:\n      fr:\n        penalty: Cinq ans.\n"
                                   "    sources: [https://example.org/law]\n")},
        [(LAW_FILE, 6, 9, "TK729", "`penalty` is translated into `fr` but the English entry "
                                   "does not give it")],
        id="TK729"),
    pytest.param(
        {LAW_FILE: law_entry(extra="    penalty: Five years.\n    localized:\n"
                                   "      fr: {penalties: Cinq ans.}\n"
                                   "    sources: [https://example.org/law]\n")},
        [(LAW_FILE, 6, 12, "TK721", "unknown key `penalties`")], id="TK721-localized"),
    pytest.param(
        {LAW: law_body("::: adapt National Law\nText.\n:::\n")},
        [(LAW, ADDED, 1, "TK706", "`adapt` block with no valid slot id (`National Law`)")],
        id="TK706"),
]

#: Codes only a build reports (a module without a translation): see test_multilingual.py.
#: Codes a build reports, tested elsewhere: TK604 by the assembly tests, the layout codes
#: of the preflight by tests/writers/pdf/test_preflight.py.
BUILD_ONLY_CODES = {"TK604", "TK707", "TK708", "TK709", "TK710", "TK711", "TK712", "TK713",
                    "TK714", "TK715"}
#: Typed-question codes, each with its own case in tests/assessment/test_diagnostics.py.
ASSESSMENT_CODES = {f"TK{number}" for number in range(801, 820)}


def _expected_codes() -> set[str]:
    return {expected[3] for case in CASES
            for expected in case.values[1]}  # type: ignore[union-attr]


@pytest.mark.parametrize(("changes", "expected"), CASES)
def test_code_is_reported_at_its_position(
        project: ProjectDir, changes: dict[str, Change], expected: list[Expected]) -> None:
    apply(project, changes)
    found = project.validate()
    assert [(d.path, d.line, d.column, d.code) for d in found] == [e[:4] for e in expected]
    for finding, (*_, fragment) in zip(found, expected):
        assert fragment in finding.message
        assert finding.level is CODES[finding.code].severity


def test_every_code_has_a_case() -> None:
    assert _expected_codes() | BUILD_ONLY_CODES | ASSESSMENT_CODES == set(CODES)


def test_baseline_is_clean() -> None:
    for strict in (False, True):
        result = validate_project(VALID, strict=strict, use_cache=False)
        assert result.diagnostics == []
        assert result.ok


def test_baseline_copy_is_clean(project: ProjectDir) -> None:
    assert project.validate() == []
    assert project.validate(strict=True) == []


# -- hints --------------------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "code", "hint"), [
    pytest.param({EXTRA: extra(extra="ttle: Routes")}, "TK201", "did you mean `title`?",
                 id="misspelt-key"),
    pytest.param({EXTRA: extra(extra="colour: red")}, "TK201", "known keys: id, title,",
                 id="unknown-key-lists-keys"),
    pytest.param({EXTRA: extra(title="Evidence: what counts")}, "TK101",
                 'title: "Evidence: what counts"', id="colon-quote"),
    pytest.param({EXTRA: extra(extra="title: Again")}, "TK102", "the first `title` is on line 3",
                 id="duplicate"),
    pytest.param({MANIFEST: sub("  - modules/02-law.md", "  - modules/02-lwa.md")}, "TK304",
                 "did you mean `modules/02-law.md`?", id="missing-module-file"),
    pytest.param({EXTRA: extra(audiences="[police, prosecutor]")}, "TK307",
                 "did you mean `prosecutors`?", id="audience"),
    pytest.param({EXTRA: extra(extra='legal_references:\n  - instrument: protocl\n'
                                     '    article: "6"')},
                 "TK308", "did you mean `protocol`?", id="instrument"),
    pytest.param({LAW: law_body("::: case-stuy\nText.\n:::\n")}, "TK401",
                 "did you mean `case-study`?", id="block"),
    pytest.param({LAW: law_body("::: only edition=trainr\nText.\n:::\n")}, "TK405",
                 "did you mean `trainer`?", id="edition"),
    pytest.param({LAW: law_body("{{ region.hotlin }}\n")}, "TK406",
                 "did you mean `region.hotline`?", id="variable"),
    pytest.param({LAW: law_body("See [](01-intro.md#overveiw).\n")}, "TK507",
                 "did you mean `overview`?", id="anchor"),
    pytest.param({EXTRA: extra(audiences="police")}, "TK203", "write a list, e.g. [police]",
                 id="list"),
])
def test_hint(project: ProjectDir, changes: dict[str, Change], code: str, hint: str) -> None:
    apply(project, changes)
    hints = [d.hint or "" for d in project.validate() if d.code == code]
    assert hints and hint in hints[0]


# -- more behaviour of the checks ---------------------------------------------------------


def test_all_problems_are_reported_in_one_run(project: ProjectDir) -> None:
    apply(project, {
        EXTRA: extra(status="final", duration="1:30"),
        LAW: law_body("# Title\n\n![](../images/none.png)\n"),
        NORTH: sub("after: law", "after: lwa"),
    })
    codes = project.codes()
    assert sorted(codes) == ["TK203", "TK204", "TK310", "TK408", "TK501", "TK503"]


def test_findings_are_sorted_by_file_line_and_column(project: ProjectDir) -> None:
    apply(project, {LAW: law_body("Call {{ a }} and {{ b }}.\n\n# Title\n"),
                    INTRO: sub("## Overview", "# Overview")})
    found = project.validate()
    assert [d.sort_key() for d in found] == sorted(d.sort_key() for d in found)
    assert [(d.path, d.line, d.code) for d in found] == [
        (INTRO, 17, "TK408"),
        (LAW, ADDED, "TK406"), (LAW, ADDED, "TK406"),
        (LAW, ADDED + 2, "TK407"), (LAW, ADDED + 2, "TK408"),
    ]


def test_warnings_only_is_ok_but_strict_turns_them_into_errors(project: ProjectDir) -> None:
    apply(project, {LAW: law_body("# Title\n\nText.\n")})
    relaxed = project.validation()
    assert [d.level for d in relaxed.diagnostics] == [Severity.WARNING]
    assert relaxed.ok
    strict = project.validation(strict=True)
    assert [d.level for d in strict.diagnostics] == [Severity.ERROR]
    assert not strict.ok


def test_unknown_variable_names_each_occurrence(project: ProjectDir) -> None:
    apply(project, {LAW: law_body("{{ foo }} and {{ region.nothing }}\n")})
    found = [(d.line, d.column, d.message) for d in project.validate()]
    assert found == [(ADDED, 1, "unknown variable `foo`"),
                     (ADDED, 15, "unknown variable `region.nothing`")]


def test_variable_only_used_where_defined_is_fine(project: ProjectDir) -> None:
    apply(project, {
        NORTH: sub("  border_agency: the border police\n",
                   "  border_agency: the border police\n  coast: the coast guard\n"),
        LAW: law_body("::: only region=north\nAsk {{ region.coast }}.\n:::\n"),
    })
    assert project.validate() == []


@pytest.mark.parametrize("body", [
    pytest.param("Write `{{ nope }}` and `<b>`.\n\n```\n{{ nope }} <script>\n```\n",
                 id="variables-and-html-in-code"),
    pytest.param(":::: exercise Outer\n::: question\nWhy?\n:::\n\n::: answer\nBecause.\n"
                 ":::\n::::\n", id="nested-blocks-with-a-longer-fence"),
    pytest.param("::: question\nQ?\n:::\n\n::: answer\nA.\n:::\n\n::: answer\nB.\n:::\n",
                 id="answer-after-answer"),
    pytest.param("::: only audience=police,prosecutors\nText.\n:::\n\n"
                 "::: except region=south edition=participant\nText.\n:::\n",
                 id="conditions"),
    pytest.param("| a | b |\n|:--|--:|\n| x | y |\n\nText[^1].\n\n[^1]: A note.\n",
                 id="table-and-footnote"),
    pytest.param("See [](01-intro.md), [](01-intro.md#overview) and [x](./01-intro.md).\n",
                 id="module-links"),
    pytest.param("![Map](../images/map.svg \"Caption\")\n", id="figure"),
    pytest.param("{{ manual.title }} {{ manual.version }} {{ edition.title }} "
                 "{{ region.countries }} {{ region.hotline }} {{ region.border_agency }}\n",
                 id="variables"),
])
def test_valid_bodies_have_no_findings(check: Callable[..., list[Diagnostic]], body: str) -> None:
    assert check(LAW, law_body(body)) == []
    assert check(LAW, law_body(body), strict=True) == []


def test_check_fixture_overrides_one_file(check: Callable[..., list[Diagnostic]]) -> None:
    found = check(LAW, law_body("# Title\n\nText.\n"))
    assert [(f.path, f.line, f.column, f.code) for f in found] == [(LAW, ADDED, 1, "TK408")]


def test_project_without_regions_is_valid(tmp_path: Path) -> None:
    built = copy_root("no-regions", tmp_path / "project")
    assert not (built.root / "regions").exists()
    assert built.validate(strict=True) == []


def test_project_without_regions_and_a_default_region(tmp_path: Path) -> None:
    built = copy_root("no-regions", tmp_path / "project")
    built.write(MANIFEST, built.read(MANIFEST) + "output: {region: north}\n")
    assert [(f.path, f.line, f.column, f.code) for f in built.validate()] == [
        (MANIFEST, 6, 18, "TK312")]


def test_project_built_from_the_baseline_files(make_project: Callable[..., ProjectDir]) -> None:
    files = baseline_files()
    files[LAW] = law_body("# Title\n")
    built = make_project(files)
    assert [f.code for f in built.validate()] == ["TK407", "TK408"]


def test_link_to_a_section_of_the_same_module(project: ProjectDir) -> None:
    apply(project, {LAW: law_body(
        "### Sub section\n\nText.\n\nSee [](#sub-section) and [](#nope).\n")})
    found = [(d.line, d.code, d.message) for d in project.validate()]
    assert found == [(ADDED + 4, "TK507", "`modules/02-law.md` has no section `#nope`")]


def test_valid_png_is_accepted(project: ProjectDir) -> None:
    apply(project, {LAW: law_body("![A map](../images/small.png)\n"),
                    "images/small.png": png(4, 3)})
    assert project.validate() == []


def test_version_like_numbers_stay_text(project: ProjectDir) -> None:
    apply(project, {LAW: module_text(version="1.10")})
    result = project.validation()
    assert result.diagnostics == []
    meta = result.project.modules[LAW].meta
    assert meta is not None and meta.version == "1.10"


def test_unknown_region_hint_without_regions(project: ProjectDir) -> None:
    """Without region profiles, an unknown region id gets no empty 'known:' hint."""
    apply(project, {NORTH: None, SOUTH: None, MANIFEST: sub("  region: north\n", ""),
                    INTRO: sub("::: only region=north edition=trainer\n"
                               "Ask the {{ region.border_agency }} for figures.\n:::\n", ""),
                    EXTRA: None})
    apply(project, {LAW: law_body("::: only region=north\nText.\n:::\n")})
    found = project.validate()
    assert [(d.code, d.hint) for d in found] == [("TK405", None)]


def test_oversized_module_is_reported_once(project: ProjectDir) -> None:
    """A listed module that is too large is one TK001, not also TK305 and TK502."""
    apply(project, {LAW: "---\n" + "x" * (3 * 1024 * 1024) + "\n"})
    found = [(d.path, d.code) for d in project.validate()]
    assert (LAW, "TK001") in found
    assert not {code for _, code in found} & {"TK305", "TK502"}


def test_empty_image_reference_message(project: ProjectDir) -> None:
    apply(project, {LAW: law_body("![A map]()\n")})
    found = [(d.code, d.message) for d in project.validate()]
    assert found == [("TK502", "image: the file reference is empty")]


# -- the catalogue and its documentation ----------------------------------------------------


def _documented_codes() -> tuple[set[str], set[str]]:
    text = (REPOSITORY / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    table = set(re.findall(r"^\|\s*\[?`?(TK\d{3})", text, flags=re.MULTILINE))
    sections = set(re.findall(r"^#+\s+`?(TK\d{3})", text, flags=re.MULTILINE))
    return table, sections


def test_every_code_is_documented_and_every_documented_code_exists() -> None:
    table, sections = _documented_codes()
    assert table == set(CODES)
    assert sections == set(CODES)


def test_documented_severity_matches_the_catalogue() -> None:
    text = (REPOSITORY / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    for code, info in CODES.items():
        row = re.search(rf"^\|\s*\[?`?{code}\b.*$", text, flags=re.MULTILINE)
        assert row is not None, code
        assert f"| {info.severity.value} |" in row.group(0), row.group(0)


def test_codes_are_well_formed() -> None:
    assert all(re.fullmatch(r"TK\d{3}", code) for code in CODES)
    assert list(CODES) == sorted(CODES)
    assert all(info.summary and not info.summary.endswith(".") for info in CODES.values())


def test_paths_in_findings_are_project_relative(project: ProjectDir) -> None:
    apply(project, {LAW: law_body("# Title\n"), NORTH: sub("after: law", "after: lwa")})
    for finding in project.validate():
        assert not Path(finding.path).is_absolute()
        assert (project.root / finding.path).is_file()
