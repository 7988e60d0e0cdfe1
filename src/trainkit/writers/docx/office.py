"""LibreOffice, run headless, to learn on which page each bookmark of a DOCX falls.

Word shows a TOC field's current result until someone updates it: trainkit writes the
entries, but their page numbers need a layout. LibreOffice has no command-line switch to
update indexes (tdf#44448), and updating an index imported from Word (``XDocumentIndex.
update`` from a macro) rebuilds it by LibreOffice's own rules, losing its entries' form.
What it does do from the command line is lay the document out and export it as PDF with
every bookmark as a named destination (``ExportBookmarksToPDFDestination``, a filter
option given as JSON since LibreOffice 7.4). The destinations give each bookmark's page;
trainkit then writes those numbers into its own contents.

The office runs in its own session (so the whole process group can be killed), with a
private profile in a temporary folder (so it never meets a running LibreOffice or the
user's settings), under a time limit; the folder goes afterwards, whatever happens.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

#: Where to find LibreOffice: this variable (a path; empty: never use it), else the PATH.
OFFICE_VARIABLE = "TRAINKIT_SOFFICE"
PDF_FILTER = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":' \
             '{"type":"boolean","value":"true"}}'


class OfficeFailed(Exception):
    """LibreOffice could not lay the document out; the message says why, in one line."""


def find_office() -> str | None:
    """The LibreOffice program to run, or None when there is none."""
    chosen = os.environ.get(OFFICE_VARIABLE)
    if chosen is not None:
        return chosen or None
    return shutil.which("soffice") or shutil.which("libreoffice")


def destination_key(name: str) -> str:
    """The name LibreOffice gives a bookmark's PDF destination: letters, digits and
    ``-`` as they are, any other character as its code in two hex digits."""
    return "".join(c if c.isascii() and (c.isalnum() or c == "-") else f"{ord(c) & 0xFF:02X}"
                   for c in name)


def bookmark_pages(office: str, docx: Path, names: list[str],
                   timeout: float | None = None) -> tuple[dict[str, int], int]:
    """The page (from 1) of each bookmark in ``names`` as LibreOffice lays ``docx`` out,
    and the number of pages; :class:`OfficeFailed` if it cannot."""
    with tempfile.TemporaryDirectory(prefix="trainkit-office-") as folder:
        work = Path(folder)
        source = work / "edition.docx"
        try:
            os.link(docx, source)
        except OSError:
            shutil.copyfile(docx, source)
        run_office(office, source, work, timeout)
        pdf = work / "edition.pdf"
        if not pdf.is_file():
            raise OfficeFailed("LibreOffice did not write the PDF it was asked for")
        return read_destinations(pdf, names)


def run_office(office: str, source: Path, out_dir: Path, timeout: float | None) -> None:
    """``office --convert-to pdf`` of ``source`` into ``out_dir``, in a process group of
    its own that is killed if it outlives ``timeout`` (and in any case afterwards)."""
    profile = out_dir / "profile"
    command = [office, "--headless", "--invisible", "--nologo", "--norestore",
               "--nodefault", "--nolockcheck", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", PDF_FILTER, "--outdir", str(out_dir), str(source)]
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, cwd=out_dir,
                                   start_new_session=True)
    except OSError as error:
        raise OfficeFailed(f"LibreOffice could not be started: {error.strerror}") from None
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        process.communicate()  # the pipe's end, now that nothing holds it open
        raise OfficeFailed(f"LibreOffice took longer than {timeout:.0f} s") from None
    finally:
        _kill_group(process)
    if process.returncode != 0:
        last = output.decode(errors="replace").strip().splitlines()[-1:] if output else []
        raise OfficeFailed(f"LibreOffice exited with status {process.returncode}"
                           + (f": {last[0]}" if last else ""))


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill what is left of the process group (LibreOffice's ``soffice.bin`` and helpers)
    and reap the process."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def read_destinations(pdf: Path, names: list[str]) -> tuple[dict[str, int], int]:
    """The page (from 1) of each of ``names`` among ``pdf``'s named destinations."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(pdf)
        destinations = reader.named_destinations
        pages = {}
        for key, value in destinations.items():
            number = reader.get_destination_page_number(value)
            if number is not None and number >= 0:
                pages[str(key).lstrip("/")] = number + 1
        count = len(reader.pages)
    except Exception as error:  # pypdf raises many kinds on a damaged file
        raise OfficeFailed(f"the PDF LibreOffice wrote cannot be read: {error}") from None
    keys = [destination_key(name) for name in names]
    shared = {key for key, times in Counter(keys).items() if times > 1}  # ambiguous
    return {name: pages[key] for name, key in zip(names, keys, strict=True)
            if key in pages and key not in shared}, count
