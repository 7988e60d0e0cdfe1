"""The library API: ``trainkit.__all__``, loaded lazily, and it works as documented."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import trainkit

REPOSITORY = Path(__file__).resolve().parents[1]


def test_every_public_name_resolves_and_is_documented() -> None:
    assert set(trainkit.__all__) == {"__version__", *trainkit._EXPORTS}
    api = (REPOSITORY / "docs" / "api.md").read_text(encoding="utf-8")
    for name in trainkit.__all__:
        assert getattr(trainkit, name) is not None
        assert f"`{name}" in api, name


def test_import_trainkit_loads_nothing_heavy() -> None:
    probe = ("import json, sys, trainkit; "
             "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", probe], capture_output=True,
                                           text=True, check=True, timeout=60).stdout))
    assert not loaded & {"pydantic", "weasyprint", "docx", "markdown_it", "yaml", "typer"}


def test_validate_build_and_list_through_the_api(tmp_path: Path) -> None:
    project = tmp_path / "course"
    trainkit.init_project(project, "API course")
    assert trainkit.validate_project(project, strict=True, use_cache=False).ok
    result = trainkit.build_edition(project, trainkit.BuildOptions(formats=("html",)))
    assert result.ok and result.files[0].path.suffix == ".html"
    entries = trainkit.list_matrix(project)
    assert {(e.region, e.edition, e.format) for e in entries} == {
        ("main", "trainer", "pdf"), ("main", "trainer", "html"),
        ("main", "participant", "pdf"), ("main", "participant", "html")}
