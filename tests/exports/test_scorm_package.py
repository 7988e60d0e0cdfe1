"""``trainkit export scorm``: the packages' files, their manifest against ADL's SCORM 1.2
schemas, the participant text without answers or trainer notes, nothing from the network,
French and Arabic packages in their language, and writing that fails whole."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from assessment.samples import SECRETS
from exports.samples import TRAINER_SECRETS, export_project, multilingual_project
from exports.scorm_schema import manifest_errors
from trainkit.commands.export import ExportOptions, export_scorm
from trainkit.errors import RenderError, UsageError

CP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
#: Answers the participant text must not show (the right-hand sides of a matching
#: question are shown, shuffled: they are the question, not its answer).
ANSWER_SECRETS = SECRETS


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("scorm")
    project = export_project(root / "project")
    result = export_scorm(project.root, ExportOptions(region="north", out_dir=root / "out",
                                                      mastery=75))
    return {f.path.name: f.path for f in result.files}


def _read(package: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(package) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_one_package_per_module_of_the_region(packages: dict[str, Path]) -> None:
    assert sorted(packages) == ["test-manual-north-scorm-intro.zip",
                                "test-manual-north-scorm-law.zip",
                                "test-manual-north-scorm-north-extra.zip"]
    files = _read(packages["test-manual-north-scorm-law.zip"])
    assert sorted(files) == ["imsmanifest.xml", "law/quiz.html", "law/text.html",
                             "scorm/quiz.js"]


def test_every_manifest_is_valid_scorm_1_2(packages: dict[str, Path]) -> None:
    for package in packages.values():
        assert manifest_errors(_read(package)["imsmanifest.xml"]) == [], package.name


def test_the_schemas_refuse_what_scorm_1_2_does_not_allow(packages: dict[str, Path]) -> None:
    manifest = _read(packages["test-manual-north-scorm-law.zip"])["imsmanifest.xml"]
    for old, new in ((b'adlcp:scormtype="sco"', b'adlcp:scormtype="lesson"'),
                     (b"organizations", b"organisations"),
                     (b"masteryscore>", b"passmark>"),
                     (b'identifier="R-law-quiz"', b'identifier="2-law-quiz"')):
        assert old in manifest
        assert manifest_errors(manifest.replace(old, new)), new


def test_the_manifest_has_an_asset_for_the_text_and_a_sco_for_the_quiz(
        packages: dict[str, Path]) -> None:
    manifest = etree.fromstring(_read(packages["test-manual-north-scorm-law.zip"])[
        "imsmanifest.xml"])
    organization = manifest.find(f"{CP}organizations/{CP}organization")
    assert organization.findtext(f"{CP}title") == "Module 2: The law"
    items = organization.findall(f".//{CP}item[@identifierref]")
    assert [(i.get("identifierref"), i.findtext(f"{CP}title"),
             i.findtext(f"{ADLCP}masteryscore")) for i in items] == [
        ("R-law-text", "Module text", None), ("R-law-quiz", "Quiz", "75")]
    resources = manifest.findall(f"{CP}resources/{CP}resource")
    assert [(r.get("identifier"), r.get(f"{ADLCP}scormtype"), r.get("href"),
             [f.get("href") for f in r.findall(f"{CP}file")]) for r in resources] == [
        ("R-law-text", "asset", "law/text.html", ["law/text.html"]),
        ("R-law-quiz", "sco", "law/quiz.html", ["law/quiz.html", "scorm/quiz.js"])]


def test_a_module_without_gradable_questions_has_no_mastery_score(
        packages: dict[str, Path]) -> None:
    files = _read(packages["test-manual-north-scorm-intro.zip"])
    assert b"masteryscore" not in files["imsmanifest.xml"]
    key = _key(files["intro/quiz.html"])
    assert key["questions"] == [] and key["mastery"] == 75


def _key(page: bytes) -> dict[str, Any]:
    found = re.search(rb'<script type="application/json" id="tk-quiz-key">(.*?)</script>',
                      page, re.S)
    assert found is not None
    key: dict[str, Any] = json.loads(found.group(1))
    return key


def test_the_quiz_holds_the_gradable_questions_and_their_key(
        packages: dict[str, Path]) -> None:
    page = _read(packages["test-manual-north-scorm-law.zip"])["law/quiz.html"]
    key = _key(page)
    assert [(q["kind"], q["points"]) for q in key["questions"]] == [
        ("choice", 2.0), ("true-false", 1.0), ("short-answer", 1.0), ("matching", 3.0),
        ("choice", 3.0), ("true-false", 1.0)]
    benefit, consent, protocol, matching, specials, _ = key["questions"]
    assert (benefit["correct"], benefit["multiple"]) == ([0], False)
    assert consent["answer"] is False
    assert protocol["accepted"] == ["SECRET-PALERMO", "Smuggling Protocol"]
    assert (specials["correct"], specials["multiple"]) == ([0, 1], True)
    html = page.decode("utf-8")
    assert "Describe a case you met" not in html  # an essay is not marked by a machine
    assert re.findall(r"<legend>(.*?)</legend>", html) == [  # numbered as in the text
        f"Question\u00a02.{n}" for n in (1, 2, 3, 4, 6, 7)]
    choices = re.findall(r'<option value="(\d)">([^<]+)</option>', html)
    rights = {text: int(value) for value, text in choices}
    assert matching["answers"] == [rights["SECRET-BENEFIT"], rights["SECRET-EXPLOITATION"],
                                   rights["SECRET-BRIBE"]]


def test_the_text_is_the_participant_edition(packages: dict[str, Path]) -> None:
    files = _read(packages["test-manual-north-scorm-law.zip"])
    text = files["law/text.html"].decode("utf-8")
    assert '<html lang="en" dir="ltr">' in text and "The offences are set out" in text
    assert not [s for s in (*ANSWER_SECRETS, *TRAINER_SECRETS) if s in text]
    quiz = files["law/quiz.html"].decode("utf-8")
    assert not [s for s in TRAINER_SECRETS if s in quiz]


def test_nothing_is_fetched_from_the_network(packages: dict[str, Path]) -> None:
    for package in packages.values():
        for name, data in _read(package).items():
            if name.endswith((".html", ".js")):
                text = data.decode("utf-8")
                assert not re.search(r'(src|href)="(https?:)?//', text), (package.name, name)
                assert "@import" not in text and "url(http" not in text
    page = _read(packages["test-manual-north-scorm-law.zip"])["law/quiz.html"]
    assert b'<img src="data:image/svg+xml;base64,' in page
    assert b'<script src="../scorm/quiz.js"></script>' in page


def test_one_package_for_the_edition_in_french_and_arabic(tmp_path: Path) -> None:
    project = multilingual_project(tmp_path / "project")
    for language, direction, quiz, check in (
            ("fr", "ltr", "Auto-évaluation", "Vérifier mes réponses"),
            ("ar", "rtl", "اختبار", "تحقّق من إجاباتي")):
        options = ExportOptions(region="north", language=language, per="edition",
                                out_dir=tmp_path / "out")
        (written,) = export_scorm(project.root, options).files
        assert written.path.name == f"test-manual-north-scorm-{language}.zip"
        files = _read(written.path)
        assert manifest_errors(files["imsmanifest.xml"]) == []
        assert {"intro/text.html", "law/quiz.html", "north-extra/quiz.html"} <= set(files)
        page = files["law/quiz.html"].decode("utf-8")
        assert f'<html lang="{language}" dir="{direction}">' in page
        assert f"<h1>{quiz}</h1>" in page and check in page
        text = files["law/text.html"].decode("utf-8")
        assert f'<html lang="{language}" dir="{direction}">' in text
        fonts = sorted(name for name in files if name.startswith("fonts/"))
        assert fonts == (["fonts/Amiri-Bold.ttf", "fonts/Amiri-Regular.ttf"]
                         if language == "ar" else [])
        if fonts:
            assert 'src: url("../fonts/Amiri-Regular.ttf")' in page


def test_bad_options_are_usage_errors(tmp_path: Path) -> None:
    project = export_project(tmp_path / "project")
    with pytest.raises(UsageError, match="between 0 and 100, not 120"):
        export_scorm(project.root, ExportOptions(region="north", mastery=120))
    with pytest.raises(UsageError, match="unknown region `nowhere`"):
        export_scorm(project.root, ExportOptions(region="nowhere"))


def test_a_failed_write_leaves_the_previous_package(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    project = export_project(tmp_path / "project")
    out = tmp_path / "out"
    options = ExportOptions(region="north", out_dir=out, per="edition")
    (first,) = export_scorm(project.root, options).files
    before = first.path.read_bytes()

    def broken(*args: object, **kwargs: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("trainkit.writers.exports.scorm.quiz_page", broken)
    with pytest.raises(RenderError, match="No space left on device"):
        export_scorm(project.root, options)
    assert first.path.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [first.path.name]
