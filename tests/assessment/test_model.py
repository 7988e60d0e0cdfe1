"""Typed questions: the parser's model, the front-matter's objectives and the questions
an assembled edition holds."""

from __future__ import annotations

from pathlib import Path

from assessment.samples import QUESTIONS, SECRETS, typed_module
from conftest import LAW, copy_valid
from trainkit.assembly.assessment import edition_questions, has_typed_questions
from trainkit.assembly.edition import assemble
from trainkit.model import assessment as a
from trainkit.model import document as d
from trainkit.model.edition import AssembledEdition, EditionRequest
from trainkit.parsing.builder import parse_body


def parsed(text: str) -> list[a.Question]:
    body = parse_body(text, path="m.md", first_line=1)
    assert body.diagnostics == []
    return [node.question for node in d.walk(body.body.blocks)
            if isinstance(node, d.NamedBlock) and node.question is not None]


def test_every_type_is_parsed_with_its_attributes() -> None:
    choice, true_false, short, matching, essay = parsed(QUESTIONS)
    assert (choice.kind, choice.id, choice.objectives, choice.points, choice.difficulty) == (
        "choice", "benefit", ("1", "3"), 2.0, "easy")
    assert [(d.plain_text(o.inlines), o.correct, len(o.feedback)) for o in choice.options] == [
        ("An intent to obtain a financial benefit", True, 1),
        ("That the migrant did not consent", False, 1),
        ("That the migrant was exploited", False, 0)]
    assert d.plain_text(choice.feedback[0].children).startswith("The benefit")  # type: ignore[union-attr]
    assert (true_false.kind, true_false.answer, true_false.pool) == ("true-false", False, "pre")
    assert short.accepted == ("SECRET-PALERMO", "Smuggling Protocol")
    assert [(d.plain_text(p.left), d.plain_text(p.right)) for p in matching.pairs] == [
        ("Smuggling", "SECRET-BENEFIT"), ("Trafficking", "SECRET-EXPLOITATION"),
        ("Corruption", "SECRET-BRIBE")]
    assert essay.kind == "essay" and essay.typed and len(essay.model_answer) == 1
    assert [q.ordinal for q in (choice, true_false, short, matching, essay)] == [1, 2, 3, 4, 5]


def test_the_prompt_is_the_block_without_its_list() -> None:
    body = parse_body(QUESTIONS, path="m.md", first_line=1).body
    block = body.blocks[0]
    assert isinstance(block, d.NamedBlock) and block.question is not None
    assert block.blocks == block.question.prompt
    assert [type(b).__name__ for b in block.blocks] == ["Paragraph"]


def test_an_untyped_question_stays_an_essay_with_its_model_answer() -> None:
    (question,) = parsed("::: question\nWhy?\n:::\n\n::: answer\nBecause.\n:::\n")
    assert (question.kind, question.typed, question.id) == ("essay", False, "")
    assert len(question.model_answer) == 1


def test_the_arrow_may_be_written_as_a_character_and_titles_keep_variables() -> None:
    (question,) = parsed("::: question {type=matching}\nM.\n\n- a → b\n- c -> d\n:::\n")
    assert [d.plain_text(p.right) for p in question.pairs] == ["b", "d"]
    body = parse_body("::: case-study In {{ region.name }}\nText.\n:::\n", path="m.md",
                      first_line=1)
    block = body.body.blocks[0]
    assert isinstance(block, d.NamedBlock) and block.title == "In {{ region.name }}"


def test_exercises_name_objectives_and_the_facts_keep_their_columns() -> None:
    body = parse_body("::: exercise Play {objectives=2,x}\nDo.\n:::\n", path="m.md",
                      first_line=5).body
    block = body.blocks[0]
    assert isinstance(block, d.NamedBlock) and block.title == "Play"
    assert block.objectives == (a.ObjectiveReference("2", 5, 31),
                                a.ObjectiveReference("x", 5, 33))
    facts = d.body_facts(body).assessment
    assert facts is not None and facts.items[0].kind == "exercise" and not facts.typed


def test_shuffled_is_reproducible_and_never_the_same_order() -> None:
    items = list(range(5))
    assert a.shuffled(items, "s") == a.shuffled(items, "s") != items
    assert a.shuffled([1, 2], "any") == [2, 1]


def test_objective_keys_prefer_ids() -> None:
    ids = ["name-offences", None, "distinguish"]
    assert [a.objective_key(r, ids) for r in ("1", "2", "distinguish", "4", "nope")] == [
        "name-offences", "2", "distinguish", None, None]


def _edition(tmp_path: Path, edition: str) -> AssembledEdition:
    project = copy_valid(tmp_path / "p")
    project.write(LAW, typed_module())
    validation = project.validation()
    assert validation.ok  # the other modules' objectives are uncovered: TK819 warnings
    return assemble(validation.valid(), EditionRequest("north", edition))


def test_an_edition_collects_questions_with_ids_keys_and_values(tmp_path: Path) -> None:
    edition = _edition(tmp_path, "trainer")
    law = next(m for m in edition_questions(edition) if m.module_id == "law")
    assert [o.key for o in law.objectives] == ["name-offences", "2", "distinguish", "4"]
    assert [(q.question.id, q.question.objectives, q.number) for q in law.questions] == [
        ("benefit", ("name-offences", "distinguish"), "2.1"), ("law-q2", ("2",), "2.2"),
        ("law-q3", ("distinguish",), "2.3"), ("law-q4", ("4",), "2.4"),
        ("law-q5", ("4",), "2.5")]
    prompt = law.questions[0].question.prompt[0]
    assert isinstance(prompt, d.Paragraph) and "North" in d.plain_text(prompt.children)
    assert [(x.kind, x.objectives) for x in law.assessed] == [("exercise", ("2",))]
    assert has_typed_questions(edition)


def test_a_participant_edition_holds_no_answer(tmp_path: Path) -> None:
    edition = _edition(tmp_path, "participant")
    text = repr(edition.modules)
    assert not [secret for secret in SECRETS if secret in text]
    law = next(m for m in edition_questions(edition) if m.module_id == "law")
    matching = law.questions[3].question
    assert [d.plain_text(p.left) for p in matching.pairs] == [
        "Smuggling", "Trafficking", "Corruption"]
    assert [d.plain_text(p.right) for p in matching.pairs] != [
        "SECRET-BENEFIT", "SECRET-EXPLOITATION", "SECRET-BRIBE"]
    assert not any(o.correct for o in law.questions[0].question.options)


def test_the_documented_example_of_every_type_parses_cleanly() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "format.md").read_text(
        encoding="utf-8")
    example = text.split("One example of each type:\n\n```markdown\n", 1)[1].split("```", 1)[0]
    kinds = [question.kind for question in parsed(example)]
    assert kinds == ["choice", "true-false", "short-answer", "matching", "essay"]


def test_a_question_inside_a_trainer_note_is_never_collected(tmp_path: Path) -> None:
    project = copy_valid(tmp_path / "p")
    inner = "::::: trainer-note\n::: question {type=true-false answer=true}\nSECRET-NOTE\n:::\n:::::\n"
    project.write(LAW, typed_module(QUESTIONS + "\n" + inner))
    edition = assemble(project.validation().valid(), EditionRequest("north", "trainer"))
    law = next(m for m in edition_questions(edition) if m.module_id == "law")
    assert len(law.questions) == 5
    assert "SECRET-NOTE" not in repr(law.questions)
