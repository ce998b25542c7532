"""The inferred graph: class, property and concept hierarchies and normalised days, in
graph/inferred with its provenance, so researchers' plain queries find what they mean."""

from __future__ import annotations

import pytest

from ekipgraph.build import build_from_layout
from ekipgraph.infer import INFERRED_GRAPH, Reasoner, _day
from ekipgraph.project import default_layout
from ekipgraph.store import EmbeddedStore


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    return EmbeddedStore.from_nquads(build_from_layout(default_layout()).nquads)


def count(store: EmbeddedStore, where: str) -> int:
    return int(store.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}").rows()[0]["n"])


def test_portfolios_are_prov_entities(store: EmbeddedStore) -> None:
    portfolios = count(store, "?x a ekip:InnovationPortfolio")
    assert portfolios > 0
    assert count(store, "?x a prov:Entity ; a ekip:InnovationPortfolio") == portfolios


def test_every_organisation_is_an_org_organization_and_a_foaf_agent(store: EmbeddedStore) -> None:
    organisations = count(store, "?x a ekip:Organisation")
    assert count(store, "?x a org:Organization") >= organisations > 0
    assert count(store, "?x a foaf:Agent ; a ekip:Organisation") == organisations


def test_property_hierarchy_and_inverses(store: EmbeddedStore) -> None:
    assert count(store, "?x ekip:identifiesGap ?g") == count(
        store, "?x ekip:identifiesFinding ?g ; a ekip:CityCaseDescription . ?g a ekip:Gap"
    )
    produced = count(store, "?x ekip:producedBy ?w")
    assert produced > 0 and count(store, "?w ekip:produced ?x") == count(
        store, "?x ekip:producedBy ?w"
    )
    assert count(store, "?x prov:wasGeneratedBy ?w . ?x a ekip:CityCaseDescription") == produced


def test_broader_transitive(store: EmbeddedStore) -> None:
    direct = count(store, "?x skos:broader ?y")
    assert direct > 0
    assert count(store, "?x skos:broaderTransitive ?y") >= direct
    assert (
        store.query(
            "ASK { ?c skos:broader ?b . ?b skos:broader ?a . ?c skos:broaderTransitive ?a }"
        ).boolean
        or not store.query("ASK { ?c skos:broader/skos:broader ?a }").boolean
    )


def test_days_sort_and_filter_whatever_the_precision(store: EmbeddedStore) -> None:
    rows = store.query(
        """SELECT ?event ?day WHERE { ?event ekip:startDate ?date ; ekip:startDay ?day
           FILTER(?day >= "2024-01-01"^^xsd:date && ?day <= "2024-12-31"^^xsd:date) }"""
    ).rows()
    dated_2024 = store.query(
        'SELECT ?event WHERE { ?event ekip:startDate ?d FILTER(STRSTARTS(STR(?d), "2024")) }'
    ).rows()
    assert {str(r["event"]) for r in rows} == {str(r["event"]) for r in dated_2024}
    assert _day("2024", last=True) == "2024-12-31" and _day("2024-02", last=True) == "2024-02-29"
    assert _day("2025-06-04", last=False) == "2025-06-04"


def test_inferred_statements_live_in_their_own_graph_with_provenance(
    store: EmbeddedStore,
) -> None:
    graph = f"<{INFERRED_GRAPH}>"
    assert count(store, f"GRAPH {graph} {{ ?x a prov:Entity }}") > 0
    assert store.query(
        f"ASK {{ {graph} prov:wasGeneratedBy ?a . ?a a prov:Activity ; prov:used ?g }}"
    ).boolean
    # Nothing the data states is repeated in the inferred graph.
    assert not store.query(
        f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {graph}) }}"
    ).boolean


def test_reasoner_on_a_small_tbox() -> None:
    from rdflib import URIRef
    from rdflib.namespace import OWL, RDF, RDFS

    a, b, c = (URIRef(f"http://example.org/{n}") for n in "abc")
    p, q, inv = (URIRef(f"http://example.org/{n}") for n in ("p", "q", "inv"))
    reasoner = Reasoner(
        [(a, RDFS.subClassOf, b), (b, RDFS.subClassOf, c), (c, RDFS.subClassOf, a),
         (p, RDFS.subPropertyOf, q), (q, OWL.inverseOf, inv)]
    )  # fmt: skip
    x, y = URIRef("http://example.org/x"), URIRef("http://example.org/y")
    inferred = reasoner.infer([(x, RDF.type, a), (x, p, y)])
    assert {(x, RDF.type, b), (x, RDF.type, c), (x, q, y), (y, inv, x)} <= inferred
    assert (x, RDF.type, a) not in inferred  # a cycle adds nothing already stated
