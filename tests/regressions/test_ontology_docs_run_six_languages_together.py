"""Symptom: the ontology's HTML documentation (pyLODE) ran six languages together in
headings and the table of contents ("ActorActeurAttoreActorAktérAktör"), had a Swedish
<title>, and four term anchors did not match their IRIs (#InnovationProject was
#Innovationproject)."""

from __future__ import annotations

import re

from rdflib import Graph
from rdflib.namespace import RDF

from ekipgraph.docs import render_ontology_html
from ekipgraph.namespaces import EKIP
from ekipgraph.project import default_layout


def test_ontology_page_is_english_with_iri_anchors() -> None:
    ontology = Graph().parse(default_layout().ontology_file)
    page = render_ontology_html(ontology)
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.startswith("ekip ontology"), title
    heading = re.search(r'id="Actor">\s*<h3>([^<]*)<', page).group(1)
    assert heading.strip() == "Actor"
    anchors = set(re.findall(r'\bid="([^"]+)"', page))
    for term in set(ontology.subjects(RDF.type, None)):
        if str(term).startswith(str(EKIP)):
            assert str(term)[len(str(EKIP)) :] in anchors, term
    assert set(re.findall(r'href="#([^"]+)"', page)) <= anchors  # no link lost its target
