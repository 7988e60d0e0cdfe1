"""The HTML writer: one method per node type, walking an assembled edition.

Two flavours share it: ``print`` HTML for WeasyPrint (images as ``trainkit:`` URLs that
only the project's fetcher serves, footnotes in place for ``float: footnote``) and
``screen`` HTML that stands alone (styles and images inline, footnotes as end notes).
Authors never write HTML: every tag here comes from this file, and all text is escaped.
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any, Literal

from markupsafe import Markup

from trainkit import __version__
from trainkit.model import document as d
from trainkit.model.edition import AssembledEdition, EditionModule
from trainkit.loading.seal import user_cache_dir
from trainkit.labels import format_date, format_minutes, numbered, titled
from trainkit.text import list_separator
from trainkit.files import write_text_atomic
from trainkit.loading.resolver import IMAGE_SUFFIXES, MAX_IMAGE_BYTES, ProjectResolver
from trainkit.writers.html.metadata import edition_keywords, edition_subject
from trainkit.writers.html.marks import PREFIX, ModuleMarks, leads_in, mark
from trainkit.writers.html.questions import QuestionHtml, coverage_rows, needs_answer_lines
from trainkit.writers.html.templates import read_resource, render_template
from trainkit.writers.html.stylesheet import Flavour, stylesheet, theme_stylesheet

__all__ = ["ASSET_SCHEME", "Flavour", "HtmlRenderer", "read_resource", "render_template",
           "stylesheet", "theme_stylesheet"]

ASSET_SCHEME = "trainkit:asset/"
#: The link of a page-number placeholder: ``#tk-page:<anchor>`` (``writers/pdf/stamps.py``).
PAGE_REF_PREFIX = "tk-page:"
#: The page of an anchor for a cross-reference in print: (the label, True) when it is known
#: before layout, else (the widest label it may have, False): room for trainkit to stamp it.
PageRef = Callable[[str], tuple[str, bool]]


@dataclass(slots=True)
class _ModuleContext:
    module: EditionModule
    endnotes: list[str] = field(default_factory=list)
    #: Print only: the preflight's marks (``marks.py``).
    marks: ModuleMarks | None = None


class HtmlRenderer:
    """Renders model nodes of one edition to HTML fragments."""

    def __init__(self, edition: AssembledEdition, flavour: Flavour,
                 image_source: Callable[[str], str], page_ref: PageRef | None = None) -> None:
        self.edition = edition
        self.flavour = flavour
        self.image_source = image_source
        self.page_ref = page_ref
        self.words = edition.labels
        self.current: _ModuleContext | None = None
        self.in_footnote = False

    # -- blocks -----------------------------------------------------------------------

    def blocks(self, blocks: tuple[d.Block, ...], tail: str = "") -> str:
        """The blocks' HTML; ``tail`` (a print mark) goes at the end of the last one's text."""
        parts = []
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            end = tail if following is None else ""
            if isinstance(block, d.Paragraph) and (end or leads_in(blocks, index)):
                lead = ' class="lead-in"' if leads_in(blocks, index) else ""
                parts.append(f"<p{lead}>{self.inlines(block.children)}{end}</p>\n")
            else:  # after a block: out of flow, or its line could start a page of its own
                parts.append(self.block(block) + end.replace('"tk-mark"', '"tk-mark tk-out"'))
        return "".join(parts)

    def block(self, node: d.Block) -> str:
        method: Callable[[d.Block], str] = getattr(self, f"block_{type(node).__name__}")
        return method(node)

    def block_Paragraph(self, node: d.Paragraph) -> str:
        return f"<p>{self.inlines(node.children)}</p>\n"

    def block_Heading(self, node: d.Heading) -> str:
        level = min(node.level, 4)
        anchor = self.section_id(node.anchor)
        number = f'<span class="number">{escape(node.number)}</span> ' if node.number else ""
        end = mark("he", anchor) if self.marks else ""
        return f'<h{level} id="{anchor}">{number}{self.inlines(node.children)}{end}</h{level}>\n'

    def block_Figure(self, node: d.Figure) -> str:
        return (f'<figure>{self.inline_Image(node.image)}'
                f"<figcaption>{self.inlines(node.caption)}</figcaption></figure>\n")

    def block_BulletList(self, node: d.BulletList) -> str:
        return f"<ul>{self.list_items(node.items, node.tight)}</ul>\n"

    def block_OrderedList(self, node: d.OrderedList) -> str:
        start = f' start="{node.start}"' if node.start != 1 else ""
        return f"<ol{start}>{self.list_items(node.items, node.tight)}</ol>\n"

    def list_items(self, items: tuple[d.ListItem, ...], tight: bool) -> str:
        rendered = []
        for item in items:
            if tight and len(item.blocks) >= 1 and isinstance(item.blocks[0], d.Paragraph):
                first = self.inlines(item.blocks[0].children)
                rendered.append(f"<li>{first}{self.blocks(item.blocks[1:])}</li>")
            else:
                rendered.append(f"<li>{self.blocks(item.blocks)}</li>")
        return "".join(rendered)

    def block_BlockQuote(self, node: d.BlockQuote) -> str:
        return f"<blockquote>{self.blocks(node.blocks)}</blockquote>\n"

    def block_CodeBlock(self, node: d.CodeBlock) -> str:
        return f"<pre><code>{escape(node.text)}</code></pre>\n"

    def block_ThematicBreak(self, node: d.ThematicBreak) -> str:
        return "<hr>\n"

    def block_Table(self, node: d.Table) -> str:
        def cell(tag: str, content: tuple[d.Inline, ...], index: int) -> str:
            align = node.aligns[index] if index < len(node.aligns) else ""
            style = f' class="align-{align}"' if align else ""
            return f"<{tag}{style}>{self.inlines(content)}</{tag}>"

        head = "".join(cell("th", c, i) for i, c in enumerate(node.header))
        count, name = len(node.rows), self.marks.name("tb") if self.marks else ""
        edges = {1, 2, count - 1, count} if name else set()
        rows = "".join(
            (f'<tr id="tk-tr--{name}-{i}">' if i in edges else "<tr>")
            + "".join(cell("td", c, i) for i, c in enumerate(row)) + "</tr>"
            for i, row in enumerate(node.rows, start=1))
        table = f'<table id="tk-tb--{name}-{count}">' if name else "<table>"
        return f"{table}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>\n"

    def block_NamedBlock(self, node: d.NamedBlock) -> str:
        label = self.words[node.kind]
        if node.number:
            label = numbered(label, node.number)
        if node.title:
            language = self.current.module.language if self.current else self.edition.language
            label = titled(label, node.title, language, self.words)
        tag = "aside" if node.kind == "trainer-note" else "section"
        tail, anchor = self.marks.question_marks(node.kind) if self.marks else ("", "")
        options = self.question(node, tail)  # a typed question ends with its options
        prompt_tail = "" if tail and tail in options else tail
        return (f'<{tag} class="block {node.kind}"{anchor}><p class="block-label">{escape(label)}'
                f"</p>{self.blocks(node.blocks, prompt_tail)}{options}"
                f"{self.answer_space(node)}</{tag}>\n")

    def question(self, node: d.NamedBlock, tail: str = "") -> str:
        """A typed question's options, pairs or answers (``questions.py``), ``tail`` at
        the end of the last of them."""
        if node.question is None:
            return ""
        module = self.current.module if self.current else None
        ids = module.meta.objective_ids if module else []
        rtl = (module.direction if module else self.edition.direction) == "rtl"
        keeps = "answer" not in self.edition.edition.hide
        return QuestionHtml(self.blocks, self.inlines, self.words, keeps,
                            rtl).html(node.question, ids, tail)

    def answer_space(self, node: d.NamedBlock) -> str:
        """Ruled lines for the answer under a question, in print editions without answers."""
        edition = self.edition.edition
        if (node.kind != "question" or not needs_answer_lines(node) or self.flavour != "print"
                or (self.edition.compact and not self.edition.paper)
                or "answer" not in edition.hide or edition.answer_lines == 0):
            return ""
        lines = '<span class="answer-line"></span>' * edition.answer_lines
        return f'<div class="answer-space" aria-hidden="true">{lines}</div>'

    def block_Conditional(self, node: d.Conditional) -> str:
        raise AssertionError("conditional blocks are resolved before writing")

    # -- inlines ----------------------------------------------------------------------

    def inlines(self, inlines: tuple[d.Inline, ...]) -> str:
        return "".join(self.inline(node) for node in inlines)

    def inline(self, node: d.Inline) -> str:
        method: Callable[[d.Inline], str] = getattr(self, f"inline_{type(node).__name__}")
        return method(node)

    def inline_Text(self, node: d.Text) -> str:
        return escape(node.text, quote=False)

    def inline_Code(self, node: d.Code) -> str:
        return f"<code>{escape(node.text)}</code>"

    def inline_Emph(self, node: d.Emph) -> str:
        return f"<em>{self.inlines(node.children)}</em>"

    def inline_Strong(self, node: d.Strong) -> str:
        return f"<strong>{self.inlines(node.children)}</strong>"

    def inline_Strike(self, node: d.Strike) -> str:
        return f"<s>{self.inlines(node.children)}</s>"

    def inline_SoftBreak(self, node: d.SoftBreak) -> str:
        # A space in a footnote: WeasyPrint moves a footnote out of the text before it
        # collapses white space, so a newline there breaks the note's line.
        return " " if self.in_footnote else "\n"

    def inline_HardBreak(self, node: d.HardBreak) -> str:
        return "<br>\n"

    def inline_Link(self, node: d.Link) -> str:
        return f'<a href="{escape(node.target)}">{self.inlines(node.children)}</a>'

    def inline_ModuleLink(self, node: d.ModuleLink) -> str:
        return self.inlines(node.children)  # unresolved links are reported by validation

    def inline_CrossRef(self, node: d.CrossRef) -> str:
        text = self.inlines(node.children)
        if not node.included:
            missing = escape(self.words["not-in-edition"])
            return f'<span class="xref missing">{text} ({missing})</span>'
        target = f"module-{node.module_id}"
        if node.anchor:
            target = f"{node.module_id}--{node.anchor}"
        link = f'<a class="xref" href="#{escape(target)}">{text}</a>'
        return link + self.page_of(target) if self.page_ref is not None else link

    def page_of(self, target: str) -> str:
        """``, page 7–1`` after a cross-reference in print: the label, or room for it."""
        assert self.page_ref is not None
        label, known = self.page_ref(target)
        before, _, after = self.words["page-ref"].partition("{page}")
        if known:
            page = escape(label)
        else:
            page = (f'<a class="page-ref" href="#{PAGE_REF_PREFIX}{escape(target)}">'
                    f"<span>{escape(label)}</span></a>")
        return f'<span class="xref-page">{escape(before)}{page}{escape(after)}</span>'

    def inline_Image(self, node: d.Image) -> str:
        title = f' title="{escape(node.title)}"' if node.title else ""
        return f'<img src="{escape(self.image_source(node.src))}" alt="{escape(node.alt)}"{title}>'

    def inline_Variable(self, node: d.Variable) -> str:
        raise AssertionError("variables are substituted before writing")

    def inline_Footnote(self, node: d.Footnote) -> str:
        self.in_footnote = True
        try:
            content = " ".join(self.footnote_paragraphs(node.blocks))
        finally:
            self.in_footnote = False
        if self.flavour == "print" or self.current is None:
            if not self.marks:
                return f'<span class="footnote">{content}</span>'
            name = self.marks.name("fn")  # where the note is called, where it starts
            note = f'<span class="footnote" id="{PREFIX}fb--{name}">{content}</span>'
            return mark("fc", name) + note
        self.current.endnotes.append(content)
        number = len(self.current.endnotes)
        prefix = self.current.module.meta.id
        return (f'<sup class="footnote-ref"><a href="#{prefix}--fn{number}" '
                f'id="{prefix}--fnref{number}">{number}</a></sup>')

    def footnote_paragraphs(self, blocks: tuple[d.Block, ...]) -> list[str]:
        parts = []
        for block in blocks:
            if isinstance(block, d.Paragraph):
                parts.append(self.inlines(block.children))
            else:
                parts.append(self.block(block))
        return parts

    # -- structure --------------------------------------------------------------------

    @property
    def marks(self) -> ModuleMarks | None:
        return self.current.marks if self.current is not None else None

    def section_id(self, anchor: str) -> str:
        prefix = self.current.module.meta.id if self.current else "x"
        return escape(f"{prefix}--{anchor}")

    def module_body(self, module: EditionModule) -> tuple[str, list[str]]:
        """The body HTML of ``module`` and its end notes (screen flavour only); its block
        labels in the module's own language."""
        marks = ModuleMarks(module.meta.id) if self.flavour == "print" else None
        self.current = _ModuleContext(module, marks=marks)
        self.words = self.edition.module_words(module)
        try:
            end = mark("me", module.meta.id) if marks else ""  # where the module ends
            return self.blocks(module.blocks, end), self.current.endnotes
        finally:
            self.current = None
            self.words = self.edition.labels

    def module_title(self, module: EditionModule) -> str:
        return module.meta.title if self.edition.paper else self.edition.module_title(module)


def section_outline(module: EditionModule) -> list[tuple[str, str, str]]:
    """(id, number, title) of the module's level-2 sections, for the table of contents."""
    return [(f"{module.meta.id}--{b.anchor}", b.number, d.plain_text(b.children))
            for b in module.blocks if isinstance(b, d.Heading) and b.level == 2]


def module_items(edition: AssembledEdition, renderer: HtmlRenderer) -> list[dict[str, Any]]:
    """What the templates need about each module, with its body rendered."""
    items: list[dict[str, Any]] = []
    previous_part: str | None = None
    for module in edition.modules:
        body, notes = renderer.module_body(module)
        starts_part = bool(module.part) and module.part != previous_part
        previous_part = module.part or previous_part
        # Inside the module, its own language: the number, facts and labels of an English
        # module in an Arabic edition read in English (lang/dir on the article).
        own = module.language == edition.language
        items.append({
            "module": module, "body": Markup(body), "notes": [Markup(n) for n in notes],
            "sections": section_outline(module), "title": renderer.module_title(module),
            "audiences": edition.audiences_of(module),
            "prerequisites": _prerequisite_titles(edition, module),
            "starts_part": starts_part, "part_anchor": f"part-{module.number}",
            "words": edition.module_words(module),
            "number": edition.numeral(module.number) if own else str(module.number),
            "duration": format_minutes(module.meta.minutes, module.language,
                                       edition.digits if own else "western",
                                       edition.module_words(module)),
            "notice": edition.fallback_notice(module) if module.fallback else "",
            "mark": edition.fallback_mark(module) if module.fallback else "",
        })
    return items


def template_context(edition: AssembledEdition, flavour: Flavour,
                     image_source: Callable[[str], str], css: str,
                     page_ref: PageRef | None = None) -> dict[str, Any]:
    """The variables every edition template receives (``page_ref``: print cross-references
    carry the page of their target)."""
    renderer = HtmlRenderer(edition, flavour, image_source, page_ref)
    return {
        "edition": edition, "manual": edition.manifest, "words": edition.labels,
        "modules": module_items(edition, renderer), "css": Markup(css), "flavour": flavour,
        "version": __version__,
        "date": format_date(edition.date, edition.language, edition.digits),
        "minutes": lambda minutes: format_minutes(minutes, edition.language, edition.digits,
                                                  edition.labels),
        "numeral": edition.numeral,
        # Between the modules a legal article is cited in: "; " (a reference may hold a
        # comma, ", page 3–1"), the Arabic comma in Arabic.
        "list_separator": (list_separator(edition.language) if edition.direction == "rtl"
                           else "; "),
        "citations": edition.citations(),
        "coverage": coverage_rows(edition),
        "module_numbers": {m.number: m for m in edition.modules},
        "subject": edition_subject(edition), "keywords": ", ".join(edition_keywords(edition)),
        "pages": None,  # the contents' page numbers, when trainkit knows them (pdf.py)
        "logo": _picture(edition.manifest.theme.logo, image_source),
        "cover_image": _picture(edition.manifest.theme.cover_image, image_source),
        # ", page 7–1" after a reference to an anchor, in print: the number or room for it
        "page_of": lambda target: Markup(renderer.page_of(target) if page_ref else ""),
    }


def _picture(reference: str | None, image_source: Callable[[str], str]) -> str:
    """The URL of a theme picture (logo, cover image), or "" without one."""
    return image_source(reference) if reference else ""


def render_html(edition: AssembledEdition, flavour: Flavour,
                image_source: Callable[[str], str],
                resolver: ProjectResolver | None = None) -> str:
    """The whole edition as one HTML document of the given flavour (themed when
    ``resolver`` is given to read the theme's files)."""
    context = template_context(edition, flavour, image_source,
                               stylesheet(edition, flavour, resolver))
    return render_template("edition.html.j2", context)


def _prerequisite_titles(edition: AssembledEdition, module: EditionModule) -> list[str]:
    by_id = {m.meta.id: m for m in edition.modules}
    return [edition.module_title(by_id[p], module) if p in by_id else p
            for p in module.meta.prerequisites]


def data_uri(path: Path) -> str:
    """A ``data:`` URI with the file's bytes, for self-contained screen HTML."""
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def write_html(edition: AssembledEdition, resolver: ProjectResolver, target: Path) -> int | None:
    """Write the self-contained screen HTML of ``edition`` to ``target`` atomically."""

    def inline_image(src: str) -> str:
        return data_uri(resolver.resolve(src, resolver.root, suffixes=IMAGE_SUFFIXES,
                                         max_bytes=MAX_IMAGE_BYTES))

    write_text_atomic(target, render_html(edition, "screen", inline_image, resolver))
    return None
