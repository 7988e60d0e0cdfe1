"""Typography by language: one pass on the document model, so every format gets it.

Applied to text only, never to code spans, code blocks, variables (``{{ name }}`` is a
node of its own, and this pass runs before variables are substituted, so their values
stay as the region profile wrote them) or addresses (``https://...``, ``www...``,
``mailto:``, e-mail addresses). A paragraph is typeset as one stream, across emphasis and
links, so a quote opened before ``*word*`` is closed after it.

- Quotes and apostrophes: ``"`` opens after a space, a bracket, a dash or the start of the
  text, and closes otherwise; ``'`` after a letter or digit is an apostrophe. English
  “ ” (‘ ’ for single quotes), French « » with “ ” inside them, Arabic « ».
- Dashes: ``---`` is an em dash, ``--`` and a hyphen between spaces an en dash.
- No line break between a word such as "Article", "art.", "Module", "paragraph" and the
  number after it ("art. 5", "Article 3(a)", "Module 7"), nor between a number and its
  unit ("38 h 30 min", "12 km").
- French (the convention of the Imprimerie nationale's *Lexique des règles typographiques*,
  as most French publishers apply it on screen): a no-break space (U+00A0) before the
  colon; a narrow no-break space (U+202F) before ``;``, ``!`` and ``?`` and inside
  guillemets. Spaces the author typed there are replaced; missing ones are added.

Languages other than English, French and Arabic are left as written.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace

from trainkit.assembly.transform import Transform
from trainkit.model import document as d
from trainkit.schemas import Manifest, ModuleMeta

NBSP = "\u00a0"
NNBSP = "\u202f"


@dataclass(frozen=True, slots=True)
class _Style:
    """How one language writes quotes."""

    double: tuple[str, str]
    nested: tuple[str, str]
    single: tuple[str, str] | None  # None: ``'`` is always an apostrophe
    french_spacing: bool = False


_STYLES = {
    "en": _Style(("\u201c", "\u201d"), ("\u2018", "\u2019"), ("\u2018", "\u2019")),
    "fr": _Style(("\u00ab", "\u00bb"), ("\u201c", "\u201d"), None, french_spacing=True),
    "ar": _Style(("\u00ab", "\u00bb"), ("\u201c", "\u201d"), ("\u2018", "\u2019")),
}

#: Words after which a number never goes to the next line (any of the three languages).
_NUMBERED_WORDS = (
    "Art.", "art.", "Arts.", "arts.", "Article", "article", "Articles", "articles",
    "Module", "module", "Modules", "modules", "Chapter", "chapter", "Chapitre", "chapitre",
    "Part", "Partie", "partie", "Section", "section", "para.", "paras.", "par.", "paragraph",
    "paragraphs", "Paragraph", "paragraphe", "paragraphes", "Paragraphe", "al.", "alinéa",
    "p.", "pp.", "No.", "no.", "n°", "N°", "Annex", "annex", "Annexe", "annexe", "Rule",
    "rule", "Règle", "règle", "Recommendation", "recommendation", "Recommendations",
    "Recommandation", "recommandation", "Recommandations", "Principle", "principle",
    "Principe", "principe", "Resolution", "resolution", "Résolution", "résolution",
    "Day", "day", "Jour", "jour", "Case", "Exercise", "Exercice", "Question",
    "المادة", "المواد", "الوحدة", "الفقرة", "الفصل", "الجزء", "التوصية", "اليوم",
)
_UNITS = ("h", "min", "s", "km", "kg", "m", "nm", "%", "hours", "hour", "minutes", "days",
          "weeks", "months", "years", "heures", "jours", "semaines", "mois", "ans")
_WORDS_BEFORE_NUMBERS = frozenset(_NUMBERED_WORDS)
#: A space before a number (or a roman numeral): a candidate for a no-break space.
_SPACE_BEFORE_NUMBER = re.compile(r" (?=\d|[IVXLC]+\b)")
_UNIT_AFTER_NUMBER = re.compile(
    r"\d( )(?:" + "|".join(re.escape(u) for u in _UNITS) + r")(?!\w)")
_NUMBER_AFTER_HOURS = re.compile(r"\d[ \u00a0]h( )\d")
_DASHES = re.compile(r"-{2,3}|(?<= )-(?= )")
_QUOTES = re.compile("[\"'\u00ab\u00bb\u201c\u201d]")
_FRENCH_MARKS = re.compile("[\u00ab\u00bb;:!?\"]")
#: A paragraph with none of these has nothing for the pass to change.
_NOTHING_TO_DO = re.compile("[-\"'\u00ab\u00bb;:!?]| (?=[\\dIVXLC])|\\d ")
#: Addresses, left exactly as written.
_ADDRESS = re.compile(r"(?:https?://|ftp://|mailto:|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

_OPENERS = set(" \t\n\u00a0\u202f([{\u00ab\u2039\u201c\u2018\u2014\u2013-/")
_SPACES = " \u00a0\u202f"
_AFTER_PUNCTUATION = set(" \t\n\u00a0\u202f)]}\u00bb\u201d\u2019\"'.,;:!?")


def style_for(language: str) -> _Style | None:
    """The quote style of ``language`` (its base: ``fr-CA`` is ``fr``), None if unknown."""
    return _STYLES.get(language.split("-")[0])


def typeset_text(text: str, language: str) -> str:
    """``text`` (a title, a summary, a glossary entry) typeset for ``language``."""
    style = style_for(language)
    if style is None or not text:
        return text
    return _typeset(_Stream([(0, text)]), style)[0]


def typeset_meta(meta: ModuleMeta, language: str) -> ModuleMeta:
    """The printed words of a module's front-matter (title, summary, objectives) typeset."""
    if style_for(language) is None:
        return meta
    return meta.model_copy(update={
        "title": typeset_text(meta.title, language),
        "summary": typeset_text(meta.summary, language),
        "learning_objectives": meta.with_objective_texts(
            [typeset_text(o, language) for o in meta.objective_texts]),
    })


def typeset_manifest(manifest: Manifest, language: str) -> Manifest:
    """The manifest's printed words typeset: title, cover, imprint, editions, audiences,
    instruments. Variables take their values from the manifest as written."""
    if style_for(language) is None:
        return manifest

    def typeset(text: str) -> str:
        return typeset_text(text, language)

    return manifest.model_copy(update={
        **{key: typeset(getattr(manifest, key)) for key in (
            "title", "subtitle", "publisher", "copyright", "licence", "disclaimer")},
        "editions": {key: edition.model_copy(update={"title": typeset(edition.title)})
                     for key, edition in manifest.editions.items()},
        "audiences": {key: typeset(name) for key, name in manifest.audiences.items()},
        "instruments": {key: typeset(name) for key, name in manifest.instruments.items()},
    })


class Typography(Transform):
    """Typesets the text of every block for one language (see the module docstring)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.style = style_for(language)

    def blocks(self, blocks: tuple[d.Block, ...]) -> tuple[d.Block, ...]:
        if self.style is None:
            return blocks
        return super().blocks(blocks)

    def block(self, node: d.Block) -> tuple[d.Block, ...]:
        if isinstance(node, d.NamedBlock) and node.title:
            title = typeset_text(node.title, self.language)
            if title != node.title:
                node = replace(node, title=title)
        return (self.descend(node),)

    def inlines(self, inlines: tuple[d.Inline, ...]) -> tuple[d.Inline, ...]:
        """The inlines of one block (a paragraph, a heading, a cell), typeset as one stream;
        the same tuple when nothing changes (most text of most languages has no quote,
        dash or space to change: one search says so)."""
        if self.style is None:
            return inlines
        pieces: list[tuple[int, str]] = []
        notes = _collect(inlines, pieces)
        if not notes and _NOTHING_TO_DO.search("".join(text for _, text in pieces)) is None:
            return inlines
        return self._rebuild(inlines, iter(_typeset(_Stream(pieces), self.style)))

    def _rebuild(self, inlines: tuple[d.Inline, ...],
                 texts: Iterator[str]) -> tuple[d.Inline, ...]:
        """``inlines`` with each Text node's new text, in order; footnotes typeset apart.
        Nodes that do not change are kept (the same tuple if none does)."""
        rebuilt: list[d.Inline] = []
        for node in inlines:
            new: d.Inline = node
            if isinstance(node, d.Text):
                text = next(texts)
                if text != node.text:
                    new = d.Text(text)
            elif isinstance(node, d.Footnote):
                blocks = self.blocks(node.blocks)
                if blocks is not node.blocks:
                    new = replace(node, blocks=blocks)
            elif isinstance(node, _CONTAINERS):
                children = self._rebuild(node.children, texts)
                if children is not node.children:
                    new = replace(node, children=children)
            rebuilt.append(new)
        if all(a is b for a, b in zip(rebuilt, inlines, strict=True)):
            return inlines
        return tuple(rebuilt)


_CONTAINERS = (d.Emph, d.Strong, d.Strike, d.Link, d.ModuleLink, d.CrossRef)


def _collect(inlines: tuple[d.Inline, ...], pieces: list[tuple[int, str]]) -> bool:
    """(index of the Text node, its text) in order; other nodes as a stand-in (-1, text).
    Whether there are footnotes among them (typeset as blocks of their own, in
    ``Typography._rebuild``)."""
    notes = False
    for node in inlines:
        if isinstance(node, d.Text):
            pieces.append((0, node.text))  # numbered by ``_stream``
        elif isinstance(node, (d.Code, d.Variable, d.Image)):
            pieces.append((-1, "x"))  # reads as a word: a quote after it closes
        elif isinstance(node, (d.SoftBreak, d.HardBreak)):
            pieces.append((-1, " "))
        elif isinstance(node, _CONTAINERS):
            notes = _collect(node.children, pieces) or notes
        elif isinstance(node, d.Footnote):
            notes = True
    return notes


class _Stream:
    """A paragraph as one string: its Text nodes' text and a stand-in for each other node,
    which positions the pass may change (not stand-ins, not addresses), and its edits:
    position -> what replaces that character (several characters to insert before or
    after it, none to delete it)."""

    def __init__(self, pieces: list[tuple[int, str]]) -> None:
        parts: list[str] = []
        self.segments: list[tuple[int, int]] = []  # each Text node's (start, end)
        fixed: list[tuple[int, int]] = []
        position = 0
        for node, text in pieces:
            parts.append(text)
            if node < 0:
                fixed.append((position, position + len(text)))
            else:
                self.segments.append((position, position + len(text)))
                if "@" in text or ":" in text or "www." in text:
                    fixed.extend((position + m.start(), position + m.end())
                                 for m in _ADDRESS.finditer(text))
            position += len(text)
        self.text = "".join(parts)
        self.fixed = bytearray(len(self.text))
        for start, end in fixed:
            self.fixed[start:end] = b"\x01" * (end - start)
        self.edits: dict[int, str] = {}

    def free(self, index: int) -> bool:
        return 0 <= index < len(self.text) and not self.fixed[index]

    def char(self, index: int, last: bool = True) -> str:
        """The character at ``index`` as edited so far (" " outside the paragraph)."""
        if not 0 <= index < len(self.text):
            return " "
        edited = self.edits.get(index)
        if edited is None:
            return self.text[index]
        return (edited[-1:] if last else edited[:1]) or self.text[index]

    def put(self, index: int, text: str) -> None:
        self.edits[index] = text

    def result(self) -> list[str]:
        """Each Text node's new text."""
        keys = sorted(self.edits)
        texts = []
        for start, end in self.segments:
            parts, cursor = [], start
            for key in keys[bisect_left(keys, start):bisect_left(keys, end)]:
                parts += [self.text[cursor:key], self.edits[key]]
                cursor = key + 1
            parts.append(self.text[cursor:end])
            texts.append("".join(parts))
        return texts


def _typeset(stream: _Stream, style: _Style) -> list[str]:
    """Apply every rule to ``stream``; each Text node's new text."""
    if _NOTHING_TO_DO.search(stream.text) is None:
        return [stream.text[start:end] for start, end in stream.segments]
    _dashes(stream)
    _quotes(stream, style)
    if style.french_spacing:
        _french_spaces(stream)
    _no_break_spaces(stream)
    return stream.result()


def _dashes(stream: _Stream) -> None:
    for match in _DASHES.finditer(stream.text):
        start, end = match.span()
        if not all(stream.free(i) for i in range(start, end)):
            continue
        if end - start == 1:
            stream.put(start, "\u2013")  # a hyphen between spaces
        elif any(_segment_of(stream, i) != _segment_of(stream, start) for i in range(start, end)):
            continue
        else:
            stream.put(start, "\u2014" if end - start == 3 else "\u2013")
            for index in range(start + 1, end):
                stream.put(index, "")


def _segment_of(stream: _Stream, index: int) -> int:
    return bisect_right([start for start, _ in stream.segments], index)


def _quotes(stream: _Stream, style: _Style) -> None:
    depth = 0
    for match in _QUOTES.finditer(stream.text):
        i, mark = match.start(), match.group()
        if mark in "\u00ab\u201c":
            depth += 1
            continue
        if mark in "\u00bb\u201d":
            depth = max(0, depth - 1)
            continue
        if not stream.free(i):
            continue
        opens = stream.char(i - 1) in _OPENERS
        if mark == '"':
            if opens:
                stream.put(i, (style.double if depth == 0 else style.nested)[0])
                depth += 1
            else:
                depth = max(0, depth - 1)
                stream.put(i, (style.double if depth == 0 else style.nested)[1])
        else:
            after = stream.char(i + 1, last=False)
            single = style.single is not None and opens and (after.isalpha() or after == '"')
            stream.put(i, style.single[0] if single and style.single else "\u2019")


def _french_spaces(stream: _Stream) -> None:
    for match in _FRENCH_MARKS.finditer(stream.text):
        i = match.start()
        if not stream.free(i) and stream.text[i] != '"':
            continue
        mark = stream.char(i)
        if mark == "\u00ab":
            _space_after(stream, i)
        elif mark == "\u00bb":
            _space_before(stream, i, NNBSP)
        elif mark in ";:!?" and stream.free(i):
            after, before = stream.char(i + 1, last=False), stream.char(i - 1)
            if after in _AFTER_PUNCTUATION and before not in ";:!?" and i > 0:
                _space_before(stream, i, NBSP if mark == ":" else NNBSP)


def _space_after(stream: _Stream, i: int) -> None:
    """A narrow no-break space after the guillemet at ``i`` (replacing a typed space)."""
    if stream.char(i + 1, last=False) in _SPACES and i + 1 < len(stream.text):
        if stream.free(i + 1):
            stream.put(i + 1, NNBSP)
        return
    stream.put(i, stream.edits.get(i, stream.text[i]) + NNBSP)


def _space_before(stream: _Stream, i: int, space: str) -> None:
    """``space`` before the mark at ``i`` (replacing a typed space)."""
    before = stream.char(i - 1)
    if i == 0 or before in "\n\t":
        return
    if before in _SPACES:
        if stream.free(i - 1):
            stream.put(i - 1, space)
        return
    stream.put(i, space + stream.edits.get(i, stream.text[i]))


def _bare(word: str) -> str:
    """``word`` without an opening bracket or quote, or an elided article (``l'art.``)."""
    word = word.lstrip("([\u00ab\u201c\u2018\"'")
    return word.rsplit("\u2019", 1)[-1].rsplit("'", 1)[-1]


def _no_break_spaces(stream: _Stream) -> None:
    text = stream.text
    spaces = []
    for match in _SPACE_BEFORE_NUMBER.finditer(text):
        space = match.start()
        before = text[max(0, space - 20):space].split()
        if before and _bare(before[-1]) in _WORDS_BEFORE_NUMBERS:
            spaces.append(space)
    spaces += [m.start(1) for m in _UNIT_AFTER_NUMBER.finditer(text)]
    spaces += [m.start(1) for m in _NUMBER_AFTER_HOURS.finditer(text)]
    for space in spaces:
        if stream.free(space) and space not in stream.edits:
            stream.put(space, NBSP)
