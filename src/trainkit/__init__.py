"""trainkit: write training manuals as Markdown modules, publish region-specific editions."""

__version__ = "0.1.0"
