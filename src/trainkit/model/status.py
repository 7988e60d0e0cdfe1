"""Where a module stands in expert review.

Apart from the schemas, and free of Pydantic, so that the command line can offer it as
``--status`` without importing them at start-up.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where a module stands in expert review."""

    DRAFT = "draft"
    IN_REVIEW = "in-review"
    APPROVED = "approved"
