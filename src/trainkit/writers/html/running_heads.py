"""Running heads of the print edition: always one line.

The head has the manual's title on one side and the module's on the other
(``print.css``: 8pt DejaVu Sans in the top margin boxes). Both must fit on one line in
the width of the text block, so each side gets a budget, and a title longer than its
budget is cut at a word boundary and ends with an ellipsis. A module's ``short_title``
(front-matter) is used instead of its title when it has one.

Widths are estimated from DejaVu Sans' advance widths (in ems, from the font file), a
little generously; ``print.css`` also keeps each head on one line (``white-space:
nowrap``), and the preflight reports a head that still runs outside the text block.
"""

from __future__ import annotations

from unicodedata import east_asian_width

from trainkit.labels import numbered, titled
from trainkit.model.edition import AssembledEdition, EditionModule

#: Advance widths of DejaVu Sans, in ems, of the characters titles mostly use.
_WIDTHS: dict[str, float] = {
    **dict.fromkeys("ijlIJ", 0.30), **dict.fromkeys(" .,’'", 0.32),
    **dict.fromkeys("ftr:;/()-!", 0.41), **dict.fromkeys("csz", 0.55),
    **dict.fromkeys("abdeghknopquvxyLFP?0123456789àâçéèêëôöûüï", 0.64),
    **dict.fromkeys("ABCEKRSTVXYZ«»–", 0.70), **dict.fromkeys("DGHNOQU&", 0.79),
    **dict.fromkeys("mMw", 0.98), **dict.fromkeys("W—…", 1.0),
}
#: Arabic letters (measured in the Arabic editions' heads: 0.45-0.47 em on average).
_ARABIC = 0.52
#: Other characters not in the table count as this much (wide East Asian ones as 1 em).
_OTHER = 0.72
#: Font size of the heads (pt) and the space kept between the two sides (ems).
HEAD_SIZE_PT = 8.0
GAP_EMS = 2.0
#: The manual title's side gets at most this share of the line.
TITLE_SHARE = 0.55
ELLIPSIS = "\u2026"
#: Width of the text block (mm) of each ``output.page_size``: the page less 2 x 20 mm.
TEXT_WIDTH_MM = {"A4": 170.0, "A5": 108.0, "letter": 175.9, "legal": 175.9}


def text_ems(text: str) -> float:
    """The estimated width of ``text`` in DejaVu Sans, in ems."""
    return sum(_WIDTHS.get(char) or _width(char) for char in text)


def _width(char: str) -> float:
    if "\u0600" <= char <= "\u06ff":
        return _ARABIC
    return 1.0 if east_asian_width(char) in ("W", "F") else _OTHER


def line_ems(page_size: str) -> float:
    """How many ems of the heads' font the text block holds, less the gap between sides."""
    width_pt = TEXT_WIDTH_MM.get(page_size, TEXT_WIDTH_MM["A4"]) * 72 / 25.4
    return width_pt / HEAD_SIZE_PT - GAP_EMS


def shorten(text: str, budget: float) -> str:
    """``text``, or as many of its words as fit in ``budget`` ems followed by an ellipsis."""
    text = " ".join(text.split())
    if text_ems(text) <= budget:
        return text
    room = budget - text_ems(ELLIPSIS)
    words = text.split(" ")
    kept: list[str] = []
    for word in words:
        if text_ems(" ".join([*kept, word])) > room:
            break
        kept.append(word)
    if not kept:  # one long word: cut it
        cut = ""
        for char in text:
            if text_ems(cut + char) > room:
                break
            cut += char
        return cut + ELLIPSIS
    return " ".join(kept).rstrip(" ,;:.\u2013\u2014-") + ELLIPSIS


def title_budget(manual_title: str, page_size: str) -> float:
    """The ems the manual title may take in the head: its width, up to ``TITLE_SHARE``
    of the line."""
    return min(text_ems(" ".join(manual_title.split())), line_ems(page_size) * TITLE_SHARE)


def manual_head(manual_title: str, page_size: str) -> str:
    """The manual's side of the head."""
    return shorten(manual_title, title_budget(manual_title, page_size))


def module_head(prefix: str, title: str, manual_title: str, page_size: str) -> str:
    """The module's side of the head: ``prefix`` ("Module 3: ") and the title, shortened."""
    budget = line_ems(page_size) - title_budget(manual_title, page_size) - text_ems(prefix)
    return prefix + shorten(title, budget)


def module_running_head(edition: AssembledEdition, module: EditionModule) -> str:
    """The module's side of the head in ``edition``: "Module 3: " and its (short) title."""
    prefix = titled(numbered(edition.labels["module"], module.number), "", edition.language)
    return module_head(prefix, module.meta.short_title or module.meta.title,
                       edition.manifest.title, edition.manifest.output.page_size)
