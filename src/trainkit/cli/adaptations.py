"""How ``trainkit list --adaptations`` prints: regions (as a tree) x slots."""

from __future__ import annotations

from trainkit.cli.display import _print_wide as print_wide
from trainkit.cli.display import console
from trainkit.commands.adaptations import AdaptationMatrix

_STYLES = {"filled": "green", "inherited": "green", "default": "", "missing": "red",
           "n/a": "dim"}


def show_matrix(matrix: AdaptationMatrix) -> None:
    """One row per region (indented under the region it extends), one column per slot."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if not matrix.slots:
        console.print("No module has an adaptation slot (`::: adapt <slot>`).")
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("region", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("last reviewed", no_wrap=True)
    for slot in matrix.slots:
        table.add_column(slot, no_wrap=True)
    depths: dict[str, int] = {}
    for row in matrix.regions:
        depths[row.id] = depths.get(row.parent, -1) + 1 if row.parent else 0
        cells = [Text(row.cells[slot], style=_STYLES[row.cells[slot]]) for slot in matrix.slots]
        table.add_row(Text("  " * depths[row.id] + row.id), row.status,
                      row.last_reviewed or "never", *cells)
    print_wide(table)
    missing = sum(cell == "missing" for row in matrix.regions for cell in row.cells.values())
    console.print(f"{missing} missing adaptation{'s' if missing != 1 else ''}.")
