"""The package's folders form layers: each imports only from the layers below it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "trainkit"

#: Lowest first; a dotted name is a module of a folder whose other modules sit lower
#: (the assembled edition holds schema models). ``loading`` calls the parser on each
#: module it reads (so the parse is cached with the file), hence ``parsing`` below it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "text", "files", "runtime", "bidi", "diagnostics", "model", "labels", "fonts"),
    ("schemas",),
    ("model.edition", "parsing"),
    ("loading",),
    ("checks",),
    ("assembly",),
    ("writers",),
    ("commands",),
    ("cli", "__main__"),
)


def layer_of(module: str) -> int:
    """The layer of ``trainkit.<folder>[.<module>...]``: its module's, else its folder's."""
    parts = module.split(".")[1:]
    for name in (".".join(parts[:2]), parts[0] if parts else ""):
        for index, names in enumerate(LAYERS):
            if name in names:
                return index
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every ``trainkit.*`` module ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "trainkit":
                found.update(f"trainkit.{alias.name}" for alias in node.names)
            elif node.module.startswith("trainkit."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("trainkit."))
    return found


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_from_its_layer_and_below(path: Path) -> None:
    own = layer_of(module_name(path))
    upward = sorted(m for m in imported(path) if m != "trainkit.__version__"
                    and m.split(".")[1] != "__version__" and layer_of(m) > own)
    assert not upward, f"{module_name(path)} imports from a later stage: {upward}"


def test_no_module_is_over_400_lines() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in SOURCES
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 420}
    assert not long, long


def imported_at_load(path: Path) -> set[str]:
    """The ``trainkit.*`` modules ``path`` imports when it is loaded (not in functions,
    not under ``TYPE_CHECKING``)."""
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("trainkit"):
            for alias in node.names:  # ``from package import submodule`` needs the submodule
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in MODULES else node.module)
    return {name for name in found if name in MODULES}


MODULES = {module_name(path): path for path in SOURCES}


def test_there_are_no_import_cycles() -> None:
    graph = {name: imported_at_load(path) - {name} for name, path in MODULES.items()}
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            raise AssertionError("import cycle: " + " -> ".join([*trail[trail.index(name):], name]))
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, [*trail, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
