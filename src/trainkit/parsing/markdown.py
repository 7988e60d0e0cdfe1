"""markdown-it configured for trainkit: CommonMark without raw HTML, plus tables,
strikethrough, footnotes, ``:::`` blocks and ``{{ variables }}``.

markdown-it is imported when the parser is first built, not with this module: a warm
``trainkit validate`` takes every module from the cache and never needs it. Raw HTML is
never interpreted: a rule of our own turns what CommonMark calls an HTML tag into text
(``builder.py`` reports it), and link and image rules record where each one starts so
findings point at the right column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from trainkit.bidi import BIDI_CONTROLS

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline

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
