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
    "Part", "Partie", "partie", "Section", "section", "para.", "paras.", "paragraph",
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
_NUMBER_AFTER_WORD = re.compile(
    r"(?<![\w.])(?:" + "|".join(re.escape(w) for w in _NUMBERED_WORDS)
    + r") (?=\d|[IVXLC]+\b)")
_UNIT_AFTER_NUMBER = re.compile(
    r"(?<=\d) (?=(?:" + "|".join(re.escape(u) for u in _UNITS) + r")(?!\w))")
_NUMBER_AFTER_HOURS = re.compile(r"(?<=\d[ \u00a0]h) (?=\d)")
#: Addresses, left exactly as written.
_ADDRESS = re.compile(r"(?:https?://|ftp://|mailto:|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

_OPENERS = set(" \t\n\u00a0\u202f([{\u00ab\u2039\u201c\u2018\u2014\u2013-/")
_SPACES = " \u00a0\u202f"
_AFTER_PUNCTUATION = set(" \t\n\u00a0\u202f)]}\u00bb\u201d\u2019\"'.,;:!?")


@dataclass(slots=True)
class _Char:
    """One character of a stream: the Text node it belongs to (-1: none) and whether the
    pass may change it."""

    ch: str
    node: int
    fixed: bool


def style_for(language: str) -> _Style | None:
    """The quote style of ``language`` (its base: ``fr-CA`` is ``fr``), None if unknown."""
    return _STYLES.get(language.split("-")[0])


def typeset_text(text: str, language: str) -> str:
    """``text`` (a title, a summary, a glossary entry) typeset for ``language``."""
    style = style_for(language)
    if style is None or not text:
        return text
    stream = _stream([(0, text)])
    _typeset(stream, style)
    return "".join(c.ch for c in stream)


def typeset_meta(meta: ModuleMeta, language: str) -> ModuleMeta:
    """The printed words of a module's front-matter (title, summary, objectives) typeset."""
    if style_for(language) is None:
        return meta
    return meta.model_copy(update={
        "title": typeset_text(meta.title, language),
        "summary": typeset_text(meta.summary, language),
        "learning_objectives": [typeset_text(o, language) for o in meta.learning_objectives],
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
            node = replace(node, title=typeset_text(node.title, self.language))
        return (self.descend(node),)

    def inlines(self, inlines: tuple[d.Inline, ...]) -> tuple[d.Inline, ...]:
        """The inlines of one block (a paragraph, a heading, a cell), typeset as one stream."""
        if self.style is None:
            return inlines
        pieces: list[tuple[int, str]] = []
        _collect(inlines, pieces)
        stream = _stream(pieces)
        _typeset(stream, self.style)
        texts = [""] * sum(1 for node, _ in pieces if node >= 0)
        for char in stream:
            if char.node >= 0:
                texts[char.node] += char.ch
        return self._rebuild(inlines, iter(texts))

    def _rebuild(self, inlines: tuple[d.Inline, ...],
                 texts: Iterator[str]) -> tuple[d.Inline, ...]:
        """``inlines`` with each Text node's new text, in order; footnotes typeset apart."""
        rebuilt: list[d.Inline] = []
        for node in inlines:
            if isinstance(node, d.Text):
                rebuilt.append(d.Text(next(texts)))
            elif isinstance(node, d.Footnote):
                rebuilt.append(replace(node, blocks=self.blocks(node.blocks)))
            elif isinstance(node, _CONTAINERS):
                rebuilt.append(replace(node, children=self._rebuild(node.children, texts)))
            else:
                rebuilt.append(node)
        return tuple(rebuilt)


_CONTAINERS = (d.Emph, d.Strong, d.Strike, d.Link, d.ModuleLink, d.CrossRef)


def _collect(inlines: tuple[d.Inline, ...], pieces: list[tuple[int, str]]) -> None:
    """(index of the Text node, its text) in order; other nodes as a stand-in (-1, text)."""
    for node in inlines:
        if isinstance(node, d.Text):
            pieces.append((0, node.text))  # numbered by ``_stream``
        elif isinstance(node, (d.Code, d.Variable, d.Image)):
            pieces.append((-1, "x"))  # reads as a word: a quote after it closes
        elif isinstance(node, (d.SoftBreak, d.HardBreak)):
            pieces.append((-1, " "))
        elif isinstance(node, _CONTAINERS):
            _collect(node.children, pieces)
        # footnotes are typeset as blocks of their own (``Typography._rebuild``)


def _stream(pieces: list[tuple[int, str]]) -> list[_Char]:
    """The characters of a paragraph: text (its addresses fixed) and stand-ins (fixed)."""
    stream: list[_Char] = []
    count = 0
    for node, text in pieces:
        if node >= 0:
            node, count = count, count + 1
        if node < 0:
            stream.extend(_Char(ch, -1, True) for ch in text)
            continue
        fixed: set[int] = set()
        for match in _ADDRESS.finditer(text):
            fixed.update(range(match.start(), match.end()))
        stream.extend(_Char(ch, node, i in fixed) for i, ch in enumerate(text))
    return stream


def _typeset(stream: list[_Char], style: _Style) -> None:
    """Apply every rule to ``stream``, in place."""
    _dashes(stream)
    _quotes(stream, style)
    if style.french_spacing:
        _french_spaces(stream)
    _no_break_spaces(stream)


def _free(stream: list[_Char], index: int) -> bool:
    return 0 <= index < len(stream) and not stream[index].fixed and stream[index].node >= 0


def _dashes(stream: list[_Char]) -> None:
    i = 0
    while i < len(stream):
        if stream[i].ch == "-" and _free(stream, i):
            run = 1
            while run < 3 and _free(stream, i + run) and stream[i + run].ch == "-" \
                    and stream[i + run].node == stream[i].node:
                run += 1
            if run >= 2:
                stream[i].ch = "\u2014" if run == 3 else "\u2013"
                del stream[i + 1:i + run]
            elif 0 < i < len(stream) - 1 and stream[i - 1].ch == " " \
                    and stream[i + 1].ch == " ":
                stream[i].ch = "\u2013"
        i += 1


def _quotes(stream: list[_Char], style: _Style) -> None:
    depth = 0
    for i, char in enumerate(stream):
        if not _free(stream, i):
            if char.ch in "\u00ab\u201c":
                depth += 1
            elif char.ch in "\u00bb\u201d":
                depth = max(0, depth - 1)
            continue
        before = stream[i - 1].ch if i > 0 else " "
        after = stream[i + 1].ch if i + 1 < len(stream) else " "
        opens = before in _OPENERS
        if char.ch == '"':
            if opens:
                char.ch = (style.double if depth == 0 else style.nested)[0]
                depth += 1
            else:
                depth = max(0, depth - 1)
                char.ch = (style.double if depth == 0 else style.nested)[1]
        elif char.ch == "'":
            if style.single is not None and opens and (after.isalpha() or after == '"'):
                char.ch = style.single[0]
            else:
                char.ch = "\u2019"
        elif char.ch in "\u00ab\u201c":
            depth += 1
        elif char.ch in "\u00bb\u201d":
            depth = max(0, depth - 1)


def _french_spaces(stream: list[_Char]) -> None:
    i = 0
    while i < len(stream):
        char = stream[i]
        if char.fixed:
            i += 1
            continue
        if char.ch == "\u00ab":
            i += _space_after(stream, i)
        elif char.ch == "\u00bb":
            i += _space_before(stream, i, NNBSP)
        elif char.ch in ";:!?" and char.node >= 0:
            after = stream[i + 1].ch if i + 1 < len(stream) else " "
            before = stream[i - 1].ch if i > 0 else " "
            if after in _AFTER_PUNCTUATION and before not in ";:!?" and i > 0:
                i += _space_before(stream, i, NBSP if char.ch == ":" else NNBSP)
        i += 1


def _space_after(stream: list[_Char], i: int) -> int:
    """A narrow no-break space after the guillemet at ``i``; the characters added."""
    if i + 1 < len(stream) and stream[i + 1].ch in _SPACES:
        if _free(stream, i + 1):
            stream[i + 1].ch = NNBSP
        return 0
    stream.insert(i + 1, _Char(NNBSP, stream[i].node, False))
    return 1


def _space_before(stream: list[_Char], i: int, space: str) -> int:
    """``space`` before the mark at ``i`` (replacing a typed space); the characters added."""
    if i == 0 or stream[i - 1].ch in "\n\t":
        return 0
    if stream[i - 1].ch in _SPACES:
        if _free(stream, i - 1):
            stream[i - 1].ch = space
        return 0
    stream.insert(i, _Char(space, stream[i].node, False))
    return 1


def _no_break_spaces(stream: list[_Char]) -> None:
    text = "".join(c.ch for c in stream)
    for pattern in (_NUMBER_AFTER_WORD, _UNIT_AFTER_NUMBER, _NUMBER_AFTER_HOURS):
        for match in pattern.finditer(text):
            space = match.end() - 1 if pattern is _NUMBER_AFTER_WORD else match.start()
            if _free(stream, space) and stream[space].ch == " ":
                stream[space].ch = NBSP
        text = "".join(c.ch for c in stream)
