"""New projects and new modules: ``trainkit init`` and ``trainkit new module``.

``init_project`` copies the starter project kept in ``resources/init/`` (a manifest with
a trainer and a participant edition, one region, two modules that use every block type,
a glossary, and the files CI, pre-commit and VS Code read) and writes the JSON Schemas
next to the editor settings. ``new_module`` writes a module file with complete
front-matter and adds it to the manifest by editing the manifest's text in place, at the
position the strict YAML loader reports, so its comments and layout survive.
"""

from __future__ import annotations

import json
import re
import stat
import unicodedata
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from trainkit.errors import UsageError
from trainkit.files import atomic_target, write_text_atomic
from trainkit.loading.project import MANIFEST, MODULES_DIR
from trainkit.loading.strict_yaml import Path_, Pos, load
from trainkit.schemas.export import json_schema

#: A template file or folder named ``dot-x`` is written as ``.x`` (package data keeps
#: no hidden files reliably).
_DOT = "dot-"
#: The schemas ``.vscode/settings.json`` maps, written at init time from the models.
_EDITOR_SCHEMAS = ("manifest", "region", "module", "glossary", "translation")


@dataclass(frozen=True, slots=True)
class NewModule:
    """What ``new_module`` did: the file it wrote, the module's id, the manifest line."""

    path: Path
    module_id: str
    manifest_line: int


def ascii_slug(text: str) -> str:
    """A module id or file name from a title: ASCII lower-case words joined by hyphens."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9]+", plain.lower()))[:60].strip("-")


def init_project(target: Path, title: str | None = None) -> list[Path]:
    """Write a starter project into ``target`` (created if needed); the files written.

    Refuses a folder that already holds a ``trainkit.yaml``, and never overwrites a file.
    """
    title = title or _title_from(target)
    if (target / MANIFEST).exists():
        raise UsageError(f"{target / MANIFEST} already exists: this folder is a project")
    source = files("trainkit").joinpath("resources", "init")
    planned = dict(_walk(source, Path()))
    clashes = [str(target / p) for p in planned if (target / p).exists()]
    if clashes:
        raise UsageError(f"init would overwrite {', '.join(sorted(clashes))}; "
                         "choose an empty folder")
    written = []
    for relative, item in sorted(planned.items()):
        text = item.read_text(encoding="utf-8")
        if relative == Path(MANIFEST):
            text = (text.replace("$title", json.dumps(title, ensure_ascii=False))
                    .replace("$slug", ascii_slug(title) or "manual"))
        written.append(_write(target / relative, text))
    for kind in _EDITOR_SCHEMAS:
        schema = json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"
        written.append(_write(target / ".vscode" / "schemas" / f"{kind}.json", schema))
    return written


def _title_from(target: Path) -> str:
    name = target.resolve().name.replace("-", " ").replace("_", " ").strip()
    return (name[:1].upper() + name[1:]) if name else "Training manual"


def _walk(folder: Traversable, relative: Path) -> list[tuple[Path, Traversable]]:
    found: list[tuple[Path, Traversable]] = []
    for item in folder.iterdir():
        name = "." + item.name[len(_DOT):] if item.name.startswith(_DOT) else item.name
        if item.is_dir():
            found += _walk(item, relative / name)
        elif not name.endswith((".pyc", ".pyo")):
            found.append((relative / name, item))
    return found


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)
    return path


# -- new module ---------------------------------------------------------------------------


def new_module(root: Path, title: str, module_id: str | None = None) -> NewModule:
    """Write ``modules/<NN->id.md`` and append it to the manifest's ``modules`` list."""
    manifest_path = root / MANIFEST
    text = manifest_path.read_bytes().decode("utf-8")  # keeps \r\n line ends as they are
    loaded = load(text)
    if loaded.failed or not isinstance(loaded.value, dict):
        raise UsageError(f"{manifest_path} cannot be read; run `trainkit validate` first")
    entries = loaded.value.get("modules")
    if not isinstance(entries, list) or not entries:
        raise UsageError(f"{manifest_path}: add a `modules:` list first")
    module_id = module_id or ascii_slug(title)
    if not module_id:
        raise UsageError(f"cannot make a module id from {title!r}; give one with --id")
    relative = f"{MODULES_DIR}/{_file_name(root, entries, module_id)}"
    if (root / relative).exists():
        raise UsageError(f"{root / relative} already exists")
    audience = next(iter(loaded.value.get("audiences") or {}), None)
    new_text, line = _append_entry(text, loaded.value_pos, len(entries), relative)
    _write(root / relative, module_text(module_id, title, audience))
    with atomic_target(manifest_path, mode=stat.S_IMODE(manifest_path.stat().st_mode)) as tmp:
        tmp.write_bytes(new_text.encode("utf-8"))
    return NewModule(root / relative, module_id, line)


def _file_name(root: Path, entries: list[object], module_id: str) -> str:
    """``NN-id.md`` when the manifest's files are numbered like that, else ``id.md``."""
    flat = [e for e in entries if isinstance(e, str)]
    numbers = [int(m.group(1)) for e in flat if (m := re.match(r"(\d+)-", Path(e).name))]
    if flat and len(numbers) == len(flat):
        width = len(Path(flat[-1]).name.split("-")[0])
        return f"{max(numbers) + 1:0{width}d}-{module_id}.md"
    return f"{module_id}.md"


def _append_entry(text: str, positions: dict[Path_, Pos], count: int,
                  relative: str) -> tuple[str, int]:
    """The manifest text with ``- relative`` after the last entry of ``modules``, and the
    (1-based) line it went on. Everything else is kept byte for byte."""
    lines = text.splitlines(keepends=True)
    found = positions.get(("modules", count - 1))
    last = found.line if found else 0
    entry_line = lines[last - 1] if 0 < last <= len(lines) else ""
    dash = re.match(r"^(\s*)- ", entry_line)
    if dash is None:  # a flow list, modules: [a.md, b.md], or a layout we do not know
        raise UsageError("the manifest's `modules:` is not a list with one entry per line; "
                         "add the module by hand")
    indent = dash.group(1)
    end = last  # the entry's own line, then any line indented deeper (a part's modules)
    while end < len(lines) and _continues(lines[end], len(indent)):
        end += 1
    while end > last and _blank_or_comment(lines[end - 1]) and not _deeper(lines[end - 1],
                                                                          len(indent)):
        end -= 1  # a blank line, or a comment no deeper than the list, heads what follows
    newline = "\r\n" if entry_line.endswith("\r\n") else "\n"
    if end == len(lines) and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    lines.insert(end, f"{indent}- {relative}{newline}")
    return "".join(lines), end + 1


def _continues(line: str, indent: int) -> bool:
    """Whether ``line`` still belongs to a list entry indented ``indent``: blank, a
    comment, or indented deeper than the entry's dash."""
    return _blank_or_comment(line) or _deeper(line, indent)


def _deeper(line: str, indent: int) -> bool:
    return bool(line.strip()) and len(line) - len(line.lstrip()) > indent


def _blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def module_text(module_id: str, title: str, audience: str | None) -> str:
    """A module file with every front-matter key filled in or shown empty."""
    heading = json.dumps(title, ensure_ascii=False)
    audiences = f"[{audience}]" if audience else "[]  # an id from the manifest's audiences"
    return f"""---
id: {module_id}
title: {heading}
version: "0.1"
status: draft
summary: One or two sentences on what this module covers.
duration: 1h
audiences: {audiences}
learning_objectives:
  - What participants can do after this module.
prerequisites: []
keywords: []
legal_references: []
authors: []
reviewers: []
---

## First section

Write the module here. See docs/format.md for the named blocks (case-study, exercise,
trainer-note, key-points, question, answer) and the conditional blocks.
"""
