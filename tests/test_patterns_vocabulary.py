"""The terms of ``graph/patterns`` are the terms of ``ontology/patterns.ttl``, and what the
ontology says of them holds for what the analyses write.

Both ways, on the hand-made fixture of test_patterns.py and on the real data: every
``ekipp:`` term the output uses is defined there (declared, English label, definition,
``rdfs:isDefinedBy``), and every term defined there is used. Domains, ranges, sub-properties,
``prov:Entity`` superclasses and disjointness are checked against the output, so the
ontology cannot claim what the results do not do.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from ekipgraph.analyse import PATTERNS_GRAPH, patterns_nquads, run_patterns
from ekipgraph.build import build_from_layout
from ekipgraph.graph import module_graph_iri
from ekipgraph.namespaces import EKIPP, PATTERNS_ONTOLOGY_IRI, PREFIXES, VANN
from ekipgraph.project import default_layout
from ekipgraph.store import EmbeddedStore

# rdflib's own TriG and N-Quads parsers still call its deprecated Dataset methods.
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.*is deprecated:DeprecationWarning")

FIXTURE = Path(__file__).parent / "fixtures" / "patterns" / "dataset.trig"
LAYOUT = default_layout()
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    [path] = LAYOUT.module_files
    return Graph().parse(path)


@pytest.fixture(scope="module")
def fixture_output() -> Graph:
    store = EmbeddedStore()
    store.load_file(FIXTURE)
    return _graph(patterns_nquads(run_patterns(store)))


@pytest.fixture(scope="module")
def real() -> tuple[Dataset, Graph]:
    """The real dataset (with its inferred graph) and the patterns computed on it."""
    nquads = build_from_layout(LAYOUT).nquads
    dataset = Dataset()
    dataset.parse(data=nquads, format="nquads")
    return dataset, _graph(patterns_nquads(run_patterns(EmbeddedStore.from_nquads(nquads))))


def _graph(nquads: str) -> Graph:
    dataset = Dataset()
    dataset.parse(data=nquads, format="nquads")
    graph = Graph()
    graph += dataset.graph(PATTERNS_GRAPH)
    assert len(graph) == len(nquads.splitlines())  # nothing outside graph/patterns
    return graph


def own_terms_used(output: Graph) -> set[URIRef]:
    """The ``ekipp:`` IRIs in any position, as predicates and classes above all."""
    return {
        term
        for triple in output
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(str(EKIPP))
    }


def defined_terms(ontology: Graph) -> set[URIRef]:
    return {
        term
        for kind in KINDS
        for term in ontology.subjects(RDF.type, kind)
        if isinstance(term, URIRef) and str(term).startswith(str(EKIPP))
    }


def english(ontology: Graph, term: URIRef, predicate: URIRef) -> list[Literal]:
    return [
        value
        for value in ontology.objects(term, predicate)
        if isinstance(value, Literal) and value.language == "en" and str(value).strip()
    ]


def members(ontology: Graph, node) -> set:
    """A class or the classes of an ``owl:unionOf``."""
    if isinstance(node, BNode):
        return set(Collection(ontology, ontology.value(node, OWL.unionOf)))
    return {node}


def types_of(graph: Graph | Dataset) -> dict:
    found: dict = defaultdict(set)
    triples: Iterator = (
        ((s, p, o) for s, p, o, _ in graph.quads((None, RDF.type, None, None)))
        if isinstance(graph, Dataset)
        else graph.triples((None, RDF.type, None))
    )
    for s, _, o in triples:
        found[s].add(o)
    return found


@pytest.fixture(params=["fixture", "real"])
def which_output(
    request: pytest.FixtureRequest, fixture_output: Graph, real: tuple[Dataset, Graph]
) -> tuple[str, Graph]:
    """The patterns output of the hand-made fixture, then of the real data."""
    return request.param, fixture_output if request.param == "fixture" else real[1]


def test_every_term_the_output_uses_is_defined_with_an_english_label_and_definition(
    ontology: Graph, which_output: tuple[str, Graph]
) -> None:
    _, output = which_output
    used = own_terms_used(output)
    assert used, "the output uses no ekipp: term"
    undefined = used - defined_terms(ontology)
    assert not undefined, f"used but not defined in ontology/patterns.ttl: {sorted(undefined)}"
    for term in used:
        assert english(ontology, term, RDFS.label), f"{term} has no English label"
        assert english(ontology, term, SKOS.definition), f"{term} has no English definition"
        assert (term, RDFS.isDefinedBy, PATTERNS_ONTOLOGY_IRI) in ontology, term


def test_every_defined_term_is_used(
    ontology: Graph, fixture_output: Graph, real: tuple[Dataset, Graph]
) -> None:
    # The fixture was made to give every kind of result; the real data may not (yet).
    assert defined_terms(ontology) == own_terms_used(fixture_output)
    assert own_terms_used(real[1]) <= own_terms_used(fixture_output)


def test_the_ontology_is_the_module_the_build_puts_into_the_tbox(
    ontology: Graph, real: tuple[Dataset, Graph]
) -> None:
    header = next(ontology.subjects(RDF.type, OWL.Ontology))
    assert header == PATTERNS_ONTOLOGY_IRI
    prefix = ontology.value(header, VANN.preferredNamespacePrefix)
    assert (
        PREFIXES[str(prefix)]
        == str(EKIPP)
        == str(ontology.value(header, VANN.preferredNamespaceUri))
    )
    in_dataset = Graph()
    in_dataset += real[0].graph(module_graph_iri("patterns"))
    assert isomorphic(in_dataset, ontology)
    # graph/patterns holds results and provenance, not the vocabulary again
    assert not set(real[1].subjects(RDF.type, OWL.Class))
    assert (PATTERNS_GRAPH, DCTERMS.conformsTo, PATTERNS_ONTOLOGY_IRI) in real[1]


def test_domains_ranges_and_subproperties_hold_for_the_output(
    ontology: Graph, which_output: tuple[str, Graph], real: tuple[Dataset, Graph]
) -> None:
    which, output = which_output
    own_types = types_of(output)
    # The things results are about are typed by the dataset (with its inferred graph).
    data_types = types_of(real[0]) if which == "real" else None
    checked = 0
    for prop in defined_terms(ontology) & own_terms_used(output):
        statements = list(output.subject_objects(prop))
        for domain in ontology.objects(prop, RDFS.domain):
            allowed = members(ontology, domain)
            for subject, _ in statements:
                assert own_types[subject] & allowed, (prop, subject, "outside the domain")
                checked += 1
        for range_ in ontology.objects(prop, RDFS.range):
            allowed = members(ontology, range_)
            for _, value in statements:
                if isinstance(value, Literal):
                    plain = RDF.langString if value.language else XSD_STRING  # RDF 1.1
                    datatype = value.datatype or plain
                    assert datatype in allowed, (prop, value, "outside the range")
                elif all(str(c).startswith(str(EKIPP)) for c in allowed):
                    assert own_types[value] & allowed, (prop, value, "outside the range")
                elif data_types is not None:
                    assert data_types[value] & allowed, (prop, value, "outside the range")
                else:
                    continue
                checked += 1
        for parent in ontology.objects(prop, RDFS.subPropertyOf):
            for subject, value in statements:
                assert (subject, parent, value) in output, (prop, parent, subject, value)
    assert checked > 100


@pytest.mark.parametrize("which", ["fixture", "real"])
def test_results_are_prov_entities_exactly_where_the_ontology_says_and_of_one_kind(
    which: str, ontology: Graph, fixture_output: Graph, real: tuple[Dataset, Graph]
) -> None:
    output = fixture_output if which == "fixture" else real[1]
    entity_classes = set(ontology.subjects(RDFS.subClassOf, PROV.Entity))
    own_classes = {c for c in defined_terms(ontology) if (c, RDF.type, OWL.Class) in ontology}
    assert entity_classes & own_classes == own_classes  # every result class is an entity
    for subject, classes in types_of(output).items():
        own = classes & own_classes
        assert len(own) <= 1, (subject, own)  # the classes are pairwise disjoint
        if own:
            assert PROV.Entity in classes, subject
    [disjoint] = ontology.subjects(RDF.type, OWL.AllDisjointClasses)
    assert members_of_list(ontology, disjoint) == own_classes


def members_of_list(ontology: Graph, node) -> set:
    return set(Collection(ontology, ontology.value(node, OWL.members)))
