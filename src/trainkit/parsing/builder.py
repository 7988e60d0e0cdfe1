"""Markdown to document model: markdown-it configuration, then tokens to typed nodes.

The parse is context-free (it needs nothing but the module's text), so its result and its
findings can be cached by content hash. Checks that need the project (do regions exist,
do files exist) run later on the model.

markdown-it is imported when the parser is first built, not with this module: a warm
``trainkit validate`` takes every module from the cache and never needs it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote

from trainkit.bidi import BIDI_CONTROLS, contains_message, first_control, visible
from trainkit.model import document as d
from trainkit.text import slugify, suggestion
from trainkit.diagnostics import Diagnostic

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}")
#: CommonMark's open and closing tags (spec 0.31.2, section 6.6). Each attribute value
#: stops at its closing quote or at a space, so a match never runs past the next quote
#: of the same kind: scanning stays linear.
_HTML_TAG = re.compile(
    r"<[A-Za-z][A-Za-z0-9-]*"
    r"(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*"
    r"(?:\s*=\s*(?:[^\"'=<>`\x00-\x20]+|'[^']*'|\"[^\"]*\"))?)*"
    r"\s*/?>"
    r"|</[A-Za-z][A-Za-z0-9-]*\s*>")
#: CommonMark's raw HTML that runs to a terminator: (opener, offset of the text after
#: the opener, terminator). Declarations (``<!`` and a letter) end at the next ``>``.
_HTML_SPANS = (("<![CDATA[", 9, "]]>"), ("<!--", 4, "-->"), ("<?", 2, "?>"))
#: Where ``_html_span_end`` remembers the last terminator of each text (``state.env``).
_LAST_TERMINATOR = "trainkit.raw_html.last_terminator"
#: Allowed link schemes, compared without regard to case, as CommonMark does.
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_FENCE_KINDS = (*d.BLOCK_KINDS, "only", "except")


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """CommonMark without raw HTML, plus tables, strikethrough, footnotes, ::: blocks, {{ }}.

    The HTML rules are switched off as well as the ``html`` option: with the option off
    they match nothing, but markdown-it would still call them at every line and tag.
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.container import container_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(container_plugin, name="block", validate=lambda params, markup: True)
    md.inline.ruler.before("text", "variable", _variable_rule)
    md.inline.ruler.before("html_inline", "raw_html", _raw_html_rule)
    md.disable(["html_block", "html_inline"])
    for name in ("link", "image", "autolink"):
        md.inline.ruler.at(name, _record_offset(md.inline.ruler.__rules__, name))
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # trainkit judges links
    md.normalizeLink = _keeping_bidi_controls(  # type: ignore[method-assign,assignment]
        md.normalizeLink)
    return md


def _keeping_bidi_controls(normalize: Callable[[str], str]) -> Callable[[str], str]:
    """markdown-it's link normaliser, except for addresses with bidirectional controls.

    Those stay as written, so the model builder can report them (TK511): normalising
    would percent-encode them in paths, and turn them into punycode in host names.
    """

    def normalized(url: str) -> str:
        return url if BIDI_CONTROLS.search(url) else normalize(url)

    return normalized


def _variable_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("{{", state.pos):
        return False
    match = _VARIABLE.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("variable", "", 0)
        token.meta = {"name": match.group(1), "offset": state.pos}
    state.pos = match.end()
    return True


def _raw_html_rule(state: StateInline, silent: bool) -> bool:
    """Raw HTML as a ``raw_html`` token (kept as text), so it can be located and reported.

    What counts as raw HTML is exactly what CommonMark recognises (an open or closing tag,
    a comment, a processing instruction, a declaration or a CDATA section), so the text
    printed is the characters the author typed, and anything else stays Markdown (a
    backslash escape in ``<a href="\\"">`` is an escape: that is no tag). Escaped
    (``\\<b>``) and entity-encoded (``&lt;b&gt;``) tags and tags in code spans never reach
    this rule: other rules consume them first.
    """
    if state.src[state.pos] != "<":
        return False
    end = _raw_html_end(state)
    if end is None:
        return False
    if not silent:
        token = state.push("raw_html", "", 0)
        token.content = state.src[state.pos:end]
        token.meta = {"offset": state.pos}
    state.pos = end
    return True


def _raw_html_end(state: StateInline) -> int | None:
    """Where the raw HTML starting at ``state.pos`` ends, or None if none starts there."""
    src, pos, limit = state.src, state.pos, state.posMax
    if src.startswith("<!-->", pos, limit):
        return pos + 5
    if src.startswith("<!--->", pos, limit):
        return pos + 6
    for opener, skip, terminator in _HTML_SPANS:
        if src.startswith(opener, pos, limit):
            return _html_span_end(state, pos + skip, terminator)
    if src.startswith("<!", pos, limit) and pos + 2 < limit and (
            src[pos + 2].isascii() and src[pos + 2].isalpha()):
        return _html_span_end(state, pos + 3, ">")
    match = _HTML_TAG.match(src, pos, limit)
    return match.end() if match else None


def _html_span_end(state: StateInline, start: int, terminator: str) -> int | None:
    """The end of the first ``terminator`` at or after ``start``, or None.

    The last terminator of the text is looked up once per text (``state.env``), so many
    openers without one (``<!--`` repeated) fail at once instead of each scanning to the
    end of the paragraph.
    """
    remembered: dict[tuple[str, int, str], int] = state.env.setdefault(_LAST_TERMINATOR, {})
    key = (state.src, state.posMax, terminator)
    last = remembered.get(key)
    if last is None:
        last = remembered[key] = state.src.rfind(terminator, 0, state.posMax)
    if last < start:
        return None
    return state.src.index(terminator, start, state.posMax) + len(terminator)


def _record_offset(rules: Sequence[object], name: str) -> Callable[[StateInline, bool], bool]:
    original: Callable[[StateInline, bool], bool] = next(
        rule.fn for rule in rules if getattr(rule, "name", None) == name)  # type: ignore[attr-defined]

    def rule(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        matched = original(state, silent)
        if matched and not silent:
            for token in state.tokens[count:]:
                if token.type in ("link_open", "image"):
                    token.meta = {**(token.meta or {}), "offset": start}
                    break
        return matched

    return rule


@dataclass(slots=True)
class ParsedBody:
    """A module body as a model, with the findings the parse alone can make."""

    body: d.Body
    diagnostics: list[Diagnostic] = field(default_factory=list)


def parse_body(text: str, *, path: str, first_line: int) -> ParsedBody:
    """Parse ``text`` (the body of the module at ``path``, starting at ``first_line``)."""
    tokens = markdown_parser().parse(text)
    builder = _ModelBuilder(path=path, lines=text.split("\n"), offset=first_line - 1)
    builder.collect_footnotes(tokens)
    blocks, _ = builder.blocks(tokens, 0, None)
    blocks = builder.checked_sequence(blocks)
    builder.check_sections(blocks)
    return ParsedBody(d.Body(blocks, frozenset(builder.anchors)), builder.diagnostics)


class _ModelBuilder:
    """Walks markdown-it tokens and builds model nodes, recording findings as it goes."""

    def __init__(self, *, path: str, lines: list[str], offset: int) -> None:
        self.path = path
        self.lines = lines
        self.offset = offset
        self.diagnostics: list[Diagnostic] = []
        self.footnotes: dict[int, tuple[d.Block, ...]] = {}
        self.anchors: set[str] = set()
        self._row_starts: dict[int, list[int]] = {}
        self._row_bases: dict[tuple[int, int], int] = {}

    # -- findings ---------------------------------------------------------------------

    def report(self, code: str, line: int, column: int, message: str,
               hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(self.path, line, column, code, message, hint))

    def line_of(self, token: Token) -> int:
        return (token.map[0] if token.map else 0) + 1 + self.offset

    def column_of(self, token: Token) -> int:
        if not token.map or token.map[0] >= len(self.lines):
            return 1
        source = self.lines[token.map[0]]
        return len(source) - len(source.lstrip()) + 1

    def locate(self, inline: Token, offset: int) -> tuple[int, int]:
        """File line and column of ``offset`` in the content of ``inline``.

        Row starts and each row's column in the source are computed once per inline token,
        so many findings in one long paragraph stay linear.
        """
        content = inline.content
        starts = self._row_starts.get(id(inline))
        if starts is None:
            starts = [0] + [match.end() for match in re.finditer("\n", content)]
            self._row_starts[id(inline)] = starts
        row = bisect_right(starts, offset) - 1
        start_of_row = starts[row]
        first = inline.map[0] if inline.map else 0
        base = self._row_bases.get((id(inline), row))
        if base is None:
            end = content.find("\n", start_of_row)
            content_row = content[start_of_row:end if end >= 0 else len(content)]
            source = self.lines[first + row] if first + row < len(self.lines) else ""
            base = max(source.find(content_row), 0) if content_row else 0
            self._row_bases[(id(inline), row)] = base
        return first + row + 1 + self.offset, base + offset - start_of_row + 1

    # -- footnotes --------------------------------------------------------------------

    def collect_footnotes(self, tokens: list[Token]) -> None:
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.type == "footnote_open":
                blocks, index = self.blocks(tokens, index + 1, "footnote_close")
                self.footnotes[token.meta["id"]] = blocks
            index += 1

    # -- blocks -----------------------------------------------------------------------

    def blocks(self, tokens: list[Token], index: int,
               until: str | None) -> tuple[tuple[d.Block, ...], int]:
        """Blocks from ``index`` up to the closing token type ``until``; returns the next index."""
        found: list[d.Block] = []
        while index < len(tokens):
            token = tokens[index]
            if until is not None and token.type == until:
                return tuple(found), index
            if token.type == "footnote_block_open":
                index = _skip_to(tokens, index, "footnote_block_close")
            else:
                node, index = self.block(tokens, index)
                if isinstance(node, tuple):
                    found.extend(node)
                elif node is not None:
                    found.append(node)
            index += 1
        return tuple(found), index

    def block(self, tokens: list[Token], index: int
              ) -> tuple[d.Block | tuple[d.Block, ...] | None, int]:
        token = tokens[index]
        line = self.line_of(token)
        kind = token.type
        if kind == "paragraph_open":
            return self.paragraph(tokens[index + 1], line), index + 2
        if kind == "heading_open":
            return self.heading(token, tokens[index + 1], line), index + 2
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self.list_block(tokens, index, line)
        if kind == "blockquote_open":
            blocks, end = self.blocks(tokens, index + 1, "blockquote_close")
            return d.BlockQuote(self.checked_sequence(blocks), line), end
        if kind in ("fence", "code_block"):
            return d.CodeBlock(token.content.rstrip("\n"), token.info.strip(), line), index
        if kind == "hr":
            return d.ThematicBreak(line), index
        if kind == "table_open":
            return self.table(tokens, index, line)
        if kind == "container_block_open":
            return self.container(tokens, index, line)
        return None, index

    def paragraph(self, inline: Token, line: int) -> d.Paragraph | d.Figure:
        children = self.inlines(inline)
        if len(children) == 1 and isinstance(children[0], d.Image):
            image = children[0]
            caption: tuple[d.Inline, ...] = (d.Text(image.title or image.alt),)
            return d.Figure(image, caption, line)
        return d.Paragraph(children, line)

    def heading(self, open_token: Token, inline: Token, line: int) -> d.Heading:
        level = int(open_token.tag[1])
        children = self.inlines(inline)
        if level == 1:
            self.report("TK408", line, 1, "a level-1 heading in the module body",
                        "the module title comes from the front-matter; start sections at ##")
        anchor = self.unique_anchor(slugify(d.plain_text(children)))
        return d.Heading(level, children, anchor, line)

    def unique_anchor(self, base: str) -> str:
        anchor, suffix = base or "section", 1
        while anchor in self.anchors:
            anchor = f"{base}-{suffix}"
            suffix += 1
        self.anchors.add(anchor)
        return anchor

    def list_block(self, tokens: list[Token], index: int,
                   line: int) -> tuple[d.BulletList | d.OrderedList, int]:
        open_token = tokens[index]
        close = open_token.type.replace("_open", "_close")
        items: list[d.ListItem] = []
        tight = True
        index += 1
        while tokens[index].type != close:
            if tokens[index].type == "list_item_open":
                tight = tight and _is_tight(tokens, index)
                blocks, index = self.blocks(tokens, index + 1, "list_item_close")
                items.append(d.ListItem(self.checked_sequence(blocks)))
            index += 1
        if open_token.type == "ordered_list_open":
            start = int(open_token.attrs.get("start", 1) or 1)
            return d.OrderedList(tuple(items), start, tight, line), index
        return d.BulletList(tuple(items), tight, line), index

    def table(self, tokens: list[Token], index: int, line: int) -> tuple[d.Table, int]:
        header: list[tuple[d.Inline, ...]] = []
        rows: list[tuple[tuple[d.Inline, ...], ...]] = []
        aligns: list[d.Alignment] = []
        row: list[tuple[d.Inline, ...]] = []
        in_head = False
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type in ("thead_open", "thead_close"):
                in_head = token.type == "thead_open"
            elif token.type == "th_open":
                aligns.append(_alignment(token))
            elif token.type == "inline":
                row.append(self.inlines(token))
            elif token.type == "tr_close":
                if in_head:
                    header = row
                else:
                    rows.append(tuple(row))
                row = []
            index += 1
        return d.Table(tuple(header), tuple(rows), tuple(aligns), line), index

    def container(self, tokens: list[Token], index: int,
                  line: int) -> tuple[d.Block | tuple[d.Block, ...] | None, int]:
        open_token = tokens[index]
        inner, end = self.blocks(tokens, index + 1, "container_block_close")
        closed = bool(tokens[end].markup) if end < len(tokens) else False
        info = open_token.info.strip()
        name, _, rest = info.partition(" ")
        column = self.column_of(open_token)
        if not name:
            self.report("TK401", line, column, "a `:::` fence that names no block",
                        "this may close a block twice; to nest blocks, make the outer "
                        "fence longer (`::::`)")
            return inner, end
        if not closed:
            self.report("TK402", line, column, f"block `{name}` is never closed",
                        "end it with a line holding only `:::`; to nest blocks, make the "
                        "outer fence longer (`::::`)")
        if name in ("only", "except"):
            return self.conditional(open_token, name, rest, inner), end
        if name not in d.BLOCK_KINDS:
            self.report("TK401", line, self.word_column(open_token, name, 0),
                        f"unknown block `{name}`", _suggest(name, _FENCE_KINDS))
            return inner, end
        kind: d.BlockKind = name
        if not inner:
            self.report("TK409", line, column, f"block `{name}` is empty")
        return d.NamedBlock(kind, rest.strip(), self.checked_sequence(inner), line), end

    def word_column(self, token: Token, word: str, after: int) -> int:
        """1-based column of ``word`` on the first source line of ``token``, after ``after``."""
        source = self.lines[token.map[0]] if token.map else ""
        return max(source.find(word, after), 0) + 1

    def conditional(self, token: Token, mode: str, spec: str,
                    inner: tuple[d.Block, ...]) -> d.Conditional:
        line, column = self.line_of(token), self.column_of(token)
        conditions: list[d.Condition] = []
        cursor = self.word_column(token, mode, 0) + len(mode) - 1
        for match in re.finditer(r"\S+", spec):
            word = match.group(0)
            at = self.word_column(token, word, cursor)
            cursor = at - 1 + len(word)
            key, equals, values = word.partition("=")
            if not equals or not values or key not in d.CONDITION_KEYS:
                self.report("TK404", line, at, f"`{word}` is not a condition",
                            "write region=<ids>, edition=<ids> or audience=<ids>, "
                            "ids separated by commas")
                continue
            ids = tuple(value.strip() for value in values.split(",") if value.strip())
            conditions.append(d.Condition(key, ids, at))
        if not spec.strip():
            self.report("TK404", line, column, f"`{mode}` block without a condition",
                        f"write e.g. `::: {mode} region=north-africa`")
        chosen: Literal["only", "except"] = "only" if mode == "only" else "except"
        return d.Conditional(chosen, tuple(conditions), self.checked_sequence(inner), line)

    def checked_sequence(self, blocks: tuple[d.Block, ...]) -> tuple[d.Block, ...]:
        """Report answers that do not follow a question in this sequence of siblings."""
        previous: d.Block | None = None
        for block in blocks:
            if isinstance(block, d.NamedBlock) and block.kind == "answer":
                follows_question = isinstance(previous, d.NamedBlock) and previous.kind in (
                    "question", "answer")
                if not follows_question:
                    self.report("TK403", block.line, 1,
                                "an answer block that does not follow a question block",
                                "put the `::: answer` block right after its `::: question`")
            previous = block
        return blocks

    def check_sections(self, blocks: tuple[d.Block, ...]) -> None:
        """Warn about headings with nothing under them before the next heading at their level."""
        for position, block in enumerate(blocks):
            if not isinstance(block, d.Heading):
                continue
            following = blocks[position + 1] if position + 1 < len(blocks) else None
            if following is None or (
                    isinstance(following, d.Heading) and following.level <= block.level):
                self.report("TK407", block.line, 1,
                            f"section \"{d.plain_text(block.children)}\" is empty",
                            "write its text or remove the heading")

    # -- inlines ----------------------------------------------------------------------

    def inlines(self, inline: Token) -> tuple[d.Inline, ...]:
        children = inline.children or []
        nodes, _ = self.inline_run(inline, children, 0, None)
        return nodes

    def inline_run(self, parent: Token, tokens: list[Token], index: int,
                   until: str | None) -> tuple[tuple[d.Inline, ...], int]:
        found: list[d.Inline] = []
        while index < len(tokens):
            token = tokens[index]
            if until is not None and token.type == until:
                return d.merge_text(found), index
            node, index = self.inline(parent, tokens, index)
            if node is not None:
                found.append(node)
            index += 1
        return d.merge_text(found), index

    def inline(self, parent: Token, tokens: list[Token], index: int
               ) -> tuple[d.Inline | None, int]:
        token = tokens[index]
        kind = token.type
        if kind == "text":
            return d.Text(token.content), index
        if kind == "raw_html":
            if not token.content.startswith("</"):  # one finding per element, not per tag
                self.report_raw_html(parent, token)
            return d.Text(token.content), index
        if kind == "code_inline":
            return d.Code(token.content), index
        if kind == "softbreak":
            return d.SoftBreak(), index
        if kind == "hardbreak":
            return d.HardBreak(), index
        if kind in ("em_open", "strong_open", "s_open"):
            close = kind.replace("_open", "_close")
            children, end = self.inline_run(parent, tokens, index + 1, close)
            if kind == "em_open":
                return d.Emph(children), end
            if kind == "strong_open":
                return d.Strong(children), end
            return d.Strike(children), end
        if kind == "link_open":
            return self.link(parent, tokens, index)
        if kind == "image":
            return self.image(parent, token), index
        if kind == "variable":
            line, column = self.locate(parent, token.meta["offset"])
            return d.Variable(token.meta["name"], line, column), index
        if kind == "footnote_ref":
            blocks = self.footnotes.get(token.meta["id"], ())
            return d.Footnote(str(token.meta.get("label", token.meta["id"])), blocks), index
        return None, index

    def link(self, parent: Token, tokens: list[Token], index: int) -> tuple[d.Inline, int]:
        token = tokens[index]
        target = str(token.attrs.get("href", ""))
        line, column = self.locate(parent, (token.meta or {}).get("offset", 0))
        children, end = self.inline_run(parent, tokens, index + 1, "link_close")
        control = first_control(unquote(target))
        if control is not None:
            self.report("TK511", line, column,
                        contains_message(f"link address `{visible(target)}`", control),
                        "retype the address without it")
            return d.Text(d.plain_text(children)), end
        if target[:len("https://")].lower().startswith(_SAFE_SCHEMES):
            return d.Link(target, children, line, column), end
        if _SCHEME.match(target):
            scheme = target.split(":", 1)[0]
            self.report("TK506", line, column, f"links to `{scheme}:` addresses are not allowed",
                        "link to an http(s) or mailto address, or to another module")
            return d.Text(d.plain_text(children)), end
        path, _, anchor = target.partition("#")
        if path and not path.endswith(".md"):
            self.report("TK505", line, column, f"link target `{target}` is not a module",
                        "links can point to web addresses or to other modules' .md files")
        return d.ModuleLink(path, anchor or None, children, line, column), end

    def image(self, parent: Token, token: Token) -> d.Image:
        line, column = self.locate(parent, (token.meta or {}).get("offset", 0))
        alt = "".join(child.content for child in token.children or [])
        title = str(token.attrs.get("title", "") or "")
        if not alt.strip():
            self.report("TK503", line, column, "image has no alt text",
                        "describe the image between the brackets: ![Map of the routes](...)")
        return d.Image(str(token.attrs.get("src", "")), alt, title, line, column)

    def report_raw_html(self, parent: Token, token: Token) -> None:
        line, column = self.locate(parent, token.meta["offset"])
        self.report("TK508", line, column,
                    f"raw HTML `{_shorten(token.content)}` is printed as text, not interpreted",
                    "write Markdown instead, or put the HTML in `code` to show it on purpose")


def _skip_to(tokens: list[Token], index: int, kind: str) -> int:
    while index < len(tokens) and tokens[index].type != kind:
        index += 1
    return index


def _is_tight(tokens: list[Token], index: int) -> bool:
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    return following is None or following.type != "paragraph_open" or following.hidden


def _alignment(token: Token) -> d.Alignment:
    style = str(token.attrs.get("style", ""))
    for value in ("left", "center", "right"):
        if value in style:
            return value
    return ""


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _suggest(word: str, choices: tuple[str, ...]) -> str:
    return suggestion(word, choices) or "known blocks: " + ", ".join(choices)



