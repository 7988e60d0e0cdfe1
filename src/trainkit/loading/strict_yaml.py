"""A strict, position-keeping YAML loader for untrusted project files.

It walks libyaml's event stream (fast, iterative, so deep nesting cannot overflow the
stack) and builds plain Python values itself, with rules chosen for people, not for
machines: plain scalars stay text except ``true``/``false`` and ``null``/``~``/empty, so
``version: 1.10``, ``country: NO`` and ``duration: 1:30`` keep what the author typed (the
YAML 1.1 surprises are gone, and so are the YAML 1.2 float and octal ones). Tags, anchors,
aliases, duplicate keys, non-text keys, a second document, deep nesting and big inputs
are refused with the position of the offending token.

A duplicate key or a key that is not a word (``true:``, ``~:``, a list) is reported and
left out, and loading goes on, so every such mistake of a file is reported at once. The
other problems stop the load (``failed``); the top-level entries read completely before
the problem are kept apart (``salvaged``) for checks that can use what is valid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml is in PyYAML's wheels; the pure-Python parser is the fallback.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the installed wheel
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 20
MAX_BYTES = 64 * 1024

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Pos:
    """A 1-based line and column in the file that holds the YAML."""

    line: int
    column: int


@dataclass(slots=True)
class YamlProblem:
    """A problem found while loading; ``code`` is a diagnostic code."""

    code: str
    message: str
    pos: Pos
    hint: str | None = None


@dataclass(slots=True)
class LoadedYaml:
    """The loaded value with the position of every key and value, addressed by path."""

    value: Any
    value_pos: dict[Path_, Pos] = field(default_factory=dict)
    key_pos: dict[Path_, Pos] = field(default_factory=dict)
    problems: list[YamlProblem] = field(default_factory=list)
    start: Pos = Pos(1, 1)
    #: The load stopped at a problem: ``value`` is None.
    aborted: bool = False
    #: After an abort, the top-level entries of a mapping read completely before it.
    salvaged: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """True when the document could not be read to its end (value is unusable)."""
        return self.aborted

    def position(self, path: Path_, *, key: bool = False) -> Pos:
        """The best position for ``path``: the exact node, else its nearest ancestor."""
        table = self.key_pos if key else self.value_pos
        probe = path
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.key_pos:
                return self.key_pos[probe]
            probe = probe[:-1]
        return self.value_pos.get((), self.start)


_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


def nearest_position(positions: dict[Path_, Pos], path: Path_, default: Pos) -> Pos:
    """The position of ``path``, else of its nearest recorded ancestor, else ``default``."""
    probe = path
    while probe:
        if probe in positions:
            return positions[probe]
        probe = probe[:-1]
    return default


class _Abort(Exception):
    def __init__(self, problem: YamlProblem) -> None:
        self.problem = problem


def load(text: str, *, first_line: int = 1, max_bytes: int = MAX_BYTES) -> LoadedYaml:
    """Load one YAML document; positions are shifted so line 1 of ``text`` is ``first_line``."""
    result = LoadedYaml(value=None, start=Pos(first_line, 1))
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        result.problems.append(YamlProblem(
            "TK106", f"YAML block is larger than {max_bytes // 1024} KiB", Pos(first_line, 1)))
        result.aborted = True
        return result
    builder = _Builder(result, first_line - 1)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except _Abort as abort:
        builder.give_up(abort.problem)
    except yaml.MarkedYAMLError as error:
        builder.give_up(_syntax_problem(error, text, first_line - 1))
    except yaml.YAMLError as error:  # reader errors: control characters and the like
        builder.give_up(YamlProblem("TK101", _clean(str(error)), Pos(first_line, 1)))
    return result


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, offset: int) -> YamlProblem:
    mark = error.problem_mark or error.context_mark
    pos = Pos(mark.line + 1 + offset, mark.column + 1) if mark is not None else Pos(offset + 1, 1)
    problem = error.problem or "invalid YAML"
    hint = None
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        return YamlProblem("TK101", "a tab is used for indentation", pos,
                           "YAML only allows spaces for indentation; replace the tab with spaces")
    if "mapping values are not allowed" in problem and mark is not None and _colon_before(
            text, mark.line, mark.column):
        return YamlProblem("TK101", "a colon followed by a space inside an unquoted value", pos,
                           "put the value in quotes, e.g. title: \"Evidence: what counts\"")
    bracket = _bracket_problem(error, text, offset)
    if bracket is not None:
        return bracket
    if error.context:
        problem = f"{problem} ({error.context})"
    return YamlProblem("TK101", _clean(problem), pos, hint)


_CLOSING = {"[": "]", "{": "}"}
_READ_AS = {"[": "a list", "{": "a mapping"}


def _bracket_problem(error: yaml.MarkedYAMLError, text: str,
                     offset: int) -> YamlProblem | None:
    """A ``[`` or ``{`` never closed, or a value that starts with one and goes on after
    it closes (``title: [Draft] The law``): reported where the bracket opens."""
    context, problem = error.context_mark, error.problem_mark
    if (error.context or "").startswith("while parsing a flow") and context is not None:
        opener = _char_at(text, context.line, context.column)
        if opener in _CLOSING:
            return YamlProblem(
                "TK101", f"`{opener}` is never closed",
                Pos(context.line + 1 + offset, context.column + 1),
                f"close it with `{_CLOSING[opener]}`, or put the whole value in quotes if "
                "the brackets are part of the text")
    if "did not find expected key" in (error.problem or "") and problem is not None:
        column = _opening_bracket(text, problem.line, problem.column)
        if column is not None:
            opener = _char_at(text, problem.line, column)
            return YamlProblem(
                "TK101", f"a value that starts with `{opener}` is read as {_READ_AS[opener]}, "
                f"and text follows its `{_CLOSING[opener]}`",
                Pos(problem.line + 1 + offset, column + 1),
                "put the whole value in quotes, e.g. title: \"[Draft] The law\"")
    return None


def _opening_bracket(text: str, line: int, column: int) -> int | None:
    """The column of the ``[`` or ``{`` that the ``]`` or ``}`` before ``column`` closes,
    when it starts the value on that line (after ``key: `` or ``- ``)."""
    lines = text.split("\n")
    source = lines[line][:column].rstrip() if line < len(lines) else ""
    if not source or source[-1] not in _CLOSING.values():
        return None
    depth = 0
    for index in range(len(source) - 1, -1, -1):
        char = source[index]
        if char in _CLOSING:
            depth -= 1
        elif char in _CLOSING.values():
            depth += 1
        if depth == 0:
            before = source[:index].rstrip()
            starts_value = before.endswith(":") or before.endswith("-") or not before
            return index if char in _CLOSING and starts_value else None
    return None


def _colon_before(text: str, line: int, column: int) -> bool:
    lines = text.split("\n")
    return line < len(lines) and ": " in lines[line][:column]


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if line < len(lines) and column < len(lines[line]):
        return lines[line][column]
    return ""


def _clean(message: str) -> str:
    return " ".join(message.split())


@dataclass(slots=True)
class _Frame:
    container: dict[str, Any] | list[Any]
    path: Path_
    pending_key: str | None = None
    pending_key_pos: Pos | None = None
    index: int = 0


class _Builder:
    """Turns parser events into values, recording positions and refusing what is unsafe."""

    def __init__(self, result: LoadedYaml, offset: int) -> None:
        self.result = result
        self.offset = offset
        self.stack: list[_Frame] = []
        self.documents = 0
        #: Whole nodes still to leave out (a refused key, then its value), and how deep
        #: inside the current one the events are.
        self.skipping = 0
        self.skip_depth = 0

    def give_up(self, problem: YamlProblem) -> None:
        """Stop at ``problem``: no value, but the top-level entries complete before it.

        An entry still open, or one whose value starts on the problem's line (read only
        up to the problem: ``title: Evidence: what counts`` gave ``Evidence``), is not.
        """
        self.result.problems.append(problem)
        root = self.result.value
        if isinstance(root, dict):
            still_open = {id(frame.container) for frame in self.stack}
            self.result.salvaged = {
                key: value for key, value in root.items()
                if id(value) not in still_open
                and self.result.value_pos[(key,)].line < problem.pos.line}
        self.result.value = None
        self.result.aborted = True

    def pos(self, event: yaml.Event) -> Pos:
        mark = event.start_mark
        if mark is None:
            return Pos(self.offset + 1, 1)
        return Pos(mark.line + 1 + self.offset, mark.column + 1)

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _Abort(YamlProblem("TK101", "more than one YAML document", self.pos(event),
                                         "remove the extra '---' line"))
            return
        if isinstance(event, yaml.AliasEvent):
            raise _Abort(YamlProblem("TK103", f"alias *{event.anchor} is not allowed",
                                     self.pos(event), "write the value out in full"))
        if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._refuse_tags_and_anchors(event)
        if self._skipped(event):
            return
        if isinstance(event, yaml.ScalarEvent):
            self._add(_scalar(event), self.pos(event), event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._open(event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()

    def _skipped(self, event: yaml.Event) -> bool:
        """Whether ``event`` belongs to a node being left out (and count it)."""
        if not self.skipping:
            return False
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.skip_depth += 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.skip_depth -= 1
            if self.skip_depth == 0:
                self.skipping -= 1
        elif isinstance(event, yaml.ScalarEvent) and self.skip_depth == 0:
            self.skipping -= 1
        return True

    def _refuse_key(self, problem: YamlProblem, *, inside_key: bool) -> None:
        """Report a key that is not a word; leave it and its value out."""
        self.result.problems.append(problem)
        self.skipping, self.skip_depth = (2, 1) if inside_key else (1, 0)

    def _refuse_tags_and_anchors(
        self, event: yaml.ScalarEvent | yaml.MappingStartEvent | yaml.SequenceStartEvent,
    ) -> None:
        if event.anchor is not None:
            raise _Abort(YamlProblem("TK103", f"anchor &{event.anchor} is not allowed",
                                     self.pos(event), "write the value out in full"))
        if event.tag not in (None, "!"):
            raise _Abort(YamlProblem("TK103", f"tag {event.tag} is not allowed", self.pos(event),
                                     "remove the tag; trainkit reads plain values only"))

    def _open(self, event: yaml.MappingStartEvent | yaml.SequenceStartEvent) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise _Abort(YamlProblem("TK106", f"YAML is nested more than {MAX_DEPTH} levels deep",
                                     self.pos(event)))
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.container, dict) and top.pending_key is None:
            self._refuse_key(YamlProblem("TK101", "keys must be plain words", self.pos(event),
                                         "use a text key such as `title:`"), inside_key=True)
            return
        container: dict[str, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else [])
        path = self._add(container, self.pos(event), event)
        self.stack.append(_Frame(container, path))

    def _add(self, value: Any, pos: Pos, event: yaml.Event) -> Path_:
        if not self.stack:
            self.result.value = value
            self.result.value_pos[()] = pos
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            path = (*frame.path, frame.index)
            frame.container.append(value)
            frame.index += 1
            self.result.value_pos[path] = pos
            return path
        if frame.pending_key is None:
            return self._take_key(frame, value, pos, event)
        key, frame.pending_key = frame.pending_key, None
        path = (*frame.path, key)
        self.result.value_pos[path] = pos
        if key in frame.container:
            self.result.problems.append(YamlProblem(
                "TK102", f"key `{key}` is given twice", frame.pending_key_pos or pos,
                f"the first `{key}` is on line {self.result.key_pos[path].line}; keep one"))
        else:
            frame.container[key] = value
            self.result.key_pos[path] = frame.pending_key_pos or pos
        return path

    def _take_key(self, frame: _Frame, key: Any, pos: Pos, event: yaml.Event) -> Path_:
        if not isinstance(key, str):
            raw = event.value if isinstance(event, yaml.ScalarEvent) else ""
            self._refuse_key(_not_a_word(raw, key, pos), inside_key=False)
            return frame.path
        frame.pending_key = key
        frame.pending_key_pos = pos
        return frame.path


def _not_a_word(raw: str, key: bool | None, pos: Pos) -> YamlProblem:
    """The problem with a key that YAML reads as true, false or empty."""
    if key is None and not raw:
        return YamlProblem("TK101", "a key is missing before the colon", pos,
                           "write the key, e.g. `title:`")
    reading = "true or false" if isinstance(key, bool) else "an empty value"
    return YamlProblem("TK101", f"key `{raw}` is read as {reading}; keys must be plain words",
                       pos, f'put the key in quotes ("{raw}":) or use a word such as `title:`')


def _scalar(event: yaml.ScalarEvent) -> str | bool | None:
    value: str = event.value
    plain = bool(event.implicit and event.implicit[0])
    if not plain or event.tag == "!":
        return value
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return value
