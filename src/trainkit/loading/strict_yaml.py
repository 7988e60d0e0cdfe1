"""A strict, position-keeping YAML loader for untrusted project files.

It walks libyaml's event stream (fast, iterative, so deep nesting cannot overflow the
stack) and builds plain Python values itself, with rules chosen for people, not for
machines: plain scalars stay text except ``true``/``false`` and ``null``/``~``/empty, so
``version: 1.10``, ``country: NO`` and ``duration: 1:30`` keep what the author typed (the
YAML 1.1 surprises are gone, and so are the YAML 1.2 float and octal ones). Tags, anchors,
aliases, duplicate keys, non-text keys, a second document, deep nesting and big inputs
are refused with the position of the offending token.
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

    @property
    def failed(self) -> bool:
        """True when the document could not be read at all (value is unusable)."""
        return any(p.code in _FATAL for p in self.problems)

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


_FATAL = {"TK101", "TK103", "TK106"}
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
        return result
    builder = _Builder(result, first_line - 1)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except _Abort as abort:
        result.problems.append(abort.problem)
        result.value = None
    except yaml.MarkedYAMLError as error:
        result.problems.append(_syntax_problem(error, text, first_line - 1))
        result.value = None
    except yaml.YAMLError as error:  # reader errors: control characters and the like
        result.problems.append(YamlProblem("TK101", _clean(str(error)), Pos(first_line, 1)))
        result.value = None
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
    if error.context:
        problem = f"{problem} ({error.context})"
    return YamlProblem("TK101", _clean(problem), pos, hint)


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
        if isinstance(event, yaml.ScalarEvent):
            self._add(_scalar(event), self.pos(event), is_scalar_key=True, event=event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._open(event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()

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
        container: dict[str, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else [])
        path = self._add(container, self.pos(event), is_scalar_key=False, event=event)
        self.stack.append(_Frame(container, path))

    def _add(self, value: Any, pos: Pos, *, is_scalar_key: bool, event: yaml.Event) -> Path_:
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
            return self._take_key(frame, value, pos, is_scalar_key)
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

    def _take_key(self, frame: _Frame, key: Any, pos: Pos, is_scalar: bool) -> Path_:
        if not is_scalar or not isinstance(key, str):
            raise _Abort(YamlProblem("TK101", "keys must be plain words", pos,
                                     "use a text key such as `title:`"))
        frame.pending_key = key
        frame.pending_key_pos = pos
        return frame.path


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
