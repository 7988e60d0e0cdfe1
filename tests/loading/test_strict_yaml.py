"""The strict YAML loader: plain values stay text, nothing unsafe is accepted, positions hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainkit.loading import strict_yaml as yamlsafe
from trainkit.loading.module_file import load_module_file, split_front_matter
from trainkit.loading.strict_yaml import Pos, load


def problems(text: str, **options: int) -> list[tuple[str, int, int]]:
    return [(p.code, p.pos.line, p.pos.column) for p in load(text, **options).problems]


# -- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [
    pytest.param("version: 1.10", "1.10", id="float-like"),
    pytest.param("country: NO", "NO", id="norway"),
    pytest.param("duration: 1:30", "1:30", id="sexagesimal"),
    pytest.param("draft: no", "no", id="yaml11-bool-no"),
    pytest.param("draft: yes", "yes", id="yaml11-bool-yes"),
    pytest.param("switch: on", "on", id="yaml11-bool-on"),
    pytest.param("code: 012", "012", id="octal-like"),
    pytest.param("code: 0o12", "0o12", id="yaml12-octal"),
    pytest.param("code: 0x1F", "0x1F", id="hex"),
    pytest.param("size: 1e3", "1e3", id="exponent"),
    pytest.param("size: .inf", ".inf", id="infinity"),
    pytest.param("count: 42", "42", id="integer"),
    pytest.param("date: 2024-05-01", "2024-05-01", id="date"),
    pytest.param("title: 'true'", "true", id="quoted-true"),
    pytest.param('title: "null"', "null", id="quoted-null"),
    pytest.param("title: ~text", "~text", id="tilde-prefix"),
])
def test_plain_scalars_stay_text(text: str, value: str) -> None:
    loaded = load(text + "\n")
    assert loaded.problems == []
    assert list(loaded.value.values()) == [value]


@pytest.mark.parametrize(("text", "value"), [
    ("a: true", True), ("a: True", True), ("a: TRUE", True),
    ("a: false", False), ("a: False", False), ("a: FALSE", False),
    ("a: null", None), ("a: Null", None), ("a: NULL", None), ("a: ~", None), ("a:", None),
])
def test_only_true_false_and_null_are_special(text: str, value: object) -> None:
    loaded = load(text + "\n")
    assert loaded.problems == []
    assert loaded.value == {"a": value}


def test_nested_values_and_positions() -> None:
    loaded = load("a:\n  - b: 1\n    c: [x, y]\n", first_line=5)
    assert loaded.problems == []
    assert loaded.value == {"a": [{"b": "1", "c": ["x", "y"]}]}
    assert loaded.key_pos[("a",)] == Pos(5, 1)
    assert loaded.key_pos[("a", 0, "c")] == Pos(7, 5)
    assert loaded.value_pos[("a", 0, "c", 1)] == Pos(7, 12)
    assert loaded.position(("a", 0, "c", 1)) == Pos(7, 12)
    assert loaded.position(("a", 0, "missing")) == Pos(6, 5)  # nearest known ancestor


def test_empty_document_is_none() -> None:
    loaded = load("")
    assert loaded.value is None and loaded.problems == [] and not loaded.failed


# -- refused constructs -----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message", "position"), [
    pytest.param('x: !!python/object/apply:os.system ["id"]\n',
                 "tag tag:yaml.org,2002:python/object/apply:os.system is not allowed", (1, 4),
                 id="python-apply"),
    pytest.param("x: !!python/name:os.system\n", "tag tag:yaml.org,2002:python/name:os.system",
                 (1, 4), id="python-name"),
    pytest.param("x: !custom foo\n", "tag !custom is not allowed", (1, 4), id="local-tag"),
    pytest.param("x: !!str 1\n", "tag tag:yaml.org,2002:str is not allowed", (1, 4),
                 id="even-str"),
    pytest.param("x: !!map {a: 1}\n", "tag tag:yaml.org,2002:map", (1, 4), id="on-mapping"),
    pytest.param("- !!set {a, b}\n", "tag tag:yaml.org,2002:set", (1, 3), id="on-item"),
    pytest.param("a: &a [x, x]\n", "anchor &a is not allowed", (1, 4), id="anchor"),
    pytest.param("a: *a\n", "alias *a is not allowed", (1, 4), id="alias"),
])
def test_tags_anchors_and_aliases_are_refused(
        text: str, message: str, position: tuple[int, int]) -> None:
    loaded = load(text)
    assert [(p.code, p.pos.line, p.pos.column) for p in loaded.problems] == [("TK103", *position)]
    assert message in loaded.problems[0].message
    assert loaded.failed and loaded.value is None


def test_alias_bomb_is_refused_at_the_first_anchor() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for index in range(1, 30):
        previous = chr(ord("a") + index - 1)
        current = chr(ord("a") + index) if index < 26 else f"z{index}"
        lines.append(f"{current}: &{current} [" + ", ".join([f"*{previous}"] * 9) + "]")
    loaded = load("\n".join(lines) + "\n")
    assert problems("\n".join(lines) + "\n") == [("TK103", 1, 4)]
    assert loaded.value is None


def test_500_nested_brackets_are_refused() -> None:
    text = "x: " + "[" * 500 + "]" * 500 + "\n"
    loaded = load(text)
    assert [(p.code, p.pos.line, p.pos.column) for p in loaded.problems] == [("TK106", 1, 23)]
    assert "nested more than 20 levels deep" in loaded.problems[0].message
    assert loaded.value is None


def test_500_unclosed_brackets_are_refused() -> None:
    assert problems("x: " + "[" * 500) == [("TK106", 1, 23)]


def test_nesting_up_to_the_limit_is_fine() -> None:
    depth = yamlsafe.MAX_DEPTH - 1  # plus the top-level mapping
    loaded = load("x: " + "[" * depth + "]" * depth + "\n")
    assert loaded.problems == []


def test_large_block_is_refused_before_parsing() -> None:
    text = "keywords: [" + ", ".join(["word"] * 20_000) + "]\n"
    assert problems(text, first_line=2) == [("TK106", 2, 1)]
    assert problems(text, max_bytes=1024 * 1024) == []


# -- duplicate keys ---------------------------------------------------------------------------


def test_duplicate_key_reports_both_positions() -> None:
    loaded = load("a: 1\nb: 2\na: 3\n")
    assert problems("a: 1\nb: 2\na: 3\n") == [("TK102", 3, 1)]
    problem = loaded.problems[0]
    assert problem.message == "key `a` is given twice"
    assert problem.hint == "the first `a` is on line 1; keep one"
    assert loaded.value == {"a": "1", "b": "2"}  # the first wins, the load goes on
    assert not loaded.failed


def test_duplicate_nested_key() -> None:
    assert problems("a:\n  b: 1\n  b: 2\n", first_line=4) == [("TK102", 6, 3)]


def test_duplicate_key_in_flow_mapping() -> None:
    assert problems("{a: 1, a: 2}\n") == [("TK102", 1, 8)]


def test_duplicate_key_each_repetition() -> None:
    assert problems("a: 1\na: 2\na: 3\n") == [("TK102", 2, 1), ("TK102", 3, 1)]


# -- syntax -----------------------------------------------------------------------------------


def test_tab_indentation() -> None:
    loaded = load("a:\n\tb: 1\n", first_line=2)
    assert problems("a:\n\tb: 1\n", first_line=2) == [("TK101", 3, 1)]
    assert loaded.problems[0].message == "a tab is used for indentation"
    assert "replace the tab with spaces" in (loaded.problems[0].hint or "")


def test_tab_inside_a_value_is_fine() -> None:
    assert load("a: b\tc\n").value == {"a": "b\tc"}


def test_colon_in_unquoted_value() -> None:
    loaded = load("id: evidence\ntitle: Evidence: what counts\n", first_line=2)
    assert [(p.code, p.pos.line, p.pos.column) for p in loaded.problems] == [("TK101", 3, 16)]
    assert loaded.problems[0].message == "a colon followed by a space inside an unquoted value"
    assert 'title: "Evidence: what counts"' in (loaded.problems[0].hint or "")


def test_colon_without_space_is_text() -> None:
    assert load("time: 10:30\nurl: https://example.org\n").value == {
        "time": "10:30", "url": "https://example.org"}


def test_second_document_is_refused() -> None:
    loaded = load("a: 1\n---\nb: 2\n")
    assert problems("a: 1\n---\nb: 2\n") == [("TK101", 2, 1)]
    assert "more than one YAML document" in loaded.problems[0].message


def test_complex_keys_are_refused() -> None:
    loaded = load("? [a, b]\n: c\n")
    assert [p.code for p in loaded.problems] == ["TK101"]
    assert loaded.problems[0].message == "keys must be plain words"


def test_numeric_looking_keys_are_text() -> None:
    assert load("1: x\n1.10: y\n").value == {"1": "x", "1.10": "y"}


def test_boolean_and_null_keys_are_refused() -> None:
    assert problems("true: y\n") == [("TK101", 1, 1)]
    assert problems("~: y\n") == [("TK101", 1, 1)]


@pytest.mark.parametrize("text", ["a: [b\n", "a: 'unterminated\n", "a: {b: 1\n", "- a\nb: c\n"])
def test_syntax_errors_are_reported_not_raised(text: str) -> None:
    loaded = load(text)
    assert [p.code for p in loaded.problems] == ["TK101"]
    assert loaded.failed and loaded.value is None


def test_positions_shift_with_first_line() -> None:
    assert problems("a: 1\na: 2\n", first_line=10) == [("TK102", 11, 1)]


# -- front-matter in a Markdown file ------------------------------------------------------------


def _module(tmp_path: Path, text: str) -> list[tuple[str, int, int, str]]:
    path = tmp_path / "module.md"
    path.write_text(text, encoding="utf-8")
    module = load_module_file(path, "module.md")
    return [(d.code, d.line, d.column, d.message) for d in module.diagnostics]


def test_colon_in_title_at_the_right_line_of_the_markdown_file(tmp_path: Path) -> None:
    text = ("---\nid: evidence\ntitle: Evidence: what counts\nversion: \"1.0\"\n---\n\n"
            "## Section\n\nText.\n")
    found = _module(tmp_path, text)
    assert found == [("TK101", 3, 16, "a colon followed by a space inside an unquoted value")]


def test_front_matter_positions_count_from_the_markdown_file(tmp_path: Path) -> None:
    text = "---\nid: x\nid: y\n---\n\n## Section\n\nText.\n"
    found = _module(tmp_path, text)
    assert ("TK102", 3, 1, "key `id` is given twice") in found


@pytest.mark.parametrize(("text", "code", "message"), [
    pytest.param("---\n- a\n- b\n---\n", "TK105", "the front-matter is a list", id="list"),
    pytest.param("---\njust words\n---\n", "TK105", "the front-matter is a single value",
                 id="scalar"),
    pytest.param("---\n---\n", "TK105", "the front-matter is empty", id="empty"),
    pytest.param("---\n\n\n---\n", "TK105", "the front-matter is empty", id="blank-lines"),
    pytest.param("---\nid: x\ntitle: y\n", "TK104", "the front-matter is never closed",
                 id="unclosed"),
    pytest.param("## No front-matter\n", "TK104", "the module has no front-matter", id="none"),
    pytest.param("", "TK104", "the module has no front-matter", id="empty-file"),
    pytest.param("\n---\nid: x\n---\n", "TK104", "the module has no front-matter",
                 id="blank-first-line"),
])
def test_front_matter_shapes(tmp_path: Path, text: str, code: str, message: str) -> None:
    found = _module(tmp_path, text)
    assert [(c, line, column) for c, line, column, _ in found] == [(code, 1, 1)]
    assert message in found[0][3]


def test_front_matter_may_close_with_dots() -> None:
    split = split_front_matter("---\nid: x\n...\n## Body\n", "m.md")
    assert split == ("id: x", "## Body\n", 4)


def test_body_line_numbers_follow_the_front_matter() -> None:
    split = split_front_matter("---\nid: x\ntitle: y\n---\n\n## Body\n", "m.md")
    assert split == ("id: x\ntitle: y", "\n## Body\n", 5)


def test_impossible_date(tmp_path: Path) -> None:
    text = ("---\nid: dates\ntitle: Dates\nversion: \"1.0\"\nstatus: draft\nsummary: S.\n"
            "duration: 1h\naudiences: [police]\nlearning_objectives: [Learn.]\n"
            "last_reviewed: 2024-13-45\n---\n\n## Section\n\nText.\n")
    found = _module(tmp_path, text)
    assert [(c, line, column) for c, line, column, _ in found] == [("TK205", 10, 16)]
    assert "`last_reviewed` is `2024-13-45`, which is not a real date" in found[0][3]


@pytest.mark.parametrize("date", ["2024-02-30", "2023-02-29", "24-01-01", "2024/01/01",
                                  "1 May 2024"])
def test_other_bad_dates(tmp_path: Path, date: str) -> None:
    text = ("---\nid: dates\ntitle: Dates\nversion: \"1.0\"\nstatus: draft\nsummary: S.\n"
            "duration: 1h\naudiences: [police]\nlearning_objectives: [Learn.]\n"
            f"last_reviewed: {date}\n---\n\n## Section\n\nText.\n")
    assert [(c, line) for c, line, _, _ in _module(tmp_path, text)] == [("TK205", 10)]


def test_leap_day_is_a_real_date(tmp_path: Path) -> None:
    text = ("---\nid: dates\ntitle: Dates\nversion: \"1.0\"\nstatus: draft\nsummary: S.\n"
            "duration: 1h\naudiences: [police]\nlearning_objectives: [Learn.]\n"
            "last_reviewed: 2024-02-29\n---\n\n## Section\n\nText.\n")
    assert _module(tmp_path, text) == []
