"""A recommendation whose source never says "draft" or "final" could not be recorded.

Symptom: every recommendation had to carry a status, so the data called most of ekip's
published recommendations "draft", which no source says. The status is now left out where
no source states it; at most one status is still enforced.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ekipgraph.cases.models import Recommendation
from ekipgraph.namespaces import EKIP, concept_iri, instance_iri
from ekipgraph.ontology import load_tbox, parse_rdf_file
from ekipgraph.project import default_layout
from ekipgraph.shapes import load_shapes, validate_data

FIXTURE = Path(__file__).parents[1] / "fixtures" / "shapes" / "valid.ttl"
REC = instance_iri("recommendation", "ai-and-cci-small-actors-ai-capacity")


def _fixture() -> Graph:
    layout = default_layout()
    graph = Graph()
    for triple in load_tbox(layout):
        graph.add(triple)
    return parse_rdf_file(FIXTURE, graph)


def test_a_recommendation_without_status_validates_but_two_statuses_do_not() -> None:
    shapes = load_shapes(default_layout().shapes_dir, lint=False)
    graph = _fixture()
    graph.remove((REC, EKIP.recommendationStatus, None))
    assert validate_data(graph, shapes).conforms
    graph.add((REC, EKIP.recommendationStatus, concept_iri("recommendation-status", "draft")))
    graph.add((REC, EKIP.recommendationStatus, concept_iri("recommendation-status", "final")))
    outcome = validate_data(graph, shapes)
    assert not outcome.conforms
    assert {r.focus for r in outcome.results} == {REC}


def test_the_authoring_model_accepts_a_recommendation_without_status() -> None:
    assert "status" not in {
        name for name, field in Recommendation.model_fields.items() if field.is_required()
    }
