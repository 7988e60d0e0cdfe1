"""Print marks: empty elements whose anchors tell the preflight where things landed.

The print HTML carries an id at each place the layout checker (``writers/pdf/
preflight.py``) needs to find on the page: where a footnote is called and where its
note starts, where a heading and a question end, where an answer starts, and the first
two and last two rows of each table, and (``templates/parts.html.j2``) where a contents
entry's title ends and where its page number is. WeasyPrint records the position of every id, and
the PDF writer keeps those starting with ``tk-`` as named destinations of the PDF, so the
checker reads them back from the file. Screen HTML has none of them.

Names are ``tk-<what>--<module id>-<kind><n>``, counted per module, so a module's marks
do not depend on the modules around it (pieces are cached and shared between editions).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trainkit.model import document as d

PREFIX = "tk-"


@dataclass(slots=True)
class ModuleMarks:
    """Mark names of one module in print: counters per kind of thing marked."""

    module_id: str
    counts: dict[str, int] = field(default_factory=dict)
    #: The name of the question just rendered, for the answer that follows it.
    question: str | None = None

    def name(self, kind: str) -> str:
        """``<module id>-<kind><n>`` for the next thing of ``kind`` in the module."""
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"{self.module_id}-{kind}{self.counts[kind]}"

    def question_marks(self, kind: str) -> tuple[str, str]:
        """For a named block of ``kind``: the mark to end a question's text with, and the
        ``id`` attribute that marks the start of its answer."""
        if kind == "question":
            self.question = self.name("qa")
            return mark("qe", self.question), ""
        if kind == "answer" and self.question:
            return "", f' id="{PREFIX}as--{self.question}"'
        return "", ""


def mark(what: str, name: str) -> str:
    """An empty element with the id ``tk-<what>--<name>``."""
    return f'<span class="tk-mark" id="{PREFIX}{what}--{name}"></span>'


def leads_in(blocks: tuple[d.Block, ...], index: int) -> bool:
    """Whether ``blocks[index]`` is a paragraph that must not be parted from the block
    after it: it introduces a training block, a table or a figure, or a list (ending in
    ":"), or it follows a heading (a one-line paragraph would leave the heading with one
    line after it at the foot of a page; a long one still breaks inside)."""
    block = blocks[index]
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    if not isinstance(block, d.Paragraph) or following is None:
        return False
    if isinstance(following, d.NamedBlock | d.Table | d.Figure):
        return True
    if isinstance(following, d.BulletList | d.OrderedList) and \
            d.plain_text(block.children).rstrip().endswith(":"):
        return True
    return index > 0 and isinstance(blocks[index - 1], d.Heading)
