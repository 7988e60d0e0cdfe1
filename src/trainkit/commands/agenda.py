"""``trainkit agenda`` as a library call: a region's modules packed into days.

The packing rules live in ``trainkit.assembly.agenda`` and the printed rows in
``trainkit.assembly.timetable``; this module feeds them a validated project's modules.
"""

from __future__ import annotations

from pathlib import Path

from trainkit.assembly.agenda import AgendaModule, AgendaSettings, plan_agenda
from trainkit.assembly.edition import check_request, edition_language
from trainkit.assembly.timetable import Timetable
from trainkit.assembly.typography import typeset_manifest, typeset_text
from trainkit.checks.validate import require_valid
from trainkit.model.edition import EditionRequest
from trainkit.text import manual_slug


def plan_for_region(project_dir: Path, region: str | None,
                    settings: AgendaSettings, language: str | None = None) -> Timetable:
    """Validate the project and pack ``region``'s modules (default: the manifest's region),
    with titles and headings in ``language`` (default: the region's first language)."""
    valid = require_valid(project_dir)
    region_id = valid.region_or_default(region)
    request = EditionRequest(region_id, next(iter(valid.manifest.editions)), language=language)
    check_request(valid, request)
    chosen = edition_language(valid, request)
    manifest = typeset_manifest(valid.manifest.in_language(chosen), chosen)
    modules = [AgendaModule(p.meta.id, typeset_text(valid.project.title_in(
                                chosen, p.meta.id, p.meta.title), chosen),
                            p.meta.minutes, tuple(p.meta.prerequisites), number)
               for number, p in enumerate(valid.modules_of(region_id), start=1)]
    profile = valid.regions.get(region_id)
    local = profile.localized.get(chosen) if profile else None
    name = (local.name if local and local.name else profile.name) if profile else ""
    slug = manual_slug(valid.manifest.slug, valid.manifest.title)
    return Timetable(plan_agenda(modules, settings), manifest.title, region_id, name, chosen,
                     slug, manifest.output.page_size, valid.resolver, valid.out_dir(),
                     valid.project.label_words().get(chosen, {}), valid.manifest.language)
