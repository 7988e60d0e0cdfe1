"""markdown-it tokens to the typed document model, with the findings the parse can make.

The parse is context-free (it needs nothing but the module's text), so its result and its
findings can be cached by content hash. Checks that need the project (do regions exist,
do files exist) run later on the model.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote

from trainkit.bidi import contains_message, first_control, visible
from trainkit.model import document as d
from trainkit.parsing.attributes import split_attributes
from trainkit.parsing.markdown import markdown_parser
from trainkit.parsing.questions import Assessor, attach_answers
from trainkit.parsing.tokens import alignment, block_suggestion, is_tight, shorten, skip_to
from trainkit.text import slugify
from trainkit.diagnostics import Diagnostic

if TYPE_CHECKING:
    from markdown_it.token import Token

_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_FENCE_KINDS = (*d.BLOCK_KINDS, "only", "except", "adapt")
_SLOT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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
        self.assessor = Assessor(self.report)

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
                index = skip_to(tokens, index, "footnote_block_close")
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
                tight = tight and is_tight(tokens, index)
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
                aligns.append(alignment(token))
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
        if name == "adapt":
            return self.slot(open_token, rest.strip(), inner), end
        if name not in d.BLOCK_KINDS:
            self.report("TK401", line, self.word_column(open_token, name, 0),
                        f"unknown block `{name}`", block_suggestion(name, _FENCE_KINDS))
            return inner, end
        kind: d.BlockKind = name
        if not inner:
            self.report("TK409", line, column, f"block `{name}` is empty")
        title, group = split_attributes(rest)
        block = d.NamedBlock(kind, title, self.checked_sequence(inner), line)
        source = self.lines[open_token.map[0]] if open_token.map else ""
        return self.assessor.named(block, group, source, column), end

    def slot(self, token: Token, slot: str, inner: tuple[d.Block, ...]) -> d.Block | None:
        """``::: adapt <slot>``: a place each region fills; its content is the default."""
        if _SLOT_ID.match(slot) is None:
            self.report("TK706", self.line_of(token), self.column_of(token),
                        f"`adapt` block with no valid slot id{f' (`{slot}`)' if slot else ''}",
                        "write e.g. `::: adapt national-law`: lower-case words and hyphens")
            return None
        return d.Slot(slot, self.checked_sequence(inner), self.line_of(token))

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
        return attach_answers(blocks)

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
                    f"raw HTML `{shorten(token.content)}` is printed as text, not interpreted",
                    "write Markdown instead, or put the HTML in `code` to show it on purpose")
