"""Image verdicts by content hash, kept in ``.trainkit-cache/`` between runs.

Checking an image whole (``images.check_image``: Pillow decodes every pixel, an SVG is
parsed) costs far more than reading it, so each verdict is kept under the SHA-256 of the
file's bytes (with its suffix and ``images.CHECK_VERSION``): a warm ``validate`` reads
and hashes each image, and checks only the ones that changed. The same bytes give the
same verdict wherever the file is and whoever refers to it.

Like the module cache, the file is sealed (``seal.py``) with a key kept outside the
project, so a verdict file committed to a project is ignored, never trusted; it holds
JSON only. It keeps the verdicts this run used, and is rewritten only when one changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from trainkit.loading import images, seal
from trainkit.files import atomic_target


@dataclass(frozen=True, slots=True)
class ImageVerdict:
    """What checking an image found: nothing (``code`` None) or a problem and its code."""

    code: str | None = None
    problem: str = ""
    hint: str | None = None


_SOUND = ImageVerdict()


class ImageVerdicts:
    """Verdicts by content; ``folder`` None keeps them for this run only."""

    FILE = f"images-v{images.CHECK_VERSION}.json"
    MAGIC = b"trainkit-image-verdicts-1\n"

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.entries = self._read() if folder is not None else {}
        self.used: dict[str, ImageVerdict] = {}
        self.changed = False

    @staticmethod
    def key(data: bytes, suffix: str) -> str:
        """The cache key of an image: its bytes, its suffix and the checks' version."""
        digest = hashlib.sha256(f"{images.CHECK_VERSION}|{suffix.lower()}|".encode())
        digest.update(data)
        return digest.hexdigest()

    def verdict(self, data: bytes, suffix: str) -> ImageVerdict:
        """The verdict on image ``data`` (a file ending in ``suffix``): cached, or checked now."""
        key = self.key(data, suffix)
        found = self.used.get(key) or self.entries.get(key)
        if found is None:
            found = _check(data, suffix)
            self.changed = True
        self.used[key] = found
        return found

    def save(self) -> None:
        """Write the verdicts used in this run, if one changed; failures are ignored."""
        if self.folder is None or (not self.changed and len(self.used) == len(self.entries)):
            return
        payload = json.dumps({key: _encode(verdict) for key, verdict in self.used.items()},
                             ensure_ascii=False, sort_keys=True).encode()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
            with atomic_target(self.folder / self.FILE) as temporary, temporary.open("wb") as out:
                out.write(self.MAGIC + seal.seal(payload))
                out.write(payload)
        except OSError:
            return  # a read-only checkout still validates, only more slowly

    def _read(self) -> dict[str, ImageVerdict]:
        assert self.folder is not None
        try:
            sealed = (self.folder / self.FILE).read_bytes()
        except OSError:
            return {}
        start = len(self.MAGIC) + seal.TAG_BYTES
        payload = sealed[start:]
        if not sealed.startswith(self.MAGIC) or not seal.verify(
                payload, sealed[len(self.MAGIC):start]):
            return {}  # not written by trainkit on this machine
        try:
            stored = json.loads(payload)
        except ValueError:
            return {}
        if not isinstance(stored, dict):
            return {}
        decoded = {key: _decode(value) for key, value in stored.items()}
        return {key: value for key, value in decoded.items() if value is not None}


def _check(data: bytes, suffix: str) -> ImageVerdict:
    try:
        images.check_image(data, suffix)
    except images.ImageProblem as problem:
        return ImageVerdict(problem.code, str(problem), problem.hint)
    return _SOUND


def _encode(verdict: ImageVerdict) -> list[str | None]:
    return [] if verdict.code is None else [verdict.code, verdict.problem, verdict.hint]


def _decode(value: object) -> ImageVerdict | None:
    if value == []:
        return _SOUND
    if (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and isinstance(value[1], str) and (value[2] is None or isinstance(value[2], str))):
        return ImageVerdict(value[0], value[1], value[2])
    return None
