"""The cross-city report in the terminal: each analysis with its question and its tables."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable

from ekipgraph.analyse.base import Cell, Table
from ekipgraph.analyse.network import KINDS
from ekipgraph.analyse.run import PatternsResult
from ekipgraph.terminal import plain

PLURALS = {
    "city": "cities",
    "case": "cases",
    "policy-area": "policy areas",
    "sector": "CCI sectors",
    "actor": "actors",
    "actor-type": "actor types",
    "resource-type": "resource types",
    "recommendation": "recommendations",
}
#: Rows shown per table; the files hold them all.
MAX_ROWS = 10


def _show(value: Cell) -> str:
    if isinstance(value, tuple):
        return ", ".join(value) or "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}"
    return "–" if value in (None, "") else str(value)


def rich_table(table: Table, max_rows: int = MAX_ROWS) -> RichTable:
    shown = table.shown_columns
    positions = [table.columns.index(name) for name in shown]
    out = RichTable(title=table.title, header_style="bold", title_justify="left")
    for name in shown:
        numeric = all(isinstance(row[table.columns.index(name)], int | float) for row in table.rows)
        out.add_column(name.replace("_", " "), justify="right" if numeric else "left")
    for row in table.rows[:max_rows]:
        out.add_row(*(plain(_show(row[i])) for i in positions))
    count = len(table.rows)
    if count > max_rows:
        out.caption = f"{max_rows} of {count} rows; all in {table.name}.csv"
    elif not count:
        out.caption = "nothing found"
    return out


def render_report(result: PatternsResult, console: Console, max_rows: int = MAX_ROWS) -> None:
    """Print every analysis: its title, the question it answers, and its tables."""
    network = result.network
    counts = ", ".join(f"{network.count(kind)} {PLURALS[kind]}" for kind in KINDS)
    when = result.generated_at
    console.rule("[bold]Cross-city patterns")
    console.print(
        f"Network: {counts}; {len(network.links)} links. "
        f"{len(network.cities)} cities have cases and are compared.",
        highlight=False,
    )
    console.print(
        f"Input recorded up to {when.date().isoformat() if when else 'an unknown date'}; "
        f"ekipgraph {result.version}.",
        highlight=False,
    )
    for item in result.results:
        console.rule(f"[bold]{item.analysis.title}")
        console.print(f"[italic]{item.analysis.question}[/]", highlight=False)
        for table in result.tables_of(item):
            if table.in_report:
                console.print(rich_table(table, max_rows))
