"""Output files: confined to the output folder and replaced atomically.

A writer gets a temporary path next to the final file; only when it has finished does
``os.replace`` put the file in place, so a failed build never leaves a partial file and
never touches the previous output.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from trainkit.errors import ContentError, UsageError


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


#: mkstemp creates files readable by their owner only; outputs get the usual mode.
_FILE_MODE = _file_mode()


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


def remove_leftovers(final: Path) -> None:
    """Delete the temporary files a killed process left behind while writing ``final``.

    A process that dies mid-write (``build --all`` stops every worker of a pool when one
    of them crashes) cannot clean up after itself; only the caller that knows it is gone
    may call this, since a live writer's temporary file would be removed too.
    """
    for leftover in final.parent.glob(f"{glob.escape(_temporary_prefix(final))}*{_TEMPORARY}"):
        leftover.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_target(final: Path) -> Iterator[Path]:
    """A temporary path to write to; moved onto ``final`` only if the block succeeds."""
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=final.parent, prefix=_temporary_prefix(final),
                                    suffix=_TEMPORARY)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, _FILE_MODE)
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)


def write_text_atomic(final: Path, text: str) -> None:
    with atomic_target(final) as temporary:
        temporary.write_text(text, encoding="utf-8")
