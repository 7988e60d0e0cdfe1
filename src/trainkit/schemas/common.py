"""Field types shared by the schemas: slugs, versions, durations, language codes."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
VARIABLE_PATTERN = r"^[a-z][a-z0-9_]*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
VariableName = Annotated[str, StringConstraints(pattern=VARIABLE_PATTERN, max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(?:-[A-Z]{2})?$")]
VERSION_PATTERN = r"^\d+(?:\.\d+){0,2}$"
#: In the JSON Schema a version may also be a number: trainkit reads an unquoted
#: ``version: 1.10`` as the text ``1.10`` (its loader keeps a scalar's text), so the
#: editor must not flag it either.
Version = Annotated[str, StringConstraints(pattern=VERSION_PATTERN), WithJsonSchema(
    {"anyOf": [{"type": "string", "pattern": VERSION_PATTERN}, {"type": "number"}]})]
#: How trainkit writes its own numbers: 0-9, or the Arabic-Indic digits ٠-٩.
Digits = Literal["western", "eastern"]

_DURATION = re.compile(r"^(?:(\d{1,2})h)?(?:(\d{1,4})m)?$")


class DurationError(ValueError):
    """A duration that is not written like 90m, 2h or 1h30m."""


def parse_duration(text: str) -> int:
    """Minutes in a duration written ``90m``, ``2h`` or ``1h30m``."""
    match = _DURATION.match(text.strip())
    if not text.strip() or match is None:
        raise DurationError(f"`{text}` is not a duration; write it like 90m, 2h or 1h30m")
    hours, minutes = (int(group) if group else 0 for group in match.groups())
    if hours and minutes >= 60:
        raise DurationError(f"`{text}` has {minutes} minutes after the hours; write e.g. 2h15m")
    total = hours * 60 + minutes
    if total == 0:
        raise DurationError("a duration must be longer than zero")
    return total


def format_duration(minutes: int) -> str:
    """``90`` -> ``1h30m``, the form authors write."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest:02d}m"
    return f"{hours}h" if hours else f"{rest}m"


def _check_duration(text: str) -> str:
    parse_duration(text)
    return text


#: What ``parse_duration`` accepts, as a JSON Schema pattern: ``1:30`` (which an editor
#: reads as text) or ``0m`` or ``1h75m`` fail in the editor as they do in trainkit.
DURATION_PATTERN = r"^(?=.*[1-9])(?:\d{1,2}h(?:[0-5]?\dm)?|\d{1,4}m)$"
Duration = Annotated[str, AfterValidator(_check_duration), WithJsonSchema(
    {"type": "string", "pattern": DURATION_PATTERN})]


class StrictModel(BaseModel):
    """Base for every schema: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


__all__ = ["Duration", "Field", "LanguageCode", "Slug", "StrictModel", "Text", "Version"]
