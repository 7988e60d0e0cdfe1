"""A cache of loaded module files, keyed by path and content hash.

It lives in ``.trainkit-cache/`` in the project and is safe to delete at any time. One
file holds every entry, so a warm run reads one file; it is rewritten atomically, only
when something changed, keeping just the entries this run used.

Each entry is one module encoded on its own (``encode``/``decode``), in two parts: the
head (front-matter, findings, positions and the body's facts) and the body. ``validate``
needs only the heads, so a warm validation never rebuilds the hundreds of thousands of
nodes of a large manual. Bodies stay encoded in a ``LazyBodies`` batch until something (a
build) first asks for one; then the batch decodes them all at once, with the collector
paused and then frozen, as a load of the whole project used to. A module parsed in a
worker process crosses to the parent as these bytes and goes into the cache as the same
bytes, without being pickled a second time. The encoding is pickle, made fast and safe:

- the document model's frozen, slotted dataclasses are pickled as ``(class, field
  values)`` and rebuilt by calling the class. The dataclasses' own ``__getstate__`` and
  ``__setstate__`` call ``dataclasses.fields()`` for every node, which made warm runs of
  large manuals spend most of their time in unpickling;
- decoding only accepts the classes a module is made of (``_ALLOWED``, and data classes
  of trainkit's own modules): the cache is a file in the project folder, and an
  unrestricted unpickler would run any code written into it;
- the file starts with a seal (``trainkit.loading.seal``) made with a key kept outside the project,
  so a cache file committed to a project is ignored rather than trusted;
- the file header holds a fingerprint of those classes' fields (and of the Python and
  Pydantic versions), so a change to the model invalidates old caches instead of
  rebuilding nodes from misplaced values;
- the cyclic garbage collector is paused while many nodes are created (``gc_paused``):
  otherwise its full collections walk every node already built again and again;
- a body that no longer decodes (a damaged file) is parsed again from its module file.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import operator
import os
import pickle
import sys
from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Any, TypeGuard

from pydantic import VERSION as PYDANTIC_VERSION
from pydantic import BaseModel

from trainkit import __version__
from trainkit.loading import seal
from trainkit.model import assessment, document
from trainkit.diagnostics import Diagnostic, Severity
from trainkit.loading.module_file import BodyLoader, MetaFacts, ModuleSource
from trainkit.schemas import LearningObjective, LegalReference, ModuleMeta, Status
from trainkit.files import atomic_target
from trainkit.loading.strict_yaml import Pos
from trainkit.runtime import gc_paused

#: Raised whenever parsing or reading gives other findings for the same text: an entry of
#: an older format is a miss, never findings of an older trainkit.
_FORMAT = 4
_FILE = f"modules-{__version__}-v{_FORMAT}.pickle"
_MAGIC = "trainkit-module-cache"
_PROTOCOL = pickle.HIGHEST_PROTOCOL
#: What a cache file starts with, before its seal (``trainkit.loading.seal``) and its pickle.
_SEALED = b"trainkit-sealed-1\n"

Reducer = Callable[[Any], tuple[type, tuple[Any, ...]]]
#: A module as the cache holds it: its encoded head, and its encoded body (None: no body).
Encoded = tuple[bytes, bytes | None]
#: Parses a module file again, by its project-relative path: its body, when the encoded
#: one no longer decodes.
Reparse = Callable[[str], document.Body | None]
#: What ``encode`` puts in a head: path, meta, findings, positions, start, facts and the
#: valid part of a front-matter with errors.
_HEAD_FIELDS = 7
#: From this many modules on, what loading (or a batch of bodies) built is frozen out of
#: the collector's sight: a build walks on with it. Measured: a cold 15-module DOCX build
#: took 0.55 s with the collector walking the modules' nodes again and again, 0.49 s
#: without (the limit was 48).
FREEZE_FROM = 8


def _model_classes() -> list[type]:
    """The dataclasses a loaded module is made of, pickled as (class, field values)."""
    classes: list[type] = [
        value for module in (document, assessment) for value in vars(module).values()
        if isinstance(value, type) and is_dataclass(value)
        and value.__module__ == module.__name__]
    return [*classes, Pos, Diagnostic, MetaFacts]


def _reducer(cls: type) -> Reducer | None:
    """``obj -> (cls, field values)``, if calling ``cls`` with them rebuilds ``obj``."""
    declared = fields(cls)
    if hasattr(cls, "__post_init__") or any(not f.init or f.kw_only for f in declared):
        return None
    names = [f.name for f in declared]
    if not names:
        return lambda obj: (cls, ())
    if len(names) == 1:
        one = operator.attrgetter(names[0])
        return lambda obj: (cls, (one(obj),))
    many = operator.attrgetter(*names)
    return lambda obj: (cls, many(obj))


def _build_codec() -> tuple[dict[type, Reducer], dict[tuple[str, str], type], str]:
    reducers: dict[type, Reducer] = {}
    layout: list[str] = []
    for cls in _model_classes():
        reducer = _reducer(cls)
        if reducer is not None:
            reducers[cls] = reducer
        layout.append(f"{cls.__module__}.{cls.__qualname__}"
                      f"({','.join(f.name for f in fields(cls))})")
    for model in (ModuleMeta, LegalReference, LearningObjective):
        layout.append(f"{model.__module__}.{model.__qualname__}({','.join(model.model_fields)})")
    allowed = [*_model_classes(), ModuleMeta, LegalReference, LearningObjective, Status, Severity,
               datetime.date, datetime.datetime, datetime.time]
    by_name = {(cls.__module__, cls.__qualname__): cls for cls in allowed}
    versions = f"{_FORMAT}|{__version__}|{sys.version_info[:2]}|pydantic {PYDANTIC_VERSION}"
    fingerprint = hashlib.sha256(f"{versions}|{';'.join(layout)}".encode())
    return reducers, by_name, fingerprint.hexdigest()[:16]


_REDUCERS, _ALLOWED, _FINGERPRINT = _build_codec()


class _Unpickler(pickle.Unpickler):
    """Rebuilds only the classes a module is made of; anything else is refused."""

    def find_class(self, module: str, name: str) -> Any:
        found = _ALLOWED.get((module, name))
        if found is None and module.startswith("trainkit.") and "." not in name:
            # A model class added since this list was written: a data class, never a
            # function, and only from a module that is already imported.
            candidate = getattr(sys.modules.get(module), name, None)
            if isinstance(candidate, type) and (
                    is_dataclass(candidate) or issubclass(candidate, (BaseModel, Enum))):
                found = candidate
        if found is None:
            raise pickle.UnpicklingError(f"the module cache may not hold {module}.{name}")
        return found


def encode(module: ModuleSource) -> Encoded:
    """``module`` as bytes for the cache (or to cross a process boundary)."""
    head = (module.path, module.meta, module.diagnostics, module.positions, module.start,
            module.facts, module.partial)
    body = module.body
    return _dumps(head), (None if body is None else _dumps(body))


def decode(encoded: Encoded, bodies: LazyBodies) -> ModuleSource | None:
    """The module ``encode`` wrote, or None if ``encoded`` is not one (stale or damaged).

    Only the head is decoded now; the body waits in ``bodies`` until it is asked for.
    """
    head_blob, body_blob = encoded
    try:
        head = _loads(head_blob)
    except Exception:  # noqa: BLE001 - a damaged cache entry is only a cache miss
        return None
    if not _is_head(head) or (head[5] is None) != (body_blob is None):
        return None
    path, meta, diagnostics, positions, start, facts, partial = head
    loader = None if body_blob is None else bodies.add(path, body_blob)
    return ModuleSource(path, meta, None, diagnostics, positions, start, facts=facts,
                        body_loader=loader, partial=partial)


class LazyBodies:
    """Encoded bodies of one loaded project; the first body asked for decodes them all.

    A build needs (nearly) every body: decoding them in one go lets the collector be
    paused, and what was built be frozen out of its sight, once (``gc_paused``), instead
    of it walking the new nodes again and again during the build (0.5 s or more for a
    1,000-module manual). That happens when a build starts assembling, right after the
    project was loaded and checked, as the freeze at the end of loading used to.
    ``reparse`` gives the body of a module whose encoded body does not decode.
    """

    def __init__(self, reparse: Reparse) -> None:
        self.reparse = reparse
        self.pending: dict[str, bytes] = {}
        self.decoded: dict[str, document.Body | None] = {}

    def add(self, path: str, blob: bytes) -> BodyLoader:
        """Keep the body of module ``path``; the loader gives it when it is first needed."""
        self.pending[path] = blob
        return partial(self.take, path)

    def take(self, path: str) -> document.Body | None:
        """The body of module ``path`` (each is taken once: its module keeps it)."""
        if path not in self.decoded:
            self._decode_pending()
        if path not in self.decoded:
            return self.reparse(path)
        return self.decoded.pop(path)

    def _decode_pending(self) -> None:
        with gc_paused(freeze=len(self.pending) >= FREEZE_FROM):
            for path, blob in self.pending.items():
                self.decoded[path] = _body_or_reparse(blob, path, self.reparse)
        self.pending.clear()


def _dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=_PROTOCOL)
    pickler.dispatch_table = _REDUCERS
    pickler.dump(value)
    return buffer.getvalue()


def _loads(blob: bytes) -> Any:
    return _Unpickler(io.BytesIO(blob)).load()


def _is_head(head: object) -> bool:
    """Whether ``head`` has the shape ``encode`` gives a module's head."""
    if not isinstance(head, tuple) or len(head) != _HEAD_FIELDS:
        return False
    path, meta, diagnostics, positions, start, facts, partial = head
    return (isinstance(path, str) and (meta is None or isinstance(meta, ModuleMeta))
            and isinstance(diagnostics, list)
            and all(isinstance(item, Diagnostic) for item in diagnostics)
            and isinstance(positions, dict) and isinstance(start, Pos)
            and (facts is None or isinstance(facts, document.BodyFacts))
            and (partial is None or isinstance(partial, MetaFacts)))


def _body_or_reparse(blob: bytes, path: str, reparse: Reparse) -> document.Body | None:
    """The body encoded in ``blob``; if it does not decode, the body ``reparse`` gives."""
    try:
        body = _loads(blob)
    except Exception:  # noqa: BLE001 - a damaged entry: parse the file again
        return reparse(path)
    return body if isinstance(body, document.Body) else reparse(path)


class ModuleCache:
    """Encoded modules by ``sha256(path + content)``, scoped to one trainkit version."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.entries: dict[str, Encoded] = self._read()
        self.used: dict[str, Encoded] = {}
        self.changed = False

    @staticmethod
    def key(relative: str, content: bytes) -> str:
        return hashlib.sha256(relative.encode() + b"\0" + content).hexdigest()

    def get(self, key: str, bodies: LazyBodies) -> ModuleSource | None:
        """The module stored under ``key`` (its body waiting in ``bodies``), or None."""
        encoded = self.entries.get(key)
        if encoded is None:
            return None
        module = decode(encoded, bodies)
        if module is not None:
            self.used[key] = encoded
        return module

    def put(self, key: str, module: ModuleSource, encoded: Encoded | None = None) -> None:
        """Store ``module``; ``encoded`` is its encoding when the caller already has it."""
        self.used[key] = encoded if encoded is not None else encode(module)
        self.changed = True

    def save(self) -> None:
        """Write the entries used in this run, if anything changed; failures are ignored."""
        if not self.changed and len(self.used) == len(self.entries):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
            payload = pickle.dumps((_MAGIC, _FINGERPRINT, self.used), protocol=_PROTOCOL)
            with atomic_target(self.folder / _FILE) as temporary, temporary.open("wb") as stream:
                stream.write(_SEALED + seal.seal(payload))
                stream.write(payload)
            for stale in self.folder.glob("modules-*.pickle"):  # other versions or formats
                if stale.name != _FILE:
                    stale.unlink(missing_ok=True)
        except OSError:
            return  # a read-only checkout still validates, only more slowly

    def _read(self) -> dict[str, Encoded]:
        try:
            sealed = (self.folder / _FILE).read_bytes()
        except OSError:
            return {}
        start = len(_SEALED) + seal.TAG_BYTES
        tag = sealed[len(_SEALED):start]
        if not sealed.startswith(_SEALED) or not seal.verify(memoryview(sealed)[start:], tag):
            return {}  # not written by trainkit on this machine
        stream = io.BytesIO(sealed)  # shares the bytes: no copy of a large cache
        stream.seek(start)
        try:
            with gc_paused():
                # Only str, bytes, None, tuples and dicts: no class is looked up or called.
                stored = _Unpickler(stream).load()
        except Exception:  # noqa: BLE001 - a damaged cache is only a miss
            return {}
        if (not isinstance(stored, tuple) or len(stored) != 3 or stored[0] != _MAGIC
                or stored[1] != _FINGERPRINT or not isinstance(stored[2], dict)):
            return {}
        entries: dict[object, object] = stored[2]
        return {key: value for key, value in entries.items()
                if isinstance(key, str) and _is_encoded(value)}


def _is_encoded(value: object) -> TypeGuard[Encoded]:
    """Whether ``value`` has the shape of an ``Encoded`` module."""
    return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], bytes)
            and (value[1] is None or isinstance(value[1], bytes)))
