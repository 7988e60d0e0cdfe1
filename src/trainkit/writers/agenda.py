"""The agenda's exports: Markdown, HTML, PDF (from the HTML) and DOCX (written by the
DOCX writer's machinery, ``trainkit.writers.docx.agenda``).

Every format shows the same rows (``timetable.day_rows``), with the same fixed words.
Titles come from module front-matter and are escaped for each format.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Literal

from markupsafe import Markup

from trainkit import __version__
from trainkit.assembly.timetable import Timetable, day_rows, day_title
from trainkit.files import output_path, stale_leftovers_removed, write_text_atomic
from trainkit.writers.html.render import read_resource, render_template

AgendaFormat = Literal["md", "html", "pdf", "docx"]


def render_markdown(timetable: Timetable) -> str:
    """The agenda as a Markdown document: one table per day."""
    words = timetable.words
    lines = [f"# {_md(timetable.heading())}", "", _md(timetable.facts()), ""]
    for day in timetable.agenda.days:
        lines += [f"## {_md(day_title(timetable, day))}", "",
                  f"| {words['time']} | {words['module']} | {words['duration']} |",
                  "|---|---|---|"]
        lines += [f"| {row.time} | {_md(row.what)} | {row.duration} |"
                  for row in day_rows(timetable, day)]
        lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell or heading."""
    for special in ("\\", "|", "*", "_", "`", "[", "]", "<", ">", "#"):
        text = text.replace(special, "\\" + special)
    return text


def render_agenda_html(timetable: Timetable) -> str:
    """The agenda as one self-contained HTML page (also the source of the PDF)."""
    css = read_resource("css/base.css") + read_resource("css/agenda.css")
    css = css.replace("__PAGE_SIZE__", timetable.page_size) + _page_numbers(timetable)
    days = [{"title": day_title(timetable, day), "rows": day_rows(timetable, day)}
            for day in timetable.agenda.days]
    return render_template("agenda.html.j2", {
        "timetable": timetable, "words": timetable.words, "days": days, "css": Markup(css),
        "version": __version__})


def _page_numbers(timetable: Timetable) -> str:
    """"Page 2 of 3" at the foot of each printed page (in the agenda's language)."""
    parts = []
    for text in re.split(r"(\{page\}|\{pages\})", timetable.words["page-of"]):
        if text in ("{page}", "{pages}"):
            parts.append(f"counter({text[1:-1]})")
        elif text:
            parts.append('"' + "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} "
                                       for ch in text) + '"')
    return ("@page { @bottom-center { content: " + " ".join(parts) + "; font: 9pt "
            '"DejaVu Sans", sans-serif; color: #5b6573; } }\n')


def write_agenda(timetable: Timetable, output_format: AgendaFormat,
                 out_dir: Path | None = None) -> Path:
    """Write the agenda in one format to ``out_dir`` (default: the manifest's); its path.

    The temporary files an earlier, killed export left beside it are removed.
    """
    target = output_path(out_dir or timetable.out_dir, f"{timetable.file_stem()}.{output_format}")
    with stale_leftovers_removed(target, time.time()):
        _write(timetable, output_format, target)
    return target


def _write(timetable: Timetable, output_format: AgendaFormat, target: Path) -> None:
    if output_format == "md":
        write_text_atomic(target, render_markdown(timetable))
    elif output_format == "html":
        write_text_atomic(target, render_agenda_html(timetable))
    elif output_format == "pdf":
        from trainkit.writers.pdf.single import html_to_pdf

        html_to_pdf(render_agenda_html(timetable), timetable.resolver, target)
    else:
        from trainkit.writers.docx.agenda import write_docx_agenda

        write_docx_agenda(timetable, target)
