"""Typography by language: one pass on the document model (``assembly/typography.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainkit.assembly.edition import assemble
from trainkit.assembly.typography import Typography, typeset_text
from trainkit.checks.validate import validate_project
from trainkit.labels import module_title, numbered, titled
from trainkit.model import document as d
from trainkit.model.edition import EditionRequest
from trainkit.text import audience_list

NBSP, NNBSP = "\u00a0", "\u202f"
REPOSITORY = Path(__file__).resolve().parents[2]


def en(text: str) -> str:
    return typeset_text(text, "en")


def fr(text: str) -> str:
    return typeset_text(text, "fr")


# -- English ---------------------------------------------------------------------------


def test_english_quotes_and_apostrophes() -> None:
    assert en('He said "stop" and left.') == "He said \u201cstop\u201d and left."
    assert en("the 'safe' route") == "the \u2018safe\u2019 route"
    assert en("the smugglers' boat, it's late") == "the smugglers\u2019 boat, it\u2019s late"
    assert en("in the '90s") == "in the \u201990s"
    assert en('("quoted")') == "(\u201cquoted\u201d)"


def test_english_dashes() -> None:
    assert en("pages 10--12") == "pages 10\u201312"
    assert en("a pause---then") == "a pause\u2014then"
    assert en("first - then") == "first \u2013 then"
    assert en("well-founded fear") == "well-founded fear"


@pytest.mark.parametrize("text, expected", [
    ("under art. 5 of", f"under art.{NBSP}5 of"),
    ("(art. 5) and \u00abModule 2\u00bb", f"(art.{NBSP}5) and \u00abModule{NBSP}2\u00bb"),
    ("Article 3(a) defines", f"Article{NBSP}3(a) defines"),
    ("see Module 7 and Modules 8", f"see Module{NBSP}7 and Modules{NBSP}8"),
    ("38 h 30 min of teaching", f"38{NBSP}h{NBSP}30{NBSP}min of teaching"),
    ("a 12 km stretch", f"a 12{NBSP}km stretch"),
    ("Part II of the Convention", f"Part{NBSP}II of the Convention"),
    ("paragraph 2 and Recommendation 30", f"paragraph{NBSP}2 and Recommendation{NBSP}30"),
])
def test_no_line_break_between_a_word_and_its_number(text: str, expected: str) -> None:
    assert en(text) == expected


def test_words_that_only_end_like_a_label_keep_their_space() -> None:
    assert en("the Smart 5 device") == "the Smart 5 device"
    assert en("submodule 3") == "submodule 3"


def test_addresses_are_left_as_written() -> None:
    text = "see https://example.org/a--b?x='y' or www.unodc.org/--x and a.b@example.org"
    assert en(text + " -- done") == text + " \u2013 done"


# -- French ----------------------------------------------------------------------------


def test_french_quotes_are_guillemets_with_narrow_no_break_spaces() -> None:
    assert fr('il a dit "non" hier') == f"il a dit \u00ab{NNBSP}non{NNBSP}\u00bb hier"
    assert fr("\u00ab non \u00bb") == f"\u00ab{NNBSP}non{NNBSP}\u00bb"  # typed spaces replaced
    assert fr('"un "mot" cité"') == (f"\u00ab{NNBSP}un \u201cmot\u201d cité{NNBSP}\u00bb")
    assert fr("l'article et aujourd'hui") == "l\u2019article et aujourd\u2019hui"


def test_french_spaces_before_high_punctuation() -> None:
    # Imprimerie nationale: U+00A0 before the colon, U+202F before ; ! ?
    assert fr("Définition: voir") == f"Définition{NBSP}: voir"
    assert fr("Définition : voir") == f"Définition{NBSP}: voir"
    assert fr("Vraiment? Oui! Enfin; bon") == (
        f"Vraiment{NNBSP}? Oui{NNBSP}! Enfin{NNBSP}; bon")
    assert fr("Quoi?!") == f"Quoi{NNBSP}?!"


def test_french_times_addresses_and_ratios_keep_their_colons() -> None:
    assert fr("à 10:30 précises") == "à 10:30 précises"
    assert fr("https://example.org:8080/a?b=c") == "https://example.org:8080/a?b=c"
    assert fr("art. 5 du Protocole") == f"art.{NBSP}5 du Protocole"


def test_french_paragraph_references_keep_their_number() -> None:
    """"par." is how French legal style writes "paragraph": "art. 12, par. 2"."""
    assert fr("l'art. 12, par. 2, et la loi") == (
        f"l\u2019art.{NBSP}12, par.{NBSP}2, et la loi")  # an elided article too


# -- Arabic and others ------------------------------------------------------------------


def test_arabic_quotes_are_guillemets_without_spaces() -> None:
    assert typeset_text('قال "نعم" ثم', "ar") == "قال \u00abنعم\u00bb ثم"
    assert typeset_text("المادة 5 من البروتوكول", "ar") == f"المادة{NBSP}5 من البروتوكول"


def test_a_language_without_rules_is_left_as_written() -> None:
    assert typeset_text('"Anführung" -- Artikel 5', "de") == '"Anführung" -- Artikel 5'


# -- the document model ------------------------------------------------------------------


def paragraph(*children: d.Inline) -> tuple[d.Block, ...]:
    return (d.Paragraph(tuple(children)),)


def test_quotes_pair_across_emphasis_and_links() -> None:
    blocks = Typography("en").blocks(paragraph(
        d.Text('a "'), d.Emph((d.Text("word"),)), d.Text('" and '),
        d.Link("https://example.org/it's", (d.Text("it's"),)), d.Text(".")))
    assert blocks == paragraph(
        d.Text("a \u201c"), d.Emph((d.Text("word"),)), d.Text("\u201d and "),
        d.Link("https://example.org/it's", (d.Text("it\u2019s"),)), d.Text("."))


def test_code_variables_and_code_blocks_are_never_touched() -> None:
    blocks = (*paragraph(d.Text("Run "), d.Code('say "hi" -- now'), d.Text(" and "),
                         d.Variable("region.name"), d.Text("'s office: art. 5")),
              d.CodeBlock('x = "y" -- z\n'))
    typeset = Typography("fr").blocks(blocks)
    assert typeset == (*paragraph(d.Text("Run "), d.Code('say "hi" -- now'), d.Text(" and "),
                                  d.Variable("region.name"),
                                  d.Text(f"\u2019s office{NBSP}: art.{NBSP}5")),
                       d.CodeBlock('x = "y" -- z\n'))


def test_a_colon_after_emphasis_gets_its_space_in_the_following_text() -> None:
    blocks = Typography("fr").blocks(paragraph(d.Strong((d.Text("Note"),)), d.Text(": lire")))
    assert blocks == paragraph(d.Strong((d.Text("Note"),)), d.Text(f"{NBSP}: lire"))


def test_block_titles_headings_cells_and_footnotes_are_typeset() -> None:
    note = d.Footnote("1", paragraph(d.Text('"cited"')))
    blocks = Typography("en").blocks((
        d.Heading(2, (d.Text("The 'safe' route"),), "the-safe-route"),
        d.NamedBlock("case-study", 'Operation "Dune"', paragraph(d.Text("it's"), note)),
        d.Table(((d.Text("art. 5"),),), (((d.Text("--"),),),), ("",)),
    ))
    heading, block, table = blocks
    assert isinstance(heading, d.Heading) and heading.anchor == "the-safe-route"
    assert heading.children == (d.Text("The \u2018safe\u2019 route"),)
    assert isinstance(block, d.NamedBlock) and block.title == "Operation \u201cDune\u201d"
    assert block.blocks == paragraph(
        d.Text("it\u2019s"), d.Footnote("1", paragraph(d.Text("\u201ccited\u201d"))))
    assert isinstance(table, d.Table)
    assert table.header == ((d.Text(f"art.{NBSP}5"),),) and table.rows == (((d.Text("\u2013"),),),)


# -- trainkit's own words ----------------------------------------------------------------


def test_labels_keep_their_number_and_french_colons() -> None:
    assert numbered("Module", 7) == f"Module{NBSP}7"
    assert module_title("en", 1, "Introduction") == f"Module{NBSP}1: Introduction"
    assert module_title("fr", 1, "Introduction") == f"Module{NBSP}1{NBSP}: Introduction"
    assert titled(numbered("Étude de cas", "1.1"), "Opération Dune", "fr") == (
        f"Étude de cas{NBSP}1.1{NBSP}: Opération Dune")
    assert module_title("ar", 2, "الإطار") == f"الوحدة{NBSP}2: الإطار"


def test_audience_lists_are_not_capitalised_mid_sentence() -> None:
    assert audience_list(["Prosecutors", "Judges", "Coast guards"], "en") == (
        "Prosecutors, judges and coast guards")
    assert audience_list(["Law enforcement officers", "INTERPOL liaison officers",
                          "Prosecutors"], "en") == (
        "Law enforcement officers, INTERPOL liaison officers and prosecutors")
    assert audience_list(["Procureurs", "Juges"], "fr") == "Procureurs et juges"
    assert audience_list(["Richter", "Staatsanwälte"], "de") == "Richter and Staatsanwälte"
    assert audience_list([], "en") == ""


def test_the_french_edition_of_the_shipped_manual_is_typeset() -> None:
    valid = validate_project(REPOSITORY).valid()
    edition = assemble(valid, EditionRequest("north-africa", "trainer", language="fr"))
    texts = [n.text for m in edition.modules for n in d.walk(m.blocks) if isinstance(n, d.Text)]
    body = "\n".join(texts)
    assert "'" not in body  # every apostrophe of the French text is curly
    assert " :" not in body and " ;" not in body  # no breaking space before : or ;
    # In the French modules (a module without a translation keeps its English typography).
    refs = [d.plain_text(n.children) for m in edition.modules for n in d.walk(m.blocks)
            if isinstance(n, d.CrossRef) and n.included and m.language == "fr"]
    assert refs and all(f"{NBSP}: " in ref for ref in refs if ref.startswith("Module"))
    definitions = [entry.definition for entry in edition.glossary]
    assert any(f"art.{NBSP}3" in text for text in definitions)
    first = edition.modules[0]
    assert edition.audiences_of(first) == (
        "Agents des services de détection et de répression, procureurs, juges, "
        "garde-frontières, agents de l\u2019immigration, garde-côtes et agents maritimes et "
        "organisations de la société civile")
