"""Findings about a project: the Diagnostic record, the code catalogue and the reporters.

Every check produces ``Diagnostic`` values; nothing here prints. The command line picks a
formatter (text, json, github or sarif) and writes its result, after ``relocated`` has
made the paths relative to the current folder.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    """How serious a finding is: errors fail validation, warnings only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """One entry of the diagnostic catalogue."""

    severity: Severity
    summary: str


E, W = Severity.ERROR, Severity.WARNING

#: Every diagnostic code trainkit emits. ``docs/diagnostics.md`` documents the same list
#: and a test keeps both in step.
CODES: dict[str, CodeInfo] = {
    "TK001": CodeInfo(E, "a file cannot be read (missing, too large, or not UTF-8 text)"),
    "TK101": CodeInfo(E, "YAML syntax error"),
    "TK102": CodeInfo(E, "a key is given twice in the same YAML mapping"),
    "TK103": CodeInfo(E, "a YAML tag, anchor or alias is used"),
    "TK104": CodeInfo(E, "module front-matter is missing or never closed"),
    "TK105": CodeInfo(E, "a YAML document is not a mapping of keys to values"),
    "TK106": CodeInfo(E, "YAML nested too deeply or too large"),
    "TK201": CodeInfo(E, "unknown key"),
    "TK202": CodeInfo(E, "a required key is missing"),
    "TK203": CodeInfo(E, "a value has the wrong type or is not allowed"),
    "TK204": CodeInfo(E, "a duration is not written like 90m, 2h or 1h30m"),
    "TK205": CodeInfo(E, "a date is not a real date written YYYY-MM-DD"),
    "TK301": CodeInfo(E, "two modules have the same id"),
    "TK302": CodeInfo(E, "a prerequisite names no module"),
    "TK303": CodeInfo(E, "prerequisites form a cycle"),
    "TK304": CodeInfo(E, "a manifest or region entry names a module file that does not exist"),
    "TK305": CodeInfo(W, "a module file is not reached by the manifest or any region"),
    "TK306": CodeInfo(E, "an unknown region id"),
    "TK307": CodeInfo(E, "an unknown audience id"),
    "TK308": CodeInfo(E, "an unknown legal instrument id"),
    "TK309": CodeInfo(E, "a module is listed twice"),
    "TK310": CodeInfo(E, "an unknown module id in a region profile"),
    "TK311": CodeInfo(E, "an unknown edition id"),
    "TK312": CodeInfo(E, "the default region names no region profile"),
    "TK313": CodeInfo(E, "the output folder (output.out_dir) is not a folder inside the project"),
    "TK314": CodeInfo(W, "something under modules/ or reviews/ is not a file trainkit can read"),
    "TK320": CodeInfo(E, "a file the theme names does not exist"),
    "TK321": CodeInfo(E, "a file the theme names is refused (outside the project, absolute, "
                         "a URL, the wrong type)"),
    "TK322": CodeInfo(E, "a theme colour is not a CSS colour"),
    "TK323": CodeInfo(E, "a theme font file is not a TrueType, OpenType or WOFF2 font"),
    "TK324": CodeInfo(W, "a theme font family has no file and is not installed"),
    "TK325": CodeInfo(E, "the theme's stylesheet refers to other files or cannot be read"),
    "TK401": CodeInfo(E, "an unknown named block"),
    "TK402": CodeInfo(E, "a named block is never closed"),
    "TK403": CodeInfo(E, "an answer block does not follow a question block"),
    "TK404": CodeInfo(E, "a conditional block is malformed"),
    "TK405": CodeInfo(E, "a conditional block names an unknown region, edition or audience"),
    "TK406": CodeInfo(E, "an unknown variable"),
    "TK407": CodeInfo(W, "a section is empty"),
    "TK408": CodeInfo(W, "a level-1 heading in a module body"),
    "TK409": CodeInfo(W, "a named block is empty"),
    "TK501": CodeInfo(E, "an image file is missing"),
    "TK502": CodeInfo(E, "a file reference is refused (outside the project, absolute, a URL...)"),
    "TK503": CodeInfo(E, "an image has no alt text"),
    "TK504": CodeInfo(E, "an image file is not a usable image"),
    "TK505": CodeInfo(E, "a link to another module does not resolve"),
    "TK506": CodeInfo(E, "a link uses a scheme that is not allowed"),
    "TK507": CodeInfo(E, "a link names a section that does not exist in the target module"),
    "TK508": CodeInfo(W, "raw HTML, which is printed as text"),
    "TK509": CodeInfo(W, "control characters in text, which are removed"),
    "TK510": CodeInfo(W, "a bidirectional control character in text (Trojan Source)"),
    "TK511": CodeInfo(E, "a bidirectional control character in an id, a name or an address"),
    "TK512": CodeInfo(E, "an SVG image refers to other files or addresses, or holds a script"),
    "TK601": CodeInfo(W, "a translation follows an older version of its source module"),
    "TK602": CodeInfo(E, "a translation names no module, or a module has two translations"),
    "TK603": CodeInfo(E, "a region names a language the manifest does not list"),
    "TK604": CodeInfo(W, "a module has no translation into the edition's language"),
    "TK605": CodeInfo(W, "a wording the glossary says to avoid"),
    "TK606": CodeInfo(W, "a translation's learning objectives do not match its source's"),
    "TK607": CodeInfo(W, "a glossary term has no wording in one of the manifest's languages"),
    "TK608": CodeInfo(E, "an edition language has no catalogue of trainkit's words"),
    "TK609": CodeInfo(E, "a label in a project catalogue loses or adds a {placeholder}"),
    "TK701": CodeInfo(W, "a region leaves a required adaptation slot unfilled"),
    "TK702": CodeInfo(W, "a region leaves a required variable unset"),
    "TK703": CodeInfo(E, "a region fills an adaptation slot no module declares"),
    "TK704": CodeInfo(E, "an adaptation fragment file cannot be used"),
    "TK705": CodeInfo(E, "a region extends an unknown region, or regions extend in a cycle"),
    "TK706": CodeInfo(E, "an adapt block names no valid slot id"),
    # Layout of a built PDF (build --preflight): the line is the page of the PDF.
    "TK707": CodeInfo(W, "a footnote is printed on another page than its call"),
    "TK708": CodeInfo(W, "a heading is in the last lines of a page"),
    "TK709": CodeInfo(W, "a question is on another page than its answer"),
    "TK710": CodeInfo(W, "a table row is alone at the foot or the top of a page"),
    "TK711": CodeInfo(W, "a running head takes more than one line"),
    "TK712": CodeInfo(W, "text is outside the text block"),
    "TK713": CodeInfo(W, "a page is empty"),
    "TK714": CodeInfo(W, "a running head or folio on the cover, a part title page or a blank page"),
    "TK715": CodeInfo(W, "a contents entry's page number is not on the entry's last line"),
    "TK720": CodeInfo(E, "a national law file is not a list of country entries"),
    "TK721": CodeInfo(E, "unknown key in a national law file"),
    "TK722": CodeInfo(E, "a national law entry lacks a required key, or its sources"),
    "TK723": CodeInfo(E, "a national law entry's date is not a real date"),
    "TK724": CodeInfo(E, "a national law entry names a country the region does not list"),
    "TK725": CodeInfo(E, "a country has two national law entries"),
    "TK726": CodeInfo(E, "a national law source is not a web address"),
    "TK727": CodeInfo(W, "a national law file is in the folder of no region"),
    "TK728": CodeInfo(E, "a national law entry is translated into a language the region "
                         "does not use"),
    "TK729": CodeInfo(E, "a national law entry translates a field its English text "
                         "omits"),
    "TK801": CodeInfo(E, "a question's type is unknown"),
    "TK802": CodeInfo(E, "a question, exercise or case study has an unknown attribute"),
    "TK803": CodeInfo(E, "an attribute is not written key=value, or is given twice"),
    "TK804": CodeInfo(E, "a question's points are not a positive number"),
    "TK805": CodeInfo(E, "a question's difficulty is unknown"),
    "TK806": CodeInfo(E, "a question id is not a slug"),
    "TK807": CodeInfo(E, "a question's pool is unknown"),
    "TK808": CodeInfo(E, "a choice question has no options"),
    "TK809": CodeInfo(E, "a choice question has no correct option"),
    "TK810": CodeInfo(E, "an option of a choice question has no box"),
    "TK811": CodeInfo(E, "a matching pair has no arrow"),
    "TK812": CodeInfo(E, "a matching question has fewer than 2 pairs"),
    "TK813": CodeInfo(E, "a true-false answer is missing, not true or false, or given to another type"),
    "TK814": CodeInfo(E, "a short-answer question has no accepted answer"),
    "TK815": CodeInfo(E, "an objectives= attribute names an objective the module does not have"),
    "TK816": CodeInfo(E, "two questions of a module have the same id"),
    "TK817": CodeInfo(E, "a block that takes no attributes has some"),
    "TK818": CodeInfo(E, "two learning objectives of a module have the same id"),
    "TK819": CodeInfo(W, "a learning objective is assessed by nothing (with typed questions)"),
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding, located to a file (relative to the project), a line and a column."""

    path: str
    line: int
    column: int
    code: str
    message: str
    hint: str | None = None
    severity: Severity | None = None

    @property
    def level(self) -> Severity:
        """The severity: the catalogue's unless this finding overrides it."""
        return self.severity or CODES[self.code].severity

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.level.value,
            "code": self.code,
            "message": _visible(self.message),
            "hint": _visible(self.hint) if self.hint else None,
        }


def finalize(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> list[Diagnostic]:
    """Sort and de-duplicate findings; with ``strict`` every warning becomes an error."""
    unique = {d.sort_key(): d for d in diagnostics}
    ordered = [unique[key] for key in sorted(unique)]
    if strict:
        ordered = [_as_error(d) for d in ordered]
    return ordered


def _as_error(diagnostic: Diagnostic) -> Diagnostic:
    if diagnostic.level is Severity.ERROR:
        return diagnostic
    return Diagnostic(
        diagnostic.path, diagnostic.line, diagnostic.column, diagnostic.code,
        diagnostic.message, diagnostic.hint, Severity.ERROR,
    )


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.level is Severity.ERROR for d in diagnostics)


def summary_line(diagnostics: Sequence[Diagnostic]) -> str:
    """'2 errors and 1 warning in 2 files', or 'no problems found'."""
    errors = sum(1 for d in diagnostics if d.level is Severity.ERROR)
    warnings = len(diagnostics) - errors
    if not diagnostics:
        return "no problems found"
    files = len({d.path for d in diagnostics})
    parts = []
    if errors:
        parts.append(_plural(errors, "error"))
    if warnings:
        parts.append(_plural(warnings, "warning"))
    return f"{' and '.join(parts)} in {_plural(files, 'file')}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


SourceLines = dict[str, list[str]]


def format_text(diagnostics: Sequence[Diagnostic], sources: SourceLines) -> str:
    """Compiler-style report: each finding with its source line and a caret, grouped by file."""
    blocks: list[str] = []
    for diagnostic in diagnostics:
        blocks.append(_format_one(diagnostic, sources.get(diagnostic.path)))
    blocks.append(summary_line(diagnostics))
    return "\n\n".join(blocks) + "\n"


def _visible(text: str) -> str:
    """``text`` with bidirectional controls written ``<U+202E>``: a report never shows one.

    Printed as is, such a character would reorder the rest of the line in the terminal
    or on GitHub, which is what the finding warns about.
    """
    from trainkit.bidi import visible  # bidi makes findings: it imports this module

    return visible(text)


def _format_one(diagnostic: Diagnostic, lines: list[str] | None) -> str:
    head = f"{diagnostic.level.value}[{diagnostic.code}]: {_visible(diagnostic.message)}"
    where = f"  --> {_visible(diagnostic.path)}:{diagnostic.line}:{diagnostic.column}"
    out = [head, where]
    if lines is not None and 1 <= diagnostic.line <= len(lines):
        number = str(diagnostic.line)
        gutter = " " * len(number)
        line = lines[diagnostic.line - 1].replace("\t", " ")
        before = line[:max(diagnostic.column - 1, 0)]
        marker = " " * len(_visible(before)) + "^"
        out += [f"{gutter} |", f"{number} | {_visible(line)}", f"{gutter} | {marker}"]
    if diagnostic.hint:
        out.append(f"  = hint: {_visible(diagnostic.hint)}")
    return "\n".join(out)


#: The version of the JSON report's layout; it changes when a key changes meaning or goes.
JSON_REPORT_VERSION = 1


def format_json(diagnostics: Sequence[Diagnostic], error: str | None = None) -> str:
    """``{"version": 1, "diagnostics": [...], "error": ...}``: each finding with the keys
    path, line, column, severity, code, message and hint (null when there is none);
    ``error`` is what stopped the command (a usage error), else null."""
    document = {"version": JSON_REPORT_VERSION,
                "diagnostics": [d.as_json() for d in diagnostics],
                "summary": summary_line(diagnostics), "error": error}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def relocated(diagnostics: Sequence[Diagnostic], sources: SourceLines, root: Path | None,
              here: Path | None = None) -> tuple[list[Diagnostic], SourceLines]:
    """The findings (and their quoted lines) with paths relative to the current folder,
    as compilers, git and GitHub's annotations expect: a manual in ``manual/`` reports
    ``manual/modules/x.md``, and one run from ``modules/`` reports ``x.md``. When the
    project and the current folder are unrelated, paths stay relative to the project."""
    if root is None:
        return list(diagnostics), sources
    here = (here or Path.cwd()).resolve()
    root = root.resolve()
    if not (root.is_relative_to(here) or here.is_relative_to(root)) or root == here:
        return list(diagnostics), sources

    def move(path: str) -> str:
        return Path(os.path.relpath(root / path, here)).as_posix() if path else path

    moved = [Diagnostic(move(d.path), d.line, d.column, d.code, d.message, d.hint, d.severity)
             for d in diagnostics]
    return moved, {move(path): lines for path, lines in sources.items()}


def format_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands, one annotation per finding."""
    lines = []
    for d in diagnostics:
        message = _visible(d.message if not d.hint else f"{d.message} (hint: {d.hint})")
        title = _escape_property(d.code)
        lines.append(
            f"::{d.level.value} file={_escape_property(d.path)},line={d.line},col={d.column},"
            f"title={title}::{_escape_data(f'{d.code} {message}')}"
        )
    return "".join(line + "\n" for line in lines)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github_error(message: str) -> str:
    """A usage error as one GitHub annotation."""
    return f"::error title=trainkit::{_escape_data(_visible(message))}\n"


# -- SARIF 2.1.0 --------------------------------------------------------------------------

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def format_sarif(diagnostics: Sequence[Diagnostic], tool_version: str,
                 error: str | None = None) -> str:
    """A SARIF 2.1.0 log with one run: the codes used as rules, each finding as a result
    located by a URI relative to the current folder; ``error`` (a usage error) as a
    failed invocation with its message."""
    used = sorted({d.code for d in diagnostics})
    rule_index = {code: index for index, code in enumerate(used)}
    rules = [{"id": code, "name": code,
              "shortDescription": {"text": CODES[code].summary},
              "defaultConfiguration": {"level": CODES[code].severity.value}} for code in used]
    results = [_sarif_result(d, rule_index[d.code]) for d in diagnostics]
    invocation: dict[str, object] = {"executionSuccessful": error is None}
    if error is not None:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": _visible(error)}}]
    run = {"tool": {"driver": {"name": "trainkit", "version": tool_version,
                               "informationUri": "https://pypi.org/project/trainkit-manuals/",
                               "rules": rules}},
           "invocations": [invocation], "columnKind": "unicodeCodePoints", "results": results}
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _sarif_result(d: Diagnostic, rule_index: int) -> dict[str, object]:
    message = _visible(d.message if not d.hint else f"{d.message} (hint: {d.hint})")
    region = {"startLine": max(d.line, 1), "startColumn": max(d.column, 1)}
    return {"ruleId": d.code, "ruleIndex": rule_index, "level": d.level.value,
            "message": {"text": message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(d.path)}, "region": region}}]}


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path or ".", safe="/")
