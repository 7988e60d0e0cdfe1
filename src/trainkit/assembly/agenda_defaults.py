"""The agenda's defaults, apart from the scheduling code so that the command line can show
them in its help without importing Pydantic."""

from __future__ import annotations

DEFAULT_DAY_LENGTH = "6h"
DEFAULT_START = "09:00"
DEFAULT_BREAKS = "10:30+15m,12:30+60m,15:00+15m"
#: The shortest piece of a module on either side of a break, in minutes.
DEFAULT_MIN_SESSION = 30

__all__ = ["DEFAULT_BREAKS", "DEFAULT_DAY_LENGTH", "DEFAULT_MIN_SESSION", "DEFAULT_START"]
