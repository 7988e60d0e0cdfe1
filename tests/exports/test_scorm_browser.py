"""A SCORM package played end to end: unzipped, served from 127.0.0.1, opened in headless
Chromium under scorm-again's SCORM 1.2 runtime (npm, ``tests/js``), its quiz answered
through the page, and the values the runtime recorded read back.

The harness page plays the LMS: it creates ``window.API = new Scorm12API(...)`` (no commit
URL: nothing leaves the machine), logs every call the SCO makes, and opens the quiz in an
iframe, so the quiz has to find the API by walking up to its parent, as in an LMS.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from commands.test_preview import CHROMIUM, chromium_page, _until
from exports.samples import export_project, multilingual_project
from trainkit.commands.export import ExportOptions, export_scorm

RUNTIME = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "scorm-again" / "dist"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (apt-get install chromium)"),
    pytest.mark.skipif(not (RUNTIME / "scorm12.js").is_file(),
                       reason="needs scorm-again in tests/js (npm ci --prefix tests/js)"),
]

HARNESS = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>LMS</title>
<script src="scorm12.js"></script>
<script>
window.calls = [];
window.API = new Scorm12API({autocommit: false, logLevel: 5});
MASTERY
["LMSInitialize", "LMSCommit", "LMSFinish"].forEach(function (name) {
  window.API.on(name, function () { window.calls.push(name); });
});
window.API.on("LMSSetValue.cmi.*", function (element, value) {
  window.calls.push(element + "=" + value);
});
</script></head>
<body><iframe id="sco" src="MODULE/quiz.html" style="width:100%;height:900px"></iframe></body>
</html>
"""

#: The answers to the law module's six gradable questions, from the source
#: (tests/assessment/samples.py and tests/exports/samples.py), chosen by what the page shows.
RIGHT = {"choice": ["An intent to obtain a financial benefit"], "tf": "false",
         "short": "  smuggling   PROTOCOL ",
         "match": {"Smuggling": "SECRET-BENEFIT", "Trafficking": "SECRET-EXPLOITATION",
                   "Corruption": "SECRET-BRIBE"},
         "multiple": ["First = right #1", "Second ~ right"], "tf2": "true"}
WRONG = {"choice": ["That the migrant was exploited"], "tf": "true", "short": "The Code",
         "match": {"Smuggling": "SECRET-BRIBE", "Trafficking": "SECRET-EXPLOITATION",
                   "Corruption": "SECRET-BENEFIT"},
         "multiple": ["First = right #1", "Wrong: third"], "tf2": "true"}

#: Answers the questions in the iframe like a person: by the labels shown.
DRIVER = """(function (answers) {
  var doc = document.getElementById("sco").contentDocument;
  var sets = doc.querySelectorAll("fieldset.tk-question");
  function tick(set, texts) {
    set.querySelectorAll("label").forEach(function (label) {
      if (texts.indexOf(label.textContent.trim()) >= 0) { label.querySelector("input").click(); }
    });
  }
  tick(sets[0], answers.choice);
  tick(sets[1], [answers.tf === "true" ? "True" : "False"]);
  sets[2].querySelector("input").value = answers.short;
  sets[3].querySelectorAll("tr").forEach(function (row) {
    var want = answers.match[row.cells[0].textContent.trim()];
    var select = row.querySelector("select");
    for (var i = 0; i < select.options.length; i += 1) {
      if (select.options[i].text === want) { select.selectedIndex = i; }
    }
  });
  tick(sets[4], answers.multiple);
  tick(sets[5], [answers.tf2 === "true" ? "True" : "False"]);
  doc.getElementById("tk-check").click();
  var marks = [];
  doc.querySelectorAll(".tk-mark").forEach(function (mark) { marks.push(mark.textContent); });
  return doc.getElementById("tk-result").textContent + " | " + marks.join(", ");
})(ANSWERS)"""

RECORDED = """JSON.stringify({raw: API.cmi.core.score.raw, min: API.cmi.core.score.min,
  max: API.cmi.core.score.max, status: API.cmi.core.lesson_status, calls: window.calls})"""


#: Ticks the options shown with these labels, in every question, then checks.
TICK = """(function (labels) {
  var doc = document.getElementById("sco").contentDocument;
  doc.querySelectorAll("label").forEach(function (label) {
    if (labels.indexOf(label.textContent.trim()) >= 0) { label.querySelector("input").click(); }
  });
  doc.getElementById("tk-check").click();
  return doc.documentElement.dir + " | " + doc.getElementById("tk-result").textContent;
})(ANSWERS)"""

FINISHED = "window.calls.indexOf('LMSFinish') >= 0"
RESULT = "document.getElementById('sco').contentDocument.getElementById('tk-result').textContent"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One package for the edition: every module's quiz."""
    root = tmp_path_factory.mktemp("scorm-play")
    project = export_project(root / "project")
    options = ExportOptions(region="north", out_dir=root / "out", mastery=80, per="edition")
    (written,) = export_scorm(project.root, options).files
    return written.path


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Arabic package of the edition (the law module translated), with Arabic-Indic
    digits."""
    root = tmp_path_factory.mktemp("scorm-play-ar")
    project = multilingual_project(root / "project")
    project.append("trainkit.yaml", "localized:\n  ar:\n    digits: eastern\n")
    options = ExportOptions(region="north", language="ar", out_dir=root / "out", per="edition")
    (written,) = export_scorm(project.root, options).files
    return written.path


@pytest.fixture
def site(package: Path, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """The package unzipped with the runtime beside it, served on 127.0.0.1."""
    yield from _served(package, tmp_path)


@pytest.fixture
def arabic_site(arabic: Path, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    yield from _served(arabic, tmp_path)


def _served(package: Path, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    folder = tmp_path / "site"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder)
    shutil.copy(RUNTIME / "scorm12.js", folder / "scorm12.js")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}/harness.html"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


def _play(site: tuple[Path, str], answers: dict[str, Any] | list[str] | None,
          lms_mastery: int | None = None, module: str = "law") -> tuple[str, dict[str, Any]]:
    """Open the harness in Chromium on ``module``'s quiz, answer it (``None``: only open
    it); the result shown and what the runtime recorded."""
    folder, url = site
    mastery = ("" if lms_mastery is None else
               "window.API.loadFromJSON({student_data: {mastery_score: "
               f'"{lms_mastery}"}}}}, "");')
    harness = HARNESS.replace("MASTERY", mastery).replace("MODULE", module)
    (folder / "harness.html").write_text(harness, encoding="utf-8")
    with chromium_page(url, "trainkit-scorm-chromium-") as tools:
        ready = ("(function () { var d = document.getElementById('sco'); return !!(d && "
                 "d.contentDocument && d.contentDocument.getElementById('tk-result') && "
                 "window.calls.indexOf('LMSInitialize') >= 0); })()")
        _until(lambda: tools.evaluate(ready) is True, 60, "the quiz in its frame")
        if answers is None:
            _until(lambda: tools.evaluate(FINISHED) is True, 60, "LMSFinish")
            shown = str(tools.evaluate(RESULT))
        else:
            driver = TICK if isinstance(answers, list) else DRIVER
            shown = str(tools.evaluate(driver.replace("ANSWERS", json.dumps(answers))))
        recorded: dict[str, Any] = json.loads(str(tools.evaluate(RECORDED)))
        return shown, recorded


def test_right_answers_pass_and_the_runtime_records_it(site: tuple[Path, str]) -> None:
    shown, recorded = _play(site, RIGHT)
    assert shown == "Your score: 100% — Passed | " + ", ".join(["Right"] * 6)
    assert (recorded["raw"], recorded["min"], recorded["max"], recorded["status"]) == (
        "100", "0", "100", "passed")
    calls = recorded["calls"]
    assert calls[0] == "LMSInitialize" and calls[-2:] == ["LMSCommit", "LMSFinish"]
    assert "cmi.core.lesson_status=incomplete" in calls
    assert calls.index("cmi.core.score.raw=100") < calls.index("cmi.core.lesson_status=passed")


def test_wrong_answers_fail(site: tuple[Path, str]) -> None:
    # Earned: matching 1 pair of 3 (1 of its 3 points); the multiple-answer question
    # 1/2 - 1/2 = 0; the last true-false 1 point; nothing else: 2 of 11 points.
    shown, recorded = _play(site, WRONG)
    assert shown == ("Your score: 18.2% — Not passed | Not right, Not right, Not right, "
                     "Partly right, Not right, Right")
    assert (recorded["raw"], recorded["status"]) == ("18.2", "failed")
    assert recorded["calls"][-2:] == ["LMSCommit", "LMSFinish"]


def test_the_lms_mastery_score_wins_over_the_packages(site: tuple[Path, str]) -> None:
    shown, recorded = _play(site, WRONG, lms_mastery=15)
    assert shown.startswith("Your score: 18.2% — Passed | ")
    assert recorded["status"] == "passed"


def test_a_module_without_gradable_questions_completes_on_opening(
        site: tuple[Path, str]) -> None:
    shown, recorded = _play(site, None, module="intro")
    assert shown == "This module has no questions to mark: it is complete."
    assert (recorded["raw"], recorded["status"]) == ("", "completed")
    assert recorded["calls"][0] == "LMSInitialize"
    assert recorded["calls"][-2:] == ["LMSCommit", "LMSFinish"]


def test_an_arabic_quiz_runs_right_to_left(arabic_site: tuple[Path, str]) -> None:
    shown, recorded = _play(arabic_site, ["خطأ", "البروتوكول"])
    assert shown == "rtl | نتيجتك: ١٠٠٪ — ناجح"
    assert (recorded["raw"], recorded["status"]) == ("100", "passed")
