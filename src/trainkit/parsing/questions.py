"""Typed questions from ``::: question {...}`` blocks: the options, pairs and accepted
answers written as the last bullet list of the block, and the attributes of the fence.

``Assessor.named`` turns a parsed named block into its typed form (``question`` field, or
the objectives of an exercise or case study); ``attach_answers`` copies the ``::: answer``
after a question into it. Findings are TK801-TK814 and TK817 (docs/diagnostics.md).
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from trainkit.model import assessment as a
from trainkit.model import document as d
from trainkit.parsing.attributes import Attribute, Report, parse_attributes
from trainkit.text import suggestion

_QUESTION_KEYS = ("type", "objectives", "points", "difficulty", "id", "pool", "answer")
_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_BOXES = {"[x] ": True, "[X] ": True, "[ ] ": False}
_ARROWS = ("->", "→")


def _choices(words: tuple[str, ...]) -> str:
    return ", ".join(words)


class Assessor:
    """Builds the typed form of named blocks, numbering questions in source order."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.count = 0

    def named(self, block: d.NamedBlock, group: str | None, source: str,
              column: int) -> d.NamedBlock:
        """``block`` with its question or objectives, from the attribute ``group``."""
        if block.kind == "question":
            self.count += 1
            return self.question(block, group, source, column)
        if group is None:
            return block
        attributes = parse_attributes(group, source, block.line, self.report)
        if block.kind not in ("exercise", "case-study"):
            self.report("TK817", block.line, source.rfind("{") + 1,
                        f"block `{block.kind}` takes no attributes",
                        "only question, exercise and case-study blocks have attributes")
            return block
        for key, attribute in attributes.items():
            if key != "objectives":
                self.unknown(block, attribute, ("objectives",))
        found = attributes.get("objectives")
        if found is None:
            return block
        return replace(block, objectives=a.references(
            _split(found.value), block.line, found.value_column))

    def unknown(self, block: d.NamedBlock, attribute: Attribute, known: tuple[str, ...]) -> None:
        self.report("TK802", block.line, attribute.column,
                    f"`{block.kind}` blocks have no attribute `{attribute.key}`",
                    suggestion(attribute.key, known) or f"attributes: {_choices(known)}")

    def question(self, block: d.NamedBlock, group: str | None, source: str,
                 column: int) -> d.NamedBlock:
        attributes = ({} if group is None
                      else parse_attributes(group, source, block.line, self.report))
        for key, attribute in attributes.items():
            if key not in _QUESTION_KEYS:
                self.unknown(block, attribute, _QUESTION_KEYS)
        kind = self.kind(block, attributes.get("type"))
        question = a.Question(
            "", kind, block.blocks, line=block.line, ordinal=self.count,
            typed=group is not None, points=self.points(block, attributes.get("points")),
            difficulty=self.difficulty(block, attributes.get("difficulty")),
            pool=self.pool(block, attributes.get("pool")),
            answer=self.true_false(block, kind, attributes.get("answer"), column))
        question = self.identify(block, question, attributes)
        question = _Content(self.report, block, column).build(question)
        return replace(block, blocks=question.prompt, question=question)

    def identify(self, block: d.NamedBlock, question: a.Question,
                 attributes: dict[str, Attribute]) -> a.Question:
        """``question`` with its ``id=`` and ``objectives=``."""
        found = attributes.get("id")
        if found is not None:
            if re.match(_SLUG, found.value) is None:
                self.report("TK806", block.line, found.value_column,
                            f"question id `{found.value}` is not a slug",
                            "write lower-case words joined by hyphens, e.g. id=benefit-element")
            else:
                question = replace(question, id=found.value, id_column=found.column)
        objectives = attributes.get("objectives")
        if objectives is not None:
            question = replace(question, objectives=_split(objectives.value),
                               objectives_column=objectives.value_column)
        return question

    def kind(self, block: d.NamedBlock, found: Attribute | None) -> a.QuestionKind:
        if found is None:
            return "essay"
        for kind in a.QUESTION_KINDS:
            if kind == found.value:
                return kind
        self.report("TK801", block.line, found.value_column,
                    f"unknown question type `{found.value}`",
                    suggestion(found.value, a.QUESTION_KINDS)
                    or f"types: {_choices(a.QUESTION_KINDS)}")
        return "essay"

    def points(self, block: d.NamedBlock, found: Attribute | None) -> float:
        if found is None:
            return 1.0
        try:
            value = float(found.value)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value <= 0:
            self.report("TK804", block.line, found.value_column,
                        f"points must be a positive number, not `{found.value}`",
                        "write e.g. points=2 or points=0.5")
            return 1.0
        return value

    def difficulty(self, block: d.NamedBlock, found: Attribute | None) -> a.Difficulty | None:
        if found is None:
            return None
        for value in a.DIFFICULTIES:
            if value == found.value:
                return value
        self.report("TK805", block.line, found.value_column,
                    f"unknown difficulty `{found.value}`", "write difficulty=easy, medium or hard")
        return None

    def pool(self, block: d.NamedBlock, found: Attribute | None) -> a.Pool | None:
        if found is None:
            return None
        for value in a.POOLS:
            if value == found.value:
                return value
        self.report("TK807", block.line, found.value_column, f"unknown pool `{found.value}`",
                    "write pool=pre, post or both")
        return None

    def true_false(self, block: d.NamedBlock, kind: a.QuestionKind, found: Attribute | None,
                   column: int) -> bool | None:
        if kind != "true-false":
            if found is not None:
                self.report("TK813", block.line, found.column,
                            f"`answer=` is for true-false questions, not `{kind}`",
                            "mark the right options or answers in the list instead")
            return None
        if found is None:
            self.report("TK813", block.line, column, "a true-false question without `answer=`",
                        "add answer=true or answer=false to the attributes")
            return None
        if found.value not in ("true", "false"):
            self.report("TK813", block.line, found.value_column,
                        f"`answer=` of a true-false question must be true or false, "
                        f"not `{found.value}`", "write answer=true or answer=false")
            return None
        return found.value == "true"


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


class _Content:
    """The options, accepted answers or pairs of a question: its last bullet list."""

    def __init__(self, report: Report, block: d.NamedBlock, column: int) -> None:
        self.report, self.block, self.column = report, block, column

    def build(self, question: a.Question) -> a.Question:
        if question.kind in ("essay", "true-false"):
            return question
        listed = [i for i, b in enumerate(question.prompt) if isinstance(b, d.BulletList)]
        if not listed:
            self.missing(question.kind, 0)
            return question
        position = listed[-1]
        found = question.prompt[position]
        assert isinstance(found, d.BulletList)
        prompt = question.prompt[:position] + question.prompt[position + 1:]
        question = replace(question, prompt=prompt)
        if question.kind == "choice":
            options = tuple(o for o in map(self.option, found.items) if o is not None)
            if options and not any(option.correct for option in options):
                self.report("TK809", self.block.line, self.column,
                            "a choice question with no correct option",
                            "mark the correct option(s) with `[x]`")
            return replace(question, options=options)
        if question.kind == "short-answer":
            accepted = tuple(d.plain_text(_unboxed(item)[1]).strip() for item in found.items)
            accepted = tuple(answer for answer in accepted if answer)
            if not accepted:
                self.missing("short-answer", 0)
            return replace(question, accepted=accepted)
        pairs = tuple(p for p in map(self.pair, found.items) if p is not None)
        if len(pairs) < 2:
            self.missing("matching", len(pairs))
        return replace(question, pairs=pairs)

    def missing(self, kind: str, pairs: int) -> None:
        line, column = self.block.line, self.column
        if kind == "choice":
            self.report("TK808", line, column, "a choice question without options",
                        "list the options as a task list: `- [x] right` and `- [ ] wrong`")
        elif kind == "short-answer":
            self.report("TK814", line, column, "a short-answer question without accepted answers",
                        "list them as `- [x] accepted answer`")
        else:
            self.report("TK812", line, column,
                        f"a matching question needs at least 2 pairs; it has {pairs}",
                        "list the pairs as `- left -> right`")

    def option(self, item: d.ListItem) -> a.Option | None:
        correct, inlines = _unboxed(item)
        if correct is None:
            self.report("TK810", _line(item, self.block.line), self.column,
                        f"option \"{d.plain_text(inlines).strip()}\" has no box",
                        "write `- [x] text` for a correct option, `- [ ] text` for a wrong one")
            return None
        feedback = tuple(inner for b in item.blocks[1:] if isinstance(b, d.BlockQuote)
                         for inner in b.blocks)
        return a.Option(inlines, correct, feedback, _line(item, self.block.line))

    def pair(self, item: d.ListItem) -> a.MatchPair | None:
        _, inlines = _unboxed(item)
        for index, node in enumerate(inlines):
            if not isinstance(node, d.Text):
                continue
            for arrow in _ARROWS:
                if arrow in node.text:
                    before, _, after = node.text.partition(arrow)
                    left = _trimmed((*inlines[:index], d.Text(before)))
                    right = _trimmed((d.Text(after), *inlines[index + 1:]))
                    return a.MatchPair(left, right, _line(item, self.block.line))
        self.report("TK811", _line(item, self.block.line), self.column,
                    f"matching pair \"{d.plain_text(inlines).strip()}\" has no `->`",
                    "write `- left -> right`")
        return None


def _line(item: d.ListItem, default: int) -> int:
    first = item.blocks[0] if item.blocks else None
    return getattr(first, "line", 0) or default


def _unboxed(item: d.ListItem) -> tuple[bool | None, tuple[d.Inline, ...]]:
    """Whether the item's box is ticked (None: no box), and its first paragraph's inlines
    without the box."""
    first = item.blocks[0] if item.blocks else None
    inlines = first.children if isinstance(first, d.Paragraph) else ()
    head = inlines[0] if inlines else None
    if isinstance(head, d.Text):
        for box, ticked in _BOXES.items():
            if head.text.startswith(box):
                rest = head.text[len(box):]
                return ticked, ((d.Text(rest),) if rest else ()) + inlines[1:]
    return None, inlines


def _trimmed(inlines: tuple[d.Inline, ...]) -> tuple[d.Inline, ...]:
    """``inlines`` without spaces at either end (and without empty texts)."""
    nodes = list(inlines)
    if nodes and isinstance(nodes[0], d.Text):
        nodes[0] = d.Text(nodes[0].text.lstrip())
    if nodes and isinstance(nodes[-1], d.Text):
        nodes[-1] = d.Text(nodes[-1].text.rstrip())
    return tuple(n for n in nodes if not (isinstance(n, d.Text) and not n.text))


def attach_answers(blocks: tuple[d.Block, ...]) -> tuple[d.Block, ...]:
    """``blocks`` with each typed question holding the ``::: answer`` that follows it (its
    model answer for an essay, its feedback otherwise)."""
    result = list(blocks)
    for index in range(len(result) - 1):
        block, following = result[index], result[index + 1]
        if (isinstance(block, d.NamedBlock) and block.question is not None
                and isinstance(following, d.NamedBlock) and following.kind == "answer"):
            question = block.question
            question = (replace(question, model_answer=following.blocks)
                        if question.kind == "essay"
                        else replace(question, feedback=following.blocks))
            result[index] = replace(block, question=question)
    return tuple(result)
