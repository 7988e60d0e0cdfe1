"""The module cache, lazy bodies and body facts: a warm run must report what a cold run does.

``validate`` works from each module's facts (``document.BodyFacts``) and never decodes a
cached body; these tests check that the facts say what a walk over the body sees, that a
module survives the cache unchanged, and that warm, cold and uncached runs agree, also
after an edit and with a damaged cache.
"""

from __future__ import annotations

import copy
import json
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import (
    EXTRA, INTRO, LAW, MANIFEST, NORTH, REPOSITORY, VALID, ProjectDir, copy_valid, law_body,
    module_text, png, sub,
)
from trainkit.loading import seal
from trainkit.model import document as d
from trainkit.loading.module_cache import _SEALED as SEALED
from trainkit.loading.module_cache import LazyBodies, ModuleCache, decode, encode
from trainkit.loading.module_file import ModuleSource, load_module_file
from trainkit.loading.workers import PARALLEL_THRESHOLD
from trainkit.loading.project import CACHE_DIR, load_project
from trainkit.loading.resolver import ProjectResolver
from trainkit.checks.validate import validate_project

#: A body with every kind of fact: nested conditionals, a footnote called twice (once in a
#: conditional), variables in a link and a table, images in a footnote and a table.
FEATURES = """Call {{ region.hotline }} and [{{ region.name }}](01-intro.md#overview).

:::: only region=north
North {{ region.border_agency }}[^n] ![Map](../images/map.svg).

::: except edition=participant
Inner {{ region.hotline }} and [](#offences).
:::
::::

| A {{ manual.title }} | B |
|---|---|
| ![Alt](../images/map.svg) | [x](01-intro.md) |

Text[^n] again.

[^n]: Note {{ region.name }} ![](../images/none.png).
"""

#: Breaks the baseline in ways every content check and most structure checks notice.
SPOILED: dict[str, str | Callable[[str], str]] = {
    LAW: law_body(FEATURES + "\n{{ nope }} [](03-gone.md) [](01-intro.md#nowhere)\n\n"
                  "::: only region=west audience=judges\n{{ region.coast }}\n:::\n\n# Top\n"),
    EXTRA: module_text("## Routes\n\n{{ region.border_agency }} ![A](../../images/bad.png)\n",
                       id="north-extra", prerequisites="[intro, missing]",
                       extra="regions: [north]"),
    NORTH: sub("after: law", "after: lwa"),
    "images/bad.png": "not a PNG",
}


def spoil(project: ProjectDir) -> ProjectDir:
    for relative, change in SPOILED.items():
        project.write(relative, change(project.read(relative)) if callable(change) else change)
    return project


def run(project: ProjectDir, *, use_cache: bool = True) -> list[tuple[object, ...]]:
    """Every finding of a run, with its hint (which the report shows)."""
    found = validate_project(project.root, use_cache=use_cache).diagnostics
    return [(f.path, f.line, f.column, f.code, f.message, f.hint, f.level) for f in found]


def cache_file(project: ProjectDir) -> Path:
    files = sorted((project.root / CACHE_DIR).glob("modules-*.pickle"))
    assert len(files) == 1, files
    return files[0]


def rewrite_cache(project: ProjectDir, change: Callable[[dict[str, tuple[bytes, bytes | None]]],
                                                         None]) -> None:
    """Let ``change`` edit the entries of the project's cache file, sealed again as trainkit
    would (so the test reaches the decoding, past the seal)."""
    path = cache_file(project)
    header = len(SEALED) + seal.TAG_BYTES
    magic, fingerprint, entries = pickle.loads(path.read_bytes()[header:])
    change(entries)
    payload = pickle.dumps((magic, fingerprint, entries))
    path.write_bytes(SEALED + seal.seal(payload) + payload)


# -- facts ----------------------------------------------------------------------------------


def reference_facts(blocks: tuple[object, ...], chain: tuple[d.Conditional, ...] = (),
                    ) -> Iterator[tuple[object, ...]]:
    """What the content checks saw when they walked a body: each node with its conditions."""
    for node in blocks:
        if isinstance(node, d.Conditional):
            yield "conditional", node.mode, node.conditions, node.line, chain
            yield from reference_facts(node.blocks, (*chain, node))
            continue
        if isinstance(node, d.Variable):
            yield "variable", node.name, node.line, node.column, chain
        elif isinstance(node, d.ModuleLink):
            yield "link", node.path, node.anchor, node.line, node.column
        elif isinstance(node, d.Image):
            yield "image", node.src, node.line, node.column
        yield from reference_facts(d.children_of(node), chain)


def flattened(facts: d.BodyFacts, body: d.Body) -> dict[str, list[tuple[object, ...]]]:
    """``facts`` in the shape of ``reference_facts``, by kind."""
    nodes = [n for n in d.walk(body.blocks) if isinstance(n, d.Conditional)]

    def chain(scope: int) -> tuple[d.Conditional, ...]:
        found: list[d.Conditional] = []
        while scope >= 0:
            fact = facts.conditionals[scope]
            found.insert(0, next(n for n in nodes if n.line == fact.line
                                 and n.conditions == fact.conditions))
            scope = fact.parent
        return tuple(found)

    return {
        "conditional": [("conditional", c.mode, c.conditions, c.line, chain(c.parent))
                        for c in facts.conditionals],
        "variable": [("variable", v.name, v.line, v.column, chain(v.scope))
                     for v in facts.variables],
        "link": [("link", link.path, link.anchor, link.line, link.column)
                 for link in facts.links],
        "image": [("image", i.src, i.line, i.column) for i in facts.images],
    }


def by_kind(found: Iterator[tuple[object, ...]]) -> dict[str, list[tuple[object, ...]]]:
    kinds: dict[str, list[tuple[object, ...]]] = {
        "conditional": [], "variable": [], "link": [], "image": []}
    for item in found:
        kinds[str(item[0])].append(item)
    return kinds


def every_module_file() -> list[Path]:
    folders = [REPOSITORY / "modules", REPOSITORY / "examples", VALID]
    return sorted(path for folder in folders for path in folder.rglob("*.md")
                  if "modules" in path.parts)


def test_facts_of_a_body_with_every_kind(project: ProjectDir) -> None:
    path = project.write(LAW, law_body(FEATURES))
    module = load_module_file(path, LAW)
    facts = module.facts
    assert facts is not None and module.body is not None
    assert [(v.name, v.scope) for v in facts.variables] == [
        ("region.hotline", -1), ("region.name", -1), ("region.border_agency", 0),
        ("region.name", 0), ("region.hotline", 1), ("manual.title", -1), ("region.name", -1)]
    assert [(c.mode, c.conditions[0].key, c.parent) for c in facts.conditionals] == [
        ("only", "region", -1), ("except", "edition", 0)]
    assert [(link.path, link.anchor) for link in facts.links] == [
        ("01-intro.md", "overview"), ("", "offences"), ("01-intro.md", None)]
    assert [i.src for i in facts.images] == [
        "../images/none.png", "../images/map.svg", "../images/map.svg", "../images/none.png"]
    assert facts.anchors == module.body.anchors == {"offences"}
    assert flattened(facts, module.body) == by_kind(reference_facts(module.body.blocks))


@pytest.mark.parametrize("path", every_module_file(), ids=lambda p: p.name)
def test_facts_say_what_a_walk_over_the_body_sees(path: Path) -> None:
    module = load_module_file(path, path.name)
    assert module.body is not None and module.facts is not None
    assert module.facts == d.body_facts(module.body)
    assert flattened(module.facts, module.body) == by_kind(reference_facts(module.body.blocks))


def test_facts_follow_a_new_body(project: ProjectDir) -> None:
    module = load_module_file(project.path(INTRO), INTRO)
    other = load_module_file(project.path(LAW), LAW)
    module.body = other.body
    assert module.facts == other.facts


def test_module_without_a_body_has_no_facts(project: ProjectDir) -> None:
    path = project.write(EXTRA, "## No front-matter\n")
    module = load_module_file(path, EXTRA)
    assert module.body is None and module.facts is None


# -- encoding ---------------------------------------------------------------------------------


def round_trip(module: ModuleSource, bodies: LazyBodies | None = None) -> ModuleSource:
    decoded = decode(encode(module), bodies or LazyBodies(lambda path: None))
    assert decoded is not None
    return decoded


@pytest.mark.parametrize("body", [
    pytest.param(FEATURES, id="features"),
    pytest.param("# Title\n\n::: answer\nA.\n:::\n\nBell\a <b>x</b> [](x.txt)\n", id="findings"),
])
def test_module_survives_the_cache_unchanged(project: ProjectDir, body: str) -> None:
    path = project.write(LAW, law_body(body))
    fresh = load_module_file(path, LAW)
    bodies = LazyBodies(lambda path: None)
    decoded = round_trip(load_module_file(path, LAW), bodies)
    assert bodies.pending  # nothing decoded the body yet
    assert (decoded.path, decoded.meta, decoded.diagnostics, decoded.positions,
            decoded.start) == (fresh.path, fresh.meta, fresh.diagnostics, fresh.positions,
                               fresh.start)
    assert decoded.facts == fresh.facts
    assert bodies.pending  # reading the facts did not decode it either
    assert decoded.body == fresh.body
    assert not bodies.pending
    assert decoded == fresh


@pytest.mark.parametrize("path", every_module_file(), ids=lambda p: p.name)
def test_shipped_modules_survive_the_cache(path: Path) -> None:
    fresh = load_module_file(path, path.name)
    assert round_trip(load_module_file(path, path.name)) == fresh


def test_modules_that_failed_to_load_survive_the_cache(project: ProjectDir) -> None:
    for text in ("## No front-matter\n", "---\nid: [unclosed\n---\n\n## Body\n", b"\xff\xfe"):
        path = project.write(EXTRA, text)
        fresh = load_module_file(path, EXTRA)
        assert round_trip(load_module_file(path, EXTRA)) == fresh


def test_module_pickles_and_copies_with_its_body(project: ProjectDir) -> None:
    fresh = load_module_file(project.path(LAW), LAW)
    bodies = LazyBodies(lambda path: None)
    module = round_trip(load_module_file(project.path(LAW), LAW), bodies)
    assert pickle.loads(pickle.dumps(module)) == fresh
    assert copy.copy(fresh) == fresh and copy.deepcopy(fresh) == fresh


def test_comparing_different_modules_decodes_no_body(project: ProjectDir) -> None:
    bodies = LazyBodies(lambda path: None)
    intro, law = (round_trip(load_module_file(project.path(p), p), bodies) for p in (INTRO, LAW))
    assert intro != law and law != intro  # either side may decide, without decoding
    assert len(bodies.pending) == 2


def test_first_body_asked_for_decodes_the_batch(project: ProjectDir) -> None:
    bodies = LazyBodies(lambda path: None)
    modules = [round_trip(load_module_file(project.path(p), p), bodies) for p in (INTRO, LAW)]
    assert len(bodies.pending) == 2
    assert modules[1].body == load_module_file(project.path(LAW), LAW).body
    assert not bodies.pending and list(bodies.decoded) == [INTRO]
    assert modules[0].body == load_module_file(project.path(INTRO), INTRO).body
    assert not bodies.decoded


def test_undecodable_body_is_parsed_again(project: ProjectDir) -> None:
    fresh = load_module_file(project.path(LAW), LAW)
    head, _ = encode(fresh)
    asked: list[str] = []

    def reparse(path: str) -> d.Body | None:
        asked.append(path)
        return fresh.body

    module = decode((head, b"\x80\x05garbage"), LazyBodies(reparse))
    assert module is not None and module.facts == fresh.facts
    assert module.body == fresh.body and asked == [LAW]


@pytest.mark.parametrize("head", [
    pytest.param(b"garbage", id="not-a-pickle"),
    pytest.param(pickle.dumps(("a", "tuple")), id="wrong-shape"),
    pytest.param(pickle.dumps(os.system), id="forbidden-function"),
    pytest.param(pickle.dumps(Path("x")), id="forbidden-class"),
])
def test_damaged_head_is_a_cache_miss(head: bytes) -> None:
    assert decode((head, None), LazyBodies(lambda path: None)) is None


# -- warm runs ----------------------------------------------------------------------------------


def test_warm_run_reports_what_a_cold_run_reports(project: ProjectDir) -> None:
    spoil(project)
    uncached = run(project, use_cache=False)
    assert {f[3] for f in uncached} >= {
        "TK302", "TK310", "TK405", "TK406", "TK408", "TK501", "TK503", "TK504", "TK505",
        "TK507"}
    assert run(project) == uncached  # cold: writes the cache
    cache_file(project)
    assert run(project) == uncached  # warm


def test_warm_run_after_an_edit(project: ProjectDir) -> None:
    spoil(project)
    before = run(project)
    project.write(INTRO, project.read(INTRO).replace("## Overview", "## Summary"))
    after = run(project)
    assert after == run(project, use_cache=False)
    assert after != before  # the links to #overview are now broken
    broken = [f[4] for f in after if f[3] == "TK507"]
    assert len(broken) == len([f for f in before if f[3] == "TK507"]) + 1
    assert "`modules/01-intro.md` has no section `#overview`" in broken


def test_warm_run_sees_a_changed_project_file(project: ProjectDir) -> None:
    """Facts are checked against the project of this run, not the one the cache saw."""
    spoil(project)
    before = run(project)
    project.edit(NORTH, "variables:\n", "variables:\n  coast: the coast guard\n")
    project.edit(MANIFEST, "  prosecutors: Prosecutors\n",
                 "  prosecutors: Prosecutors\n  judges: Judges\n")
    after = run(project)
    assert after == run(project, use_cache=False)
    assert len(after) < len(before)


@pytest.mark.parametrize("damage", [
    pytest.param(lambda path: path.write_bytes(path.read_bytes()[:1000]), id="truncated"),
    pytest.param(lambda path: path.write_bytes(b"not a pickle"), id="garbage"),
    pytest.param(lambda path: path.write_bytes(b""), id="empty"),
    pytest.param(lambda path: path.write_bytes(pickle.dumps(("trainkit-module-cache", "x", {}))),
                 id="other-fingerprint"),
])
def test_damaged_cache_file_gives_the_same_findings(
        project: ProjectDir, damage: Callable[[Path], object]) -> None:
    spoil(project)
    uncached = run(project, use_cache=False)
    run(project)
    damage(cache_file(project))
    assert run(project) == uncached
    assert run(project) == uncached  # and the cache written again serves it


def test_damaged_entries_give_the_same_findings(project: ProjectDir) -> None:
    spoil(project)
    uncached = run(project, use_cache=False)
    run(project)

    def damage(entries: dict[str, tuple[bytes, bytes | None]]) -> None:
        for key, (head, body) in list(entries.items()):
            entries[key] = (head[:-7] + b"damaged", body)  # every head broken

    rewrite_cache(project, damage)
    assert run(project) == uncached


def test_damaged_body_is_parsed_again_for_a_build(project: ProjectDir) -> None:
    spoil(project)
    run(project)

    def damage(entries: dict[str, tuple[bytes, bytes | None]]) -> None:
        for key, (head, body) in list(entries.items()):
            entries[key] = (head, None if body is None else b"\x80\x05damaged")

    rewrite_cache(project, damage)
    validation = validate_project(project.root)
    assert [f.sort_key() for f in validation.diagnostics] == [
        (f[0], f[1], f[2], f[3], f[4]) for f in run(project, use_cache=False)]
    for relative, module in validation.project.modules.items():
        assert module == load_module_file(project.path(relative), relative)


class Exploit:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, ("touch exploited",)


def test_cache_file_cannot_run_code(project: ProjectDir, monkeypatch: pytest.MonkeyPatch,
                                    ) -> None:
    monkeypatch.chdir(project.root)
    run(project)
    cache_file(project).write_bytes(pickle.dumps(Exploit()))
    assert run(project) == run(project, use_cache=False)
    run(project)

    def plant(entries: dict[str, tuple[bytes, bytes | None]]) -> None:
        for key, (head, _) in list(entries.items()):
            entries[key] = (head, pickle.dumps(Exploit()))

    rewrite_cache(project, plant)
    validation = validate_project(project.root)
    for module in validation.project.modules.values():
        assert module.body is not None  # parsed again, not unpickled
    assert not (project.root / "exploited").exists()


def test_cache_sealed_on_another_machine_is_ignored(
        project: ProjectDir, monkeypatch: pytest.MonkeyPatch) -> None:
    run(project)
    path = cache_file(project)
    written = path.read_bytes()
    monkeypatch.setattr(seal, "_key", lambda: b"k" * 32)  # another machine's key
    assert ModuleCache(project.root / CACHE_DIR).entries == {}
    monkeypatch.undo()
    assert ModuleCache(project.root / CACHE_DIR).entries != {}
    path.write_bytes(written[:-1] + bytes([written[-1] ^ 1]))  # one bit changed
    assert ModuleCache(project.root / CACHE_DIR).entries == {}


def many_modules(project: ProjectDir, count: int) -> ProjectDir:
    """The baseline plus ``count`` small modules (enough for worker processes), some broken."""
    entries = []
    for number in range(count):
        name = f"modules/gen/m{number:03d}.md"
        entries.append(f"  - {name}\n")
        links = f"[back](m{number - 1:03d}.md#part-{number - 1})" if number else ""
        body = (f"## Part {number}\n\n{{{{ region.hotline }}}} {links}\n\n"
                f"::: only region=south\n{{{{ region.hotline }}}}\n:::\n")
        if number % 10 == 3:
            body += "\n{{ region.nothing }} [](m999.md) ![](../../images/map.svg)\n"
        project.write(name, module_text(body, id=f"m{number:03d}", prerequisites=None))
    project.write(MANIFEST, project.read(MANIFEST).replace(
        "  - modules/02-law.md\n", "  - modules/02-law.md\n" + "".join(entries)))
    return project


def test_warm_run_of_a_project_loaded_in_worker_processes(
        project: ProjectDir, monkeypatch: pytest.MonkeyPatch) -> None:
    many_modules(spoil(project), PARALLEL_THRESHOLD + 12)
    uncached = run(project, use_cache=False)
    assert len(uncached) > 20
    monkeypatch.setattr(LazyBodies, "_decode_pending", fail_decoding)
    assert run(project) == uncached  # cold, in workers: bodies stay encoded
    assert run(project) == uncached  # warm
    project.edit("modules/gen/m005.md", "## Part 5", "## Part five")
    edited = run(project)
    assert edited == run(project, use_cache=False) != uncached


def fail_decoding(self: LazyBodies) -> None:
    raise AssertionError("validate decoded a body")


def test_validate_does_not_decode_cached_bodies(project: ProjectDir,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    spoil(project)
    cold = run(project)
    monkeypatch.setattr(LazyBodies, "_decode_pending", fail_decoding)
    assert run(project) == cold


def test_build_after_a_warm_validate_gets_every_body(project: ProjectDir) -> None:
    many_modules(project, PARALLEL_THRESHOLD + 2)
    run(project)
    loaded = load_project(project.root)
    for relative, module in loaded.modules.items():
        assert module.body == load_module_file(project.path(relative), relative).body


_PROBE = """
import json, sys
import trainkit.cli.app
sys.argv = ["trainkit", "validate", sys.argv[1]]
try:
    trainkit.cli.app.main()
except SystemExit:
    pass
heavy = ("markdown_it", "mdit_py_plugins", "multiprocessing", "concurrent", "babel")
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy)), file=sys.stderr)
"""


def imported_by_validate(root: Path) -> list[str]:
    result = subprocess.run([sys.executable, "-c", _PROBE, str(root)], capture_output=True,
                            text=True, check=True)
    found: list[str] = json.loads(result.stderr.strip().splitlines()[-1])
    return found


def test_warm_validate_imports_neither_markdown_it_nor_a_process_pool(tmp_path: Path) -> None:
    project = many_modules(copy_valid(tmp_path / "project"), PARALLEL_THRESHOLD + 2)
    cold = imported_by_validate(project.root)
    assert "markdown_it" in cold and "concurrent.futures.process" in cold  # the probe works
    assert imported_by_validate(project.root) == []


# -- path resolution ------------------------------------------------------------------------


def test_remembered_module_paths_match_the_resolver(project: ProjectDir) -> None:
    project.write("images/real.png", png(2, 2))
    (project.root / "modules" / "alias.md").symlink_to("02-law.md")
    (project.root / "modules" / "loop.md").symlink_to("loop.md")
    resolver = ProjectResolver(project.root)
    base = project.root / "modules"
    references = ["02-law.md", "./02-law.md", "regional/../02-law.md", "02%2Dlaw.md",
                  "alias.md", "missing.md", "../../outside.md", "/etc/passwd.md",
                  "http://example.org/x.md", "", "notes.txt", "regional/north-extra.md",
                  "../modules/02-law.md", "x\x00.md", "C:/x.md"]
    for reference in references:
        try:
            expected: str | None = resolver.relative(resolver.resolve(
                reference, base, suffixes={".md"}, must_exist=False))
        except Exception:  # noqa: BLE001 - refused: the memo says None
            expected = None
        assert resolver.module_path(reference, base) == expected, reference
        assert resolver.module_path(reference, base) == expected, reference


def test_one_file_named_from_two_folders_is_resolved_once(
        project: ProjectDir, monkeypatch: pytest.MonkeyPatch) -> None:
    resolver = ProjectResolver(project.root)
    resolved: list[str] = []
    real = ProjectResolver.resolve

    def counted(self: ProjectResolver, reference: str, base: Path, **options: Any) -> Path:
        resolved.append(reference)
        return real(self, reference, base, **options)

    monkeypatch.setattr(ProjectResolver, "resolve", counted)
    assert resolver.module_path("modules/02-law.md", project.root) == "modules/02-law.md"
    assert resolver.module_path("02-law.md", project.root / "modules") == "modules/02-law.md"
    assert resolved == ["modules/02-law.md"]
    # What is refused as written stays refused, whatever the same path gave before.
    (project.root / "modules" / "C:").mkdir()
    project.write("modules/C:/x.md", module_text(id="x", prerequisites=None))
    assert resolver.module_path("modules/C:/x.md", project.root) == "modules/C:/x.md"
    assert resolver.module_path("C:/x.md", project.root / "modules") is None  # a URL scheme


def test_a_new_load_resolves_again(project: ProjectDir) -> None:
    first = load_project(project.root, use_cache=False)
    assert first.resolver.module_path("03-new.md", first.root / "modules") == (
        "modules/03-new.md")
    project.write("modules/03-new.md", module_text(id="new", prerequisites=None))
    (project.root / "modules" / "04-alias.md").symlink_to("03-new.md")
    second = load_project(project.root, use_cache=False)
    assert second.resolver.module_path("04-alias.md", second.root / "modules") == (
        "modules/03-new.md")


def test_cache_key_depends_on_path_and_content() -> None:
    assert ModuleCache.key("a.md", b"x") != ModuleCache.key("b.md", b"x")
    assert ModuleCache.key("a.md", b"x") != ModuleCache.key("a.md", b"y")
