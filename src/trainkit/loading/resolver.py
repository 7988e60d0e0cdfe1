"""The one resolver every file reference goes through.

A reference written in a project file (a module path, an image, a reference DOCX) is
resolved against the folder of the file that holds it and accepted only when it names a
regular file inside the project folder, of an allowed type and size. Everything else (URL
schemes, absolute paths, NUL bytes, ``..`` escapes, symlinks leading out, devices) is
refused with a reason an author can act on.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Collection
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from trainkit.bidi import contains_message, first_control, visible
from trainkit.errors import ReferenceRejected

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg"})
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_TEXT_BYTES = 2 * 1024 * 1024
#: Font files a theme may name, and their size limit.
FONT_SUFFIXES = frozenset({".ttf", ".otf", ".woff2"})
MAX_FONT_BYTES = 20 * 1024 * 1024
CSS_SUFFIXES = frozenset({".css"})
_MODULE_SUFFIXES = frozenset({".md"})


class ProjectResolver:
    """Resolves references to files inside one project folder."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        #: Module references already resolved: {(base folder, reference): path or None}.
        self._module_paths: dict[tuple[Path, str], str | None] = {}
        #: The same, by the path they join to: ``m1.md`` from ``modules/`` and
        #: ``modules/m1.md`` from the root (a link and a manifest entry) are resolved once.
        self._joined_paths: dict[str, str | None] = {}

    def module_path(self, reference: str, base: Path) -> str | None:
        """Project-relative path of a module reference, or None if it is refused.

        Each (``base``, ``reference``) is resolved once per resolver, so once per loaded
        project: the manifest's entries are not resolved again for every region and check,
        nor again when a link names the same file from another folder.
        """
        key = (base, reference)
        if key not in self._module_paths:
            self._module_paths[key] = self._resolve_module_path(reference, base)
        return self._module_paths[key]

    def _resolve_module_path(self, reference: str, base: Path) -> str | None:
        try:
            decoded = self._decode(reference)  # the checks of the reference as written
        except ReferenceRejected:
            return None
        joined = os.path.join(base, decoded)
        if joined not in self._joined_paths:
            self._joined_paths[joined] = self._resolve_joined(reference, base)
        return self._joined_paths[joined]

    def _resolve_joined(self, reference: str, base: Path) -> str | None:
        try:
            resolved = self.resolve(reference, base, suffixes=_MODULE_SUFFIXES, must_exist=False)
        except ReferenceRejected:
            return None
        # ``resolve`` returned a resolved path inside the root: its relative path is what
        # ``relative`` would give, without resolving it a second time.
        text, root = str(resolved), str(self.root)
        if root != "/" and text.startswith(root + "/"):
            return text[len(root) + 1:]
        return resolved.relative_to(self.root).as_posix()

    def relative(self, path: Path) -> str:
        """``path`` as a POSIX path relative to the project, for messages."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def resolve(
        self,
        reference: str,
        base_dir: Path,
        *,
        suffixes: Collection[str] | None = None,
        max_bytes: int = MAX_TEXT_BYTES,
        must_exist: bool = True,
    ) -> Path:
        """The absolute path ``reference`` names, or ``ReferenceRejected`` saying why not."""
        decoded = self._decode(reference)
        candidate = (base_dir / decoded).resolve()
        if not candidate.is_relative_to(self.root):
            raise ReferenceRejected(
                f"`{reference}` points outside the project folder",
                "keep every file the manual uses inside the project folder")
        if suffixes is not None and candidate.suffix.lower() not in suffixes:
            allowed = ", ".join(sorted(suffixes))
            raise ReferenceRejected(f"`{reference}` is not an allowed file type ({allowed})")
        if must_exist:
            self._check_file(reference, candidate, max_bytes)
        return candidate

    def _decode(self, reference: str) -> str:
        if not reference.strip():
            raise ReferenceRejected("the file reference is empty")
        if "\x00" in reference:
            raise ReferenceRejected("the file reference contains a NUL character")
        if _SCHEME.match(reference):
            raise ReferenceRejected(
                f"`{reference}` is a URL; only files inside the project can be used",
                "copy the file into the project and refer to it by a relative path")
        decoded = unquote(reference)
        if "\x00" in decoded:
            raise ReferenceRejected("the file reference contains a NUL character")
        control = first_control(decoded)
        if control is not None:
            raise ReferenceRejected(
                contains_message(f"`{visible(reference)}`", control),
                "rename the file without it, and refer to it by its new name", code="TK511")
        if decoded.startswith(("/", "\\")) or PurePosixPath(decoded).is_absolute() or re.match(
                r"^[A-Za-z]:[\\/]", decoded):
            raise ReferenceRejected(
                f"`{reference}` is an absolute path",
                "use a path relative to the file that refers to it")
        return decoded

    @staticmethod
    def _check_file(reference: str, path: Path, max_bytes: int) -> None:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            raise ReferenceRejected(f"`{reference}` does not exist", missing=True) from None
        except OSError as error:
            raise ReferenceRejected(f"`{reference}` cannot be read: {error.strerror}") from None
        if not stat.S_ISREG(info.st_mode):
            raise ReferenceRejected(f"`{reference}` is not a regular file")
        if info.st_size > max_bytes:
            raise ReferenceRejected(
                f"`{reference}` is larger than {max_bytes // (1024 * 1024)} MiB")
