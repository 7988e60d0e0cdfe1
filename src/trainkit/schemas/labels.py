"""A project's catalogue of trainkit's words: ``labels/<language>.yaml``.

Its keys are those of trainkit's English catalogue (``resources/labels/en.json``). For a
language trainkit has no catalogue of, every key is required; for one it has, the file
overrides the keys it lists.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from trainkit.labels import ENGLISH
from trainkit.schemas.common import Text

PLACEHOLDER = re.compile(r"\{(\w*)\}")
#: Labels whose spaces at either end are part of them (": ", ", page {page}").
_SPACED = frozenset({"title-separator", "page-ref"})
_Spaced = Annotated[str, StringConstraints(min_length=1)]


class _CatalogueBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _fields(required: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, english in ENGLISH.items():
        description = f"English: {english}"
        default = ... if required else None
        text: Any = _Spaced if key in _SPACED else Text
        kind: Any = text if required else text | None
        fields[key.replace("-", "_")] = (kind, Field(default, alias=key,
                                                     description=description))
    return fields


@lru_cache(maxsize=2)
def catalogue_model(complete: bool) -> type[BaseModel]:
    """Every key required (``complete``), or each optional (overrides)."""
    name = "LabelCatalogue" if complete else "LabelOverrides"
    model: type[BaseModel] = create_model(name, __base__=_CatalogueBase, **_fields(complete))
    return model


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a label, which a translation must keep."""
    return set(PLACEHOLDER.findall(text))


def catalogue_words(model: BaseModel) -> dict[str, str]:
    """The labels a validated catalogue sets, by key."""
    data: dict[str, str] = model.model_dump(by_alias=True, exclude_none=True)
    return data
