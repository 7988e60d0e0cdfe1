"""The course evaluation form on the document model (issue 17).

Built from an assembled edition's learning objectives: the participants' reaction to the
course (a few statements rated 1-5), then, per module, their own rating of each objective
before and after the course, and a question for comments with lines to write on. Like a
test paper it is a compact edition (``testpaper.paper_edition``), so every writer
prints it.
"""

from __future__ import annotations

from trainkit.model import assessment as a
from trainkit.model import document as d
from trainkit.model.edition import AssembledEdition

EMPTY_BOX = "\u2610"
SCALE = ("1", "2", "3", "4", "5")
REACTIONS = ("evaluation-relevance", "evaluation-materials", "evaluation-trainers",
             "evaluation-pace")


def _cell(text: str) -> tuple[d.Inline, ...]:
    return (d.Text(text),)


def _heading(text: str, anchor: str) -> d.Heading:
    return d.Heading(2, _cell(text), anchor)


def reaction_table(words: dict[str, str]) -> d.Table:
    """The statements about the course, each with a box per point of the scale."""
    header = (_cell(""), *(_cell(point) for point in SCALE))
    rows = tuple((_cell(words[key]), *(_cell(EMPTY_BOX) for _ in SCALE)) for key in REACTIONS)
    centred: tuple[d.Alignment, ...] = tuple("center" for _ in SCALE)
    return d.Table(header, rows, ("left", *centred))


def progress_table(module_title: str, objectives: list[str],
                   words: dict[str, str]) -> d.Table:
    """A module's objectives, each rated before and after the course."""
    scale = "  ".join(SCALE)
    header = (_cell(module_title), _cell(words["evaluation-before"]),
              _cell(words["evaluation-after"]))
    rows = tuple((_cell(f"{number}. {text}"), _cell(scale), _cell(scale))
                 for number, text in enumerate(objectives, start=1))
    return d.Table(header, rows, ("left", "center", "center"))


def evaluation_blocks(edition: AssembledEdition) -> tuple[d.Block, ...]:
    """The form's blocks for the modules of ``edition``."""
    words = edition.labels
    blocks: list[d.Block] = [
        d.Paragraph(_cell(words["evaluation-intro"])),
        d.Paragraph(_cell(words["evaluation-scale"])),
        _heading(words["evaluation-reaction"], "evaluation-reaction"),
        reaction_table(words),
        _heading(words["evaluation-progress"], "evaluation-progress"),
    ]
    for module in edition.modules:
        title = edition.module_title(module)
        blocks.append(progress_table(title, module.meta.objective_texts, words))
    prompt: tuple[d.Block, ...] = (d.Paragraph(_cell(words["evaluation-comments"])),)
    comments = a.Question("", "essay", prompt)
    blocks.append(d.NamedBlock("question", "", prompt, question=comments))
    return tuple(blocks)
