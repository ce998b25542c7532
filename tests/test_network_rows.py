"""Rows of the network queries as texts: read from Oxigraph's tab-separated results when
every value is an IRI or a plain string, and term by term otherwise, with the same texts
as the terms (and as rdflib's JSON results)."""

from __future__ import annotations

import pytest

from ekipgraph.analyse.network import _tsv_texts, select_texts, select_values
from ekipgraph.store import EmbeddedStore, RdflibStore

DATA = """
<http://example.org/a,b> <http://example.org/p> <http://example.org/Saint-%C3%89tienne> .
<http://example.org/é> <http://example.org/p> "plain café" .
<http://example.org/c> <http://example.org/p> "" .
<http://example.org/d> <http://example.org/p> "tab\\there" .
<http://example.org/e> <http://example.org/p> "quote \\" and \\\\ backslash" .
<http://example.org/f> <http://example.org/p> "line\\nbreak" .
<http://example.org/g> <http://example.org/p> "English"@en .
<http://example.org/h> <http://example.org/p> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://example.org/i> <http://example.org/p> _:blank .
"""
SELECT = (
    "SELECT ?s ?o ?missing WHERE {{ ?s <http://example.org/p> ?o . FILTER({}) "
    "OPTIONAL {{ ?s <http://example.org/none> ?missing }} }} ORDER BY ?s"
)
PLAIN = "?s IN (<http://example.org/a,b>, <http://example.org/é>, <http://example.org/c>)"
CASES = {
    "IRIs, strings and unbound values": PLAIN,
    "a tab": "?s = <http://example.org/d>",
    "escapes": "?s IN (<http://example.org/e>, <http://example.org/f>)",
    "a language": "?s = <http://example.org/g>",
    "a datatype": "?s = <http://example.org/h>",
    "a blank node": "?s = <http://example.org/i>",
    "everything": "true",
}


@pytest.fixture(scope="module")
def stores() -> tuple[EmbeddedStore, RdflibStore]:
    embedded, reference = EmbeddedStore(), RdflibStore()
    for store in (embedded, reference):
        store.load_nquads(DATA)
    return embedded, reference


def texts_of_terms(store: EmbeddedStore, sparql: str) -> list[tuple[str | None, ...]]:
    return [
        tuple(row[name].text if name in row else None for name in ("s", "o", "missing"))
        for row in select_values(store, sparql)
    ]


@pytest.mark.parametrize("case", CASES)
def test_texts_are_the_terms_texts(case: str, stores) -> None:
    embedded, reference = stores
    sparql = SELECT.format(CASES[case])
    expected = texts_of_terms(embedded, sparql)
    assert expected
    assert select_texts(embedded, sparql) == expected
    if case not in ("a blank node", "everything"):  # blank nodes are named by each store
        assert select_texts(reference, sparql) == expected


def test_only_iris_and_plain_strings_are_cut_from_the_lines(stores) -> None:
    embedded, _ = stores
    assert _tsv_texts(embedded, SELECT.format(PLAIN)) == [
        ("http://example.org/a,b", "http://example.org/Saint-%C3%89tienne", None),
        ("http://example.org/c", "", None),
        ("http://example.org/é", "plain café", None),
    ]
    for case in ("a tab", "escapes", "a language", "a datatype", "a blank node"):
        assert _tsv_texts(embedded, SELECT.format(CASES[case])) is None, case


def test_links_sorted_as_strings_are_in_the_tuples_order() -> None:
    import random

    from ekipgraph.analyse.network import _sorted_links

    rng = random.Random(5)
    alphabet = ["a", "b", "/", "-", "é", "\x01", " "]

    def text() -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 4)))

    rows = [tuple(text() for _ in range(4)) for _ in range(3000)]
    rows += rows[:100]  # duplicates go
    assert _sorted_links(rows) == tuple(sorted(set(rows)))
    with_nul = [*rows, ("a\0b", "r", "t", "v")]
    assert _sorted_links(with_nul) == tuple(sorted(set(with_nul)))
