"""Every typed-question finding, with its exact message and location (TK801-TK819)."""

from __future__ import annotations

import pytest

from assessment.samples import OBJECTIVES, QUESTIONS, typed_module
from conftest import LAW, ProjectDir, law_body, module_text

#: ``typed_module`` puts the questions after the section: they start on this line.
START = typed_module().split("\n").index(QUESTIONS.split("\n")[0]) + 1


def findings(project: ProjectDir, questions: str, *, strict: bool = False,
             objectives: str = OBJECTIVES) -> list[str]:
    project.write(LAW, typed_module(QUESTIONS + "\n" + questions, objectives))
    return [f"{d.line}:{d.column} {d.code} {d.message} | {d.hint}"
            for d in project.validate(strict=strict) if d.path == LAW]


#: The line of the first line of ``questions`` passed to ``findings``.
AFTER = START + QUESTIONS.count("\n") + 1
assert typed_module(QUESTIONS + "\n" + "X").split("\n")[AFTER - 1] == "X"


CASES = [
    ("::: question {type=choise}\nP.\n:::\n",
     [f"{AFTER}:20 TK801 unknown question type `choise` | did you mean `choice`?"]),
    ("::: question {typ=essay}\nP.\n:::\n",
     [f"{AFTER}:15 TK802 `question` blocks have no attribute `typ` | did you mean `type`?"]),
    ("::: exercise E {points=2}\nP.\n:::\n",
     [f"{AFTER}:17 TK802 `exercise` blocks have no attribute `points` | "
      "attributes: objectives"]),
    ("::: question {essay}\nP.\n:::\n",
     [f"{AFTER}:15 TK803 `essay` is not an attribute | write key=value words separated by "
      "spaces, e.g. {type=choice points=2}"]),
    ("::: question {points=1 points=2}\nP.\n:::\n",
     [f"{AFTER}:24 TK803 attribute `points` is given twice | keep one of them"]),
    ("::: question {points=0}\nP.\n:::\n",
     [f"{AFTER}:22 TK804 points must be a positive number, not `0` | "
      "write e.g. points=2 or points=0.5"]),
    ("::: question {difficulty=hardest}\nP.\n:::\n",
     [f"{AFTER}:26 TK805 unknown difficulty `hardest` | write difficulty=easy, medium or hard"]),
    ("::: question {id=Q_1}\nP.\n:::\n",
     [f"{AFTER}:18 TK806 question id `Q_1` is not a slug | write lower-case words joined by "
      "hyphens, e.g. id=benefit-element"]),
    ("::: question {pool=mid}\nP.\n:::\n",
     [f"{AFTER}:20 TK807 unknown pool `mid` | write pool=pre, post or both"]),
    ("::: question {type=choice}\nP.\n:::\n",
     [f"{AFTER}:1 TK808 a choice question without options | list the options as a task "
      "list: `- [x] right` and `- [ ] wrong`"]),
    ("::: question {type=choice}\nP.\n\n- [ ] a\n- [ ] b\n:::\n",
     [f"{AFTER}:1 TK809 a choice question with no correct option | mark the correct "
      "option(s) with `[x]`"]),
    ("::: question {type=choice}\nP.\n\n- [x] a\n- b\n:::\n",
     [f"{AFTER + 4}:1 TK810 option \"b\" has no box | write `- [x] text` for a correct "
      "option, `- [ ] text` for a wrong one"]),
    ("::: question {type=matching}\nP.\n\n- a -> b\n- c -> d\n- e = f\n:::\n",
     [f"{AFTER + 5}:1 TK811 matching pair \"e = f\" has no `->` | write `- left -> right`"]),
    ("::: question {type=matching}\nP.\n\n- a -> b\n:::\n",
     [f"{AFTER}:1 TK812 a matching question needs at least 2 pairs; it has 1 | "
      "list the pairs as `- left -> right`"]),
    ("::: question {type=true-false}\nP.\n:::\n",
     [f"{AFTER}:1 TK813 a true-false question without `answer=` | add answer=true or "
      "answer=false to the attributes"]),
    ("::: question {type=true-false answer=yes}\nP.\n:::\n",
     [f"{AFTER}:38 TK813 `answer=` of a true-false question must be true or false, not `yes` "
      "| write answer=true or answer=false"]),
    ("::: question {answer=true}\nP.\n:::\n",
     [f"{AFTER}:15 TK813 `answer=` is for true-false questions, not `essay` | "
      "mark the right options or answers in the list instead"]),
    ("::: question {type=short-answer}\nP.\n:::\n",
     [f"{AFTER}:1 TK814 a short-answer question without accepted answers | "
      "list them as `- [x] accepted answer`"]),
    ("::: question {objectives=2,9,nope}\nP.\n:::\n",
     [f"{AFTER}:28 TK815 objective `9` does not exist in module `law` | the module has 4 "
      "learning objectives: name one by its number (1-4); or an id: name-offences, "
      "distinguish",
      f"{AFTER}:30 TK815 objective `nope` does not exist in module `law` | the module has 4 "
      "learning objectives: name one by its number (1-4); or an id: name-offences, "
      "distinguish"]),
    ("::: question {id=benefit}\nP.\n:::\n",
     [f"{AFTER}:15 TK816 question id `benefit` is used twice in the module | the first "
      f"question with it is on line {START}; give each question its own `id=`"]),
    ("::: question {id=law-q7}\nP.\n:::\n",
     [f"{AFTER}:15 TK816 question id `law-q7` is used twice in the module | the first "
      f"question with it is on line {START}; give each question its own `id=`"]),
    ("::: key-points {objectives=1}\nP.\n:::\n",
     [f"{AFTER}:16 TK817 block `key-points` takes no attributes | only question, exercise "
      "and case-study blocks have attributes"]),
]


@pytest.mark.parametrize(("questions", "expected"), CASES,
                         ids=[c[1][0].split()[1] + "-" + str(i) for i, c in enumerate(CASES)])
def test_each_mistake_is_reported_where_it_is(project: ProjectDir, questions: str,
                                              expected: list[str]) -> None:
    if "law-q7" in questions:  # the 6th question; the first one has id law-q7
        questions = questions.replace("law-q7", "law-q6")
        expected = [e.replace("law-q7", "law-q6") for e in expected]
        project.write(LAW, typed_module(QUESTIONS.replace("id=benefit", "id=law-q6", 1)
                                        + "\n" + questions))
        found = [f"{d.line}:{d.column} {d.code} {d.message} | {d.hint}"
                 for d in project.validate() if d.path == LAW]
        assert found == expected
        return
    assert findings(project, questions) == expected


def test_a_duplicate_objective_id_is_located_in_the_front_matter(project: ProjectDir) -> None:
    objectives = OBJECTIVES.replace("id: distinguish", "id: name-offences")
    found = findings(project, "", objectives=objectives)
    assert found[0] == ("12:10 TK818 learning objective id `name-offences` is given twice | "
                        "give each objective of the module its own id")


def test_an_uncovered_objective_warns_at_the_objective(project: ProjectDir) -> None:
    questions = QUESTIONS.replace("objectives=4 points=3", "points=3").replace(
        "::: question {objectives=4}", "::: question")
    project.write(LAW, typed_module(questions))
    found = [d for d in project.validate() if d.path == LAW]
    assert [(d.path, d.line, d.column, d.code, d.message, d.hint) for d in found] == [
        (LAW, 13, 5, "TK819", "objective 4 (\"Apply the law.\") is assessed by no question, "
         "exercise or case study", "add `objectives=4` to a question, exercise or case study "
         "of module `law`")]
    others = {d.path for d in project.validate()} - {LAW}
    assert others == {"modules/01-intro.md", "modules/regional/north-extra.md"}
    assert project.validation().ok
    assert not project.validation(strict=True).ok


def test_coverage_is_not_checked_without_typed_questions(project: ProjectDir) -> None:
    project.write(LAW, law_body("::: question\nWhy?\n:::\n"))
    assert project.codes(strict=True) == []


def test_objectives_as_id_and_text_validate(project: ProjectDir) -> None:
    project.write(LAW, module_text(learning_objectives="\n  - {id: a, text: Do it.}\n  - Two."))
    assert project.codes(strict=True) == []


def test_a_bad_objective_entry_is_located_in_the_front_matter(project: ProjectDir) -> None:
    objectives = ("\n  - {id: Bad Id, text: Name the offences.}\n  - {text: No id}"
                  "\n  - {id: ok, text: T, extra: 1}\n  - [a, b]")
    project.write(LAW, module_text(learning_objectives=objectives))
    found = [(d.line, d.column, d.code, d.message) for d in project.validate()]
    assert found == [
        (10, 10, "TK203", "`learning_objectives.0.id` is `Bad Id`, which is not allowed here"),
        (11, 5, "TK202", "required key `id` is missing in `learning_objectives.1`"),
        (12, 23, "TK201", "unknown key `extra`"),
        (13, 5, "TK203", "`learning_objectives.3` must be text, not a list")]
