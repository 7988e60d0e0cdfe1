"""Shell completion of region, edition, language and module ids, read cheaply.

Completion runs on every Tab press, so it reads only what it needs, without validating:
the manifest's ``editions`` and ``languages``, the names of ``regions/*.yaml``, and the
``id:`` line of each module's front-matter. Any problem means no suggestions.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

MANIFEST = "trainkit.yaml"
_ID_LINE = re.compile(r"^id:\s*['\"]?([a-z0-9-]+)", re.MULTILINE)


def _root(ctx: typer.Context | None) -> Path | None:
    given = ctx.params.get("project") if ctx is not None else None
    start = Path(given) if given else Path.cwd()
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / MANIFEST).is_file():
            return folder
    return None


def _manifest(root: Path) -> dict[str, Any]:
    import yaml

    loaded = yaml.safe_load((root / MANIFEST).read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else {}


def _matching(values: list[str], incomplete: str) -> list[str]:
    return sorted(v for v in dict.fromkeys(values) if v.startswith(incomplete))


def regions(ctx: typer.Context, incomplete: str) -> list[str]:
    root = _root(ctx)
    if root is None:
        return []
    return _matching([p.stem for p in (root / "regions").glob("*.yaml")], incomplete)


def editions(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        root = _root(ctx)
        found = _manifest(root).get("editions") if root else None
    except Exception:  # noqa: BLE001 - a broken manifest completes nothing
        return []
    return _matching([str(e) for e in found], incomplete) if isinstance(found, dict) else []


def languages(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        root = _root(ctx)
        manifest = _manifest(root) if root else {}
    except Exception:  # noqa: BLE001
        return []
    listed = [manifest.get("language", "en"), *(manifest.get("languages") or [])]
    return _matching([str(code) for code in listed], incomplete)


def modules(ctx: typer.Context, incomplete: str) -> list[str]:
    root = _root(ctx)
    if root is None:
        return []
    ids = []
    for path in (root / "modules").rglob("*.md"):
        try:
            head = path.read_text(encoding="utf-8", errors="replace")[:2000]
        except OSError:
            continue
        match = _ID_LINE.search(head)
        if match and head.startswith("---"):
            ids.append(match.group(1))
    return _matching(ids, incomplete)
