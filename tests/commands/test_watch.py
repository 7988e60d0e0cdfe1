"""``trainkit build --watch``: snapshots, the rebuild loop, and the command line.

The loop is driven by a fake ``sleep`` that edits the project between polls, so the
tests neither wait nor depend on timing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import trainkit.commands.watch
from trainkit.commands.build import BuildOptions
from trainkit.cli.app import app
from trainkit.errors import ContentError
from trainkit.commands.watch import WatchedBuild, changed_files, snapshot, watch

runner = CliRunner()


def test_snapshot_skips_hidden_folders_caches_and_outputs(tmp_path: Path) -> None:
    for name in ("modules/a.md", ".git/HEAD", ".trainkit-cache/x", "dist/e.pdf", "out/e.pdf",
                 "modules/__pycache__/c.pyc", ".hidden.md", "trainkit.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert sorted(snapshot(tmp_path, (tmp_path / "out",))) == ["modules/a.md", "trainkit.yaml"]


def test_changed_files_lists_added_removed_and_edited_files() -> None:
    before = {"a.md": (1, 10), "b.md": (2, 20), "c.md": (3, 30)}
    after = {"a.md": (1, 10), "b.md": (2, 21), "d.md": (4, 40)}
    assert changed_files(before, after) == ("b.md", "c.md", "d.md")
    assert changed_files(before, dict(before)) == ()


def edits(*steps: Callable[[], object]) -> tuple[Callable[[float], None], Callable[[], bool]]:
    """A fake sleep that makes one edit per poll, and a stop once all were seen."""
    pending = list(steps)
    polls = {"count": 0}

    def sleep(seconds: float) -> None:
        polls["count"] += 1
        if pending and seconds >= trainkit.commands.watch.SETTLE_SECONDS * 2:  # a poll, not a settle
            pending.pop(0)()

    return sleep, lambda: not pending and polls["count"] > 0


def append(path: Path, text: str) -> Callable[[], object]:
    return lambda: path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_each_change_is_rebuilt_and_errors_do_not_stop_the_watch(tour: Path) -> None:
    module = tour / "modules" / "first.md"
    good = module.read_text(encoding="utf-8")
    sleep, stop = edits(append(module, "\nA watched paragraph.\n"),
                        append(module, "\n{{ region.no_such_variable }}\n"),
                        lambda: module.write_text(good, encoding="utf-8"))
    builds: list[WatchedBuild] = []
    written: list[str] = []

    def on_build(build: WatchedBuild) -> None:
        builds.append(build)
        if build.result is not None:
            written.append(build.result.files[0].path.read_text(encoding="utf-8"))

    options = BuildOptions(region="coastal", edition="trainer", formats=("html",),
                           out_dir=tour / "out")
    watch(tour, options, on_build, sleep=sleep, should_stop=stop)

    assert [b.changed for b in builds] == [(), *[("modules/first.md",)] * 3]
    first, edited, broken, fixed = builds
    assert first.result is not None and first.result.ok
    assert edited.result is not None and edited.result.ok
    assert isinstance(broken.error, ContentError) and broken.result is None
    assert [d.code for d in broken.error.diagnostics] == ["TK406"]
    assert fixed.result is not None and fixed.result.ok
    assert ["A watched paragraph." in html for html in written] == [False, True, False]


def test_outputs_written_inside_the_project_do_not_trigger_rebuilds(tour: Path) -> None:
    polls: list[int] = []

    def sleep(seconds: float) -> None:
        polls.append(1)

    builds: list[WatchedBuild] = []
    options = BuildOptions(region="coastal", edition="trainer", formats=("html",))
    watch(tour, options, builds.append, sleep=sleep, should_stop=lambda: len(polls) >= 3)
    assert len(builds) == 1  # the first build wrote dist/, and nothing was rebuilt
    assert builds[0].result is not None and builds[0].result.out_dir == tour / "dist"


def test_watch_with_all_is_a_usage_error(tour: Path) -> None:
    result = runner.invoke(app, ["build", str(tour), "--all", "--watch"])
    assert result.exit_code == 2
    assert "--watch rebuilds one edition; leave out --all" in result.output


def test_ctrl_c_ends_the_watch_cleanly(tour: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(project: Path, options: BuildOptions,
                    on_build: Callable[[WatchedBuild], None]) -> None:
        on_build(WatchedBuild((), None, ContentError("the project has errors", [], {}), 0.1))
        raise KeyboardInterrupt

    monkeypatch.setattr(trainkit.commands.watch, "watch", interrupted)
    result = runner.invoke(app, ["build", str(tour), "--watch", "-f", "html"])
    assert result.exit_code == 0
    assert "error: the project has errors" in result.output
    assert f"watching {tour} for changes (Ctrl-C to stop)" in " ".join(result.output.split())


@pytest.mark.slow
def test_pdf_rebuilds_keep_one_pool_and_lay_out_only_the_edited_module(
        tour: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfReader

    from trainkit.writers.pdf import render_pool as renderpool

    started: list[int] = []
    real_start = renderpool.RenderPool.start

    def counting_start(workers: int) -> renderpool.RenderPool:
        started.append(workers)
        return real_start(workers)

    monkeypatch.setattr(renderpool.RenderPool, "start", staticmethod(counting_start))
    chunk_folder = tour / ".trainkit-cache" / "pdf-chunks"
    module = tour / "modules" / "second.md"
    sleep, stop = edits(append(module, "\nA sentence added while watching.\n"))
    pieces: list[set[str]] = []
    texts: list[str] = []

    def on_build(build: WatchedBuild) -> None:
        assert build.result is not None and build.result.ok, build
        pieces.append({path.name for path in chunk_folder.glob("*.chunk")})
        reader = PdfReader(build.result.files[0].path)
        texts.append("\n".join(page.extract_text() for page in reader.pages))

    options = BuildOptions(region="coastal", edition="trainer", formats=("pdf",),
                           out_dir=tour / "out", writer_jobs=2)
    watch(tour, options, on_build, sleep=sleep, should_stop=stop)
    assert started == [2]  # one pool for the whole watch
    first, second = pieces
    assert len(second - first) in (1, 2)  # the edited module (and the contents, if moved)
    assert "A sentence added while watching." in texts[1]
    assert "A sentence added while watching." not in texts[0]
