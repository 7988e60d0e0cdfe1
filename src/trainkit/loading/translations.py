"""Translated modules: ``modules/<language>/<file>.md``, each linked to its source module.

A translation carries its own front-matter (``TranslationMeta``: the source module it
translates, the source version it follows, the translated title, summary and
objectives) and a translated body. ``as_module`` merges it with its source module's
front-matter, so an edition in that language assembles it exactly like a source module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from trainkit.diagnostics import Diagnostic
from trainkit.model.document import Body
from trainkit.loading.module_file import ModuleSource, read_text, split_front_matter
from trainkit.loading.schema_messages import validate_model
from trainkit.schemas import ModuleMeta
from trainkit.schemas.translation import TranslationMeta
from trainkit.loading.strict_yaml import Path_, Pos, load, nearest_position


@dataclass(slots=True)
class TranslationSource:
    """A translation file as loaded: its front-matter, body and own findings."""

    path: str
    language: str
    meta: TranslationMeta | None
    body: Body | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    positions: dict[Path_, Pos] = field(default_factory=dict)

    def position(self, *path: str | int) -> Pos:
        """Where a front-matter value is (nearest known ancestor)."""
        return nearest_position(self.positions, path, Pos(1, 1))

    def as_module(self, source: ModuleMeta) -> ModuleSource:
        """This translation as a module: the source's front-matter with translated text."""
        assert self.meta is not None
        meta = source.model_copy(update={
            "title": self.meta.title, "summary": self.meta.summary,
            "learning_objectives": source.with_objective_texts(
                list(self.meta.learning_objectives)),
            "keywords": self.meta.keywords or source.keywords,
        })
        return ModuleSource(self.path, meta, self.body, [], self.positions, Pos(1, 1))


def version_key(version: str) -> tuple[int, ...]:
    """``"1.10"`` -> ``(1, 10)``, so versions compare as numbers."""
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def translation_folders(root: Path, languages: list[str]) -> dict[str, Path]:
    """The translation folder of each language that has one."""
    found = {}
    for language in languages:
        folder = root / "modules" / language
        if folder.is_dir() and not folder.is_symlink():
            found[language] = folder
    return found


def load_translations(root: Path, languages: list[str]) -> list[TranslationSource]:
    """Every translation file of the given languages, in path order."""
    loaded = []
    for language, folder in sorted(translation_folders(root, languages).items()):
        for path in sorted(folder.rglob("*.md")):
            if path.is_file() and not path.name.startswith("."):
                relative = path.relative_to(root).as_posix()
                loaded.append(load_translation_file(path, relative, language))
    return loaded


def load_translation_file(path: Path, relative: str, language: str) -> TranslationSource:
    """Load one translation; problems become findings, never exceptions."""
    from trainkit.parsing.builder import parse_body

    text, findings = read_text(path, relative)
    if text is None:
        return TranslationSource(relative, language, None, None, findings)
    split = split_front_matter(text, relative)
    if isinstance(split, Diagnostic):
        return TranslationSource(relative, language, None, None, [*findings, split])
    yaml_text, body_text, body_line = split
    loaded = load(yaml_text, first_line=2)
    findings += [Diagnostic(relative, p.pos.line, p.pos.column, p.code, p.message, p.hint)
                 for p in loaded.problems]
    meta: TranslationMeta | None = None
    if not loaded.failed and isinstance(loaded.value, dict):
        instance, problems = validate_model(TranslationMeta, loaded, relative)
        findings.extend(problems)
        meta = instance if isinstance(instance, TranslationMeta) else None
    elif not loaded.failed:
        findings.append(Diagnostic(relative, 1, 1, "TK105",
                                   "the front-matter is not a mapping of keys to values",
                                   "start it with `translation_of:` and the source module id"))
    parsed = parse_body(body_text, path=relative, first_line=body_line)
    findings += parsed.diagnostics
    return TranslationSource(relative, language, meta, parsed.body, findings, loaded.value_pos)
