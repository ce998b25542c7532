"""Symptom: the vocabulary files had no owl:Ontology header, imports or declarations:
Protégé and the OWL API opened them as anonymous ontologies outside OWL 2 DL (1,089
profile violations, merged with the ontology: undeclared SKOS annotation properties and
skos:ConceptScheme)."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from ekipgraph.checks.profile import owl_dl_available, owl_dl_violations
from ekipgraph.project import default_layout


def test_every_vocabulary_names_itself_as_an_ontology() -> None:
    for path in default_layout().vocab_files():
        assert list(Graph().parse(path).subjects(RDF.type, OWL.Ontology)), path.name


@pytest.mark.skipif(owl_dl_available() is not None, reason=str(owl_dl_available()))
def test_owl_api_finds_no_dl_violation_in_ontology_and_vocabularies() -> None:
    layout = default_layout()
    assert owl_dl_violations(layout.ontology_file, layout.vocab_files()) == []
