"""Checks of typed questions against their module: objectives, ids and coverage.

They read each module's ``facts`` (``model.assessment.AssessmentFacts``) and front-matter:
an objective a question names must exist (TK815), question ids are unique in a module
(TK816), objective ids too (TK818), and, in a project with any typed question, every
objective is assessed by a question, exercise or case study (TK819, a warning).
"""

from __future__ import annotations

from collections.abc import Iterator

from trainkit.diagnostics import Diagnostic
from trainkit.loading.module_file import ModuleSource
from trainkit.loading.project import Project
from trainkit.model import assessment as a


def check_assessment(project: Project) -> Iterator[Diagnostic]:
    """Every finding about the typed questions of the project's modules."""
    modules = [m for _, m in sorted(project.modules.items()) if m.meta is not None]
    typed = any(_facts(m).typed for m in modules)
    for module in modules:
        yield from _check_objective_ids(module)
        yield from _check_references(module)
        yield from _check_question_ids(module)
        if typed:
            yield from _check_coverage(module)


def _facts(module: ModuleSource) -> a.AssessmentFacts:
    facts = module.facts
    return facts.assessment if facts is not None and facts.assessment else a.AssessmentFacts()


def _check_objective_ids(module: ModuleSource) -> Iterator[Diagnostic]:
    assert module.meta is not None
    seen: set[str] = set()
    for index, key in enumerate(module.meta.objective_ids):
        if key is None:
            continue
        if key in seen:
            pos = module.position("learning_objectives", index, "id")
            yield Diagnostic(module.path, pos.line, pos.column, "TK818",
                             f"learning objective id `{key}` is given twice",
                             "give each objective of the module its own id")
        seen.add(key)


def _check_references(module: ModuleSource) -> Iterator[Diagnostic]:
    assert module.meta is not None
    ids = module.meta.objective_ids
    for item in _facts(module).items:
        for ref in item.objectives:
            if a.objective_key(ref.reference, ids) is None:
                yield Diagnostic(module.path, ref.line, ref.column, "TK815",
                                 f"objective `{ref.reference}` does not exist in module "
                                 f"`{module.meta.id}`", _objectives_hint(ids))


def _objectives_hint(ids: list[str | None]) -> str:
    count = len(ids)
    numbers = "1" if count == 1 else f"1-{count}"
    named = [key for key in ids if key]
    words = f"; or an id: {', '.join(named)}" if named else ""
    return (f"the module has {count} learning objective{'s' if count != 1 else ''}: "
            f"name one by its number ({numbers}){words}")


def _check_question_ids(module: ModuleSource) -> Iterator[Diagnostic]:
    assert module.meta is not None
    first: dict[str, int] = {}
    for item in _facts(module).items:
        if item.kind != "question":
            continue
        key = item.id or a.default_id(module.meta.id, item.ordinal)
        if key in first:
            yield Diagnostic(module.path, item.line, item.column, "TK816",
                             f"question id `{key}` is used twice in the module",
                             f"the first question with it is on line {first[key]}; "
                             "give each question its own `id=`")
        else:
            first[key] = item.line


def covered_keys(module: ModuleSource) -> set[str]:
    """The keys of the objectives that some question, exercise or case study names."""
    assert module.meta is not None
    ids = module.meta.objective_ids
    keys = (a.objective_key(ref.reference, ids)
            for item in _facts(module).items for ref in item.objectives)
    return {key for key in keys if key is not None}


def _check_coverage(module: ModuleSource) -> Iterator[Diagnostic]:
    assert module.meta is not None
    covered = covered_keys(module)
    keys = a.objective_keys(module.meta.objective_ids)
    for index, (key, text) in enumerate(zip(keys, module.meta.objective_texts, strict=True)):
        if key in covered:
            continue
        pos = module.position("learning_objectives", index)
        yield Diagnostic(module.path, pos.line, pos.column, "TK819",
                         f"objective {index + 1} (\"{_short(text)}\") is assessed by "
                         "no question, exercise or case study",
                         f"add `objectives={key}` to a question, exercise or case study of "
                         f"module `{module.meta.id}`")


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
