"""Symptom: the HTML pages of all 13 concept schemes (pyLODE VocPub) listed no concepts at
all. Each page now shows every concept of its scheme, with its label in every language."""

from __future__ import annotations

import html

import pytest
from rdflib import Literal
from rdflib.namespace import SKOS

from ekipgraph.docs import render_vocabulary_html
from ekipgraph.ontology import load_vocabularies
from ekipgraph.project import default_layout

VOCABULARIES = load_vocabularies(default_layout())


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.name)
def test_scheme_page_lists_every_concept_in_every_language(vocabulary) -> None:
    page = render_vocabulary_html(vocabulary.graph)
    concepts = set(vocabulary.graph.subjects(SKOS.inScheme, None))
    assert concepts
    assert page.count('class="concept"') == len(concepts)
    text = html.unescape(page)
    for concept in concepts:
        assert f'id="{str(concept).rsplit("/", 1)[1]}"' in page
        for label in vocabulary.graph.objects(concept, SKOS.prefLabel):
            assert isinstance(label, Literal)
            assert str(label) in text, (concept, label.language)
