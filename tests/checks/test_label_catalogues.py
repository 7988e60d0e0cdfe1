"""Any language, not three: project label catalogues, located errors, CLDR dates, slugs."""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

from trainkit.assembly.edition import assemble
from trainkit.checks.validate import validate_project
from trainkit.commands.build import BuildOptions, build_edition
from trainkit.diagnostics import Diagnostic, Severity
from trainkit.labels import ENGLISH, format_date, format_days, language_name
from trainkit.model.edition import EditionRequest
from trainkit.text import ascii_slug, audience_list, manual_slug
from trainkit.writers.html.render import render_html

SPANISH = {"contents": "Índice", "module": "Módulo", "case-study": "Estudio de caso",
           "trainer-note": "Nota para el formador", "date": "Fecha", "region": "Región",
           "fallback-notice": "Este módulo aún no está disponible en {language}; sigue el "
                              "texto en {source}.",
           "fallback-mark": "en {source}"}


def _spanish(tour: Path) -> None:
    manifest = tour / "trainkit.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "languages: [fr]", "languages: [fr, es]"), encoding="utf-8")
    region = tour / "regions" / "coastal.yaml"
    region.write_text(region.read_text(encoding="utf-8").replace(
        "languages: [en, fr]", "languages: [en, fr, es]"), encoding="utf-8")


def _errors(root: Path) -> list[Diagnostic]:
    """The errors (the tour's glossary has no Spanish, a warning)."""
    return [d for d in validate_project(root, use_cache=False).diagnostics
            if d.level is Severity.ERROR]


def _findings(root: Path) -> list[tuple[str, int, int, str]]:
    return [(d.path, d.line, d.column, d.code)
            for d in validate_project(root, use_cache=False).diagnostics]


def test_a_language_without_a_catalogue_is_a_located_error(tour: Path) -> None:
    _spanish(tour)
    found = _errors(tour)
    assert [(d.path, d.line, d.column, d.code) for d in found] == [
        ("trainkit.yaml", 7, 17, "TK608")]
    assert "`es`" in found[0].message and "labels/es.yaml" in (found[0].hint or "")


def test_a_project_catalogue_gives_spanish_labels_and_dates(tour: Path) -> None:
    _spanish(tour)
    (tour / "labels").mkdir()
    words = {**ENGLISH, **SPANISH}
    (tour / "labels" / "es.yaml").write_text(yaml.safe_dump(words, allow_unicode=True),
                                             encoding="utf-8")
    validation = validate_project(tour, use_cache=False)
    assert validation.ok and [d.code for d in validation.diagnostics] == ["TK607"]
    edition = assemble(validation.valid(), EditionRequest("coastal", "trainer", language="es"),
                       today=datetime.date(2026, 12, 4))
    assert edition.labels["contents"] == "Índice"
    html = render_html(edition, "screen", lambda src: src)
    assert "Índice" in html and "4 de diciembre de 2026" in html
    assert "Este módulo aún no está disponible en español; sigue el texto en inglés." in html
    assert "Contents" not in html
    result = build_edition(tour, BuildOptions(region="coastal", language="es",
                                              formats=("html",), out_dir=tour / "out"))
    assert result.ok and result.files[0].path.name == "feature-tour-coastal-trainer-es.html"


def test_a_missing_key_is_located_in_the_catalogue(tour: Path) -> None:
    _spanish(tour)
    (tour / "labels").mkdir()
    words = {key: value for key, value in {**ENGLISH, **SPANISH}.items() if key != "answer"}
    (tour / "labels" / "es.yaml").write_text(yaml.safe_dump(words, allow_unicode=True),
                                             encoding="utf-8")
    found = _errors(tour)
    assert [(d.path, d.line, d.column, d.code) for d in found] == [
        ("labels/es.yaml", 1, 1, "TK202")]
    assert "`answer`" in found[0].message


def test_a_catalogue_may_override_some_of_trainkits_words(tour: Path) -> None:
    (tour / "labels").mkdir()
    (tour / "labels" / "fr.yaml").write_text("contents: Sommaire\nanswr: Réponse\n",
                                             encoding="utf-8")
    assert [f[3] for f in _findings(tour)] == ["TK201"]
    (tour / "labels" / "fr.yaml").write_text("contents: Sommaire\n", encoding="utf-8")
    validation = validate_project(tour, use_cache=False)
    assert validation.ok
    edition = assemble(validation.valid(), EditionRequest("coastal", "trainer", language="fr"))
    assert edition.labels["contents"] == "Sommaire"
    assert edition.labels["answer"] == "Réponse"


def test_dates_and_plurals_come_from_cldr() -> None:
    day = datetime.date(2026, 12, 4)
    assert format_date(day, "fr") == "4 décembre 2026"
    assert format_date(day, "ar") == "4 ديسمبر 2026"
    assert format_date(day, "ar", "eastern") == "٤ ديسمبر ٢٠٢٦"
    assert format_date(day, "es") == "4 de diciembre de 2026"
    assert format_days(1, "en") == "1\u00a0day" and format_days(3, "en") == "3\u00a0days"
    assert format_days(3, "ar", "eastern") == "٣\u00a0أيام"
    assert language_name("en", "ar") == "الإنجليزية"


def test_file_names_are_ascii() -> None:
    assert ascii_slug("Enquêtes et poursuites : l'œuvre") == "enquetes-et-poursuites-l-oeuvre"
    assert ascii_slug("Straße über Łódź") == "strasse-uber-lodz"
    assert manual_slug(None, "التحقيق في جرائم تهريب المهاجرين") == "manual"
    assert manual_slug("my-slug", "التحقيق") == "my-slug"


def test_arabic_edition_file_name_follows_the_source_title(tour: Path) -> None:
    manifest = tour / "trainkit.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("slug: feature-tour\n", ""),
                        encoding="utf-8")
    validation = validate_project(tour, use_cache=False)
    edition = assemble(validation.valid(), EditionRequest("coastal", "trainer", language="fr"))
    assert edition.manifest.title == "Visite guidée de trainkit"
    assert edition.file_stem() == "feature-tour-of-trainkit-coastal-trainer-fr"


def test_audience_lists_keep_one_capital() -> None:
    assert audience_list(["Prosecutors", "Judges", "INTERPOL officers"]) == (
        "Prosecutors, judges and INTERPOL officers")
    assert audience_list(["Procureurs", "Juges"], "fr") == "Procureurs et juges"
    assert audience_list(["القضاة", "حرس الحدود"], "ar") == "القضاة وحرس الحدود"
    assert audience_list(["القضاة", "النيابة", "حرس الحدود"], "ar") == (
        "القضاة، النيابة وحرس الحدود")


def test_the_agenda_uses_the_project_catalogue(tour: Path) -> None:
    from trainkit.assembly.agenda import AgendaSettings
    from trainkit.commands.agenda import plan_for_region

    _spanish(tour)
    (tour / "labels").mkdir()
    words = {**ENGLISH, **SPANISH, "agenda": "Programa", "teaching-time": "Tiempo de clase"}
    (tour / "labels" / "es.yaml").write_text(yaml.safe_dump(words, allow_unicode=True),
                                             encoding="utf-8")
    timetable = plan_for_region(tour, "coastal", AgendaSettings(days=1), language="es")
    assert timetable.heading().startswith("Programa: ")
    assert "1\u00a0día" in timetable.facts() and "Tiempo de clase" in timetable.facts()


def test_a_catalogue_is_an_input_of_incremental_builds(tour: Path) -> None:
    from trainkit.commands.build_record import InputDigests

    (tour / "labels").mkdir()
    (tour / "labels" / "fr.yaml").write_text("contents: Sommaire\n", encoding="utf-8")
    validation = validate_project(tour, use_cache=False)
    assert "labels/fr.yaml" in InputDigests(validation.valid()).input_files("coastal", "fr")
