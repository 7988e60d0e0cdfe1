"""Edition assembly on the document model: golden files, filtering, variables, numbering."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from trainkit.model import document as d
from trainkit.assembly.edition import assemble
from trainkit.model.edition import AssembledEdition, EditionRequest
from trainkit.errors import UsageError
from trainkit.loading.module_file import load_module_file
from trainkit.checks.validate import validate_project

TESTS = Path(__file__).resolve().parents[1]
TOUR = TESTS.parent / "examples" / "feature-tour"
GOLDEN = TESTS / "golden"
UPDATE = os.environ.get("TRAINKIT_UPDATE_GOLDEN") == "1"


def _golden(name: str, data: object) -> None:
    path = GOLDEN / name
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if UPDATE or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"golden file {name} was missing and has been written; run again")
    assert json.loads(text) == json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tour(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tour")
    shutil.copytree(TOUR, root, dirs_exist_ok=True)
    return root


def _edition(root: Path, region: str, edition: str, audience: str | None = None
             ) -> AssembledEdition:
    validation = validate_project(root, use_cache=False)
    assert validation.ok, validation.diagnostics
    return assemble(validation.valid(), EditionRequest(region, edition, audience))


def _texts(edition: AssembledEdition) -> str:
    found = []
    for module in edition.modules:
        for node in d.walk(module.blocks):
            if isinstance(node, (d.Text, d.Code)):
                found.append(node.text)
    return "\n".join(found)


def test_parsed_model_matches_golden_file() -> None:
    module = load_module_file(TOUR / "modules" / "first.md", "modules/first.md")
    assert module.body is not None and not module.diagnostics
    _golden("feature-tour-first.parsed.json", d.to_data(module.body.blocks))


def test_assembled_model_matches_golden_file(tour: Path) -> None:
    edition = _edition(tour, "coastal", "participant")
    data = [{"number": m.number, "id": m.meta.id, "part": m.part, "blocks": d.to_data(m.blocks)}
            for m in edition.modules]
    _golden("feature-tour-coastal-participant.assembled.json", data)


def test_region_adds_and_omits_modules(tour: Path) -> None:
    coastal = _edition(tour, "coastal", "trainer")
    inland = _edition(tour, "inland", "trainer")
    assert [m.meta.id for m in coastal.modules] == ["first", "coastal-extra", "second"]
    assert [m.meta.id for m in inland.modules] == ["first"]
    assert coastal.modules[1].part == "The basics"


def test_conditional_blocks_follow_region_edition_and_audience(tour: Path) -> None:
    coastal_trainer = _texts(_edition(tour, "coastal", "trainer"))
    inland_participant = _texts(_edition(tour, "inland", "participant"))
    assert "Only the Coastal States edition prints this paragraph." in coastal_trainer
    assert "Only the Coastal States edition prints this paragraph." not in inland_participant
    assert "Every edition but the Coastal States one" not in coastal_trainer
    assert "Every edition but the Coastal States one" in inland_participant
    assert "Only the participant\u2019s edition prints this paragraph." in inland_participant
    assert "Only the participant\u2019s edition prints this paragraph." not in coastal_trainer
    kept = "Kept unless the edition is built for another audience"
    assert kept in coastal_trainer
    assert kept not in _texts(_edition(tour, "coastal", "trainer", "law-enforcement"))
    assert kept in _texts(_edition(tour, "coastal", "trainer", "prosecutors"))


def test_participant_edition_drops_trainer_notes_and_answers_everywhere(tour: Path) -> None:
    edition = _edition(tour, "coastal", "participant")
    kinds = {n.kind for m in edition.modules for n in d.walk(m.blocks)
             if isinstance(n, d.NamedBlock)}
    assert kinds == {"case-study", "exercise", "key-points", "question"}
    text = _texts(edition)
    assert "Only the trainer's edition prints this note." not in text
    assert "This note is nested inside the case study." not in text
    assert "Article 3(a)." not in text


def test_audience_edition_keeps_only_modules_for_that_audience(tour: Path) -> None:
    edition = _edition(tour, "coastal", "trainer", "prosecutors")
    assert [m.meta.id for m in edition.modules] == ["first", "second"]
    assert edition.file_stem() == "feature-tour-coastal-trainer-prosecutors"


def test_variables_are_substituted(tour: Path) -> None:
    text = _texts(_edition(tour, "coastal", "trainer"))
    assert "This edition is for Coastal States (Atlantis and Lemuria)." in text
    assert "the Coastal Watch hotline" in text
    assert "Trainer's manual" in text
    inland = _texts(_edition(tour, "inland", "trainer"))
    assert "the national hotline" in inland  # the manifest's default


def test_numbering_and_cross_references(tour: Path) -> None:
    edition = _edition(tour, "coastal", "trainer")
    first = edition.modules[0]
    headings = [(h.number, d.plain_text(h.children)) for h in first.blocks
                if isinstance(h, d.Heading)]
    assert headings[:2] == [("1.1", "Text and lists"), ("1.2", "Tables and figures")]
    numbers = [(n.kind, n.number) for n in d.walk(first.blocks) if isinstance(n, d.NamedBlock)
               and n.number]
    assert ("case-study", "1.2") in numbers and ("question", "1.1") in numbers
    refs = [n for n in d.walk(first.blocks) if isinstance(n, d.CrossRef)]
    assert [d.plain_text(r.children) for r in refs] == [
        "Module\u00a03: A second module", "section on evidence", "the tables"]
    assert refs[1].anchor == "evidence" and refs[2].module_id == "first"


def test_cross_reference_to_omitted_module_is_not_linked(tour: Path) -> None:
    inland = _edition(tour, "inland", "trainer")
    refs = [n for n in d.walk(inland.modules[0].blocks) if isinstance(n, d.CrossRef)]
    assert refs[0].included is False
    assert d.plain_text(refs[0].children) == "A second module"


def test_image_paths_are_rebased_to_the_project(tour: Path) -> None:
    edition = _edition(tour, "coastal", "trainer")
    figures = [n for n in d.walk(edition.modules[0].blocks) if isinstance(n, d.Figure)]
    assert figures[0].image.src == "images/journey.png"


def test_legal_index_and_durations(tour: Path) -> None:
    edition = _edition(tour, "coastal", "trainer")
    assert [(c.article, c.modules) for c in edition.citations()] == [
        ("3", (1,)), ("6(3)", (1,)), ("18", (3,))]
    assert edition.total_minutes == 90 + 30 + 45


def test_unknown_region_is_a_usage_error(tour: Path) -> None:
    validation = validate_project(tour, use_cache=False)
    with pytest.raises(UsageError, match="unknown region `coastl`; did you mean `coastal`"):
        assemble(validation.valid(), EditionRequest("coastl", "trainer"))
