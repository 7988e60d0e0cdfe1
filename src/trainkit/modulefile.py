"""One module file: read it safely, split the front-matter, validate it, parse the body.

``load_module_file`` needs nothing but the file, so it runs in worker processes and its
result is cached by content hash. Besides the body, a loaded module carries the body's
facts (``document.BodyFacts``): all that ``validate`` needs of it. A module from the cache
decodes its body only when something (a build) first asks for it.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from trainkit.bidi import text_findings
from trainkit.diagnostics import Diagnostic
from trainkit.document import Body, BodyFacts, body_facts
from trainkit.parsing import parse_body
from trainkit.resolver import MAX_TEXT_BYTES
from trainkit.schema_errors import validate_model
from trainkit.schemas import ModuleMeta
from trainkit.yamlsafe import LoadedYaml, Path_, Pos, load, nearest_position

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_FENCE = "---"

#: Gives a module's body when it is first needed (a cache entry decoding it).
BodyLoader = Callable[[], Body | None]


class ModuleSource:
    """A module file as loaded: its front-matter, its body and its own findings.

    ``body`` is either given, or produced by ``body_loader`` on its first access (then
    kept). ``facts`` are the body's facts for the cross-file checks, None when there is no
    body: ``validate`` reads them, never the body.
    """

    __slots__ = ("path", "meta", "diagnostics", "positions", "start", "_body", "_loader",
                 "_facts")

    def __init__(self, path: str, meta: ModuleMeta | None, body: Body | None,
                 diagnostics: list[Diagnostic] | None = None,
                 positions: dict[Path_, Pos] | None = None, start: Pos = Pos(1, 1), *,
                 facts: BodyFacts | None = None, body_loader: BodyLoader | None = None,
                 ) -> None:
        self.path = path
        self.meta = meta
        self.diagnostics: list[Diagnostic] = [] if diagnostics is None else diagnostics
        self.positions: dict[Path_, Pos] = {} if positions is None else positions
        self.start = start
        self._body = body
        self._loader = body_loader if body is None else None
        self._facts = facts

    @property
    def body(self) -> Body | None:
        """The parsed body (None if the file could not be split or read)."""
        if self._loader is not None:
            self._body, self._loader = self._loader(), None
        return self._body

    @body.setter
    def body(self, body: Body | None) -> None:
        self._body, self._loader, self._facts = body, None, None

    @property
    def facts(self) -> BodyFacts | None:
        """What the cross-file checks need of the body; None when there is no body."""
        if self._facts is None:
            body = self.body
            self._facts = None if body is None else body_facts(body)
        return self._facts

    def position(self, *path: str | int) -> Pos:
        """Where a front-matter value is, for findings about it (nearest known ancestor)."""
        return nearest_position(self.positions, path, self.start)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ModuleSource):
            return NotImplemented
        if self is other:
            return True
        # The cheap fields first: comparing two different modules decodes no body.
        return ((self.path, self.meta, self.diagnostics, self.positions, self.start)
                == (other.path, other.meta, other.diagnostics, other.positions, other.start)
                and self.body == other.body and self.facts == other.facts)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the data class it was

    def __repr__(self) -> str:
        return (f"ModuleSource(path={self.path!r}, meta={self.meta!r}, "
                f"diagnostics={self.diagnostics!r})")

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickled (or copied) with its body, not with the loader that would decode it."""
        return _restored, (self.path, self.meta, self.body, self.diagnostics, self.positions,
                           self.start, self._facts)


def _restored(path: str, meta: ModuleMeta | None, body: Body | None,
              diagnostics: list[Diagnostic], positions: dict[Path_, Pos], start: Pos,
              facts: BodyFacts | None) -> ModuleSource:
    return ModuleSource(path, meta, body, diagnostics, positions, start, facts=facts)


def read_text(path: Path, relative: str, max_bytes: int = MAX_TEXT_BYTES,
              ) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text of a project file with control characters removed, or findings.

    Bidirectional control characters are kept, each line's first one reported (TK510).

    ``path`` is the project folder joined with ``relative``. Only a regular file that
    really lies inside the project is read: a link to a file elsewhere is refused, and so
    is a FIFO or a device, which could block the read forever or never end.
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return None, [Diagnostic(relative, 1, 1, "TK001",
                                     "cannot read the file: it is not a regular file")]
        if not _inside_project(path, relative):
            return None, [Diagnostic(relative, 1, 1, "TK502",
                                     "the file is a link to a file outside the project folder",
                                     "keep every file the manual uses inside the project folder")]
        raw = path.read_bytes() if info.st_size <= max_bytes else None
    except OSError as error:
        return None, [Diagnostic(relative, 1, 1, "TK001", f"cannot read the file: {error.strerror}")]
    if raw is None:
        return None, [Diagnostic(relative, 1, 1, "TK001",
                                 f"the file is larger than {max_bytes // (1024 * 1024)} MiB",
                                 "split the module into smaller ones")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return None, [Diagnostic(relative, line, column, "TK001", "the file is not UTF-8 text",
                                 "save the file with UTF-8 encoding")]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    bidi = text_findings(text, relative)
    stripped, findings = _strip_controls(text, relative)
    return stripped, [*findings, *bidi]


def _inside_project(path: Path, relative: str) -> bool:
    """Whether ``path`` (the project folder joined with ``relative``) resolves inside it."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
        return False
    root = path.absolute().parents[len(parts) - 1]
    return path.resolve().is_relative_to(root.resolve())


def _strip_controls(text: str, relative: str) -> tuple[str, list[Diagnostic]]:
    findings: list[Diagnostic] = []
    if _CONTROL.search(text) is None:
        return text, findings
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        match = _CONTROL.search(line)
        if match:
            findings.append(Diagnostic(
                relative, number, match.start() + 1, "TK509",
                f"control character U+{ord(match.group(0)):04X} in the text is removed",
                "delete it; it is invisible and cannot be printed"))
    return _CONTROL.sub("", text), findings


def load_module_file(path: Path, relative: str) -> ModuleSource:
    """Load and parse one module file; every problem becomes a finding, never an exception."""
    text, findings = read_text(path, relative)
    if text is None:
        return ModuleSource(relative, None, None, findings)
    split = split_front_matter(text, relative)
    if isinstance(split, Diagnostic):
        return ModuleSource(relative, None, None, [*findings, split])
    yaml_text, body_text, body_line = split
    loaded = load(yaml_text, first_line=2)
    findings += [Diagnostic(relative, p.pos.line, p.pos.column, p.code, p.message, p.hint)
                 for p in loaded.problems]
    meta = _validated_meta(loaded, relative, findings)
    parsed = parse_body(body_text, path=relative, first_line=body_line)
    findings += parsed.diagnostics
    return ModuleSource(relative, meta, parsed.body, findings, loaded.value_pos, Pos(1, 1),
                        facts=body_facts(parsed.body))


def _validated_meta(loaded: LoadedYaml, relative: str,
                    findings: list[Diagnostic]) -> ModuleMeta | None:
    if loaded.failed:
        return None
    if not isinstance(loaded.value, dict):
        shape = "empty" if loaded.value is None else (
            "a list" if isinstance(loaded.value, list) else "a single value")
        findings.append(Diagnostic(relative, 1, 1, "TK105",
                                   f"the front-matter is {shape}, not a mapping of keys to values",
                                   "write one `key: value` per line, starting with `id:`"))
        return None
    meta, problems = validate_model(ModuleMeta, loaded, relative)
    findings.extend(problems)
    return meta if isinstance(meta, ModuleMeta) else None


def split_front_matter(text: str, relative: str) -> tuple[str, str, int] | Diagnostic:
    """(YAML text, body text, first line of the body) or a finding saying what is wrong."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        return Diagnostic(relative, 1, 1, "TK104", "the module has no front-matter",
                          "start the file with a line `---`, the front-matter, and `---`")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (_FENCE, "..."):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            return yaml_text, body, index + 2
    return Diagnostic(relative, 1, 1, "TK104", "the front-matter is never closed",
                      "end the front-matter with a line holding only `---`")
