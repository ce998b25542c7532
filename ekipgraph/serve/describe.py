"""What the dataset says about one resource: its document's triples and its labels.

Read straight from the pyoxigraph store by triple pattern (no SPARQL parsing), over all
graphs: a resource's document holds the triples with it as subject (blank nodes followed),
the triples that point to it, and, for a named graph's IRI, the graph's own triples.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
DCTERMS_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL_PREDICATES = (SKOS_PREF_LABEL, RDFS_LABEL, DCTERMS_TITLE)
#: Blank-node closures stop here, whatever the data looks like.
MAX_BNODE_DEPTH = 8


def is_known(store: ox.Store, iri: str) -> bool:
    """True when the IRI occurs anywhere in the dataset (subject, object or graph name)."""
    node = ox.NamedNode(iri)
    for pattern in ((node, None, None, None), (None, None, node, None)):
        if next(iter(store.quads_for_pattern(*pattern)), None) is not None:
            return True
    return store.contains_named_graph(node)


def outgoing(store: ox.Store, subject: ox.NamedNode | ox.BlankNode) -> list[ox.Triple]:
    """Triples about ``subject`` in any graph, deduplicated, with blank nodes expanded."""
    seen: set[ox.Triple] = set()
    result: list[ox.Triple] = []
    frontier = [(subject, 0)]
    while frontier:
        node, depth = frontier.pop()
        for quad in store.quads_for_pattern(node, None, None, None):
            triple = quad.triple
            if triple in seen:
                continue
            seen.add(triple)
            result.append(triple)
            if isinstance(triple.object, ox.BlankNode) and depth < MAX_BNODE_DEPTH:
                frontier.append((triple.object, depth + 1))
    return result


def incoming(store: ox.Store, target: ox.NamedNode) -> list[ox.Triple]:
    """Triples pointing at ``target`` in any graph, deduplicated."""
    seen: dict[ox.Triple, None] = {}
    for quad in store.quads_for_pattern(None, None, target, None):
        seen.setdefault(quad.triple, None)
    return list(seen)


def graph_triples(store: ox.Store, iri: str) -> list[ox.Triple]:
    """The triples of the named graph ``iri`` (empty when it is no graph name)."""
    return [quad.triple for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(iri))]


def document_triples(store: ox.Store, iri: str) -> list[ox.Triple]:
    """The RDF document of a resource: out-links, in-links and, for a graph, its content."""
    node = ox.NamedNode(iri)
    triples = dict.fromkeys(outgoing(store, node))
    triples.update(dict.fromkeys(incoming(store, node)))
    triples.update(dict.fromkeys(graph_triples(store, iri)))
    return list(triples)


def literal_in(values: Iterable[ox.Literal], languages: tuple[str, ...] = ("en", "")) -> str | None:
    """The first literal in the preferred languages (English, then untagged, then any)."""
    values = list(values)
    for language in languages:
        for value in values:
            if (value.language or "") == language:
                return value.value
    return values[0].value if values else None


def label(store: ox.Store, term: ox.NamedNode | ox.BlankNode) -> str | None:
    """A display label: skos:prefLabel, rdfs:label or dcterms:title, English first."""
    for predicate in LABEL_PREDICATES:
        values = [
            q.object
            for q in store.quads_for_pattern(term, predicate, None, None)
            if isinstance(q.object, ox.Literal)
        ]
        text = literal_in(values)
        if text:
            return text
    return None
