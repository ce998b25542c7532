"""Loading the ontology and its SKOS vocabularies (the TBox) from the project files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ekipgraph.namespaces import EKIP, PREFIXES
from ekipgraph.project import ProjectLayout


class RDFSourceError(ValueError):
    """An RDF file could not be parsed; the message names the file and the parser's position."""


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def parse_rdf_file(path: Path, graph: Graph | None = None) -> Graph:
    """Parse one RDF file (format from its suffix) into ``graph``; errors name the file."""
    graph = graph if graph is not None else bind_prefixes(Graph())
    try:
        graph.parse(path)
    except Exception as error:  # rdflib raises many unrelated types for bad syntax
        raise RDFSourceError(f"{path}: cannot parse: {error}") from error
    return graph


@dataclass(frozen=True)
class Vocabulary:
    """One SKOS concept scheme and the file it came from."""

    name: str
    path: Path
    graph: Graph


@dataclass(frozen=True)
class OntologyModule:
    """An ontology of its own beside ``ekip.ttl`` (``ontology/patterns.ttl``)."""

    name: str
    path: Path
    graph: Graph


def load_ontology(layout: ProjectLayout) -> Graph:
    layout.require(layout.ontology_file)
    return parse_rdf_file(layout.ontology_file)


def load_modules(layout: ProjectLayout) -> list[OntologyModule]:
    layout.require(*layout.module_files)
    return [OntologyModule(path.stem, path, parse_rdf_file(path)) for path in layout.module_files]


def load_vocabularies(layout: ProjectLayout) -> list[Vocabulary]:
    return [Vocabulary(path.stem, path, parse_rdf_file(path)) for path in layout.vocab_files()]


def load_tbox(layout: ProjectLayout) -> Graph:
    """The ontology and every concept scheme in one graph."""
    graph = load_ontology(layout)
    for path in layout.vocab_files():
        parse_rdf_file(path, graph)
    return graph


def own_terms(graph: Graph) -> dict[str, set]:
    """The ekip classes, object, datatype and annotation properties declared in ``graph``."""
    kinds = {
        "classes": OWL.Class,
        "object_properties": OWL.ObjectProperty,
        "datatype_properties": OWL.DatatypeProperty,
        "annotation_properties": OWL.AnnotationProperty,
    }
    return {
        kind: {s for s in graph.subjects(RDF.type, rdf_type) if str(s).startswith(str(EKIP))}
        for kind, rdf_type in kinds.items()
    }


def concept_count(graph: Graph) -> int:
    return len(set(graph.subjects(RDF.type, SKOS.Concept)))


def label_of(graph: Graph, term, lang: str = "en") -> str:
    """A display label: rdfs:label or skos:prefLabel in ``lang``, else the IRI's local name."""
    for predicate in (SKOS.prefLabel, RDFS.label):
        for value in graph.objects(term, predicate):
            if getattr(value, "language", None) == lang:
                return str(value)
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
