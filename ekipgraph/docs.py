"""HTML documentation of the ontology (pyLODE OntPub) and of each SKOS scheme (pyLODE VocPub)."""

from __future__ import annotations

import contextlib
import io

from pylode import OntPub, VocPub
from rdflib import Graph


def _render(profile: type, graph: Graph) -> str:
    # pyLODE prints progress to stdout; keep the CLI's own output clean.
    with contextlib.redirect_stdout(io.StringIO()):
        return str(profile(ontology=graph, sort_subjects=True).make_html())


def render_ontology_html(ontology: Graph) -> str:
    return _render(OntPub, ontology)


def render_vocabulary_html(scheme: Graph) -> str:
    return _render(VocPub, scheme)
