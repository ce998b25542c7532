"""Showing query results to people: compact IRIs and a readable table."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.term import Node
from rich.table import Table

from ekipgraph.namespaces import prefixed_name
from ekipgraph.store import QueryOutcome
from ekipgraph.terminal import markup_safe, plain


def compact(term: Node | None) -> str:
    """A short, readable form of a term: ``ekipid:city/lund``, ``"Lund"@sv``, ``42``."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return prefixed_name(str(term)) or str(term)
    if isinstance(term, Literal):
        if term.language:
            return f"{term}@{term.language}"
        return str(term)
    return str(term)


def outcome_table(outcome: QueryOutcome, title: str | None = None) -> Table | str:
    """A rich table for SELECT, a sentence for ASK."""
    if outcome.form == "ask":
        return "yes" if outcome.boolean else "no"
    table = Table(title=title and markup_safe(title), show_lines=False, header_style="bold")
    variables = outcome.variables
    for name in variables:
        table.add_column(plain(name), overflow="fold")
    for row in outcome.rows():
        table.add_row(*(plain(compact(row.get(name))) for name in variables))
    table.caption = f"{table.row_count} row{'s' if table.row_count != 1 else ''}"
    return table
