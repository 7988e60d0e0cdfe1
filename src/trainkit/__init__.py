"""trainkit: write training manuals as Markdown modules, publish region-specific editions.

The library API (``docs/api.md``), imported lazily: ``import trainkit`` loads nothing
heavy, and each name loads its module on first use::

    import trainkit

    result = trainkit.validate_project(Path("manual"), strict=True)
    for finding in result.diagnostics:
        print(finding.path, finding.line, finding.code, finding.message)
    built = trainkit.build_edition(Path("manual"), trainkit.BuildOptions(
        region="north-africa", edition="participant", formats=("pdf",)))
    for entry in trainkit.list_matrix(Path("manual")):
        print(entry.region, entry.edition, entry.language, entry.format)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Each public name and the module that defines it.
_EXPORTS = {
    "validate_project": "trainkit.checks.validate",
    "Validation": "trainkit.checks.validate",
    "Diagnostic": "trainkit.diagnostics",
    "Severity": "trainkit.diagnostics",
    "build_edition": "trainkit.commands.build",
    "BuildOptions": "trainkit.commands.build",
    "BuildResult": "trainkit.commands.build",
    "list_matrix": "trainkit.commands.matrix",
    "MatrixEntry": "trainkit.commands.matrix",
    "init_project": "trainkit.commands.scaffold",
    "TrainkitError": "trainkit.errors",
    "ContentError": "trainkit.errors",
    "UsageError": "trainkit.errors",
}

__all__ = [
    "__version__", "validate_project", "Validation", "Diagnostic", "Severity",
    "build_edition", "BuildOptions", "BuildResult", "list_matrix", "MatrixEntry",
    "init_project", "TrainkitError", "ContentError", "UsageError",
]

if TYPE_CHECKING:
    from trainkit.checks.validate import Validation, validate_project
    from trainkit.commands.build import BuildOptions, BuildResult, build_edition
    from trainkit.commands.matrix import MatrixEntry, list_matrix
    from trainkit.commands.scaffold import init_project
    from trainkit.diagnostics import Diagnostic, Severity
    from trainkit.errors import ContentError, TrainkitError, UsageError


def __getattr__(name: str) -> Any:
    """Load a public name's module on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'trainkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
