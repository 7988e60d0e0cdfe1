"""The PDF chunk cache: a file in the project folder, so it must never run or trust content.

A pull request can commit ``.trainkit-cache/pdf-chunks/<key>.chunk`` (the key is a hash
anyone can compute). Entries are sealed with a key kept outside the project; anything
else is only a miss.
"""

from __future__ import annotations

import json
import os
import pickle
import struct
from pathlib import Path

import pytest

from trainkit.loading import seal
from trainkit.writers.pdf.piece_cache import (
    ChunkCache, ChunkResult, Slot, decode_chunk, encode_chunk,
)

KEY = "ab" * 32


def sample() -> ChunkResult:
    return ChunkResult(b"%PDF-1.7 fake", 3, 841.89, {"intro": (0, 10.0, 20.5)},
                       [(2, (1.0, 2.0, 3.0, 4.0), "intro")],
                       slots=[Slot(1, 100.0, 130.5, 402.25, 14.0, "law--offences", "#1d2430",
                                   False)],
                       margins=[(75.6, 75.6, 83.1)] * 3)


class Exploit:
    def __reduce__(self) -> tuple[object, ...]:
        return (os.system, ("touch exploited",))


def test_a_chunk_survives_the_cache(tmp_path: Path) -> None:
    cache = ChunkCache(tmp_path)
    cache.put(KEY, sample())
    assert cache.get(KEY) == sample()
    assert [p.name for p in tmp_path.iterdir()] == [f"{KEY}.chunk"]


def test_a_chunk_sealed_elsewhere_or_changed_is_a_miss(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = ChunkCache(tmp_path)
    monkeypatch.setattr(seal, "_key", lambda: b"x" * 32)  # another machine
    cache.put(KEY, sample())
    monkeypatch.undo()
    assert cache.get(KEY) is None
    cache.put(KEY, sample())
    path = tmp_path / f"{KEY}.chunk"
    data = path.read_bytes()
    path.write_bytes(data.replace(b"fake", b"evil"))
    assert cache.get(KEY) is None


def test_a_planted_pickle_is_never_loaded_and_is_pruned(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / f"{KEY}.pickle").write_bytes(pickle.dumps(Exploit()))
    (tmp_path / f"{KEY}.chunk").write_bytes(ChunkCache.MAGIC + b"\0" * 32
                                            + pickle.dumps(Exploit()))
    cache = ChunkCache(tmp_path)
    assert cache.get(KEY) is None
    cache.prune()
    assert not (tmp_path / "exploited").exists()
    assert not (tmp_path / f"{KEY}.pickle").exists()


@pytest.mark.parametrize("header", [
    {"pages": "3", "page_height": 1.0, "anchors": {}, "links": []},
    {"pages": 3, "page_height": 1.0, "anchors": {"a": [0, 1]}, "links": []},
    {"pages": 3, "page_height": 1.0, "anchors": {"a": [-1, 1, 2]}, "links": []},
    {"pages": 3, "page_height": 1.0, "anchors": {}, "links": [[0, [1, 2, 3], "a"]]},
    {"pages": 3, "page_height": 1.0, "anchors": {}, "links": [[0, [1, 2, 3, "4"], "a"]]},
    {"pages": 3, "anchors": {}, "links": []},
    {"pages": 3, "page_height": 1.0, "anchors": {}, "links": [],
     "slots": [[0, 1, 2, 3, 4, "a", "#000000", "no"]]},
    {"pages": 3, "page_height": 1.0, "anchors": {}, "links": [], "margins": [[1, 2]]},
    [],
])
def test_a_malformed_header_is_a_miss(header: object) -> None:
    raw = json.dumps(header).encode()
    assert decode_chunk(struct.pack(">I", len(raw)) + raw + b"%PDF") is None


def test_truncated_payloads_are_misses() -> None:
    payload = encode_chunk(sample())
    assert decode_chunk(payload) == sample()
    for length in (0, 3, 10):
        assert decode_chunk(payload[:length]) is None
