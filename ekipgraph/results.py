"""Showing query results to people: compact IRIs and a readable table.

Results from the embedded store are shown straight from pyoxigraph's terms, row by row as
Oxigraph gives them: no SPARQL JSON in between and no rdflib terms. A literal whose form
rdflib would write differently (rdflib normalises typed literals) is the one case that goes
through rdflib, so both routes print the same text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ekipgraph.prefixes import XSD_NAMESPACE, prefixed_name
from ekipgraph.terminal import markup_safe, plain

if TYPE_CHECKING:
    from rdflib.term import Node
    from rich.table import Table

    from ekipgraph.store import QueryOutcome

_AS_WRITTEN = {
    XSD_NAMESPACE + "string",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
}
_XSD_INTEGER = XSD_NAMESPACE + "integer"
_XSD_DATE = XSD_NAMESPACE + "date"
_CANONICAL_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def compact(term: Node | None) -> str:
    """A short, readable form of a term that can be pasted back into a query: ``city:lund``
    (a prefixed name only where it is valid SPARQL), else ``<https://…/need/x>``;
    ``Lund@sv``, ``42``."""
    from rdflib import Literal, URIRef

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return prefixed_name(str(term)) or f"<{term}>"
    if isinstance(term, Literal):
        if term.language:
            return f"{term}@{term.language}"
        return str(term)
    return str(term)


def compact_oxigraph(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    """:func:`compact` of a pyoxigraph term: the same text, without rdflib where it
    would not change it (IRIs, strings, language strings, canonical integers, dates)."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        return prefixed_name(iri) or f"<{iri}>"
    if isinstance(term, ox.Literal):
        value = term.value
        if term.language:
            return f"{value}@{term.language}"
        datatype = term.datatype.value
        if datatype in _AS_WRITTEN:
            return value
        if datatype == _XSD_INTEGER and _CANONICAL_INTEGER.fullmatch(value):
            return value
        if datatype == _XSD_DATE and _is_plain_date(value):
            return value
        from rdflib import Literal

        return str(Literal(value, datatype=datatype))
    if isinstance(term, ox.BlankNode):
        return term.value
    return str(term)


def _is_plain_date(value: str) -> bool:
    if not _PLAIN_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def outcome_table(outcome: QueryOutcome, title: str | None = None) -> Table | str:
    """A rich table for SELECT, a sentence for ASK."""
    if outcome.form == "ask":
        return "yes" if outcome.boolean else "no"
    variables = outcome.variables
    cells = ([compact(row.get(name)) for name in variables] for row in outcome.rows())
    return _table(variables, cells, title)


def oxigraph_table(
    result: ox.QuerySolutions | ox.QueryBoolean, title: str | None = None
) -> Table | str:
    """:func:`outcome_table` of a pyoxigraph answer, read once as it comes."""
    if isinstance(result, ox.QueryBoolean):
        return "yes" if bool(result) else "no"
    variables = [variable.value for variable in result.variables]
    cells = ([compact_oxigraph(solution[name]) for name in variables] for solution in result)
    return _table(variables, cells, title)


def _table(variables: Sequence[str], cells: Iterable[list[str]], title: str | None) -> Table:
    from rich.table import Table

    table = Table(title=title and markup_safe(title), show_lines=False, header_style="bold")
    for name in variables:
        table.add_column(plain(name), overflow="fold")
    for row in cells:
        table.add_row(*(plain(cell) for cell in row))
    table.caption = f"{table.row_count} row{'s' if table.row_count != 1 else ''}"
    return table
