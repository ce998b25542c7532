"""Symptom: the ontology's foaf:logo IRI (https://w3id.org/ekip/ontology/logo.svg) led to
no image: the release had no file at that path."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from rdflib import Graph
from rdflib.namespace import FOAF

from ekipgraph.namespaces import BASE, ONTOLOGY_IRI
from ekipgraph.project import default_layout


def test_every_logo_iri_is_an_svg_in_the_release(published_sample: Path) -> None:
    ontology = Graph().parse(default_layout().ontology_file)
    logos = list(ontology.objects(ONTOLOGY_IRI, FOAF.logo))
    assert logos
    for logo in logos:
        path = published_sample / str(logo).removeprefix(BASE)
        root = ElementTree.parse(path).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg", logo
        assert root.get("viewBox"), logo
