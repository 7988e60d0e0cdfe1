"""The error hierarchy: every error trainkit raises on purpose derives from TrainkitError."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from trainkit.diagnostics import Diagnostic


class TrainkitError(Exception):
    """Base class for errors the command line turns into a message and an exit code."""


class UsageError(TrainkitError):
    """The command was called wrongly (no project at that path, unknown region...): exit 2."""


def unknown_choice(what: str, value: str, known: Sequence[str]) -> UsageError:
    """``unknown region `x`; did you mean `y`? (known: a, b)`` for a value not in ``known``."""
    from trainkit.text import suggestion

    hint = suggestion(value, known)
    return UsageError(f"unknown {what} `{value}`" + (f"; {hint}" if hint else "")
                      + f" (known: {', '.join(known)})")


def require_known(what: str, value: str, known: Sequence[str]) -> None:
    """``unknown_choice`` raised when ``value`` is not one of ``known``."""
    if value not in known:
        raise unknown_choice(what, value, known)


class ProjectNotFound(UsageError):
    """The folder given holds no ``trainkit.yaml``."""


class ContentError(TrainkitError):
    """The project has errors; the diagnostics say which. Exit 1."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None,
                 sources: dict[str, list[str]] | None = None, root: Path | None = None) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics or []
        self.sources = sources or {}
        #: The project folder the findings' paths are relative to (None: not known).
        self.root = root


class RenderError(TrainkitError):
    """A writer failed to produce an output file. Exit 1."""


class ReferenceRejected(TrainkitError):
    """A file reference was refused by the project resolver; the message says why.

    ``code`` is the diagnostic code to report it with when the usual one (TK502, or a
    missing file's) would say less, such as TK511 for an invisible control character.
    """

    def __init__(self, reason: str, hint: str | None = None, *, missing: bool = False,
                 code: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint
        #: The reference is acceptable but names no file (not a refusal of what it names).
        self.missing = missing
        self.code = code


class MissingVariable(TrainkitError):
    """A ``{{ variable }}`` with no value; validation reports these before any build."""

    def __init__(self, name: str) -> None:
        super().__init__(f"the variable `{name}` has no value in this edition")
        self.name = name
