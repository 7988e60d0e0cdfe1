"""Help that teaches: examples at the end of every command's help, plain error words."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from trainkit.cli.app import app
from trainkit.cli.examples import EXAMPLES

runner = CliRunner()
COMMANDS = [["validate"], ["build"], ["handout"], ["agenda"], ["list"], ["schema"],
            ["init"], ["new", "module"], ["matrix"], ["preview"], ["export", "moodle"],
            ["export", "scorm"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_help_ends_with_real_examples(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    tail = result.stdout.rstrip().split("Examples:")[-1]
    examples = [line.strip() for line in tail.splitlines() if line.strip().startswith("trainkit")]
    assert 2 <= len(examples) <= 3, result.stdout
    assert all(line.startswith(f"trainkit {' '.join(command)}") for line in examples)
    assert len(EXAMPLES[command[-1]]) == len(examples)


@pytest.mark.parametrize("args", [["agenda", "--days", "0"], ["matrix", "--shards", "0"],
                                  ["preview", "--port", "70000"]])
def test_range_errors_are_in_plain_words(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "Input should be" not in result.output
    assert "must be" in result.output
