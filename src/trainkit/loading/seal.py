"""A machine-local key that seals trainkit's cache files.

The caches live in the project folder (``.trainkit-cache/``), and a project folder is
untrusted input: a pull request could commit a cache file that claims to hold a module
or a rendered PDF piece and holds something else. Every cache file therefore carries a
keyed hash (BLAKE2b) of its content, made with a key that never leaves this machine's
user cache folder (``$XDG_CACHE_HOME/trainkit/cache-key``, else ``~/.cache/...``).
A file sealed elsewhere, or changed after it was written, does not verify and is only a
cache miss.

If the key cannot be stored (a read-only home folder), this process uses a key of its
own: caches then still work within one run (and its forked workers), not across runs.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

from trainkit.files import atomic_target

TAG_BYTES = 32
_KEY_BYTES = 32


def user_cache_dir() -> Path:
    """trainkit's folder in this user's cache (``$XDG_CACHE_HOME/trainkit``), outside any
    project: what it holds was written by trainkit for this user only."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "trainkit"


def key_path() -> Path:
    """Where this user's cache key is kept."""
    return user_cache_dir() / "cache-key"


@lru_cache(maxsize=1)
def _key() -> bytes:
    path = key_path()
    try:
        key = path.read_bytes()
        if len(key) == _KEY_BYTES:
            return key
    except OSError:
        pass
    return _new_key(path)


def _new_key(path: Path) -> bytes:
    """A fresh key, stored for later runs if possible.

    Two processes racing here each write their own key and the last one stays: files
    the other sealed are then only misses.
    """
    key = secrets.token_bytes(_KEY_BYTES)
    try:
        with atomic_target(path, mode=0o600) as temporary:  # created 0o600 by mkstemp
            temporary.write_bytes(key)
    except OSError:
        return key  # this process's own key: caches last one run
    return key


def seal(data: bytes | memoryview) -> bytes:
    """The tag that proves ``data`` was written by trainkit on this machine."""
    return hashlib.blake2b(data, key=_key(), digest_size=TAG_BYTES).digest()


def verify(data: bytes | memoryview, tag: bytes) -> bool:
    """Whether ``tag`` is this machine's seal of ``data``."""
    return hmac.compare_digest(seal(data), tag)
