"""The edition's structure, as in the HTML template: cover, contents, parts, modules with
their facts and objectives, and the back matter (legal index, durations, glossary, national
law annex).

Sections: the cover and contents form the first section (no header or footer); each
module is one section starting on a new page, its title in the header and the page
number in the footer; the back matter is the last section.
"""

from __future__ import annotations


from trainkit.model import document as d
from trainkit.model.edition import EditionModule, LawRow
from trainkit.labels import format_date, format_minutes, numbered
from trainkit.text import audience_list, list_separator
from trainkit.writers.docx.rtl import keep_direction
from trainkit.writers.docx.blocks import BlockWriter
from trainkit.writers.docx.context import Place, Story
from trainkit.writers.docx.fields import TOC_INSTRUCTION, begin_field, end_field, field
from trainkit.writers.docx.numbering import (
    HeadingCounter, link_styles, no_numbering, number_paragraph,
)
from trainkit.writers.docx.contents_lines import filled_line, plain_entry
from trainkit.writers.docx.oxml import (
    PPR_ORDER, Element, add_text, bookmark, ensure_child, internal_link, make,
    paragraph, paragraph_properties, qn, run, sub, w,
)
from trainkit.writers.docx.bookmarks import module_title
from trainkit.writers.docx.sections import Sections, close_section
from trainkit.writers.docx.tables import column_widths, new_row, new_table


#: Ruled lines of a handout's notes area (the HTML and PDF templates draw their own).
NOTE_LINES = 12
#: Contents entries written out at a time (1,000 modules have about 25,000).
CONTENTS_SLICE = 500
#: The widest a theme's logo or cover image is on the title page: 80 mm, in twips
#: (the cover image then leaves room for the title and the facts on the same page).
LOGO_WIDTH = 4535


class EditionWriter(BlockWriter):
    """Writes a whole edition into the document body."""

    def write(self, story: Story, width: int, sections: Sections) -> Element:
        """Write everything; return the final ``w:sectPr`` for the caller to append."""
        self._modules_by_id: dict[str, EditionModule] = {
            m.meta.id: m for m in self.edition.modules}
        self.number_headings()
        place = Place(story, self.ids.body, width)
        draft = self.words["draft"] if self.edition.draft else ""
        if self.edition.compact:
            return self.write_compact(place, sections, draft)
        self.cover(place)
        self.contents(place)
        close_section(story.container, sections.properties(new_page=False))
        self.flush(True)  # the cover and contents: kept, to fill in page numbers later
        footer: str | None = sections.footer(draft + " \u00b7 " if draft else "")
        part: str | None = None
        for module in self.edition.modules:
            part_page = bool(module.part and module.part != part)
            if part_page:
                part = module.part
                self.part_page(module, place)
            self.module(module, place, part_page)
            first_page = (sections.header(""), sections.footer(page_number=False)) \
                if part_page else None
            header = sections.header(module_title(self.edition, module))
            close_section(story.container, sections.properties(
                new_page=True, header=header, footer=footer, first_page=first_page))
            self.flush(False)
            footer = None
        self.legal_index(place)
        self.durations(place)
        if "coverage" in self.plan.back:
            self.coverage(place)
        if self.edition.glossary:
            self.glossary(place)
        if self.edition.national_law:
            self.national_law(place)
        return sections.properties(new_page=True, header=sections.header(
            self.edition.manifest.title), footer=footer)

    def write_compact(self, place: Place, sections: Sections, draft: str) -> Element:
        """A handout: its one module, headed by the manual's title, with page numbers,
        then a notes area."""
        self.line(place, self.ids.subtitle, self.edition.manifest.title)
        for module in self.edition.modules:
            if self.edition.paper:
                self.paper(module, place)
            else:
                self.module(module, place, False)
        if not self.edition.paper:
            self.notes_area(place)
        header = sections.header(self.edition.edition.title)
        footer = sections.footer(draft + " \u00b7 " if draft else "")
        return sections.properties(new_page=False, header=header, footer=footer)

    def paper(self, module: EditionModule, place: Place) -> None:
        """A test paper, answer key or form: its title and summary, then its blocks."""
        no_numbering(self.line(place, self.ids.headings[1], module.meta.title))
        self.line(place, self.ids.module_summary, module.meta.summary)
        self.blocks(module.blocks, place)

    def number_headings(self) -> None:
        """Link the heading styles to the outline numbering, counting modules from the
        first one of the edition (a handout's module keeps its number)."""
        first = self.edition.modules[0].number if self.edition.modules else 1
        headings = {level: self.ids.headings[level] for level in (1, 2, 3)}
        self.outline = self.numbering.headings(headings, self.words["module"],
                                               self.words["title-separator"], first,
                                               right_to_left=self.edition.direction == "rtl")
        self.counter = HeadingCounter(first)
        link_styles({level: self.styles.index.by_id[style_id]
                     for level, style_id in headings.items()}, self.outline,
                    (self.styles.index.by_id[self.ids.toc_heading],))

    def notes_area(self, place: Place) -> None:
        """A heading and ruled lines to write on: empty paragraphs of fixed height whose
        style draws a rule below each (not underscores, which wrap and print unevenly)."""
        heading = self.line(place, self.ids.headings[2], self.words["handout-notes"])
        no_numbering(heading)
        for _ in range(NOTE_LINES):
            paragraph(place.story.container, self.ids.note_line)

    # -- cover and contents -----------------------------------------------------------

    def cover(self, place: Place) -> None:
        manual, edition = self.edition.manifest, self.edition
        if manual.theme.logo:
            self.picture(place, manual.theme.logo, manual.publisher or manual.title,
                         min(place.width, LOGO_WIDTH))
        if manual.publisher:
            self.line(place, self.ids.cover_publisher, manual.publisher)
        self.line(place, self.ids.title, manual.title)
        if manual.subtitle:
            self.line(place, self.ids.subtitle, manual.subtitle)
        self.line(place, self.ids.cover_edition, edition.edition.title)
        facts = [("region", edition.region_name), ("edition", edition.edition.title),
                 ("version", manual.version),
                 ("date", format_date(edition.date, edition.language, edition.digits)),
                 ("publisher", manual.publisher)]
        for key, value in facts:
            if value:
                self.fact(place, self.ids.cover_facts, self.words[key], value)
        if manual.theme.cover_image:
            self.picture(place, manual.theme.cover_image, "", min(place.width, LOGO_WIDTH))
        if edition.draft:
            self.line(place, self.ids.cover_draft, self.words["draft"])

    def picture(self, place: Place, src: str, alt: str, width: int) -> None:
        """A theme picture (logo, cover image) in a paragraph of its own, at most
        ``width`` twips wide."""
        drawing = self.images.picture(src, alt, "", place.story.links, width)
        if drawing is not None:  # an SVG, which python-docx cannot embed, is left out
            p = paragraph(place.story.container, self.ids.normal)
            sub(paragraph_properties(p), "w:spacing", {"w:before": 240, "w:after": 240})
            run(p).append(drawing)

    def contents(self, place: Place) -> None:
        """The contents as a TOC field whose current result lists every entry; their
        page numbers are left empty, to be filled in (``contents.py``) or updated by Word."""
        heading = self.line(place, self.ids.toc_heading, self.words["contents"])
        page_break_before(heading)
        entries = self.plan.toc
        container = place.story.container
        if not entries:
            p = paragraph(container, self.ids.toc[1])
            begin_field(p, TOC_INSTRUCTION, dirty=True)
            end_field(p)
            return
        templates: dict[int, Element] = {}
        last = len(entries) - 1
        for index, entry in enumerate(entries):
            level = min(entry.level, 3)
            if 0 < index < last and plain_entry(entry.text):
                if level not in templates:
                    templates[level] = self.contents_entry(make("w:body"), level, "x", "x")
                container.append(filled_line(templates[level], entry.bookmark, entry.text))
            else:
                p = paragraph(container, self.ids.toc[level])
                if index == 0:
                    begin_field(p, TOC_INSTRUCTION, dirty=True)
                self.contents_entry(p, level, entry.bookmark, entry.text, inside=True)
                if index == last:
                    end_field(p)
            if index % CONTENTS_SLICE == CONTENTS_SLICE - 1 and index != last:
                self.flush(True)  # thousands of entries: written as they come

    def contents_entry(self, parent: Element, level: int, bookmark_name: str, text: str, *,
                       inside: bool = False) -> Element:
        """A contents line: a link to ``bookmark_name`` holding ``text``, a tab and a
        PAGEREF field; in ``parent`` (``inside``) or in a new paragraph appended to it."""
        p = parent if inside else paragraph(parent, self.ids.toc[level])
        link = internal_link(p, bookmark_name)
        add_text(run(link), text)
        sub(run(link), "w:tab")
        field(link, f"PAGEREF {bookmark_name} \\h")
        return p

    # -- modules ----------------------------------------------------------------------

    def part_page(self, module: EditionModule, place: Place) -> None:
        p = self.line(place, self.ids.part_title, module.part or "")
        bookmark(p, self.plan.parts[module.number], self.plan.names.next_id())

    def module(self, module: EditionModule, place: Place, after_part_page: bool) -> None:
        if self.counter.module_title(module.number):
            heading = self.line(place, self.ids.headings[1], module.meta.title)
            number_paragraph(heading, self.outline, 0)
        else:
            heading = self.line(place, self.ids.headings[1], module_title(self.edition, module))
            no_numbering(heading)
        if after_part_page:
            page_break_before(heading)
        bookmark(heading, self.plan.modules[module.meta.id], self.plan.names.next_id())
        if module.fallback:
            self.line(place, self.ids.module_summary, self.edition.fallback_notice(module))
        container = place.story.container
        start = len(container)
        edition_words = self.words
        self.words = self.edition.module_words(module)  # its labels in its own language
        try:
            self.module_text(module, place)
        finally:
            self.words = edition_words
        if module.direction != self.edition.direction:
            written = list(container)[start:]
            keep_direction([*written, *self.notes_of(written)], rtl=module.direction == "rtl")

    def notes_of(self, elements: list[Element]) -> list[Element]:
        """The footnotes (``w:footnote``) that ``elements`` call."""
        called = {ref.get(qn("w:id")) for element in elements
                  for ref in element.iter(qn("w:footnoteReference"))}
        if not called:
            return []
        return [note for note in self.footnotes.part.element if note.get(qn("w:id")) in called]

    def module_text(self, module: EditionModule, place: Place) -> None:
        """A module's summary, facts, objectives and body, in the module's language."""
        audiences = (self.edition.manifest if module.language == self.edition.language
                     else self.edition.source_manifest.in_language(module.language)).audiences
        self.line(place, self.ids.module_summary, module.meta.summary)
        facts = self.ids.module_facts
        self.fact(place, facts, self.words["duration"],
                  format_minutes(module.meta.minutes, module.language, words=self.words))
        self.fact(place, facts, self.words["audiences"], audience_list(
            [audiences.get(a, a) for a in module.meta.audiences], module.language))
        if module.meta.prerequisites:
            self.prerequisites(module, place)
        self.line(place, self.ids.objectives_title, self.words["learning-objectives"])
        bullet = self.numbering.bullet()
        for objective in module.meta.objective_texts:
            p = self.line(place, self.ids.list_bullet, objective)
            number_paragraph(p, bullet, 0)
        self.objective_ids = module.meta.objective_ids
        self.blocks(module.blocks, place)

    def prerequisites(self, module: EditionModule, place: Place) -> None:
        p = self.fact(place, self.ids.module_facts, self.words["prerequisites"], "")
        by_id = self._modules_by_id
        for index, prerequisite in enumerate(module.meta.prerequisites):
            if index:
                add_text(run(p), "; ")
            target = by_id.get(prerequisite)
            if target is None:
                add_text(run(p), prerequisite)
                continue
            link = internal_link(p, self.plan.modules[prerequisite])
            add_text(run(link, style_id=self.ids.hyperlink),
                     self.edition.module_title(target, module))

    # -- back matter ------------------------------------------------------------------

    def back_heading(self, place: Place, key: str, *, new_page: bool = True) -> None:
        heading = self.line(place, self.ids.headings[1], self.words[key])
        no_numbering(heading)
        if new_page:
            page_break_before(heading)
        bookmark(heading, self.plan.back[key], self.plan.names.next_id())

    def legal_index(self, place: Place) -> None:
        """Instruments in manifest order, their articles and the modules citing them."""
        self.back_heading(place, "legal-index", new_page=False)  # opens its section
        self.line(place, self.ids.body, self.words["legal-index-intro"])
        widths = column_widths(place.width, [0.18, 0.2, 0.62])
        table = new_table(place.story.container, self.ids.table, widths)
        row = new_row(table, header=True)
        for width, key in zip(widths, ("instrument", "article", "cited-in"), strict=True):
            self.table_cell(row, width, (d.Text(self.words[key]),), place)
        anchors = {m.number: self.plan.modules[m.meta.id] for m in self.edition.modules}
        instrument = None
        for citation in self.edition.citations():
            if citation.instrument != instrument:
                instrument = citation.instrument
                self.table_cell(new_row(table), place.width, (d.Text(instrument),), place,
                                style_id=self.ids.table_group, span=3)
            row = new_row(table)
            self.table_cell(row, widths[0], (), place)
            self.table_cell(row, widths[1], (d.Text(citation.article),), place)
            cited = self.table_cell(row, widths[2], (), place)
            for index, number in enumerate(citation.modules):
                if index:
                    add_text(run(cited), list_separator(self.edition.language))
                link = internal_link(cited, anchors[number])
                add_text(run(link, style_id=self.ids.hyperlink),
                         numbered(self.words["module"], self.edition.numeral(number)))

    def durations(self, place: Place) -> None:
        """Each module's teaching time and the total."""
        self.back_heading(place, "durations")
        widths = column_widths(place.width, [0.75, 0.25])
        table = new_table(place.story.container, self.ids.table, widths, total_row=True)
        row = new_row(table, header=True)
        for width, key in zip(widths, ("module", "duration"), strict=True):
            self.table_cell(row, width, (d.Text(self.words[key]),), place)
        language = self.edition.language
        for module in self.edition.modules:
            row = new_row(table)
            cell = self.table_cell(row, widths[0], (), place)
            link = internal_link(cell, self.plan.modules[module.meta.id])
            add_text(run(link, style_id=self.ids.hyperlink), module_title(self.edition, module))
            self.table_cell(row, widths[1], (d.Text(format_minutes(module.meta.minutes,
                                                                    language)),), place)
        row = new_row(table)
        self.table_cell(row, widths[0], (d.Text(self.words["total"]),), place)
        self.table_cell(row, widths[1],
                        (d.Text(format_minutes(self.edition.total_minutes, language)),), place)

    def coverage(self, place: Place) -> None:
        """Each module's objectives and what assesses them (trainer editions with typed
        questions: ``writers/html/questions.coverage_rows``)."""
        from trainkit.writers.html.questions import coverage_rows

        self.back_heading(place, "coverage")
        self.line(place, self.ids.body, self.words["coverage-intro"])
        widths = column_widths(place.width, [0.3, 0.4, 0.3])
        table = new_table(place.story.container, self.ids.table, widths)
        row = new_row(table, header=True)
        for width, key in zip(widths, ("module", "objective", "assessed-by"), strict=True):
            self.table_cell(row, width, (d.Text(self.words[key]),), place)
        for item in coverage_rows(self.edition):
            row = new_row(table)
            for width, key in zip(widths, ("module", "objective", "assessed"), strict=True):
                self.table_cell(row, width, (d.Text(item[key]),), place)

    def glossary(self, place: Place) -> None:
        """The glossary in the edition's language: each term in bold, then its definition."""
        self.back_heading(place, "glossary")
        self.line(place, self.ids.body, self.words["glossary-intro"])
        for entry in self.edition.glossary:
            term = paragraph(place.story.container, self.ids.body)
            add_text(run(term, bold=True), entry.term)
            if entry.definition:
                self.line(place, self.ids.body, entry.definition)

    def national_law(self, place: Place) -> None:
        """A table per country: its name and the date it was checked, then a row per
        field (the field's label, then its text, "not verified" or the sources)."""
        self.back_heading(place, "national-law")
        self.line(place, self.ids.body, self.words["national-law-intro"])
        widths = column_widths(place.width, [0.26, 0.74])
        for country in self.edition.national_law:
            table = new_table(place.story.container, self.ids.table, widths)
            self.table_cell(new_row(table, header=True), place.width, (d.Text(country.country),),
                            place, style_id=self.ids.table_group, span=2)
            self.table_cell(new_row(table, header=True), place.width,
                            (d.Text(country.checked),), place, span=2)
            for law in country.rows:
                row = new_row(table)
                self.table_cell(row, widths[0], (d.Strong((d.Text(law.label),)),), place)
                self.table_cell(row, widths[1], _law_value(law), place)
            self.line(place, self.ids.body, "")  # keeps two tables apart

    # -- helpers ----------------------------------------------------------------------

    def line(self, place: Place, style_id: str, text: str) -> Element:
        """A paragraph of ``style_id`` holding plain ``text``."""
        p = paragraph(place.story.container, style_id)
        if text:
            add_text(run(p), text)
        return p

    def fact(self, place: Place, style_id: str, label: str, value: str) -> Element:
        """``label<tab>value``, the label in the Fact Label character style."""
        p = paragraph(place.story.container, style_id)
        add_text(run(p, style_id=self.ids.fact_label), label)
        sub(run(p), "w:tab")
        if value:
            add_text(run(p), value)
        return p


def _law_value(row: LawRow) -> tuple[d.Inline, ...]:
    """A national law field as inline text: its sources linked one a line, or the text
    ("not verified" in italics)."""
    if row.links:
        found: list[d.Inline] = []
        for index, link in enumerate(row.links):
            if index:
                found.append(d.HardBreak())
            found.append(d.Link(link, (d.Text(link),)))
        return tuple(found)
    return (d.Text(row.text),) if row.verified else (d.Emph((d.Text(row.text),)),)


def page_break_before(p: Element) -> None:
    """``w:pageBreakBefore`` on ``p``, in its place among the paragraph's properties."""
    ensure_child(paragraph_properties(p), "pageBreakBefore", PPR_ORDER)
