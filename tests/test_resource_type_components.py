"""The resource-type scheme is topped by ekip's four components of an innovation ecosystem
(infrastructure, working models, expertise, funding), so every need, strength and gap groups
under exactly one of them, the way ekip groups them."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from ekipgraph.project import default_layout

SCHEME = URIRef("https://w3id.org/ekip/vocab/resource-type")
BASE = str(SCHEME) + "/"
COMPONENTS = {BASE + name for name in ("infrastructure", "working-models", "expertise", "funding")}


def scheme() -> Graph:
    return Graph().parse(default_layout().vocab_dir / "resource-type.ttl")


def test_the_top_level_is_ekips_four_components() -> None:
    graph = scheme()
    assert {str(c) for c in graph.objects(SCHEME, SKOS.hasTopConcept)} == COMPONENTS
    assert {str(c) for c in graph.subjects(SKOS.topConceptOf, SCHEME)} == COMPONENTS
    for component in COMPONENTS:
        assert (URIRef(component), SKOS.broader, None) not in graph


def test_every_resource_type_falls_under_exactly_one_component() -> None:
    graph = scheme()
    concepts = set(graph.subjects(SKOS.inScheme, SCHEME)) & set(
        graph.subjects(RDF.type, SKOS.Concept)
    )
    assert len(concepts) > len(COMPONENTS)
    for concept in concepts:
        ancestors = {str(a) for a in graph.transitive_objects(concept, SKOS.broader)}
        assert len(ancestors & COMPONENTS) == 1, concept
        for parent in graph.objects(concept, SKOS.broader):
            assert (parent, SKOS.narrower, concept) in graph, (parent, concept)
