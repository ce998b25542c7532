"""HTML documentation of the ontology (pyLODE OntPub) and of each SKOS scheme (pyLODE VocPub)."""

from __future__ import annotations

import contextlib
import io
import logging

from rdflib import Graph


def _import_pylode_quietly():
    # pyLODE configures the root logger at DEBUG when imported; undo that so the libraries
    # loaded after it (matplotlib, pySHACL) do not flood the terminal.
    root = logging.getLogger()
    level, handlers = root.level, root.handlers[:]
    import pylode

    root.setLevel(level)
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    return pylode.OntPub, pylode.VocPub


OntPub, VocPub = _import_pylode_quietly()


def _render(profile: type, graph: Graph) -> str:
    # pyLODE prints progress to stdout; keep the CLI's own output clean.
    with contextlib.redirect_stdout(io.StringIO()):
        return str(profile(ontology=graph, sort_subjects=True).make_html())


def render_ontology_html(ontology: Graph) -> str:
    return _render(OntPub, ontology)


def render_vocabulary_html(scheme: Graph) -> str:
    return _render(VocPub, scheme)
