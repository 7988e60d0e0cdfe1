"""The one place where an error becomes a message and an exit code.

Every command runs inside ``handled`` (``app.command`` wraps it), so nothing the library
raises on purpose ends as a traceback:

============================  =========================================  =========
error                         printed (standard error)                   exit code
============================  =========================================  =========
``ContentError``              the located findings, then ``error: ...``  1
``UsageError``                ``error: ...``                             2
any other ``TrainkitError``   ``error: ...``                             1
``OSError``                   ``error: <file>: <reason>``                1
``KeyboardInterrupt``         nothing                                    130
============================  =========================================  =========

``build --watch`` runs its loop in ``handled(interrupted=0)``: Ctrl-C is how a watch
ends. A closed pipe (``trainkit list | head -1``) ends the command quietly. Anything
else is a bug in trainkit and keeps its traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from trainkit.cli import display
from trainkit.cli.options import Reporting
from trainkit.errors import ContentError, TrainkitError, UsageError
from trainkit.files import describe_os_error

#: The exit code of a command stopped with Ctrl-C (128 + SIGINT, as shells report it).
INTERRUPTED = 130


def report(error: TrainkitError | OSError) -> int:
    """Print what went wrong, in the report format the command was given (``--format``
    of ``validate``, ``--diagnostics-format`` of ``build``); the exit code it calls for."""
    if isinstance(error, ContentError):
        display.content_error(error, Reporting.format)
        return 1
    if isinstance(error, OSError):
        display.usage_error(describe_os_error(error), Reporting.format)
        return 1
    display.usage_error(str(error), Reporting.format)
    return 2 if isinstance(error, UsageError) else 1


@contextmanager
def handled(*, interrupted: int = INTERRUPTED) -> Iterator[None]:
    """Run a command: its errors become a message and ``typer.Exit`` with their code."""
    try:
        yield
    except BrokenPipeError as error:
        raise typer.Exit(1 if _stdout_closed() else report(error)) from None
    except (TrainkitError, OSError) as error:
        raise typer.Exit(report(error)) from None
    except KeyboardInterrupt:
        raise typer.Exit(interrupted) from None


def _stdout_closed() -> bool:
    """Whether standard output's reader has gone; if so, point it at the null device, or
    Python would complain when it flushes the stream on the way out."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    else:
        return False
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return True


def run(app: typer.Typer) -> None:
    """Run the application. With ``--format json|github|sarif`` (or
    ``--diagnostics-format``), a usage error Click finds (an unknown option, a bad value)
    is reported in that format too, with exit code 2."""
    report = _machine_format(sys.argv[1:])
    if report is None:
        app()
        return
    # Click's UsageError, whichever Click Typer uses (its own copy, or the package).
    usage: type[Exception] = next(
        c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
    try:
        code = app(standalone_mode=False)
    except usage as error:
        display.usage_error(getattr(error, "format_message", error.__str__)(), report)
        code = 2
    except typer.Abort:
        code = INTERRUPTED
    sys.exit(code if isinstance(code, int) else 0)


def _machine_format(args: list[str]) -> str | None:
    """The json, github or sarif report format the arguments ask for, if any."""
    machine = {"json", "github", "sarif"}
    for index, arg in enumerate(args):
        for flag in ("--format", "-f", "--diagnostics-format"):
            if arg == flag and index + 1 < len(args) and args[index + 1] in machine:
                return args[index + 1]
            if arg.startswith(flag + "=") and arg.split("=", 1)[1] in machine:
                return arg.split("=", 1)[1]
    return None
