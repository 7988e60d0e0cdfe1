"""Small questions about markdown-it tokens that the model builder asks, and message
helpers for its findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trainkit.model import document as d
from trainkit.text import suggestion

if TYPE_CHECKING:
    from markdown_it.token import Token


def skip_to(tokens: list[Token], index: int, kind: str) -> int:
    """The index of the first token of type ``kind`` from ``index`` on (or the end)."""
    while index < len(tokens) and tokens[index].type != kind:
        index += 1
    return index


def is_tight(tokens: list[Token], index: int) -> bool:
    """Whether the list item opening at ``index`` is tight (no paragraph around its text)."""
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    return following is None or following.type != "paragraph_open" or following.hidden


def alignment(token: Token) -> d.Alignment:
    """A table cell's alignment from its ``style`` attribute."""
    style = str(token.attrs.get("style", ""))
    for value in ("left", "center", "right"):
        if value in style:
            return value
    return ""


def shorten(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, for messages."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def block_suggestion(word: str, choices: tuple[str, ...]) -> str:
    """'did you mean `x`?' for a misspelt block name, else the names there are."""
    return suggestion(word, choices) or "known blocks: " + ", ".join(choices)
