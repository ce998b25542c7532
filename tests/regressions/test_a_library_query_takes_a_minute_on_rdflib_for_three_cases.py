"""Four library queries took one to three minutes on rdflib for a three-case corpus:
``sectors-per-policy-area`` 184 s, ``shared-gaps`` 131 s, and ``strengths-per-city`` 46 s
with ``--param city=…`` (0.2 s without). The same queries answer in milliseconds on Oxigraph.

The cause is in how rdflib joins. A join whose sides hold no join of their own looks the
right side up once per row of the left (``lazy``). Any other join (a ``DISTINCT``
subquery, or the ``VALUES`` block that binds a parameter) evaluates the right side alone and
compares every row with every row. When that right side was a group such as
``?city rdfs:label ?cityLabel . ?type skos:prefLabel ?typeLabel``, two patterns that share
no variable, rdflib built every pairing of a city label with a type label first. When it was
``?named skos:broader* ?type``, it walked the path from every term of the graph. Each label
lookup is now a group of its own, or an OPTIONAL kept only where it binds, which every engine
looks up row by row; so is the climb up ``skos:broader*`` from a bound concept.

Not a timed test: rdflib's own query algebra is read, for every library query with no
parameter and with every parameter bound, and no join that evaluates its right side alone may
find there a basic graph pattern in two or more unconnected parts (a cross product), or a
``*`` or ``?`` path with neither end bound (the zero-length path of every term).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib.paths import MulPath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from ekipgraph.library import EXAMPLE_VALUES, QueryLibrary
from ekipgraph.project import default_layout

LIBRARY = QueryLibrary(default_layout().queries_dir)


def connected_parts(triples: list[tuple[object, object, object]]) -> int:
    """How many groups of triple patterns are linked by shared variables."""
    parts: list[set[Variable]] = []
    for triple in triples:
        variables = {term for term in triple if isinstance(term, Variable)}
        linked = [part for part in parts if part & variables]
        for part in linked:
            parts.remove(part)
            variables |= part
        parts.append(variables)
    return len(parts)


def unanchored_paths(triples: list[tuple[object, object, object]]) -> bool:
    """Whether a pattern walks a ``*`` or ``?`` path from two unbound ends."""
    return any(
        isinstance(path, MulPath)
        and path.mod in ("*", "?")
        and isinstance(subject, Variable)
        and isinstance(obj, Variable)
        for subject, path, obj in triples
    )


def cross_products(node: object) -> Iterator[list[tuple[object, object, object]]]:
    """The basic graph patterns that a join evaluates on their own and that pair every row
    with every row: in unconnected parts, or walking a path from every term."""
    if isinstance(node, CompValue):
        if node.name == "Join" and not node.get("lazy"):
            right = node.get("p2")
            if (
                isinstance(right, CompValue)
                and right.name == "BGP"
                and (connected_parts(right.triples) > 1 or unanchored_paths(right.triples))
            ):
                yield right.triples
        for value in node.values():
            yield from cross_products(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from cross_products(value)


def test_the_check_finds_a_cross_product() -> None:
    text = """
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT * WHERE {
          { SELECT DISTINCT ?a ?b WHERE { ?a ?p ?b } }
          ?a rdfs:label ?aLabel . ?b rdfs:label ?bLabel .
        }"""
    assert list(cross_products(prepareQuery(text).algebra))
    grouped = text.replace(
        "?a rdfs:label ?aLabel . ?b rdfs:label ?bLabel .",
        "{ ?a rdfs:label ?aLabel } { ?b rdfs:label ?bLabel }",
    )
    assert not list(cross_products(prepareQuery(grouped).algebra))
    climbing = text.replace(
        "?a rdfs:label ?aLabel . ?b rdfs:label ?bLabel .", "?a skos:broader* ?c"
    )
    climbing = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n" + climbing
    assert list(cross_products(prepareQuery(climbing).algebra))
    optional = climbing.replace("?a skos:broader* ?c", "OPTIONAL { ?a skos:broader* ?c }")
    assert not list(cross_products(prepareQuery(optional).algebra))


@pytest.mark.parametrize("query", list(LIBRARY), ids=lambda query: query.name)
def test_no_library_query_makes_rdflib_pair_every_row_with_every_row(query) -> None:
    every = {p.name: EXAMPLE_VALUES[p.type.partition(":")[0]] for p in query.params}
    required = {p.name: every[p.name] for p in query.params if p.required}
    for values in (required, every):
        algebra = prepareQuery(query.bind(values)).algebra
        found = list(cross_products(algebra))
        assert not found, (query.name, values, found)
