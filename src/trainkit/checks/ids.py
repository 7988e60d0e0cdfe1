"""Module ids as the checks across files see them, whether a front-matter has errors or not.

A module whose front-matter has errors still has the id it gives validly
(``ModuleSource.meta_facts``). One whose id itself is missing or invalid has none, but
the ids it was probably meant to have are known: a reference to one of those (a
prerequisite, a translation, a region profile's ``after:``) only repeats the finding
about the id, so it is not reported again.
"""

from __future__ import annotations

from trainkit.loading.module_file import ModuleSource
from trainkit.loading.project import Project


def module_ids(project: Project) -> dict[str, ModuleSource]:
    """The (first) module with each id, front-matter errors or not."""
    ids: dict[str, ModuleSource] = {}
    for module in project.modules.values():
        module_id = module.meta_facts.id
        if module_id is not None:
            ids.setdefault(module_id, module)
    return ids


def meant_ids(project: Project) -> frozenset[str]:
    """The ids that modules with an unusable id were probably meant to have."""
    meant: set[str] = set()
    for module in project.modules.values():
        meant |= module.meta_facts.meant_ids
    return frozenset(meant)
