"""The HTML and PDF handout: the edition writer's HTML with a handout template.

The blocks are rendered by ``writers/html.py`` (the same HTML as in the manual); the
page around them comes from ``templates/handout.html.j2`` and ``css/handout.css``: a
header with the module's title, summary and learning objectives, the blocks the handout
keeps (see ``trainkit.commands.handout``), and a ruled notes area.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from trainkit.model.edition import AssembledEdition
from trainkit.files import write_text_atomic
from trainkit.loading.resolver import IMAGE_SUFFIXES, MAX_IMAGE_BYTES, ProjectResolver
from trainkit.writers.html.running_heads import module_running_head
from trainkit.writers.html.render import (
    ASSET_SCHEME, Flavour, data_uri, read_resource, render_template, stylesheet,
    template_context,
)

#: Ruled lines in the notes area: a full half page in print, fewer on screen.
NOTE_LINES: dict[str, int] = {"print": 16, "screen": 10}


def render_handout_html(edition: AssembledEdition, flavour: Flavour,
                        image_source: Callable[[str], str],
                        resolver: ProjectResolver | None = None) -> str:
    """The handout of ``edition``'s only module as one HTML document (themed when
    ``resolver`` is given)."""
    css = stylesheet(edition, flavour, resolver) + read_resource("css/handout.css")
    context = template_context(edition, flavour, image_source, css)
    region = f", {edition.region_name}" if edition.region_name else ""
    context["subject"] = f"{edition.manifest.title}: {edition.edition.title}{region}"
    context["note_lines"] = NOTE_LINES[flavour]
    context["modules"][0]["running_head"] = module_running_head(edition, edition.modules[0])
    return render_template("handout.html.j2", context)


def write_handout_html(edition: AssembledEdition, resolver: ProjectResolver,
                       target: Path) -> int | None:
    """Write the self-contained screen HTML handout to ``target`` atomically."""

    def inline_image(src: str) -> str:
        return data_uri(resolver.resolve(src, resolver.root, suffixes=IMAGE_SUFFIXES,
                                         max_bytes=MAX_IMAGE_BYTES))

    write_text_atomic(target, render_handout_html(edition, "screen", inline_image, resolver))
    return None


def write_handout_pdf(edition: AssembledEdition, resolver: ProjectResolver,
                      target: Path) -> int:
    """Write the PDF handout to ``target`` atomically; its page count."""
    from trainkit.writers.pdf.single import html_to_pdf

    html = render_handout_html(edition, "print", lambda src: ASSET_SCHEME + src, resolver)
    return html_to_pdf(html, resolver, target)
