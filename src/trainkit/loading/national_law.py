"""The codes of the findings about a national law file (``regions/<id>/national-law.yaml``).

The file is read like every YAML file of the project (strict loader, schema with plain
messages); its schema findings then carry the TK72x codes of national law profiles, so
that a reader of the report knows which file family they are about.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from trainkit.diagnostics import Diagnostic

#: The file, in each region's fragment folder ``regions/<region id>/``.
NATIONAL_LAW_FILE = "national-law.yaml"

#: Generic schema codes -> the national law file's own.
_CODES = {
    "TK105": "TK720",  # not a mapping
    "TK203": "TK720",  # wrong type or value
    "TK201": "TK721",  # unknown key
    "TK202": "TK722",  # required key missing
    "TK205": "TK723",  # not a real date
}


def national_law_findings(findings: Iterable[Diagnostic]) -> list[Diagnostic]:
    """``findings`` about a national law file with the codes of that file family."""
    return [dataclasses.replace(f, code=_CODES.get(f.code, f.code)) for f in findings]
