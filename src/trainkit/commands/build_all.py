"""``trainkit build --all``: every region x edition x format, in parallel, rebuilt only if stale.

The project is validated once, in this process. Outputs whose inputs did not change since
the last run (``buildrecord``) are reported "up to date" and not rebuilt, unless
``force``. The others are built by worker processes, one output per task, each calling
``build.build_edition`` for one region, edition and format with the validation already
done (workers are forked, so they inherit it). At most ``jobs`` outputs are in flight.
``shard`` keeps one share of the outputs (``shards.py``), for one of several machines.

One output failing (a render error, an exception, even a worker process dying) marks that
output "failed" and nothing else: every other output is still built, each written
atomically, and the record keeps only the outputs that succeeded.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextlib import contextmanager
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Literal

from trainkit.assembly.adaptation import require_adapted
from trainkit.model.status import Status
from trainkit.assembly.edition import assemble, check_request, edition_language
from trainkit.assembly.review import REVIEW_SUFFIX, modules_not_in_status, status_error
from trainkit.checks.validate import ValidProject, require_valid
from trainkit.commands.build import BuildOptions, build_edition
from trainkit.commands.shards import shard
from trainkit.commands.build_record import (
    RECORD_NAME, BuildRecord, InputDigests, RecordEntry, file_sha256, load_record, save_record,
)
from trainkit.diagnostics import Diagnostic
from trainkit.errors import TrainkitError, UsageError
from trainkit.files import remove_leftovers, stale_leftovers_removed
from trainkit.model.edition import AssembledEdition, EditionModule, EditionRequest
from trainkit.model.formats import EXTENSIONS, FORMAT_ORDER, OutputFormat
from trainkit.runtime import stopped_on_error, usable_cores, worker_pool

State = Literal["queued", "building", "done", "failed", "up to date"]


@dataclass(frozen=True, slots=True)
class OutputJob:
    """One output of the matrix."""

    region: str
    edition: str
    format: OutputFormat
    name: str
    #: The edition's language (the region's first, unless ``--lang`` or ``--languages``).
    language: str = ""


@dataclass(slots=True)
class OutputStatus:
    """Where one output stands, and what the summary reports about it."""

    job: OutputJob
    path: Path
    state: State = "queued"
    pages: int | None = None
    size: int | None = None
    seconds: float | None = None
    message: str = ""
    #: Modules printed in the source language for want of a translation (TK604).
    untranslated: int = 0


@dataclass(frozen=True, slots=True)
class MatrixOptions:
    """What ``build --all`` was asked for; ``base`` holds the options every output shares."""

    base: BuildOptions = BuildOptions()
    force: bool = False
    jobs: int | None = None
    #: Every language each region lists, instead of each region's first.
    all_languages: bool = False
    shard: tuple[int, int] | None = None  # --shard I/N: only share I of N


@dataclass(slots=True)
class MatrixResult:
    """Every output with its final state, and the warnings validation found."""

    outputs: list[OutputStatus]
    warnings: list[Diagnostic] = field(default_factory=list)

    def count(self, state: State) -> int:
        return sum(1 for output in self.outputs if output.state == state)

    @property
    def ok(self) -> bool:
        return self.count("failed") == 0


OnEvent = Callable[[OutputStatus], None]


def _ignore(status: OutputStatus) -> None:
    return None


# -- planning --------------------------------------------------------------------------


def default_jobs() -> int:
    """Worker processes to use by default: one per core this process may run on."""
    return usable_cores()


def plan_outputs(valid: ValidProject, options: BuildOptions,
                 all_languages: bool = False) -> list[OutputJob]:
    """Every region x edition (x language) x format, with the file name each output gets."""
    manifest = valid.manifest
    formats = options.formats or tuple(manifest.output.formats)
    jobs: list[OutputJob] = []
    for region in valid.region_ids:
        for language in _languages(valid, region, options, all_languages):
            for edition in manifest.editions:
                request = EditionRequest(region, edition, options.audience, language=language)
                check_request(valid, request)
                resolved = edition_language(valid, request)
                stem = _file_stem(valid, request, resolved)
                stem += REVIEW_SUFFIX if options.review else ""
                jobs.extend(OutputJob(region, edition, fmt, stem + EXTENSIONS[fmt], resolved)
                            for fmt in dict.fromkeys(formats))
    return jobs


def _languages(valid: ValidProject, region: str, options: BuildOptions,
               all_languages: bool) -> list[str | None]:
    """The languages to build a region in: ``--lang``, every one it lists, or its first."""
    if options.language is not None:
        return [options.language]
    if not all_languages:
        return [None]
    allowed = valid.manifest.edition_languages
    profile = valid.regions.get(region)
    listed = [language for language in (profile.languages if profile else [])
              if language in allowed]
    return list(dict.fromkeys(listed)) or [None]


def _file_stem(valid: ValidProject, request: EditionRequest, language: str) -> str:
    """The name ``build`` gives an edition, without assembling it."""
    manifest = valid.manifest
    empty = AssembledEdition(request, manifest, "", manifest.editions[request.edition],
                             language, (), datetime.date.today())
    return empty.file_stem()


def _settings(job: OutputJob, options: BuildOptions) -> dict[str, object]:
    """The options an output depends on, for its input digest."""
    return {"region": job.region, "edition": job.edition, "format": job.format,
            "language": job.language, "audience": options.audience, "strict": options.strict,
            "only_status": options.only_status, "require_status": options.require_status,
            "review": options.review, "reference_docx": file_sha256(options.reference_docx),
            **({"docx_toc": options.docx_toc} if options.docx_toc else {}),
            **({"untagged": True} if options.untagged else {})}


def _check_status(valid: ValidProject, jobs: list[OutputJob], options: BuildOptions) -> None:
    """With ``require_status``: ``ContentError`` naming every module with another status.
    An approved build also refuses editions with required slots not filled."""
    if Status.APPROVED in (options.require_status, options.only_status):
        for region, edition in dict.fromkeys((job.region, job.edition) for job in jobs):
            require_adapted(valid, assemble(valid, EditionRequest(region, edition,
                                                                  options.audience)))
    status = options.require_status
    if status is None or not jobs:
        return
    others: dict[str, EditionModule] = {}
    for region in dict.fromkeys(job.region for job in jobs):
        request = EditionRequest(region, jobs[0].edition, options.audience)
        for module in modules_not_in_status(assemble(valid, request), status):
            others.setdefault(module.meta.id, module)
    if others:
        raise status_error(list(others.values()), status, "the editions")


# -- running ---------------------------------------------------------------------------


def build_matrix(project_dir: Path, options: MatrixOptions,
                 on_event: OnEvent = _ignore) -> MatrixResult:
    """Build every output that is stale (or all with ``force``); report each change."""
    started = time.time()
    base = options.base
    valid = require_valid(project_dir, strict=base.strict)
    jobs = plan_outputs(valid, base, options.all_languages)
    _check_status(valid, jobs, base)
    out_dir = valid.out_dir(base.out_dir).resolve()
    record = load_record(out_dir)
    timed = record.seconds([job.name for job in jobs])  # before this run changes them
    jobs = shard(jobs, *options.shard, timed) if options.shard else jobs
    digests = InputDigests(valid)
    keys = {job.name: digests.digest(job.region, _settings(job, base), job.language)
            for job in jobs}
    statuses = [_initial(job, out_dir, record, keys[job.name], options.force) for job in jobs]
    for status in statuses:
        on_event(status)
    stale = sorted((s for s in statuses if s.state == "queued"),
                   key=lambda s: _expected_cost(s.job, record))
    if stale:
        _run(stale, project_dir, replace(base, out_dir=out_dir), valid,
             options.jobs or default_jobs(), on_event)
        _update_record(record, stale, keys, timed if options.shard else None)
        with stale_leftovers_removed(out_dir / RECORD_NAME, started):
            save_record(out_dir, record)
    return MatrixResult(statuses, valid.warnings)


def _initial(job: OutputJob, out_dir: Path, record: BuildRecord, digest: str,
             force: bool) -> OutputStatus:
    status = OutputStatus(job, out_dir / job.name)
    if not force and record.is_current(job.name, digest, status.path):
        entry = record.entries[job.name]
        status.state, status.pages, status.size = "up to date", entry.pages, entry.size
    return status


def _expected_cost(job: OutputJob, record: BuildRecord) -> tuple[int, float]:
    """Start order: slowest format first, then longest last time (as ninja does with its
    log), so no long build starts last while the other workers sit idle."""
    entry = record.entries.get(job.name)
    return FORMAT_ORDER.get(job.format, 9), -(entry.seconds if entry is not None else 0.0)


def _update_record(record: BuildRecord, built: list[OutputStatus], keys: dict[str, str],
                   timed: dict[str, float] | None) -> None:
    """Record what was built; a shard keeps the times its share was cut by (``timed``)."""
    for status in built:
        name, seconds = status.job.name, status.seconds or 0.0
        if status.state == "done" and status.size is not None:
            seconds = timed.get(name, 0.0) if timed is not None else seconds
            record.entries[name] = RecordEntry(keys[name], status.pages, status.size, seconds)
        else:
            record.entries.pop(name, None)


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What a worker sends back: the file's facts, or why it failed."""

    pages: int | None = None
    size: int | None = None
    seconds: float = 0.0
    failure: str = ""
    untranslated: int = 0


class _Worker:
    """What a worker process builds from: the project the parent validated.

    ``ProcessPoolExecutor`` runs ``_Worker.start`` in each new worker with the parent's
    ``ValidProject`` (forked workers inherit it, so nothing is pickled or validated
    again); its tasks then find it here.
    """

    valid: ValidProject | None = None

    @classmethod
    def start(cls, valid: ValidProject) -> None:
        cls.valid = valid


def build_output(project_dir: str, options: BuildOptions,
                 valid: ValidProject | None = None) -> _Outcome:
    """Build one output (one region, edition and format) with ``build_edition``; in a
    worker process, from the project its parent validated."""
    started = time.perf_counter()
    try:
        result = build_edition(Path(project_dir), options, valid=valid or _Worker.valid)
    except TrainkitError as error:
        return _Outcome(failure=str(error), seconds=time.perf_counter() - started)
    except Exception as error:  # noqa: BLE001 - one output's crash must not stop the others
        return _Outcome(failure=f"unexpected error: {type(error).__name__}: {error}",
                        seconds=time.perf_counter() - started)
    seconds = time.perf_counter() - started
    if result.failures or not result.files:
        return _Outcome(failure="; ".join(result.failures) or "nothing was written",
                        seconds=seconds)
    built = result.files[0]
    untranslated = sum(1 for warning in result.warnings if warning.code == "TK604")
    return _Outcome(built.pages, built.size, seconds, untranslated=untranslated)


def _job_options(base: BuildOptions, job: OutputJob) -> BuildOptions:
    return replace(base, region=job.region, edition=job.edition, formats=(job.format,),
                   language=job.language)


def _writer_jobs(base: BuildOptions, workers: int) -> BuildOptions:
    """With several outputs in flight the cores are busy: each writer renders alone."""
    return base if workers < 2 else replace(base, writer_jobs=1)


def _run(stale: list[OutputStatus], project_dir: Path, base: BuildOptions,
         valid: ValidProject, jobs: int, on_event: OnEvent) -> None:
    if min(jobs, len(stale)) == 1:
        for status in stale:
            _start(status, on_event)
            _finish(status, build_output(str(project_dir), _job_options(base, status.job),
                                         valid), on_event)
        return
    base = _writer_jobs(base, min(jobs, len(stale)))
    _preload({status.job.format for status in stale})
    pending = stale
    while pending:
        suspects, pending = _run_pool(pending, project_dir, base, valid, jobs, on_event)
        for status in suspects:  # in flight when a worker died: once more, alone
            remove_leftovers(status.path)  # its worker was stopped mid-write
            _run_pool([status], project_dir, base, valid, 1, on_event, last_try=True)
            remove_leftovers(status.path)


def _preload(formats: set[str]) -> None:
    """Import the writers' heavy libraries once, before the workers are forked."""
    if "pdf" in formats:
        import weasyprint  # noqa: F401 - inherited by every forked worker
    if "docx" in formats:
        import docx  # noqa: F401


def _start(status: OutputStatus, on_event: OnEvent) -> None:
    status.state = "building"
    on_event(status)


def _finish(status: OutputStatus, outcome: _Outcome, on_event: OnEvent) -> None:
    status.seconds = outcome.seconds
    if outcome.failure:
        status.state, status.message = "failed", outcome.failure
    else:
        status.state, status.pages, status.size = "done", outcome.pages, outcome.size
        status.untranslated = outcome.untranslated
    on_event(status)


def _run_pool(stale: list[OutputStatus], project_dir: Path, base: BuildOptions,
              valid: ValidProject, jobs: int, on_event: OnEvent, *, last_try: bool = False,
              ) -> tuple[list[OutputStatus], list[OutputStatus]]:
    """Build ``stale`` with at most ``jobs`` in flight.

    If a worker process dies, the pool is broken: this returns the outputs that were in
    flight (one of them killed it) and those not started yet, to be run again. With
    ``last_try``, an output whose worker dies is marked failed instead. If this process
    is interrupted (Ctrl-C), the workers are stopped at once and what they were writing
    is removed.
    """
    waiting = list(reversed(stale))
    running: dict[Future[_Outcome], OutputStatus] = {}
    workers = max(1, min(jobs, len(stale)))
    start_worker = partial(_Worker.start, valid)
    with _leftovers_removed(running), worker_pool(workers, start_worker) as pool, \
            stopped_on_error(pool):
        while waiting or running:
            while waiting and len(running) < workers:
                status = waiting.pop()
                running[pool.submit(build_output, str(project_dir),
                                    _job_options(base, status.job))] = status
                _start(status, on_event)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken: list[OutputStatus] = []
            for future in done:
                status, error = running.pop(future), future.exception()
                if isinstance(error, BrokenProcessPool):
                    broken.append(status)
                elif error is not None:
                    _finish(status, _Outcome(failure=f"{type(error).__name__}: {error}"),
                            on_event)
                else:
                    _finish(status, future.result(), on_event)
            if broken and not last_try:
                return [*broken, *running.values()], list(reversed(waiting))
            for status in broken:
                _finish(status, _Outcome(failure="the worker process building it stopped "
                                                 "unexpectedly"), on_event)
    return [], []


@contextmanager
def _leftovers_removed(running: dict[Future[_Outcome], OutputStatus]) -> Iterator[None]:
    """If the block raises, the temporary files of the outputs still ``running`` go: their
    workers were stopped mid-write (``stopped_on_error``) and are gone by then."""
    try:
        yield
    except BaseException:
        for status in running.values():
            remove_leftovers(status.path)
        raise


def usage_check(options: MatrixOptions) -> None:
    """``UsageError`` for options ``build --all`` cannot honour."""
    if options.jobs is not None and options.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if options.base.region or options.base.edition:
        raise UsageError("--all builds every region and edition; leave out --region and "
                         "--edition, or build one edition without --all")
    if options.all_languages and options.base.language:
        raise UsageError("--languages builds every language each region lists; leave out "
                         "--lang, or use --lang alone for one language")
