"""W3C Web Annotations linking every suggestion of a draft to the words it comes from.

One ``oa:Annotation`` per span: its target is an ``oa:SpecificResource`` of the source
document with two selectors, an ``oa:TextQuoteSelector`` (prefix, exact, suffix) and an
``oa:TextPositionSelector`` (start, end, counted in Unicode code points, end exclusive).
Known entities are ``oa:identifying`` with the entity's IRI as body; concepts and the
resource type of a statement ``oa:classifying`` with the concept IRI as body; new-entity
candidates and statements also carry a textual body saying what the draft proposes and
where (``dcterms:identifier`` is the ``[sN]`` key of the draft's comment). The confidence is
``itsrdf:taConfidence`` (W3C ITS 2.0, made for text-analysis results).

Annotation IRIs are ``urn:uuid:`` values derived from the document's content and the span,
so the same input gives the same annotations.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from ekipgraph.extract.draft import Suggestion
from ekipgraph.extract.pipeline import Analysis

OA = Namespace("http://www.w3.org/ns/oa#")
AS = Namespace("https://www.w3.org/ns/activitystreams#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
DCTYPES = Namespace("http://purl.org/dc/dcmitype/")
_CONTEXT = 32  # characters of prefix and suffix
_MOTIVATION = {
    "entity": OA.identifying,
    "concept": OA.classifying,
    "candidate": OA.identifying,
    "need": OA.describing,
    "strength": OA.describing,
    "gap": OA.describing,
}


def build_annotations(
    analyses: list[Analysis],
    suggestions: list[Suggestion],
    text_sources: list[str],
    original_sources: list[str],
    draft_iri: str,
    generator: str,
) -> Graph:
    """The annotation graph. ``text_sources[i]`` is the IRI of the text the positions of
    document ``i`` count in (the file, or the written main text of an HTML page);
    ``original_sources[i]`` the document it was read from."""
    graph = Graph()
    for prefix, namespace in (("oa", OA), ("as", AS), ("itsrdf", ITSRDF), ("dctypes", DCTYPES)):
        graph.bind(prefix, namespace)
    graph.bind("dcterms", DCTERMS)
    graph.bind("prov", PROV)
    software = URIRef("https://w3id.org/ekip/id/software/ekipgraph-extract")
    graph.add((software, RDF.type, AS.Application))
    graph.add((software, AS.name, Literal(generator)))
    draft = URIRef(draft_iri)
    graph.add((draft, RDF.type, DCTYPES.Text))
    graph.add((draft, DCTERMS["format"], Literal("application/yaml")))
    digests = []
    for number, analysis in enumerate(analyses):
        digest = hashlib.sha256(analysis.document.text.encode("utf-8")).hexdigest()
        digests.append(digest)
        source = URIRef(text_sources[number])
        graph.add((source, RDF.type, DCTYPES.Text))
        graph.add((source, DCTERMS["format"], Literal("text/plain")))
        graph.add((source, DCTERMS.language, Literal(analysis.language, datatype=XSD.language)))
        graph.add((draft, PROV.wasDerivedFrom, source))
        if original_sources[number] != text_sources[number]:
            original = URIRef(original_sources[number])
            graph.add((source, PROV.wasDerivedFrom, original))
            graph.add((source, DCTERMS.description, Literal("main text of the page", lang="en")))
    for suggestion in suggestions:
        for evidence in suggestion.evidence:
            analysis = analyses[evidence.document]
            _annotation(
                graph,
                suggestion,
                evidence.start,
                evidence.end,
                analysis.document.text,
                URIRef(text_sources[evidence.document]),
                digests[evidence.document],
                draft,
                software,
            )
    return graph


def _annotation(
    graph: Graph,
    suggestion: Suggestion,
    start: int,
    end: int,
    text: str,
    source: URIRef,
    digest: str,
    draft: URIRef,
    software: URIRef,
) -> None:
    name = f"{digest}:{start}:{end}:{suggestion.kind}:{suggestion.value}"
    annotation = URIRef(uuid.uuid5(uuid.NAMESPACE_URL, name).urn)
    graph.add((annotation, RDF.type, OA.Annotation))
    graph.add((annotation, OA.motivatedBy, _MOTIVATION[suggestion.kind]))
    graph.add((annotation, AS.generator, software))
    graph.add((annotation, DCTERMS.identifier, Literal(suggestion.key)))
    graph.add(
        (annotation, ITSRDF.taConfidence, Literal(suggestion.confidence, datatype=XSD.double))
    )
    if suggestion.iri:
        graph.add((annotation, OA.hasBody, URIRef(suggestion.iri)))
        if suggestion.kind == "entity":
            graph.add((annotation, ITSRDF.taIdentRef, URIRef(suggestion.iri)))
    for iri in suggestion.classes:
        graph.add((annotation, OA.hasBody, URIRef(iri)))
        graph.add((annotation, ITSRDF.taClassRef, URIRef(iri)))
    body = BNode()
    graph.add((annotation, OA.hasBody, body))
    graph.add((body, RDF.type, OA.TextualBody))
    graph.add((body, OA.hasPurpose, OA.commenting))
    graph.add((body, RDF.value, Literal(_describe(suggestion), lang="en")))
    graph.add((body, DCTERMS.isPartOf, draft))
    target = BNode()
    graph.add((annotation, OA.hasTarget, target))
    graph.add((target, RDF.type, OA.SpecificResource))
    graph.add((target, OA.hasSource, source))
    quote = BNode()
    graph.add((target, OA.hasSelector, quote))
    graph.add((quote, RDF.type, OA.TextQuoteSelector))
    graph.add((quote, OA.exact, Literal(text[start:end])))
    graph.add((quote, OA.prefix, Literal(text[max(0, start - _CONTEXT) : start])))
    graph.add((quote, OA.suffix, Literal(text[end : end + _CONTEXT])))
    position = BNode()
    graph.add((target, OA.hasSelector, position))
    graph.add((position, RDF.type, OA.TextPositionSelector))
    graph.add((position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    graph.add((position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))


def _describe(suggestion: Suggestion) -> str:
    what = {
        "entity": "known entity",
        "concept": "concept",
        "candidate": "new entity candidate",
        "need": "need statement",
        "strength": "strength statement",
        "gap": "gap statement",
    }[suggestion.kind]
    return (
        f"[{suggestion.key}] {what}: draft field {suggestion.field} = {suggestion.value} "
        f"({suggestion.note})"
    )


def file_iri(path: Path) -> str:
    return Path(path).resolve().as_uri()
