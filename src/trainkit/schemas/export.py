"""The JSON Schemas of the file types, for editors and other tools (``trainkit schema``).

Each schema carries a ``$id`` and a readable ``title``, so an editor names it in its
hover help and problem list, and so several schemas can sit side by side in a folder.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

#: The file types, in the order ``trainkit schema`` lists them.
KINDS = ("module", "region", "manifest", "translation", "glossary", "review-log",
         "national-law")

#: The readable title of each file type's schema.
TITLES = {
    "module": "trainkit module front-matter (modules/*.md)",
    "region": "trainkit region profile (regions/*.yaml)",
    "manifest": "trainkit manifest (trainkit.yaml)",
    "translation": "trainkit translation front-matter (modules/<lang>/*.md)",
    "glossary": "trainkit glossary (glossary.yaml)",
    "review-log": "trainkit review log front-matter (reviews/*.md)",
    "national-law": "trainkit national law profiles (regions/<region>/national-law.yaml)",
}

#: A URN: the schemas are printed by `trainkit schema`, not fetched from anywhere.
SCHEMA_BASE = "urn:trainkit:schema:"


def _models() -> dict[str, type[BaseModel]]:
    from trainkit.schemas.glossary import Glossary
    from trainkit.schemas.manifest import Manifest
    from trainkit.schemas.module import ModuleMeta
    from trainkit.schemas.national_law import NationalLaw
    from trainkit.schemas.region import RegionProfile
    from trainkit.schemas.review_log import ReviewLog
    from trainkit.schemas.translation import TranslationMeta

    return {"module": ModuleMeta, "region": RegionProfile, "manifest": Manifest,
            "translation": TranslationMeta, "glossary": Glossary, "review-log": ReviewLog,
            "national-law": NationalLaw}


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one file type, with ``$id`` and ``title``."""
    document = _models()[kind].model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{SCHEMA_BASE}{kind}", **document, "title": TITLES[kind]}
