"""The agenda's exports: Markdown, HTML, PDF (from the HTML) and DOCX (written by the
DOCX writer's machinery, ``trainkit.writers.docx.agenda``).

Every format shows the same rows (``timetable.day_rows``), with the same fixed words.
Titles come from module front-matter and are escaped for each format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from markupsafe import Markup

from trainkit import __version__
from trainkit.files import output_path, write_text_atomic
from trainkit.assembly.timetable import Timetable, day_rows, day_title
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
    css = css.replace("__PAGE_SIZE__", timetable.page_size)
    days = [{"title": day_title(timetable, day), "rows": day_rows(timetable, day)}
            for day in timetable.agenda.days]
    return render_template("agenda.html.j2", {
        "timetable": timetable, "words": timetable.words, "days": days, "css": Markup(css),
        "version": __version__})


def write_agenda(timetable: Timetable, output_format: AgendaFormat,
                 out_dir: Path | None = None) -> Path:
    """Write the agenda in one format to ``out_dir`` (default: the manifest's); its path."""
    target = output_path(out_dir or timetable.out_dir, f"{timetable.file_stem()}.{output_format}")
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
    return target
