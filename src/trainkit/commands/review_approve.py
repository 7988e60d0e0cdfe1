"""``trainkit review approve MODULE --reviewer NAME [--date]``: sign a module off.

The module's front-matter gets ``status: approved``, the reviewer added to ``reviewers``
(once) and ``last_reviewed`` set, by editing the YAML text in place at the positions the
loader recorded: every other line, comment, quote and blank line stays as it was. The
edited file is read back (front-matter and schema) before it replaces the old one, with
an atomic write; a module whose front-matter cannot be read is not touched.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from pathlib import Path

from trainkit.errors import ContentError, UsageError, unknown_choice
from trainkit.files import write_text_atomic
from trainkit.loading.module_file import split_front_matter
from trainkit.loading.project import load_project
from trainkit.loading.strict_yaml import LoadedYaml, load
from trainkit.schemas import ModuleMeta

#: A plain YAML scalar that needs no quotes: words, spaces, dots, hyphens, apostrophes.
_PLAIN = re.compile(r"^[A-Za-z\u00C0-\uFFFF][\w .'\u00C0-\uFFFF-]*$")


@dataclass(frozen=True, slots=True)
class Approval:
    path: str
    module: str
    reviewer: str
    date: datetime.date
    changed: tuple[str, ...]


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when safe, else double-quoted."""
    return text if _PLAIN.match(text) and not text.endswith(" ") and \
        text.lower() not in ("yes", "no", "true", "false", "null", "on", "off") \
        else json.dumps(text, ensure_ascii=False)


def _scalar_end(line: str, start: int) -> int:
    """The index after the scalar starting at ``start`` (0-based) of ``line``."""
    if start < len(line) and line[start] in "\"'":
        quote = line[start]
        end = line.find(quote, start + 1)
        while quote == "'" and end + 1 < len(line) and line[end + 1] == "'":
            end = line.find(quote, end + 2)
        return len(line) if end < 0 else end + 1
    comment = line.find(" #", start)
    stop = comment if comment >= 0 else len(line)
    return start + len(line[start:stop].rstrip().rstrip(",]").rstrip())


def _set_scalar(lines: list[str], loaded: LoadedYaml, key: str, value: str) -> bool:
    """Replace the scalar of top-level ``key``; False when the key is absent."""
    if (key,) not in loaded.key_pos:
        return False
    pos = loaded.value_pos[(key,)]
    line = lines[pos.line - 1]
    start = pos.column - 1
    lines[pos.line - 1] = line[:start] + value + line[_scalar_end(line, start):]
    return True


def _add_reviewer(lines: list[str], loaded: LoadedYaml, fence: int, name: str) -> None:
    value = loaded.value.get("reviewers") if isinstance(loaded.value, dict) else None
    scalar = yaml_scalar(name)
    if ("reviewers",) not in loaded.key_pos or value is None:
        if ("reviewers",) in loaded.key_pos:
            _set_scalar(lines, loaded, "reviewers", f"[{scalar}]")
        else:
            lines.insert(fence, f"reviewers: [{scalar}]")
        return
    if not isinstance(value, list):
        raise UsageError("`reviewers` is not a list; fix it before approving")
    key_line = loaded.key_pos[("reviewers",)].line - 1
    if not value:
        line = lines[key_line]
        lines[key_line] = line[:line.index("[")] + f"[{scalar}" + line[line.index("[") + 1:]
        return
    last = loaded.value_pos[("reviewers", len(value) - 1)]
    first = loaded.value_pos[("reviewers", 0)]
    row = lines[last.line - 1]
    if first.line == key_line + 1 and "[" in lines[key_line][lines[key_line].index(":"):]:
        end = _scalar_end(row, last.column - 1)  # flow style: after the last item
        lines[last.line - 1] = row[:end] + f", {scalar}" + row[end:]
        return
    dash = row[:first.column - 1]  # block style: another "  - " line
    lines.insert(last.line, f"{dash}{scalar}")


def approve(project_dir: Path, module_id: str, reviewer: str,
            date: datetime.date | None = None) -> Approval:
    """Record ``reviewer``'s approval of ``module_id`` in its front-matter."""
    if not reviewer.strip():
        raise UsageError("--reviewer needs a name")
    reviewer = " ".join(reviewer.split())
    date = date or datetime.date.today()
    project = load_project(project_dir, use_cache=False)
    modules = {m.meta.id: m for m in project.modules.values() if m.meta is not None}
    if module_id not in modules:
        raise unknown_choice("module", module_id, sorted(modules))
    path = modules[module_id].path
    target = project.root / path
    text = target.read_text(encoding="utf-8")
    split = split_front_matter(text, path)
    if not isinstance(split, tuple):
        raise ContentError(f"{path}: {split.message}", [split])
    yaml_text, _, body_line = split
    loaded = load(yaml_text, first_line=2)
    if loaded.failed or loaded.problems or not isinstance(loaded.value, dict):
        raise ContentError(f"{path}: the front-matter has errors; run trainkit validate")
    lines = text.split("\n")
    changed: list[str] = []
    meta = modules[module_id].meta
    assert meta is not None
    _set_scalar(lines, loaded, "status", "approved")  # scalars first: no line moves
    if meta.status.value != "approved":
        changed.append("status: approved")
    dated = _set_scalar(lines, loaded, "last_reviewed", date.isoformat())
    if reviewer not in meta.reviewers:
        _add_reviewer(lines, loaded, body_line - 2, reviewer)
        changed.append(f"reviewers += {reviewer}")
    if not dated:
        fence = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
        lines.insert(fence, f"last_reviewed: {date.isoformat()}")
    changed.append(f"last_reviewed: {date.isoformat()}")
    new_text = "\n".join(lines)
    _check(new_text, path)
    write_text_atomic(target, new_text)
    return Approval(path, module_id, reviewer, date, tuple(changed))


def _check(text: str, path: str) -> None:
    """``text`` has a front-matter that loads and validates, else ``ContentError``."""
    split = split_front_matter(text, path)
    problem = "" if isinstance(split, tuple) else split.message
    if isinstance(split, tuple):
        loaded = load(split[0], first_line=2)
        try:
            meta = ModuleMeta.model_validate(loaded.value)
            problem = "" if meta.status.value == "approved" else "status not set"
        except ValueError as error:
            problem = str(error).splitlines()[0]
    if problem:
        raise ContentError(f"{path}: approving would break its front-matter ({problem}); "
                           "nothing was changed, edit it by hand")
