"""The shape of the command line: help, shared options, short commands, light imports."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

import trainkit.cli
from trainkit.cli import app as app_module
from trainkit.cli.app import app

runner = CliRunner()
COMMANDS = ["validate", "build", "handout", "agenda", "list", "schema", "init", "new", "matrix",
            "preview", "review", "coverage", "test", "export"]

#: Options several commands have: each must mean the same wherever it appears.
SHARED = ["region", "lang", "out", "quiet", "strict", "project"]


def _click_group() -> Any:
    """The Click group Typer builds (Typer ships its own copy of Click)."""
    group = typer.main.get_command(app)
    assert hasattr(group, "commands")
    return group


def _shared_params() -> dict[str, list[tuple[str, Any]]]:
    group = _click_group()
    found: dict[str, list[tuple[str, Any]]] = {}
    for name, command in group.commands.items():
        for param in command.params:
            if param.name in SHARED:
                found.setdefault(param.name, []).append((name, param))
    return found


def test_the_package_exports_only_main() -> None:
    assert trainkit.cli.__all__ == ["main"]
    assert trainkit.cli.main is app_module.main
    assert inspect.ismodule(sys.modules["trainkit.cli.app"])


def test_every_command_is_registered() -> None:
    assert sorted(_click_group().commands) == sorted(COMMANDS)


@pytest.mark.parametrize("args", [[], *([c] for c in COMMANDS)])
def test_dash_h_is_help(args: list[str]) -> None:
    short = runner.invoke(app, [*args, "-h"])
    long = runner.invoke(app, [*args, "--help"])
    assert short.exit_code == long.exit_code == 0, short.output
    assert short.stdout == long.stdout
    assert "-h, --help" in short.stdout


def test_shared_options_mean_the_same_everywhere() -> None:
    found = _shared_params()
    assert set(found) == set(SHARED)
    for name, uses in found.items():
        first_command, first = uses[0]
        for command, param in uses[1:]:
            where = f"{name}: {first_command} vs {command}"
            assert param.opts == first.opts, where
            assert getattr(param, "help", None) == getattr(first, "help", None), where
            assert param.param_type_name == first.param_type_name, where
            assert param.default == first.default, where


def test_format_is_dash_f_everywhere() -> None:
    for name, command in _click_group().commands.items():
        for param in command.params:
            if "--format" in param.opts:
                assert param.opts == ["--format", "-f"], name


def test_every_command_runs_inside_the_error_handler() -> None:
    for info in app.registered_commands:
        assert info.callback is not None
        assert hasattr(info.callback, "__wrapped__"), info.callback  # errors.handled


def test_no_command_function_is_long() -> None:
    lengths = {}
    for info in app.registered_commands:
        assert info.callback is not None
        lines, _ = inspect.getsourcelines(info.callback)
        lengths[info.callback.__name__] = len(lines) - 1  # without the decorator
    assert max(lengths.values()) <= 25, lengths


def test_help_text_is_plain_ascii() -> None:
    for args in ([], *([c] for c in COMMANDS)):
        assert runner.invoke(app, [*args, "--help"]).stdout.isascii(), args


_PROBE = """
import json, sys
import trainkit.cli
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_importing_the_cli_loads_no_heavy_library() -> None:
    completed = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True,
                               text=True, check=True, timeout=60)
    loaded = set(json.loads(completed.stdout))
    assert "typer" in loaded  # the probe works
    for heavy in ("weasyprint", "docx", "markdown_it", "mdit_py_plugins", "jinja2",
                  "pydantic", "lxml", "pypdf", "babel"):
        assert heavy not in loaded, heavy
