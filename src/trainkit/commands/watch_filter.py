"""Which file changes may change an edition: the one filter ``preview`` and ``build
--watch`` share.

A change counts when it is to a file a build reads: the manifest, region profiles,
modules, translations, the glossary, images and stylesheets, under the project folder.
Never: the output folders (a PDF written into ``dist/``, or anywhere else in the
project), caches (``.trainkit-cache/``), hidden folders (``.git``), virtual
environments, editors' temporary files.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

#: File types a build reads.
INPUT_SUFFIXES = frozenset({".md", ".yaml", ".yml", ".png", ".jpg", ".jpeg", ".gif", ".svg",
                            ".webp", ".css", ".ttf", ".otf", ".woff", ".woff2"})

#: Folders never looked into.
SKIPPED_FOLDERS = frozenset({"dist", "node_modules", "__pycache__", "venv", "build"})


class InputFilter:
    """``watchfiles`` filter: ``accept(change, path)`` is True for a change a build sees."""

    def __init__(self, root: Path, skip: Iterable[Path] = ()) -> None:
        self.root = root.resolve()
        self.skip = tuple(path.resolve() for path in skip)

    def __call__(self, change: object, path: str) -> bool:
        return self.accepts(Path(path))

    def accepts(self, path: Path) -> bool:
        """Whether a change to ``path`` may change an edition."""
        try:
            relative = path.resolve().relative_to(self.root)
        except ValueError:
            return False
        if any(path.resolve().is_relative_to(folder) for folder in self.skip):
            return False
        parts = relative.parts
        if any(p.startswith(".") or p in SKIPPED_FOLDERS for p in parts[:-1]):
            return False
        name = parts[-1] if parts else ""
        return (not name.startswith((".", "~", "#")) and not name.endswith("~")
                and Path(name).suffix.lower() in INPUT_SUFFIXES)
