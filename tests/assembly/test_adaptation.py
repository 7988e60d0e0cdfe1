"""Adaptation slots in editions: filled, default, or a "To be adapted" box; approved builds."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from typer.testing import CliRunner

from trainkit.cli.app import app

runner = CliRunner()


def _build(tour: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["build", str(tour), "-o", str(tour / "out"), "-f", "html",
                                 *args])
    return result.exit_code, " ".join(result.output.split())


def _text(tour: Path, name: str) -> str:
    return " ".join(lxml.html.fromstring((tour / "out" / name).read_bytes())
                    .text_content().split())


def _unfill(tour: Path) -> None:
    """Coastal (draft now) no longer fills `national-law`: the slot is missing."""
    coastal = tour / "regions" / "coastal.yaml"
    coastal.write_text(coastal.read_text(encoding="utf-8")
                       .replace("status: complete", "status: draft")
                       .replace("  national-law: national-law.md",
                                "  central-authority: Call the coastal ministry."),
                       encoding="utf-8")


def test_a_filled_slot_prints_the_region_text_in_every_edition(tour: Path) -> None:
    for edition in ("trainer", "participant"):
        code, output = _build(tour, "-r", "coastal", "-e", edition)
        assert code == 0, output
        text = _text(tour, f"feature-tour-coastal-{edition}.html")
        assert ("offence under the (fictional) Coastal Migration Act, which follows Article 6 "
                "of the Protocol. Call the Coastal Watch hotline to report") in text
        assert "Ask the central authority your State designated" in text  # the default
        assert "To be adapted" not in text


def test_a_country_edition_inherits_slots_and_overrides_its_own(tour: Path) -> None:
    code, output = _build(tour, "-r", "lemuria", "-e", "trainer")
    assert code == 0, output
    text = _text(tour, "feature-tour-lemuria-trainer.html")
    assert "Coastal Migration Act" in text  # the parent's fragment file...
    assert "Call the Lemuria coastguard (dial 112) to report" in text  # ...with its variables
    assert "Send requests to the Lemuria Ministry of Justice" in text  # its own inline text
    assert "Ask the central authority your State designated" not in text
    assert "This edition is for Lemuria (Lemuria)." in text
    code, output = _build(tour, "-r", "lemuria", "-e", "trainer", "--lang", "fr")
    assert code == 0, output
    french = _text(tour, "feature-tour-lemuria-trainer-fr.html")
    assert "loi côtière sur les migrations (fictive)" in french  # regions/coastal/fr/
    assert "Appelez les garde-côtes de Lémurie (composer le 112)" in french
    assert "ministère de la Justice de Lémurie" in french


def test_a_missing_slot_is_a_box_in_trainer_editions_only(tour: Path) -> None:
    _unfill(tour)
    assert _build(tour, "-r", "coastal", "-e", "trainer")[0] == 0
    page = lxml.html.fromstring((tour / "out" / "feature-tour-coastal-trainer.html")
                                .read_bytes())
    boxes = [" ".join(box.text_content().split()) for box in page.xpath(
        "//*[contains(@class, 'trainer-note')]") if "To be adapted" in box.text_content()]
    assert len(boxes) == 1
    assert "To be adapted for Coastal States" in boxes[0]
    assert boxes[0].endswith("Adaptation slot: national-law")
    assert _build(tour, "-r", "coastal", "-e", "participant")[0] == 0
    text = _text(tour, "feature-tour-coastal-participant.html")
    assert "To be adapted" not in text and "national-law" not in text
    assert "Call the coastal ministry." in text
    assert _build(tour, "-r", "coastal", "-e", "trainer", "--lang", "fr")[0] == 0
    assert "À adapter pour la région : États côtiers" in _text(
        tour, "feature-tour-coastal-trainer-fr.html")


def test_handouts_never_show_the_box(tour: Path) -> None:
    _unfill(tour)
    result = runner.invoke(app, ["handout", str(tour), "second", "-r", "coastal", "-f", "html",
                                 "-o", str(tour / "out")])
    assert result.exit_code == 0, result.output
    for path in (tour / "out").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "To be adapted" not in text and "national-law" not in text


def test_an_approved_build_refuses_an_edition_with_missing_slots(tour: Path) -> None:
    _unfill(tour)
    for extra in ([], ["--drop-others"]):
        code, output = _build(tour, "-r", "lemuria", "-e", "participant", "--status",
                              "approved", *extra)
        assert code == 1, output
        assert ("error[TK701]: slot `national-law` has no default text and is not adapted "
                "for `lemuria`") in output
        assert "--> modules/second.md:28:1" in output
        assert ("the lemuria participant edition has 1 required adaptation slot not filled; "
                "an approved edition cannot be built") in output
    assert not (tour / "out").exists()
    code, output = _build(tour, "--all", "--status", "approved")
    assert code == 1 and "an approved edition cannot be built" in output
    assert _build(tour, "-r", "inland", "--status", "approved")[0] == 0  # no slot there


def test_validate_warns_about_the_missing_slot_and_strict_fails(tour: Path) -> None:
    _unfill(tour)
    result = runner.invoke(app, ["validate", str(tour)])
    assert result.exit_code == 0, result.output
    assert "warning[TK701]" in result.output
    assert runner.invoke(app, ["validate", str(tour), "--strict"]).exit_code == 1
    lemuria = tour / "regions" / "lemuria.yaml"
    lemuria.write_text(lemuria.read_text(encoding="utf-8") + "status: complete\n",
                       encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tour)])
    assert result.exit_code == 1
    assert ("error[TK701]: slot `national-law` has no default text and is not adapted for "
            "`lemuria`") in " ".join(result.output.split())


def test_trainer_notes_in_a_slot_guide_the_adapters_and_keep_it_required(tour: Path) -> None:
    _unfill(tour)
    second = tour / "modules" / "second.md"
    second.write_text(second.read_text(encoding="utf-8").replace(
        "::: adapt national-law\n:::",
        "::::: adapt national-law\n::: trainer-note Regional content\n"
        "Add the national offence and its penalties.\n:::\n:::::"), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tour)])
    assert "warning[TK701]" in result.output  # notes are guidance, not a default
    assert _build(tour, "-r", "coastal", "-e", "trainer")[0] == 0
    text = _text(tour, "feature-tour-coastal-trainer.html")
    assert ("To be adapted for Coastal StatesAdd the national offence and its penalties. "
            "Adaptation slot: national-law") in text
    assert "Regional content" not in text
    assert _build(tour, "-r", "coastal", "-e", "participant")[0] == 0
    assert "national offence" not in _text(tour, "feature-tour-coastal-participant.html")
