"""HermiT through owlready2: consistency and unsatisfiable classes."""

from __future__ import annotations

import shutil

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from test_checks_twins import GOOD, GOOD_VOCAB, IMPORTS, E, assert_fails, good_graph, twin

from ekipgraph.checks import reasoner, run_all
from ekipgraph.checks.model import Family

JAVA = shutil.which("java") is not None
if not JAVA:
    print("reasoner tests skipped: no `java` on PATH (HermiT needs a Java runtime)")
needs_java = pytest.mark.skipif(not JAVA, reason="no `java` on PATH: HermiT cannot run")

XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
ACTOR_X = URIRef("https://w3id.org/ekip/id/actor/x")


def findings(graph):
    return {f.id: f for f in reasoner.run([graph], "twin.ttl")}


@pytest.mark.java
@needs_java
def test_good_twin_is_consistent_and_satisfiable():
    result = findings(good_graph())
    assert result["consistency"].passed and result["unsatisfiable_classes"].passed
    assert result["consistency"].seconds is not None
    assert "HermiT" in result["consistency"].message


@pytest.mark.java
@needs_java
def test_class_below_two_disjoint_classes_is_unsatisfiable():
    graph = twin(turtle="ekip:PlaceActor a owl:Class ; rdfs:subClassOf ekip:Actor , ekip:Place .")
    result = findings(graph)
    assert result["consistency"].passed
    assert_fails(result["unsatisfiable_classes"], "equivalent to owl:Nothing", E.PlaceActor)
    assert result["unsatisfiable_classes"].blocking


@pytest.mark.java
@needs_java
def test_individual_in_two_disjoint_classes_is_inconsistent():
    graph = twin(add=[(ACTOR_X, RDF.type, E.Actor), (ACTOR_X, RDF.type, E.Place)])
    result = findings(graph)
    assert_fails(result["consistency"], "The ontology is inconsistent")
    assert result["consistency"].blocking
    assert result["unsatisfiable_classes"].skipped


@pytest.mark.java
@needs_java
def test_value_breaking_a_functional_property_is_inconsistent():
    graph = twin(
        add=[
            (ACTOR_X, RDF.type, E.Organisation),
            (ACTOR_X, E.foundingYear, Literal(1990)),
            (ACTOR_X, E.foundingYear, Literal(1991)),
        ]
    )
    assert not findings(graph)["consistency"].passed


@pytest.mark.java
@needs_java
def test_datatype_outside_the_owl2_map_is_ignored_and_said_so():
    graph = twin(add=[(E.foundedOn, RDF.type, OWL.DatatypeProperty),
                      (E.foundedOn, RDFS.range, XSD_DATE)])  # fmt: skip
    result = findings(graph)
    assert result["consistency"].passed
    assert "refused the datatype <http://www.w3.org/2001/XMLSchema#date>" in (
        result["consistency"].message
    )


@pytest.mark.java
@needs_java
def test_run_all_with_reasoner_checks_vocabulary_individuals_too():
    report = run_all(GOOD, [GOOD_VOCAB], with_reasoner=True, imports_dir=IMPORTS)
    assert [f.id for f in report.by_family(Family.REASONER)] == [
        "consistency",
        "unsatisfiable_classes",
    ]
    assert not report.failed, report.summary()


def test_without_java_the_reasoner_is_skipped_not_passed(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = findings(good_graph())
    for finding in result.values():
        assert finding.skipped and not finding.passed and not finding.blocking
        assert "no `java` on PATH" in finding.message


# --- Pellet: the same judgements as HermiT ------------------------------------------------


def pellet_findings(graph):
    return {f.id: f for f in reasoner.run([graph], "twin.ttl", engine="pellet")}


@pytest.mark.java
@needs_java
def test_pellet_judges_like_hermit():
    good = pellet_findings(good_graph())
    assert good["consistency"].passed and good["unsatisfiable_classes"].passed
    assert "Pellet" in good["consistency"].message
    unsatisfiable = pellet_findings(
        twin(turtle="ekip:PlaceActor a owl:Class ; rdfs:subClassOf ekip:Actor , ekip:Place .")
    )
    assert_fails(unsatisfiable["unsatisfiable_classes"], "equivalent to owl:Nothing", E.PlaceActor)
    inconsistent = pellet_findings(
        twin(add=[(ACTOR_X, RDF.type, E.Actor), (ACTOR_X, RDF.type, E.Place)])
    )
    assert_fails(inconsistent["consistency"], "The ontology is inconsistent")


@pytest.mark.java
@needs_java
def test_pellet_reads_xsd_date_that_hermit_refuses():
    graph = twin(add=[(E.foundedOn, RDF.type, OWL.DatatypeProperty),
                      (E.foundedOn, RDFS.range, XSD_DATE)])  # fmt: skip
    result = pellet_findings(graph)
    assert result["consistency"].passed and "refused" not in result["consistency"].message


def test_unknown_reasoner_is_refused():
    with pytest.raises(ValueError, match="unknown reasoner"):
        reasoner.run([good_graph()], "twin.ttl", engine="fact++")
