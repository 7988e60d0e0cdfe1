"""The DOCX writer: an assembled edition as a Word document with real styles.

``trainkit.commands.build`` imports this package only when a DOCX edition is built, so python-docx
(imported only in this package) costs nothing otherwise. The pieces, one per module:

- ``reference``: the reference document (default or ``--reference-docx``), emptied;
- ``styles``, ``numbering``, ``footnotes``, ``sections``, ``images``, ``properties``,
  ``relations``, ``fields``, ``tables``, ``oxml``: small OOXML helpers, each built once
  per document and each O(1) per use;
- ``plan``: bookmark names and the table of contents, decided before writing;
- ``inlines``, ``blocks``, ``edition``: one method per node type, then the structure.
"""

from __future__ import annotations

from pathlib import Path

from trainkit.model.edition import AssembledEdition
from trainkit.errors import RenderError
from trainkit.files import atomic_target
from trainkit.loading.resolver import ProjectResolver

__all__ = ["write_docx"]


def write_docx(edition: AssembledEdition, resolver: ProjectResolver, target: Path, *,
               reference_docx: Path | None = None) -> int | None:
    """Write ``edition`` as DOCX to ``target`` atomically; the page count is unknown (None).

    ``RenderError`` when anything fails (a bad reference document, an image that cannot be
    embedded...); the previous ``target`` is then left untouched.
    """
    from trainkit.writers.docx.document import build_document

    try:
        document = build_document(edition, resolver, reference_docx)
        with atomic_target(target) as temporary:
            document.save(str(temporary))
    except RenderError:
        raise
    except Exception as error:  # python-docx and lxml raise many kinds; all mean failure
        raise RenderError(f"{target.name}: writing the DOCX failed: {error}") from error
    return None
