"""``trainkit handout``: what a handout shows, what it never shows, names and errors.

The content rules are asserted on the files' text: HTML read with lxml, DOCX with
python-docx, PDF with pypdf (the PDF tests are marked slow).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from typer.testing import CliRunner

from trainkit.model import document as d
from trainkit.cli.app import app
from trainkit.commands.handout import HandoutOptions, build_handouts
from trainkit.assembly.handout import handout_blocks
from trainkit.labels import ENGLISH
from trainkit.checks.validate import validate_project

REPOSITORY = Path(__file__).resolve().parents[2]
TOUR = REPOSITORY / "examples" / "feature-tour"
runner = CliRunner()

#: Appended to the tour's first module: blocks that use variables and conditions.
EXTRA_BLOCKS = """
:::: exercise Mapping the sea
Mark the patrol areas of {{ region.name }} on the map.

::: only region=coastal
Coastal groups also mark the ports.
:::

::: only region=inland
Inland groups also mark the river crossings.
:::

::: only edition=trainer
Trainer-only variant: hand out the answer sheet afterwards.
:::
::::

:::: trainer-note
::: case-study A case hidden inside a trainer note (fictional)
Nobody but the trainer reads this case.
:::
::::
"""

NEVER = [
    "Allow ten minutes",                        # trainer note
    "This note is nested inside the case study",  # trainer note nested in a case study
    "Article 3(a)",                             # answer
    "Trainer note", "Answer",                   # their labels
    "Trainer-only variant",                     # only edition=trainer
    "Nobody but the trainer reads this case",   # a case study inside a trainer note
    "Inland groups also mark",                  # only region=inland, built for coastal
    "Paragraphs hold",                          # body prose is not in a handout
]
ALWAYS = [
    "Everything a module can hold",             # title
    "A tour of the Markdown, the named blocks",  # summary
    "Recognise each named block in print.",     # learning objectives
    "Smuggling needs a border crossing",        # key points
    "The night crossing (fictional)",           # case study
    "Sorting the facts",                        # exercise
    "Which article of the Protocol defines",    # question, without its answer
    "Exercise 1.2: Mapping the sea",            # numbered as in the manual
    "Mark the patrol areas of Coastal States",  # a variable in a block
    "Coastal groups also mark the ports.",      # only region=coastal
    "My notes",                                 # the notes area
]


@pytest.fixture()
def tour(tmp_path: Path) -> Path:
    shutil.copytree(TOUR, tmp_path / "tour")
    first = tmp_path / "tour" / "modules" / "first.md"
    text = first.read_text(encoding="utf-8")
    marker = "## Conditional blocks"
    first.write_text(text.replace(marker, EXTRA_BLOCKS.lstrip() + "\n" + marker),
                     encoding="utf-8")
    return tmp_path / "tour"


def _squash(text: str) -> str:
    """Text without whitespace, so line breaks in a PDF do not matter."""
    return re.sub(r"\s+", "", text)


def _check_content(text: str) -> None:
    squashed = _squash(text)
    for hidden in NEVER:
        assert _squash(hidden) not in squashed, hidden
    for shown in ALWAYS:
        assert _squash(shown) in squashed, shown


def _handout(tour: Path, fmt: str, *modules: str, region: str = "coastal") -> Path:
    out = tour / "out"
    result = runner.invoke(app, ["handout", str(tour), *modules, "--region", region,
                                 "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_html_handout_shows_participant_blocks_only(tour: Path) -> None:
    out = _handout(tour, "html", "first")
    path = out / "feature-tour-coastal-handout-first.html"
    page = lxml.html.fromstring(path.read_bytes())
    _check_content(page.text_content())
    assert page.findtext(".//title") == (
        "Feature Tour of trainkit: Module\u00a01: Everything a module can hold "
        "(Participant handout)")
    kinds = [el.get("class").split()[1] for el in page.xpath("//main//*[contains("
             "concat(' ', @class, ' '), ' block ')] | //article//*[contains(concat(' ', "
             "@class, ' '), ' block ')]")]
    assert kinds[0] == "key-points"
    assert set(kinds) == {"key-points", "case-study", "exercise", "question"}
    assert len(page.xpath("//div[@class='note-line']")) >= 8
    assert page.xpath("//a[@class='xref']") == []  # references' targets are not in it


def test_docx_handout_shows_participant_blocks_only(tour: Path) -> None:
    import docx

    out = _handout(tour, "docx", "first")
    document = docx.Document(str(out / "feature-tour-coastal-handout-first.docx"))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows
              for cell in row.cells]
    properties = document.core_properties
    parts += [properties.title or "", properties.subject or "", properties.keywords or ""]
    _check_content("\n".join(parts))
    # One module, compact: no cover, contents, part page or back matter.
    assert len(document.sections) == 1
    body = "\n".join(p.text for p in document.paragraphs)
    for absent in ("Contents", "Index of legal instruments", "Module durations", "Glossary"):
        assert absent not in body
    assert document.sections[0].header.paragraphs[0].text == "Participant handout"


def test_inland_handout_keeps_inland_blocks(tour: Path) -> None:
    out = _handout(tour, "html", "first", region="inland")
    text = lxml.html.fromstring(
        (out / "feature-tour-inland-handout-first.html").read_bytes()).text_content()
    assert "Inland groups also mark the river crossings." in text
    assert "Coastal groups" not in text
    assert "Mark the patrol areas of Inland States" in text


def test_all_writes_one_handout_per_module_of_the_region(tour: Path) -> None:
    result = runner.invoke(app, ["handout", str(tour), "--all", "-r", "coastal",
                                 "-f", "html", "-o", str(tour / "out"), "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tour / "out").iterdir()) == [
        "feature-tour-coastal-handout-coastal-extra.html",
        "feature-tour-coastal-handout-first.html",
        "feature-tour-coastal-handout-second.html",
    ]


def test_manifest_without_a_participant_edition_still_hides(tour: Path) -> None:
    manifest = tour / "trainkit.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "    hide: [trainer-note, answer]\n", ""), encoding="utf-8")
    result = build_handouts(tour, HandoutOptions(modules=("first",), region="coastal",
                                                 formats=("html",), out_dir=tour / "out"))
    assert result.ok
    text = lxml.html.fromstring(result.files[0].path.read_bytes()).text_content()
    for hidden in ("Allow ten minutes", "Article 3(a)", "nested inside the case study"):
        assert hidden not in text


def test_handout_blocks_order_and_nesting() -> None:
    def named(kind: d.BlockKind, line: int, *inner: d.Block) -> d.NamedBlock:
        return d.NamedBlock(kind, kind, (d.Paragraph((d.Text(f"{kind} {line}"),)), *inner),
                            line)

    blocks = (
        d.Paragraph((d.Text("prose"),)),
        named("exercise", 3, named("trainer-note", 4)),
        named("question", 5), named("answer", 6),
        d.BlockQuote((named("case-study", 7),)),
        named("trainer-note", 8, named("case-study", 9)),
        named("key-points", 10),
    )
    shown = handout_blocks(blocks, ENGLISH)
    assert [(type(b).__name__, getattr(b, "kind", "")) for b in shown] == [
        ("NamedBlock", "key-points"), ("NamedBlock", "exercise"),
        ("NamedBlock", "case-study"), ("Heading", ""), ("NamedBlock", "question")]
    exercise = shown[1]
    assert isinstance(exercise, d.NamedBlock) and len(exercise.blocks) == 1


@pytest.mark.parametrize("args, message", [
    (["frist"], "unknown module `frist`; did you mean `first`?"),
    (["second"], "module `second` is not in the inland edition"),
    ([], "name the modules to make handouts of"),
    (["first", "--region", "atlantis"], "unknown region `atlantis`"),
])
def test_handout_usage_errors_exit_2(tour: Path, args: list[str], message: str) -> None:
    region = [] if "--region" in args else ["--region", "inland"]
    result = runner.invoke(app, ["handout", str(tour), *args, *region, "-f", "html"])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())


def test_handout_of_a_project_with_errors_exits_1(tour: Path) -> None:
    first = tour / "modules" / "first.md"
    first.write_text(first.read_text(encoding="utf-8").replace("status: approved",
                                                               "status: final"),
                     encoding="utf-8")
    result = runner.invoke(app, ["handout", str(tour), "first", "-f", "html"])
    assert result.exit_code == 1
    assert "--> modules/first.md:5:9" in result.output


@pytest.mark.slow
def test_pdf_handout_text_outline_and_metadata(tour: Path) -> None:
    from pypdf import PdfReader

    out = _handout(tour, "pdf", "first")
    reader = PdfReader(out / "feature-tour-coastal-handout-first.pdf")
    _check_content("\n".join(page.extract_text() for page in reader.pages))
    assert [item.title for item in reader.outline] == [  # type: ignore[union-attr]
        "Module\u00a01: Everything a module can hold"]
    metadata = reader.metadata
    assert metadata is not None
    assert metadata.subject == "Feature Tour of trainkit: Participant handout, Coastal States"
    assert "trainer" not in (metadata.get("/Keywords") or "")


def _hidden_and_shown_snippets(module_path: str) -> tuple[list[str], list[str]]:
    """Sentences of the module's trainer notes and answers, and of its case studies."""
    project = validate_project(REPOSITORY).project
    body = project.modules[module_path].body
    assert body is not None
    hidden: list[str] = []
    shown: list[str] = []
    for node in d.walk(body.blocks):
        if isinstance(node, d.NamedBlock) and node.kind in ("trainer-note", "answer",
                                                            "case-study"):
            texts = [d.plain_text(p.children) for p in d.walk(node.blocks)
                     if isinstance(p, d.Paragraph) and "{{" not in d.plain_text(p.children)]
            target = shown if node.kind == "case-study" else hidden
            target.extend(text[:60] for text in texts if len(text) > 30)
    return hidden, shown


@pytest.mark.slow
def test_shipped_module_handout_is_short_and_leaks_nothing(tmp_path: Path) -> None:
    from pypdf import PdfReader

    result = build_handouts(REPOSITORY, HandoutOptions(
        modules=("legal-framework",), region="north-africa", formats=("pdf",),
        out_dir=tmp_path))
    assert result.ok, result.failures
    built = result.files[0]
    assert built.path.name == "smuggling-of-migrants-north-africa-handout-legal-framework.pdf"
    assert built.pages is not None and 2 <= built.pages <= 6
    text = _squash("".join(page.extract_text() for page in PdfReader(built.path).pages))
    hidden, shown = _hidden_and_shown_snippets("modules/02-legal-framework.md")
    assert hidden and shown
    for snippet in hidden:
        assert _squash(snippet) not in text, snippet
    for snippet in shown:
        assert _squash(snippet) in text, snippet
    assert "Trainernote" not in text and "Answer" not in text
