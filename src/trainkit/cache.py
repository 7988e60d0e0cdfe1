"""A cache of loaded module files, keyed by path and content hash.

It lives in ``.trainkit-cache/`` in the project and is safe to delete at any time. One
pickle file holds every entry, so a warm run reads one file; it is rewritten atomically,
only when something changed, keeping just the entries this run used.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from trainkit import __version__
from trainkit.modulefile import ModuleSource

_FILE = f"modules-{__version__}.pickle"


class ModuleCache:
    """Loaded modules by ``sha256(path + content)``, scoped to one trainkit version."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.entries: dict[str, ModuleSource] = self._read()
        self.used: dict[str, ModuleSource] = {}
        self.changed = False

    @staticmethod
    def key(relative: str, content: bytes) -> str:
        return hashlib.sha256(relative.encode() + b"\0" + content).hexdigest()

    def get(self, key: str) -> ModuleSource | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.used[key] = entry
        return entry

    def put(self, key: str, module: ModuleSource) -> None:
        self.used[key] = module
        self.changed = True

    def save(self) -> None:
        """Write the entries used in this run, if anything changed; failures are ignored."""
        if not self.changed and len(self.used) == len(self.entries):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(self.used, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.folder / _FILE)
        except OSError:
            return  # a read-only checkout still validates, only more slowly

    def _read(self) -> dict[str, ModuleSource]:
        try:
            with (self.folder / _FILE).open("rb") as stream:
                entries = pickle.load(stream)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                TypeError, ValueError):
            return {}
        return entries if isinstance(entries, dict) else {}
