"""The agenda as a Word document, made like an edition: the reference document's page
(the manifest's page size), styles and table style, one Heading 2 and one table per day
with its header row repeated and columns sized from their content, the manual's title in
the header and page numbers in the footer.
"""

from __future__ import annotations

from pathlib import Path

from trainkit.assembly.timetable import Timetable, day_rows, day_title
from trainkit.files import atomic_target
from trainkit.fonts import is_rtl
from trainkit.writers.docx.context import StyleIds
from trainkit.writers.docx.oxml import Element, add_text, paragraph, run
from trainkit.writers.docx.reference import (
    apply_page_size, empty_body, geometry, open_reference,
)
from trainkit.writers.docx.relations import PartLinks, PartNames
from trainkit.writers.docx.rtl import make_document_right_to_left
from trainkit.writers.docx.script_fonts import use_script_font
from trainkit.writers.docx.sections import Sections
from trainkit.writers.docx.styles import StyleBook
from trainkit.writers.docx.tables import (
    content_widths, finish_cell, new_cell, new_row, new_table,
)


def write_docx_agenda(timetable: Timetable, target: Path) -> None:
    """Write the agenda of ``timetable`` as DOCX to ``target``, atomically."""
    document = open_reference(None)
    template = empty_body(document)
    apply_page_size(template, timetable.page_size)
    width = geometry(template).width
    part = document.part
    links, names = PartLinks(part), PartNames(part.package)
    book = StyleBook(document.styles.element)
    ids = StyleIds(book)
    book.set_language(timetable.language)
    use_script_font(document, timetable.language, names, links)
    body = document.element.body
    words = timetable.words
    add_text(run(paragraph(body, ids.headings[1])), timetable.heading())
    add_text(run(paragraph(body, ids.body)), timetable.facts())
    titles = (words["time"], words["module"], words["duration"])
    for day in timetable.agenda.days:
        add_text(run(paragraph(body, ids.headings[2])), day_title(timetable, day))
        rows = [(row.time, row.what, row.duration) for row in day_rows(timetable, day)]
        widths = content_widths(width, [[titles[column], *(row[column] for row in rows)]
                                        for column in range(3)])
        table = new_table(body, ids.table, widths)
        for index, texts in enumerate((titles, *rows)):
            cells = new_row(table, header=index == 0)
            for cell_width, text in zip(widths, texts, strict=True):
                _cell(cells, cell_width, text, ids.table_text)
    sections = Sections(part.package, links, names, template, ids.header, ids.footer)
    body.append(sections.properties(new_page=False, header=sections.header(
        timetable.manual_title), footer=sections.footer()))
    if is_rtl(timetable.language):
        make_document_right_to_left(document)
    properties = document.core_properties
    properties.title = timetable.heading()[:255]
    properties.subject = timetable.facts()[:255]
    properties.language = timetable.language
    properties.author = "trainkit"
    with atomic_target(target) as temporary:
        document.save(str(temporary))


def _cell(row: Element, width: int, text: str, style_id: str) -> None:
    cell = new_cell(row, width)
    add_text(run(paragraph(cell, style_id)), text)
    finish_cell(cell)

