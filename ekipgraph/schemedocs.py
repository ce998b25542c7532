"""The HTML page of one SKOS concept scheme, in the manner of Skosmos: the concepts as a
tree from the top concepts down, each with its labels in every language, definitions,
notations and mappings (links to NACE, ESSnet-Culture, UNESCO FCS and the other schemes),
and a search box that filters the tree in the page itself (no server, no network).

pyLODE's VocPub profile, measured on these schemes, lists none of their concepts, so the
page is the project's own: one jinja2 template, the CSS and script inline, anchors equal
to the concepts' last IRI segment (``#seed-funding`` for ``…/resource-type/seed-funding``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import IdentifiedNode, Identifier, Node

TEMPLATES = Path(__file__).parent / "templates"
MAPPINGS = {
    SKOS.exactMatch: "exact match",
    SKOS.closeMatch: "close match",
    SKOS.broadMatch: "broader match",
    SKOS.narrowMatch: "narrower match",
    SKOS.relatedMatch: "related match",
    SKOS.related: "related",
}
NOTES = {
    SKOS.scopeNote: "scope note",
    SKOS.note: "note",
    SKOS.example: "example",
    SKOS.historyNote: "history note",
    SKOS.editorialNote: "editorial note",
}


@dataclass
class Text:
    language: str
    value: str


@dataclass
class Link:
    iri: str
    label: str
    href: str


@dataclass
class ConceptView:
    iri: str
    anchor: str
    label: str
    labels: list[Text] = field(default_factory=list)  # every prefLabel, English first
    alt_labels: list[Text] = field(default_factory=list)
    definitions: list[Text] = field(default_factory=list)
    notes: list[tuple[str, Text]] = field(default_factory=list)
    notations: list[str] = field(default_factory=list)
    mappings: list[tuple[str, Link]] = field(default_factory=list)
    children: list[ConceptView] = field(default_factory=list)

    @property
    def search_text(self) -> str:
        words = [t.value for t in self.labels + self.alt_labels] + self.notations
        return " ".join(words).lower()


def _texts(graph: Graph, subject: Node, predicate: URIRef) -> list[Text]:
    values = [v for v in graph.objects(subject, predicate) if isinstance(v, Literal)]
    texts = [Text(v.language or "", str(v)) for v in values]
    return sorted(texts, key=lambda t: (not t.language.lower().startswith("en"), t.language))


def _english(texts: list[Text], fallback: str) -> str:
    return texts[0].value if texts else fallback


def _label_of(context: Graph, iri: Node) -> str:
    for predicate in (SKOS.prefLabel, DCTERMS.title, RDFS.label):
        texts = _texts(context, iri, predicate)
        if texts:
            return texts[0].value
    return str(iri)


def _href(iri: str, scheme: str) -> str:
    """A link to a concept: inside this page when it is ours, to its scheme's page when it
    is in another ekip scheme (pages sit side by side), else the IRI itself."""
    if iri.startswith(scheme + "/"):
        return "#" + iri[len(scheme) + 1 :]
    if iri.startswith("https://w3id.org/ekip/vocab/"):
        other, _, anchor = iri[len("https://w3id.org/ekip/vocab/") :].partition("/")
        return f"{other}.html" + (f"#{anchor}" if anchor else "")
    return iri


def scheme_view(scheme_graph: Graph, context: Graph | None = None) -> dict:
    """What the template shows: the scheme's metadata and its concept tree."""
    context = context if context is not None else scheme_graph
    scheme = next(scheme_graph.subjects(RDF.type, SKOS.ConceptScheme))
    scheme_iri = str(scheme)
    # (Every subject is an IdentifiedNode, and so is every object that is a concept.)
    concepts = {
        c
        for c in scheme_graph.subjects(RDF.type, SKOS.Concept)
        if isinstance(c, IdentifiedNode)
        and (
            (c, SKOS.inScheme, scheme) in scheme_graph
            or (c, SKOS.topConceptOf, scheme) in scheme_graph
        )
    }
    narrower: dict[IdentifiedNode, set[IdentifiedNode]] = {c: set() for c in concepts}
    for concept in concepts:
        for parent in scheme_graph.objects(concept, SKOS.broader):
            if isinstance(parent, IdentifiedNode) and parent in narrower:
                narrower[parent].add(concept)
        for child in scheme_graph.objects(concept, SKOS.narrower):
            if isinstance(child, IdentifiedNode) and child in concepts:
                narrower[concept].add(child)
    tops = concepts.intersection(scheme_graph.objects(scheme, SKOS.hasTopConcept))
    tops |= concepts.intersection(scheme_graph.subjects(SKOS.topConceptOf, scheme))

    def view(concept: IdentifiedNode, path: frozenset[IdentifiedNode]) -> ConceptView:
        labels = _texts(scheme_graph, concept, SKOS.prefLabel)
        iri = str(concept)
        result = ConceptView(
            iri=iri,
            anchor=iri[len(scheme_iri) + 1 :] if iri.startswith(scheme_iri + "/") else iri,
            label=_english(labels, iri),
            labels=labels,
            alt_labels=_texts(scheme_graph, concept, SKOS.altLabel),
            definitions=_texts(scheme_graph, concept, SKOS.definition),
            notations=sorted(str(n) for n in scheme_graph.objects(concept, SKOS.notation)),
        )
        for predicate, name in NOTES.items():
            result.notes += [(name, text) for text in _texts(scheme_graph, concept, predicate)]
        for predicate, name in MAPPINGS.items():
            targets = (
                t for t in scheme_graph.objects(concept, predicate) if isinstance(t, Identifier)
            )
            for target in sorted(targets):
                link = Link(str(target), _label_of(context, target), _href(str(target), scheme_iri))
                result.mappings.append((name, link))
        children = sorted(narrower[concept] - path, key=lambda c: _sort_key(scheme_graph, c))
        result.children = [view(child, path | {concept}) for child in children]
        return result

    tree = [view(c, frozenset()) for c in sorted(tops, key=lambda c: _sort_key(scheme_graph, c))]
    placed: set[str] = set()

    def collect(nodes: list[ConceptView]) -> None:
        for node in nodes:
            placed.add(node.iri)
            collect(node.children)

    collect(tree)
    loose = sorted(
        (c for c in concepts if str(c) not in placed), key=lambda c: _sort_key(scheme_graph, c)
    )
    titles = _texts(scheme_graph, scheme, SKOS.prefLabel) or _texts(
        scheme_graph, scheme, DCTERMS.title
    )
    return {
        "iri": scheme_iri,
        "title": _english(titles, scheme_iri),
        "titles": titles,
        "definitions": _texts(scheme_graph, scheme, SKOS.definition),
        "version": next((str(v) for v in scheme_graph.objects(scheme, OWL.versionInfo)), ""),
        "version_iri": next((str(v) for v in scheme_graph.objects(scheme, OWL.versionIRI)), ""),
        "licence": next((str(v) for v in scheme_graph.objects(scheme, DCTERMS.license)), ""),
        "creators": [_label_of(context, c) for c in scheme_graph.objects(scheme, DCTERMS.creator)],
        "created": next((str(v) for v in scheme_graph.objects(scheme, DCTERMS.created)), ""),
        "modified": next((str(v) for v in scheme_graph.objects(scheme, DCTERMS.modified)), ""),
        "sources": sorted(str(s) for s in scheme_graph.objects(scheme, DCTERMS.source)),
        "tree": tree,
        "loose": [view(c, frozenset()) for c in loose],
        "count": len(concepts),
    }


def _sort_key(graph: Graph, concept: Node) -> tuple[str, str]:
    notations = sorted(str(n) for n in graph.objects(concept, SKOS.notation))
    labels = _texts(graph, concept, SKOS.prefLabel)
    return (notations[0] if notations else "", _english(labels, str(concept)).lower())


_ENVIRONMENT = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_scheme_html(scheme_graph: Graph, context: Graph | None = None) -> str:
    """The page of the scheme in ``scheme_graph``; ``context`` (the ontology and every
    scheme) gives the labels of mapping targets and agents."""
    return _ENVIRONMENT.get_template("scheme.html").render(**scheme_view(scheme_graph, context))
