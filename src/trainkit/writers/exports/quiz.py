"""The quiz page of a SCORM package: a module's auto-gradable questions as a form.

The page is rendered from ``templates/scorm-quiz.html.j2``; ``resources/scorm/quiz.js``
marks it in the browser and reports to the LMS. Its answer key travels with it as JSON
(a quiz marked in the browser cannot hide its key from a determined reader; the LMS only
records what the script reports). The right-hand sides of a matching question are offered
in an order drawn from the question's id, the same at every export.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from trainkit import __version__
from trainkit.labels import numbered
from trainkit.model.assessment import Question
from trainkit.model.edition import AssembledEdition
from trainkit.writers.exports.content import QuestionGroup, QuestionText, plain
from trainkit.writers.html.render import read_resource, render_template, stylesheet

#: Where the quiz script sits in a package.
SCRIPT = "scorm/quiz.js"


def _choice(question: Question, index: int, text: QuestionText) -> dict[str, Any]:
    options = [{"id": f"q{index}-{number}", "html": Markup(text.inlines(option.inlines)),
                "feedback": Markup(text.blocks(option.feedback))}
               for number, option in enumerate(question.options)]
    correct = [n for n, option in enumerate(question.options) if option.correct]
    return {"options": options, "multiple": len(correct) > 1,
            "key": {"correct": correct, "multiple": len(correct) > 1}}


def _matching(question: Question, text: QuestionText) -> dict[str, Any]:
    rights = [plain(pair.right) for pair in question.pairs]
    choices = sorted(set(rights))
    random.Random(question.id).shuffle(choices)
    return {"lefts": [Markup(text.inlines(pair.left)) for pair in question.pairs],
            "choices": choices, "key": {"answers": [choices.index(r) for r in rights]}}


def _question(question: Question, index: int, text: QuestionText, words: dict[str, str],
              number: str) -> dict[str, Any]:
    """What the template shows of a question (``number``: as the edition prints it), and
    its key (``key``)."""
    item: dict[str, Any] = {"index": index, "kind": question.kind,
                            "label": numbered(words["question"], number),
                            "prompt": Markup(text.blocks(question.prompt)),
                            "general": Markup(text.blocks(question.feedback))}
    key: dict[str, Any] = {"kind": question.kind, "points": question.points}
    if question.kind == "choice":
        item.update(_choice(question, index, text))
    elif question.kind == "true-false":
        item["key"] = {"answer": bool(question.answer)}
    elif question.kind == "short-answer":
        item["key"] = {"accepted": list(question.accepted)}
    elif question.kind == "matching":
        item.update(_matching(question, text))
    key.update(item.pop("key", {}))
    item["key"] = key
    return item


def quiz_page(edition: AssembledEdition, group: QuestionGroup, mastery: float,
              image_source: Callable[[str], str], script: str = SCRIPT,
              fonts_css: str = "") -> str:
    """The quiz page of one module (``script``: the quiz script's path from the page;
    ``fonts_css``: the ``@font-face`` rules of fonts in the package)."""
    module = group.module
    words = edition.module_words(module)
    text = QuestionText(edition, module, image_source)
    items = [_question(q, n, text, words, group.numbers.get(q.id) or str(n + 1))
             for n, q in enumerate(group.gradable)]
    key = {"mastery": mastery, "questions": [item.pop("key") for item in items],
           "digits": edition.digits,
           "labels": {"right": words["quiz-right"], "wrong": words["quiz-wrong"],
                      "partly": words["quiz-partly"],
                      "score": words["quiz-score"], "passed": words["quiz-passed"],
                      "failed": words["quiz-failed"], "none": words["quiz-none"]}}
    css = fonts_css + stylesheet(edition, "screen") + read_resource("scorm/quiz.css")
    context = {
        "language": module.language, "direction": module.direction, "words": words,
        "module_title": group.title, "questions": items, "version": __version__,
        "css": Markup(css), "script": script,
        "mastery_text": edition.numeral(f"{mastery:g}"),
        # JSON in a script element: ``<`` escaped, so no ``</script>`` can end it early.
        "key": Markup(json.dumps(key, ensure_ascii=False).replace("<", "\\u003c")),
    }
    return render_template("scorm-quiz.html.j2", context)
