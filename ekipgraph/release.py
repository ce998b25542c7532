"""Release artefacts of the ontology and vocabularies: every RDF format, a JSON-LD context
and HTML documentation, written to a folder (normally ``dist/``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from ekipgraph.docs import render_ontology_html, render_vocabulary_html
from ekipgraph.namespaces import EKIP, PREFIXES, module_iri, module_namespace
from ekipgraph.ontology import OntologyModule, Vocabulary

#: file suffix -> rdflib serialiser name
RDF_FORMATS: dict[str, str] = {
    "ttl": "turtle",
    "owl": "xml",
    "jsonld": "json-ld",
    "nt": "nt",
}


@dataclass
class ReleaseSummary:
    files: list[Path] = field(default_factory=list)
    ontology_triples: int = 0
    vocabulary_triples: dict[str, int] = field(default_factory=dict)
    module_triples: dict[str, int] = field(default_factory=dict)


def jsonld_context(ontology: Graph) -> dict:
    """A JSON-LD context naming every ekip term, with object properties typed ``@id``."""
    context: dict[str, object] = {prefix: iri for prefix, iri in sorted(PREFIXES.items())}
    terms: dict[str, object] = {}
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        if str(prop).startswith(str(EKIP)):
            terms[str(prop)[len(str(EKIP)) :]] = {"@id": str(prop), "@type": "@id"}
    for prop in ontology.subjects(RDF.type, OWL.DatatypeProperty):
        if not str(prop).startswith(str(EKIP)):
            continue
        name = str(prop)[len(str(EKIP)) :]
        ranges = set(ontology.objects(prop, RDFS.range))
        if RDF.langString in ranges:
            terms[name] = {"@id": str(prop), "@container": "@language"}
        elif len(ranges) == 1 and next(iter(ranges)) != RDFS.Literal:
            terms[name] = {"@id": str(prop), "@type": str(next(iter(ranges)))}
        else:
            terms[name] = {"@id": str(prop)}
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if str(cls).startswith(str(EKIP)):
            terms[str(cls)[len(str(EKIP)) :]] = str(cls)
    context.update(dict(sorted(terms.items())))
    return {"@context": context}


def serialise_all(graph: Graph, stem: Path, context: dict | None = None) -> list[Path]:
    """Write ``graph`` next to ``stem`` in every release format."""
    written = []
    for suffix, rdf_format in RDF_FORMATS.items():
        target = stem.with_suffix(f".{suffix}")
        options = {"context": context["@context"]} if (rdf_format == "json-ld" and context) else {}
        if rdf_format == "json-ld":
            options["indent"] = 2
        graph.serialize(destination=target, format=rdf_format, encoding="utf-8", **options)
        written.append(target)
    return written


def write_release(
    ontology: Graph,
    vocabularies: list[Vocabulary],
    out: Path,
    modules: Sequence[OntologyModule] = (),
) -> ReleaseSummary:
    """Write the ontology, its modules (``ontology/patterns.*``, ``docs/patterns.html``) and
    the vocabularies in every format, the context and the docs to ``out``."""
    summary = ReleaseSummary(ontology_triples=len(ontology))
    context = jsonld_context(ontology)
    (out / "ontology").mkdir(parents=True, exist_ok=True)
    (out / "vocab").mkdir(parents=True, exist_ok=True)
    (out / "docs" / "vocab").mkdir(parents=True, exist_ok=True)

    summary.files += serialise_all(ontology, out / "ontology" / "ekip", context)
    context_file = out / "ontology" / "context.jsonld"
    context_file.write_text(json.dumps(context, indent=2, ensure_ascii=False) + "\n", "utf-8")
    summary.files.append(context_file)

    docs = out / "docs" / "ontology.html"
    docs.write_text(render_ontology_html(ontology), "utf-8")
    summary.files.append(docs)

    for module in modules:
        summary.module_triples[module.name] = len(module.graph)
        summary.files += serialise_all(module.graph, out / "ontology" / module.name, context)
        page = out / "docs" / f"{module.name}.html"
        html = render_ontology_html(
            module.graph, module_iri(module.name), module_namespace(module.name)
        )
        page.write_text(html, "utf-8")
        summary.files.append(page)

    context_graph = Graph()  # labels of mapping targets and agents, across all schemes
    context_graph += ontology
    for vocabulary in vocabularies:
        context_graph += vocabulary.graph
    for vocabulary in vocabularies:
        graph = vocabulary.graph
        summary.vocabulary_triples[vocabulary.name] = len(graph)
        summary.files += serialise_all(graph, out / "vocab" / vocabulary.name, context)
        page = out / "docs" / "vocab" / f"{vocabulary.name}.html"
        page.write_text(render_vocabulary_html(graph, context_graph), "utf-8")
        summary.files.append(page)
    return summary
