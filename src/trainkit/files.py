"""Output files: confined to the output folder and replaced atomically.

A writer gets a temporary path next to the final file; only when it has finished does
``os.replace`` put the file in place, so a failed build never leaves a partial file and
never touches the previous output.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import glob
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from trainkit.errors import ContentError, UsageError


@functools.cache
def _usual_file_mode() -> int:
    """The mode ``open`` would give a new file under this process's umask.

    mkstemp creates files readable by their owner only; outputs get the usual mode. The
    umask can only be read by setting it, so it is read once, when the first file is
    written, not as a side effect of importing this module.
    """
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def output_path(out_dir: Path, file_name: str) -> Path:
    """``out_dir/file_name``, refusing any name that would land elsewhere."""
    folder = out_dir.resolve()
    target = (folder / file_name).resolve()
    if target.parent != folder or file_name in ("", ".", ".."):
        raise UsageError(f"output name `{file_name}` would leave the output folder")
    return target


@dataclass(frozen=True, slots=True)
class OutDirProblem:
    """Why the manifest's output folder cannot be used, in words for the author."""

    message: str
    hint: str


_ELSEWHERE_HINT = ("set `out_dir` to a folder inside the project, such as dist; to write "
                   "elsewhere, pass --out on the command line")


def out_dir_problem(root: Path, configured: str) -> OutDirProblem | None:
    """What is wrong with ``output.out_dir: configured`` of the project at ``root``, if anything.

    The folder must be a sub-folder of the project once every symbolic link on the way is
    followed (resolved paths are compared, never strings); it need not exist yet. Only
    ``--out`` on the command line may name a folder elsewhere.
    """
    shown = f"the output folder `{configured}`"
    if _is_absolute(configured):
        return OutDirProblem(f"{shown} is an absolute path", _ELSEWHERE_HINT)
    project = root.resolve()
    try:
        target = (project / configured).resolve()
    except (OSError, RuntimeError, ValueError):  # a link loop, a NUL byte
        return OutDirProblem(f"{shown} cannot be resolved", _ELSEWHERE_HINT)
    if target == project:
        return OutDirProblem(f"{shown} is the project folder itself",
                             "use a folder inside the project, such as dist")
    if not target.is_relative_to(project):
        if Path(os.path.normpath(project / configured)).is_relative_to(project):
            return OutDirProblem(
                f"{shown} leads outside the project folder through a symbolic link",
                _ELSEWHERE_HINT)
        return OutDirProblem(f"{shown} is outside the project folder", _ELSEWHERE_HINT)
    if target.exists() and not target.is_dir():
        return OutDirProblem(f"{shown} is a file, not a folder",
                             "remove the file, or set `out_dir` to another folder")
    return None


def _is_absolute(configured: str) -> bool:
    return (configured.startswith(("/", "\\")) or PurePosixPath(configured).is_absolute()
            or re.match(r"^[A-Za-z]:", configured) is not None)


def project_out_dir(root: Path, configured: str) -> Path:
    """The manifest's output folder of the project at ``root``, resolved.

    ``ContentError`` when it is not a folder inside the project (``out_dir_problem``):
    validation reports that as TK313, and this check runs again just before writing, in
    case a link changed in between.
    """
    problem = out_dir_problem(root, configured)
    if problem is not None:
        raise ContentError(f"{problem.message} (output.out_dir in trainkit.yaml); "
                           "nothing was built")
    return (root / configured).resolve()


#: What the temporary file of ``final`` is called: ``.<name>.<random>.part``, hidden.
_TEMPORARY = ".part"


def _temporary_prefix(final: Path) -> str:
    return f".{final.name}."


#: How much older than a build's start a temporary file must be to count as stale: file
#: times come from a clock that may lag the one ``time.time()`` reads by a few ticks.
CLOCK_SLACK_SECONDS = 1.0


def _leftovers(final: Path) -> Iterator[Path]:
    """The temporary files of ``final`` (``atomic_target`` names), whoever wrote them."""
    prefix = _temporary_prefix(final)
    pattern = f"{glob.escape(prefix)}*{_TEMPORARY}"
    for candidate in final.parent.glob(pattern):
        middle = candidate.name[len(prefix):-len(_TEMPORARY)]
        if middle and "." not in middle:  # ``.a.pdf.x.part`` is not one of ``a``'s
            yield candidate


def remove_leftovers(final: Path) -> None:
    """Delete the temporary files a killed process left behind while writing ``final``.

    A process that dies mid-write (``build --all`` stops every worker of a pool when one
    of them crashes) cannot clean up after itself; only the caller that knows it is gone
    may call this, since a live writer's temporary file would be removed too.
    """
    for leftover in _leftovers(final):
        leftover.unlink(missing_ok=True)


def remove_stale_leftovers(final: Path, started: float) -> list[Path]:
    """Delete the temporary files of ``final`` last written before ``started``; their paths.

    ``started`` is when this build began (``time.time()``). A build killed while writing
    ``final`` (by the OOM killer, a cancelled CI job) leaves its hidden temporary file
    behind; the next build of the same output removes it. A file written since this
    build began may belong to another build writing the same output right now: it stays.
    """
    removed: list[Path] = []
    for leftover in _leftovers(final):
        try:
            if leftover.stat().st_mtime >= started - CLOCK_SLACK_SECONDS:
                continue
            leftover.unlink()
        except OSError:  # gone already, or not ours to remove: nothing to clean
            continue
        removed.append(leftover)
    return removed


@contextlib.contextmanager
def stale_leftovers_removed(final: Path, started: float) -> Iterator[None]:
    """Remove the stale temporary files of ``final`` once the block has written it (or
    failed to): ``remove_stale_leftovers`` after the block, whatever its outcome."""
    try:
        yield
    finally:
        remove_stale_leftovers(final, started)


@contextlib.contextmanager
def atomic_target(final: Path, *, mode: int | None = None) -> Iterator[Path]:
    """A temporary path to write to; moved onto ``final`` only if the block succeeds.

    The file gets ``mode``, else the usual mode of a new file (``0o600`` for secrets).
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=final.parent, prefix=_temporary_prefix(final),
                                    suffix=_TEMPORARY)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, _usual_file_mode() if mode is None else mode)
        os.replace(temporary, final)
    except OSError as error:
        _name_the_output(error, final, temporary)
        raise
    finally:
        temporary.unlink(missing_ok=True)


def _name_the_output(error: OSError, final: Path, temporary: Path) -> None:
    """Make an error that names no file, or the temporary one (a full disk), name
    ``final``: the message then says which output could not be written."""
    if error.filename is None or error.filename == str(temporary):
        error.filename, error.filename2 = str(final), None


def write_text_atomic(final: Path, text: str) -> None:
    with atomic_target(final) as temporary:
        temporary.write_text(text, encoding="utf-8")


def describe_os_error(error: OSError, path: Path | None = None) -> str:
    """``<file>: <reason>`` for an error the file system gave: the file it names, else
    ``path`` (the file being written), else the reason alone."""
    reason = _reason(error)
    names = [_name(name) for name in (error.filename, error.filename2) if name is not None]
    if not names and path is not None:
        names = [str(path)]
    return f"{' -> '.join(names)}: {reason}" if names else reason


def _name(name: object) -> str:
    return os.fsdecode(name) if isinstance(name, (str, bytes)) else str(name)


def _reason(error: OSError) -> str:
    """The system's reason, said plainly when a path is not a folder where one must be."""
    if error.errno in (errno.EEXIST, errno.ENOTDIR) and isinstance(error.filename, str):
        path = Path(error.filename)
        blocker = _not_a_folder(path)
        if blocker == path:
            return "exists and is not a folder"
        if blocker is not None:
            return f"{blocker} is not a folder"
    return error.strerror or str(error)


def _not_a_folder(path: Path) -> Path | None:
    """The first of ``path`` and its parents that exists but is not a folder."""
    for candidate in (*reversed(path.parents), path):
        if candidate.exists() and not candidate.is_dir():
            return candidate
    return None
