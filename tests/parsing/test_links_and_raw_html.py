"""Issue 12, item 11: link schemes ignore case; raw HTML keeps CommonMark's grammar.

Schemes are case-insensitive in CommonMark (and in URLs), so ``HTTPS://`` and
``MAILTO:`` are the allowed schemes, while ``JavaScript:`` stays refused in any case.
Raw HTML is never interpreted: what CommonMark recognises as an HTML tag, comment,
processing instruction, declaration or CDATA section prints as the characters the author
typed (with a TK508 warning); anything else is Markdown text, backslash escapes and
emphasis included, exactly as a CommonMark renderer would print it.
"""

from __future__ import annotations

import time

import pytest

from conftest import ADDED, LAW, ProjectDir, law_body
from trainkit.model import document as d
from trainkit.diagnostics import Severity
from trainkit.parsing.builder import parse_body


def body_nodes(project: ProjectDir) -> list[object]:
    module = project.validation().project.modules[LAW]
    assert module.body is not None
    return d.walk(module.body.blocks)


def printed(markdown: str) -> str:
    """The text trainkit prints for a one-paragraph ``markdown``."""
    parsed = parse_body(markdown + "\n", path="m.md", first_line=1)
    assert len(parsed.body.blocks) == 1
    block = parsed.body.blocks[0]
    assert isinstance(block, d.Paragraph)
    return d.plain_text(block.children)


def commonmark_printed(markdown: str) -> str:
    """What CommonMark prints for ``markdown`` when its raw HTML is shown as text.

    markdown-it with HTML on: inline HTML tokens are the raw HTML CommonMark recognises;
    their content, with the text and code around them, is what a reader sees.
    """
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", {"html": True}).parseInline(markdown)
    children = tokens[0].children or []
    return "".join(token.content for token in children
                   if token.type in ("text", "html_inline", "code_inline"))


# -- link schemes -----------------------------------------------------------------------------


@pytest.mark.parametrize("target", [
    "HTTPS://example.org/a", "Https://example.org", "HTTP://example.org",
    "MAILTO:trainer@example.org", "Mailto:trainer@example.org",
])
def test_schemes_ignore_case(project: ProjectDir, target: str) -> None:
    project.write(LAW, law_body(f"See [here]({target}).\n"))
    assert project.validate() == []
    assert [n.target for n in body_nodes(project) if isinstance(n, d.Link)] == [target]


def test_autolinks_ignore_case(project: ProjectDir) -> None:
    project.write(LAW, law_body("See <HTTPS://example.org/a> or <MAILTO:x@example.org>.\n"))
    assert project.validate() == []
    assert [n.target for n in body_nodes(project) if isinstance(n, d.Link)] == [
        "HTTPS://example.org/a", "MAILTO:x@example.org"]


@pytest.mark.parametrize(("link", "scheme"), [
    ("[click](JavaScript:alert(1))", "JavaScript"),
    ("[click](JAVASCRIPT:alert(1))", "JAVASCRIPT"),
    ("[click](jAvAsCrIpT:alert(1))", "jAvAsCrIpT"),
    ("[file](FILE:///etc/passwd)", "FILE"),
    ("[data](Data:text/html,x)", "Data"),
    ("<JavaScript:alert(1)>", "JavaScript"),
])
def test_refused_schemes_stay_refused_in_any_case(
        project: ProjectDir, link: str, scheme: str) -> None:
    project.write(LAW, law_body(f"Do not {link} now.\n"))
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code, f.message) for f in found] == [
        (LAW, ADDED, 8, "TK506", f"links to `{scheme}:` addresses are not allowed")]
    assert not [n for n in body_nodes(project) if isinstance(n, (d.Link, d.ModuleLink))]


# -- raw HTML keeps CommonMark's grammar --------------------------------------------------------


def test_a_quote_escaped_in_an_attribute_is_not_a_tag(project: ProjectDir) -> None:
    r"""``<a href="\"">`` is no HTML tag in CommonMark: ``\"`` is a Markdown escape."""
    project.write(LAW, law_body('Look: <a href="\\"">x</a> end.\n'))
    assert project.validate() == []  # `</a>` alone is a closing tag: never reported
    paragraph = [n for n in body_nodes(project) if isinstance(n, d.Paragraph)][-1]
    assert d.plain_text(paragraph.children) == 'Look: <a href=""">x</a> end.'


@pytest.mark.parametrize(("markdown", "tag"), [
    pytest.param('A <a title="x>y">z.', '<a title="x>y">', id="gt-in-quotes"),
    pytest.param("A <a title='<b>'>z.", "<a title='<b>'>", id="lt-in-quotes"),
    pytest.param('A <a title="*x* \\*">z.', '<a title="*x* \\*">', id="markdown-in-quotes"),
    pytest.param("A <!-- *x* \\* --> z.", "<!-- *x* \\* -->", id="comment"),
    pytest.param("A <!--> z.", "<!-->", id="empty-comment"),
    pytest.param("A <!-- a ---> z.", "<!-- a --->", id="comment-dashes"),
    pytest.param("A <?php echo '*x*'; ?> z.", "<?php echo '*x*'; ?>", id="processing"),
    pytest.param("A <!DOCTYPE html> z.", "<!DOCTYPE html>", id="declaration"),
    pytest.param("A <![CDATA[ *x* ]]> z.", "<![CDATA[ *x* ]]>", id="cdata"),
    pytest.param("A <br/> z.", "<br/>", id="self-closing"),
    pytest.param("A <a\nhref='x'> z.", "<a\nhref='x'>", id="across-lines"),
])
def test_raw_html_prints_the_source_characters(
        project: ProjectDir, markdown: str, tag: str) -> None:
    project.write(LAW, law_body(markdown + "\n"))
    found = project.validate()
    assert [(f.path, f.line, f.column, f.code) for f in found] == [(LAW, ADDED, 3, "TK508")]
    assert found[0].level is Severity.WARNING
    shown = tag if len(tag) <= 40 else tag[:39] + "…"
    assert found[0].message == f"raw HTML `{shown}` is printed as text, not interpreted"
    assert tag in printed(markdown)
    assert printed(markdown) == commonmark_printed(markdown)


@pytest.mark.parametrize("markdown", [
    pytest.param('<a href="\\"">x</a>', id="escaped-quote"),
    pytest.param("<a title='x' *y*>", id="bad-attribute-name"),
    pytest.param("<a b=c=d>", id="bad-unquoted-value"),
    pytest.param("<a href='x'y>", id="no-space-between-attributes"),
    pytest.param("<!-- never closed *x*", id="unclosed-comment"),
    pytest.param("<? never closed", id="unclosed-processing"),
    pytest.param("<![CDATA[ never closed", id="unclosed-cdata"),
    pytest.param("<!doc never closed", id="unclosed-declaration"),
    pytest.param("<1a> <a", id="not-a-tag-name"),
    pytest.param("a < b > c", id="comparison"),
    pytest.param("<a_b> \\<b>", id="underscore-in-name"),
])
def test_what_is_not_html_is_markdown(project: ProjectDir, markdown: str) -> None:
    project.write(LAW, law_body(markdown + "\n"))
    assert [f.code for f in project.validate()] == []
    assert printed(markdown) == commonmark_printed(markdown)


@pytest.mark.parametrize("markdown", [
    "Before <b>bold</b> and <i>it</i>.",
    "Mixed <span class=\"x\" data-a='1' hidden>t</span> and `<code>`.",
    "**<em>strong</em>** and _<u>x</u>_",
    "[link <b>text</b>](https://example.org) and [<i>](#x)",
    "<a href=\"x\">[not a link]</a>",
    "Entities &lt;b&gt; and <b>&amp;</b>",
])
def test_printed_text_equals_commonmark(markdown: str) -> None:
    assert printed(markdown) == commonmark_printed(markdown)


@pytest.mark.parametrize("markdown", [
    pytest.param("<!-- x " * 20_000, id="comments"),
    pytest.param("<? x " * 20_000, id="processing"),
    pytest.param("<![CDATA[ x " * 20_000, id="cdata"),
    pytest.param("<!X y " * 20_000, id="declarations"),
    pytest.param('<a x="' * 20_000, id="open-quotes"),
    pytest.param("<a b " * 20_000, id="attributes"),
    pytest.param("[<!-- " * 10_000 + "]", id="in-link-labels"),
])
def test_unclosed_html_openers_take_linear_time(markdown: str) -> None:
    started = time.perf_counter()
    text = printed(markdown)
    assert time.perf_counter() - started < 20  # seconds: a hang guard on a shared machine
    assert len(text) > len(markdown) // 2
