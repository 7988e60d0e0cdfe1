"""One module file: read it safely, split the front-matter, validate it, parse the body.

``load_module_file`` needs nothing but the file, so it runs in worker processes and its
result is cached by content hash. Besides the body, a loaded module carries the body's
facts (``document.BodyFacts``): all that ``validate`` needs of it. A module from the cache
decodes its body only when something (a build) first asks for it.

A module whose front-matter has errors has no ``meta``, but keeps what is valid in it
(``partial``, see ``MetaFacts``) for the checks across files.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from trainkit.bidi import text_findings
from trainkit.diagnostics import Diagnostic
from trainkit.loading.resolver import MAX_TEXT_BYTES
from trainkit.loading.schema_messages import valid_fields, validate_model
from trainkit.loading.strict_yaml import LoadedYaml, Path_, Pos, load, nearest_position
from trainkit.model.document import Body, BodyFacts, body_facts
from trainkit.parsing.builder import parse_body
from trainkit.schemas import LegalReference, ModuleMeta
from trainkit.text import closest, slugify

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_FENCE = "---"

#: Gives a module's body when it is first needed (a cache entry decoding it).
BodyLoader = Callable[[], Body | None]
#: A number in front of a module's file name (``01-introduction.md``), not part of its id.
_NUMBERED = re.compile(r"^\d+[-_. ]*")


@dataclass(frozen=True, slots=True)
class MetaFacts:
    """What the checks across files read of a module's front-matter.

    From a valid front-matter, its values (``of``). From one with errors, each value that
    is valid on its own (``partial``): one mistake in a module must not hide its id,
    prerequisites or audiences from the other checks, or they report echoes of it, such
    as every prerequisite that names the module. ``id`` is None when the id itself is
    missing or invalid; ``meant_ids`` are then the ids it was probably meant to be (the
    invalid value, the value of a misspelt ``id`` key, the file name): a reference to one
    of them only repeats the finding about the id, and is not reported.
    """

    id: str | None = None
    version: str | None = None
    prerequisites: tuple[str, ...] = ()
    regions: tuple[str, ...] | None = None
    audiences: tuple[str, ...] = ()
    legal_references: tuple[LegalReference, ...] = ()
    learning_objectives: tuple[str, ...] | None = None
    meant_ids: frozenset[str] = frozenset()

    @classmethod
    def of(cls, meta: ModuleMeta) -> MetaFacts:
        """The facts of a valid front-matter."""
        return cls(meta.id, meta.version, tuple(meta.prerequisites),
                   None if meta.regions is None else tuple(meta.regions),
                   tuple(meta.audiences), tuple(meta.legal_references),
                   tuple(meta.objective_texts))

    @classmethod
    def partial(cls, fields: Mapping[str, Any], meant_ids: frozenset[str]) -> MetaFacts:
        """The facts of a front-matter with errors, from its valid ``fields``."""
        regions = fields.get("regions")
        objectives = fields.get("learning_objectives")
        return cls(fields.get("id"), fields.get("version"),
                   tuple(fields.get("prerequisites", ())),
                   None if regions is None else tuple(regions),
                   tuple(fields.get("audiences", ())),
                   tuple(fields.get("legal_references", ())),
                   None if objectives is None else tuple(objectives),
                   meant_ids)


class ModuleSource:
    """A module file as loaded: its front-matter, its body and its own findings.

    ``body`` is either given, or produced by ``body_loader`` on its first access (then
    kept). ``facts`` are the body's facts for the cross-file checks, None when there is no
    body: ``validate`` reads them, never the body. ``partial`` is what is valid in a
    front-matter with errors (None when ``meta`` is set); ``meta_facts`` gives either.
    """

    __slots__ = ("path", "meta", "partial", "diagnostics", "positions", "start", "_body",
                 "_loader", "_facts", "_meta_facts")

    def __init__(self, path: str, meta: ModuleMeta | None, body: Body | None,
                 diagnostics: list[Diagnostic] | None = None,
                 positions: dict[Path_, Pos] | None = None, start: Pos = Pos(1, 1), *,
                 facts: BodyFacts | None = None, body_loader: BodyLoader | None = None,
                 partial: MetaFacts | None = None) -> None:
        self.path = path
        self.meta = meta
        self.partial = partial
        self._meta_facts: MetaFacts | None = None
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

    @property
    def meta_facts(self) -> MetaFacts:
        """What the checks across files read of the front-matter, valid or not."""
        if self._meta_facts is None:
            self._meta_facts = (MetaFacts.of(self.meta) if self.meta is not None
                                else self.partial or MetaFacts())
        return self._meta_facts

    def position(self, *path: str | int) -> Pos:
        """Where a front-matter value is, for findings about it (nearest known ancestor)."""
        return nearest_position(self.positions, path, self.start)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ModuleSource):
            return NotImplemented
        if self is other:
            return True
        # The cheap fields first: comparing two different modules decodes no body.
        mine = (self.path, self.meta, self.partial, self.diagnostics, self.positions,
                self.start)
        theirs = (other.path, other.meta, other.partial, other.diagnostics, other.positions,
                  other.start)
        return mine == theirs and self.body == other.body and self.facts == other.facts

    __hash__ = None  # type: ignore[assignment]  # mutable, like the data class it was

    def __repr__(self) -> str:
        return (f"ModuleSource(path={self.path!r}, meta={self.meta!r}, "
                f"diagnostics={self.diagnostics!r})")

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickled (or copied) with its body, not with the loader that would decode it."""
        return _restored, (self.path, self.meta, self.body, self.diagnostics, self.positions,
                           self.start, self._facts, self.partial)


def _restored(path: str, meta: ModuleMeta | None, body: Body | None,
              diagnostics: list[Diagnostic], positions: dict[Path_, Pos], start: Pos,
              facts: BodyFacts | None, partial: MetaFacts | None = None) -> ModuleSource:
    return ModuleSource(path, meta, body, diagnostics, positions, start, facts=facts,
                        partial=partial)


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
        return ModuleSource(relative, None, None, findings, partial=_partial_facts({}, relative))
    split = split_front_matter(text, relative)
    if isinstance(split, Diagnostic):
        return ModuleSource(relative, None, None, [*findings, split],
                            partial=_partial_facts({}, relative))
    yaml_text, body_text, body_line = split
    loaded = load(yaml_text, first_line=2)
    findings += [Diagnostic(relative, p.pos.line, p.pos.column, p.code, p.message, p.hint)
                 for p in loaded.problems]
    meta = _validated_meta(loaded, relative, findings)
    partial = None if meta is not None else _partial_facts(
        loaded.value if isinstance(loaded.value, dict) else loaded.salvaged, relative)
    parsed = parse_body(body_text, path=relative, first_line=body_line)
    findings += parsed.diagnostics
    return ModuleSource(relative, meta, parsed.body, findings, loaded.value_pos, Pos(1, 1),
                        facts=body_facts(parsed.body), partial=partial)


def _partial_facts(values: Mapping[str, Any], relative: str) -> MetaFacts:
    """What is valid in a front-matter with errors, and the ids it may have meant."""
    fields = valid_fields(ModuleMeta, values)
    meant = frozenset() if "id" in fields else _meant_ids(values, relative)
    return MetaFacts.partial(fields, meant)


def _meant_ids(values: Mapping[str, Any], relative: str) -> frozenset[str]:
    """The ids a module whose id is missing or invalid was probably meant to have: the
    invalid value, the value of a misspelt ``id`` key (``idd:``), and its file name
    without a leading number."""
    stem = PurePosixPath(relative).stem
    guesses = {stem, _NUMBERED.sub("", stem)}
    known = list(ModuleMeta.model_fields)
    for key, value in values.items():
        if isinstance(value, str) and (key == "id" or (
                key not in known and closest(key.casefold(), known) == "id")):
            guesses |= {value.strip(), slugify(value)}
    return frozenset(guess for guess in guesses if guess)


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
