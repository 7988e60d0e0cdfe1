"""``trainkit matrix`` and ``build --all --shard I/N``: shares that partition the matrix."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPOSITORY, ProjectDir
from trainkit.cli.app import app
from trainkit.commands.build import BuildOptions
from trainkit.commands.build_all import MatrixOptions, build_matrix
from trainkit.commands.matrix import MatrixEntry, list_matrix, list_shards
from trainkit.commands.shards import TYPICAL_SECONDS, parse_shard, split, weight
from trainkit.errors import UsageError

runner = CliRunner()


@pytest.fixture(scope="module")
def shipped() -> list[MatrixEntry]:
    """The shipped manual's matrix in every language: 5 regions, 2 editions, 3 formats."""
    return list_matrix(REPOSITORY, BuildOptions(formats=("pdf", "html", "docx")), True)


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 40])
@pytest.mark.parametrize("measured", [False, True])
def test_the_shares_partition_the_matrix(shipped: list[MatrixEntry], count: int,
                                         measured: bool) -> None:
    seconds = {e.name: float(len(e.name) % 7 + 1) for e in shipped} if measured else None
    shares = split(shipped, count, seconds)
    assert len(shares) == count
    together = [entry for share in shares for entry in share]
    assert Counter(together) == Counter(shipped)  # each output once, none lost or added
    for share in shares:  # each share keeps the matrix's order
        assert share == sorted(share, key=shipped.index)
    assert split(list(shipped), count, seconds) == shares  # the same on every machine


def test_the_shares_are_balanced(shipped: list[MatrixEntry]) -> None:
    seconds = {e.name: 1.0 + (i * 37 % 11) for i, e in enumerate(shipped)}
    for count in (2, 3, 5):
        loads = [sum(weight(e, seconds) for e in share)
                 for share in split(shipped, count, seconds)]
        heaviest = max(weight(e, seconds) for e in shipped)
        assert max(loads) - min(loads) <= heaviest  # greedy LPT bound


def test_without_a_record_a_pdf_weighs_more_than_html(shipped: list[MatrixEntry]) -> None:
    assert TYPICAL_SECONDS["pdf"] > TYPICAL_SECONDS["docx"] > TYPICAL_SECONDS["html"]
    pdfs = [e for e in shipped if e.format == "pdf"]
    counts = [sum(1 for e in share if e.format == "pdf") for share in split(shipped, 2)]
    assert abs(counts[0] - counts[1]) <= 1 and sum(counts) == len(pdfs)


@pytest.mark.parametrize("text", ["0/3", "4/3", "1", "a/b", "1/0"])
def test_a_bad_shard_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError):
        parse_shard(text)
    assert parse_shard(" 2 / 3 ") == (2, 3)


def test_matrix_as_json_and_for_github(project: ProjectDir) -> None:
    result = runner.invoke(app, ["matrix", str(project.root)])
    assert result.exit_code == 0, result.output
    include = json.loads(result.stdout)["include"]
    assert {(e["region"], e["edition"]) for e in include} >= {("north", "trainer")}
    assert set(include[0]) == {"region", "edition", "language", "format", "name"}
    result = runner.invoke(app, ["matrix", str(project.root), "-f", "github", "--shards", "3"])
    assert result.stdout == 'matrix={"shard":["1/3","2/3","3/3"]}\n'


def test_build_all_shard_builds_exactly_its_share(project: ProjectDir, tmp_path: Path) -> None:
    options = BuildOptions(formats=("html",), out_dir=tmp_path / "out")
    shares = list_shards(project.root, 2, options)
    built: list[str] = []
    for index in (1, 2):
        result = build_matrix(project.root, MatrixOptions(options, jobs=1, shard=(index, 2)))
        names = [o.job.name for o in result.outputs]
        assert names == [e.name for e in shares[index - 1]]
        built += names
    assert sorted(built) == sorted(e.name for e in list_matrix(project.root, options))
    assert sorted(p.name for p in (tmp_path / "out").glob("*.html")) == sorted(built)


def test_shard_needs_all(project: ProjectDir) -> None:
    result = runner.invoke(app, ["build", str(project.root), "--shard", "1/2"])
    assert result.exit_code == 2 and "--shard only apply to build --all" in result.output
