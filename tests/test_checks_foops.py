"""Each FOOPS! file-only check fails on a twin that breaks exactly its rule."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS
from test_checks_twins import (
    FIXTURES,
    GOOD,
    ONT,
    PREFIXES,
    E,
    assert_fails,
    context,
    good_graph,
    rename,
    twin,
)

from ekipgraph.checks import foops, run_all
from ekipgraph.checks.model import FAIL, PASS
from ekipgraph.namespaces import VANN
from ekipgraph.ontology import RDFSourceError

VERSION_IRI = URIRef("https://w3id.org/ekip/ontology/0.1.0")


def run_foops(graph, expected=ONT):
    return {f.id: f for f in foops.run(context(graph), GOOD, expected)}


def test_the_sixteen_ids_match_foops():
    ids = set(run_foops(good_graph()))
    assert ids == {
        "FIND1", "HTTP1", "OM1", "OM2", "OM3", "OM4.1", "OM5.1", "OM5.2",
        "PURL1", "RDF1", "URI2", "VER1", "VOC1", "VOC2", "VOC3", "VOC4",
    }  # fmt: skip


def test_levels_are_pass_and_fail():
    good = run_foops(good_graph())
    assert {f.level for f in good.values()} == {PASS}
    broken = run_foops(twin(remove=[(ONT, DCTERMS.license, None)]))
    assert broken["OM4.1"].level == FAIL


@pytest.mark.parametrize(
    ("check_id", "broken", "fragment"),
    [
        (
            "FIND1",
            lambda: twin(remove=[(ONT, VANN.preferredNamespacePrefix, None)]),
            "Prefix declaration not found",
        ),
        (
            "HTTP1",
            lambda: rename(good_graph(), ONT, URIRef("urn:ekip:ontology")),
            "does not use http or https",
        ),
        (
            "OM1",
            lambda: twin(remove=[(ONT, DCTERMS.license, None)]),
            "The following minimum metadata was not found: license",
        ),
        (
            "OM1",
            lambda: twin(remove=[(ONT, OWL.versionIRI, None), (ONT, DCTERMS.creator, None)]),
            "not found: version iri, author",
        ),
        (
            "OM2",
            lambda: twin(remove=[(ONT, DCTERMS.bibliographicCitation, None)]),
            "The following recommended metadata was not found: citation",
        ),
        (
            "OM3",
            lambda: twin(remove=[(ONT, FOAF.logo, None)]),
            "The following detailed metadata was not found: logo",
        ),
        (
            "OM4.1",
            lambda: twin(remove=[(ONT, DCTERMS.license, None)]),
            "License or rights not found",
        ),
        (
            "OM5.1",
            lambda: twin(remove=[(ONT, DCTERMS.created, None)]),
            "basic provenance metadata was not found: creation date",
        ),
        (
            "OM5.2",
            lambda: twin(remove=[(ONT, DCTERMS.publisher, None)]),
            "detailed provenance metadata was not found: publisher",
        ),
        (
            "PURL1",
            lambda: rename(good_graph(), ONT, URIRef("https://example.org/ekip")),
            "is not on a persistent-URL service",
        ),
        (
            "URI2",
            lambda: rename(good_graph(), ONT, URIRef("https://w3id.org/ekip/ontologies")),
            "differs from <https://w3id.org/ekip/ontology>",
        ),
        (
            "VER1",
            lambda: twin(remove=[(ONT, OWL.versionIRI, None)], add=[(ONT, OWL.versionIRI, ONT)]),
            "is the same as the ontology IRI",
        ),
        ("VER1", lambda: twin(remove=[(ONT, OWL.versionIRI, None)]), "Version IRI not found"),
        (
            "VOC1",
            lambda: twin(remove=[(ONT, None, None)], add=[(ONT, RDF.type, OWL.Ontology)]),
            "does not reuse vocabularies for metadata",
        ),
        (
            "VOC3",
            lambda: twin(remove=[(E.Place, RDFS.label, None)]),
            "missing on: ekip:Place",
        ),
        (
            "VOC4",
            lambda: twin(remove=[(E.Place, SKOS.definition, None)]),
            "missing on: ekip:Place",
        ),
    ],
)
def test_check_fails_on_its_broken_twin(check_id, broken, fragment):
    finding = run_foops(broken())[check_id]
    assert_fails(finding, fragment)
    assert finding.blocking


def test_voc2_fails_for_an_ontology_that_reuses_nothing():
    isolated = good_graph()
    isolated.remove((None, None, None))
    isolated.parse(
        data=PREFIXES
        + """<https://w3id.org/ekip/ontology> a owl:Ontology .
        ekip:Thing a owl:Class ; rdfs:label "Thing"@en ; rdfs:comment "A thing."@en .""",
        format="turtle",
    )
    assert_fails(run_foops(isolated)["VOC2"], "Could not find any imported or reused")


def test_voc2_passes_on_owl_imports_alone():
    graph = twin(add=[(ONT, OWL.imports, URIRef("http://www.w3.org/ns/prov-o#"))])
    assert run_foops(graph)["VOC2"].message.startswith("The ontology imports")


def test_voc3_names_the_offending_term_and_coverage():
    finding = run_foops(twin(remove=[(E.Place, RDFS.label, None)]))["VOC3"]
    assert finding.terms == (str(E.Place),)
    assert "found for 90% of 10 terms" in finding.message


def test_om4_1_accepts_a_rights_statement_instead_of_a_license():
    graph = twin(
        remove=[(ONT, DCTERMS.license, None)],
        add=[(ONT, DCTERMS.rights, Literal("© ekip contributors"))],
    )
    finding = run_foops(graph)["OM4.1"]
    assert finding.passed and "rights statement" in finding.message


def test_om2_reports_a_missing_contributor_without_failing():
    finding = run_foops(twin(remove=[(ONT, DCTERMS.contributor, None)]))["OM2"]
    assert finding.passed and "not penalised: no contributor" in finding.message


def test_uri2_compares_with_the_published_iri_by_default():
    graph = rename(good_graph(), ONT, URIRef("https://w3id.org/ekip/onto"))
    assert not foops.uri2_consistent_ids(context(graph)).passed


def test_rdf1_fails_on_a_file_that_does_not_parse():
    graph, finding = foops.rdf1_availability(FIXTURES / "unparsable.ttl")
    assert graph is None
    assert_fails(finding, "unparsable.ttl does not parse")


def test_rdf1_passes_on_the_good_file():
    graph, finding = foops.rdf1_availability(GOOD)
    assert graph is not None and finding.passed


def test_run_all_refuses_an_unparsable_ontology():
    with pytest.raises(RDFSourceError, match=r"unparsable\.ttl"):
        run_all(FIXTURES / "unparsable.ttl", [], with_reasoner=False)
