"""``trainkit export moodle``: the Moodle XML read back with lxml, the GIFT file read by an
independent parser (gift-pegjs, from npm, run by Node.js), both against the source."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from exports.samples import EXPECTED, TRAINER_SECRETS, export_project
from trainkit.commands.export import ExportOptions, export_moodle
from trainkit.writers.exports.content import category_path, fraction
from trainkit.writers.exports.gift import escape_gift
from trainkit.writers.exports.moodle import cdata

JS = Path(__file__).resolve().parents[1] / "js"
GIFT_PARSER = JS / "node_modules" / "gift-pegjs" / "lib" / "gift-parser.js"
NODE = shutil.which("node")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("bank")
    project = export_project(root / "project")
    result = export_moodle(project.root, ExportOptions(region="north", out_dir=root / "out"))
    return {path.suffix: path for path in (f.path for f in result.files)}


def _questions(xml: Path) -> list[Any]:
    tree = etree.parse(str(xml))
    return [q for q in tree.getroot() if q.get("type") != "category"]


def _law(xml: Path) -> list[Any]:
    return [q for q in _questions(xml) if not q.findtext("name/text").startswith("intro")]


def test_the_files_are_named_after_the_manual_and_region(exported: dict[str, Path]) -> None:
    assert exported[".xml"].name == "test-manual-north-moodle.xml"
    assert exported[".txt"].name == "test-manual-north-gift.txt"


def test_moodle_xml_has_a_category_per_module_and_every_question(
        exported: dict[str, Path]) -> None:
    root = etree.parse(str(exported[".xml"])).getroot()
    assert root.tag == "quiz"
    categories = [q.findtext("category/text") for q in root if q.get("type") == "category"]
    assert categories == ["$course$/Test manual/Module 1: Introduction",
                          "$course$/Test manual/Module 2: The law"]
    law = _law(exported[".xml"])
    assert [(q.findtext("name/text"), q.get("type")) for q in law] == [
        (ident, moodle) for ident, moodle, _ in EXPECTED]
    assert [q.findtext("defaultgrade") for q in law] == ["2", "1", "1", "3", "1", "3", "1"]


def _answers(question: Any) -> list[tuple[str, float]]:
    return [(answer.findtext("text"), float(answer.get("fraction")))
            for answer in question.findall("answer")]


def test_correct_answers_fractions_and_feedback_match_the_source(
        exported: dict[str, Path]) -> None:
    benefit, consent, protocol, matching, essay, specials, protects = _law(exported[".xml"])
    assert benefit.findtext("single") == "true"
    assert _answers(benefit) == [("An intent to obtain a financial benefit", 100.0),
                                 ("That the migrant did not consent", 0.0),
                                 ("That the migrant was exploited", 0.0)]
    feedback = [a.findtext("feedback/text") for a in benefit.findall("answer")]
    assert feedback == ["<p>Right: the benefit purpose is part of the offence.</p>",
                        "<p>No: consent is not an element.</p>", ""]
    assert "SECRET-EXPLANATION" in benefit.findtext("generalfeedback/text")
    assert _answers(consent) == [("true", 0.0), ("false", 100.0)]
    assert _answers(protects) == [("true", 100.0), ("false", 0.0)]
    assert _answers(protocol) == [("SECRET-PALERMO", 100.0), ("Smuggling Protocol", 100.0)]
    assert protocol.findtext("usecase") == "0"
    assert [(s.findtext("text"), s.findtext("answer/text"))
            for s in matching.findall("subquestion")] == [
        ("Smuggling", "SECRET-BENEFIT"), ("Trafficking", "SECRET-EXPLOITATION"),
        ("Corruption", "SECRET-BRIBE")]
    assert essay.findtext("graderinfo/text") == "<p>SECRET-MODEL-ANSWER.</p>"
    assert specials.findtext("single") == "false"
    fractions = [fraction for _, fraction in _answers(specials)]
    assert fractions == [50.0, 50.0, -50.0, -50.0]
    assert sum(f for f in fractions if f > 0) == 100


def test_html_is_in_cdata_and_images_are_embedded_as_base64(exported: dict[str, Path]) -> None:
    text = exported[".xml"].read_text(encoding="utf-8")
    # The paragraph may carry the print layout's class (a lead-in to the figure).
    assert re.search(r"<text><!\[CDATA\[<p[^>]*>Which are true of a \{braces\} ~tilde~ a=b "
                     r"#hash: colon", text)
    specials = _law(exported[".xml"])[5]
    prompt = specials.find("questiontext")
    assert '<img src="@@PLUGINFILE@@/map.svg" alt="A map">' in prompt.findtext("text")
    (embedded,) = prompt.findall("file")
    assert (embedded.get("name"), embedded.get("path"), embedded.get("encoding")) == (
        "map.svg", "/", "base64")
    source = Path(__file__).resolve().parents[1] / "roots" / "valid" / "images" / "map.svg"
    assert base64.b64decode(embedded.text) == source.read_bytes()


def test_no_trainer_note_reaches_either_file(exported: dict[str, Path]) -> None:
    for path in exported.values():
        text = path.read_text(encoding="utf-8")
        assert not [secret for secret in TRAINER_SECRETS if secret in text], path.name


def test_gift_escapes_its_special_characters() -> None:
    assert escape_gift("a~b=c#d{e}f:g\\h\nnext") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h next"


def _parse_gift(path: Path) -> list[dict[str, Any]]:
    script = ("const p = require(process.argv[1]); const fs = require('fs');"
              "process.stdout.write(JSON.stringify(p.parse(fs.readFileSync(process.argv[2], "
              "'utf8'))));")
    assert NODE is not None
    done = subprocess.run([NODE, "-e", script, str(GIFT_PARSER), str(path)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    parsed: list[dict[str, Any]] = json.loads(done.stdout)
    return parsed


@pytest.mark.skipif(NODE is None or not GIFT_PARSER.is_file(),
                    reason="needs Node.js and tests/js/node_modules (npm ci --prefix tests/js)")
def test_gift_parses_with_an_independent_parser_and_matches_the_source(
        exported: dict[str, Path]) -> None:
    parsed = _parse_gift(exported[".txt"])
    assert [q["title"] for q in parsed if q["type"] == "Category"] == [
        "$course$/Test manual/Module 1: Introduction", "$course$/Test manual/Module 2: The law"]
    law = [q for q in parsed if q["type"] != "Category" and not q["title"].startswith("intro")]
    assert [(q["title"], q["type"]) for q in law] == [(i, gift) for i, _, gift in EXPECTED]
    benefit, consent, protocol, matching, essay, specials, protects = law
    assert [(c["text"]["text"], c["isCorrect"]) for c in benefit["choices"]] == [
        ("An intent to obtain a financial benefit", True),
        ("That the migrant did not consent", False), ("That the migrant was exploited", False)]
    assert benefit["choices"][0]["feedback"]["text"] == (
        "<p>Right: the benefit purpose is part of the offence.</p>")
    assert "SECRET-EXPLANATION" in benefit["globalFeedback"]["text"]
    assert (consent["isTrue"], protects["isTrue"]) == (False, True)
    assert [c["text"]["text"] for c in protocol["choices"]] == [
        "SECRET-PALERMO", "Smuggling Protocol"]
    assert [(p["subquestion"]["text"], p["subanswer"]) for p in matching["matchPairs"]] == [
        ("Smuggling", "SECRET-BENEFIT"), ("Trafficking", "SECRET-EXPLOITATION"),
        ("Corruption", "SECRET-BRIBE")]
    assert essay["stem"]["text"] == "<p>Describe a case you met.</p>"
    stem = specials["stem"]["text"]
    assert re.match(r"<p[^>]*>Which are true of a \{braces\} ~tilde~ a=b #hash: colon &#92; "
                    r"backslash\?</p>", stem)
    assert '<img src="data:image/svg+xml;base64,' in stem
    assert [(c["text"]["text"], c["weight"]) for c in specials["choices"]] == [
        ("First = right #1", 50), ("Second ~ right", 50), ("Wrong: third", -50),
        ("Wrong fourth", -50)]
    assert specials["choices"][0]["feedback"]["text"] == "<p>Yes: {one}.</p>"


def test_cdata_and_category_paths_survive_awkward_text() -> None:
    text = cdata("<p>a ]]> b</p>")
    assert etree.fromstring(f"<text>{text}</text>").text == "<p>a ]]> b</p>"
    assert category_path("Manual", "Module 1: Land/sea  routes") == (
        "$course$/Manual/Module 1: Land//sea routes")
    assert [fraction(v) for v in (100, 100 / 3, -50, 0.0, -0.0, 12.5)] == [
        "100", "33.33333", "-50", "0", "0", "12.5"]
