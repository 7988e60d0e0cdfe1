"""The output formats trainkit writes, and what each one's file is called."""

from __future__ import annotations

from typing import Literal, get_args

OutputFormat = Literal["pdf", "html", "docx"]
#: Every output format, in the order help texts list them.
OUTPUT_FORMATS: tuple[OutputFormat, ...] = get_args(OutputFormat)
EXTENSIONS: dict[str, str] = {name: f".{name}" for name in OUTPUT_FORMATS}
#: The order outputs are started in by ``build --all``: the slowest format first.
FORMAT_ORDER: dict[str, int] = {"pdf": 0, "docx": 1, "html": 2}


def may_build(formats: tuple[str, ...] | None, output_format: str) -> bool:
    """Whether ``output_format`` may be built when ``formats`` are asked for (None: the
    manifest's, not read yet, which may include any)."""
    return formats is None or output_format in formats
