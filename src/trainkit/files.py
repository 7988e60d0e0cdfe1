"""Output files: confined to the output folder and replaced atomically.

A writer gets a temporary path next to the final file; only when it has finished does
``os.replace`` put the file in place, so a failed build never leaves a partial file and
never touches the previous output.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from trainkit.errors import UsageError


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
