"""What an HTML page shows, computed from the store: links in and out, labels, sources.

Plain data for the templates; every ekip IRI becomes a link to its local HTML document and
every other IRI an outside link.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from ekipgraph.namespaces import PREFIXES
from ekipgraph.serve import describe
from ekipgraph.serve.formats import DOCUMENT_FORMATS
from ekipgraph.serve.paths import document_href, local_path

DCTERMS = "http://purl.org/dc/terms/"
SOURCE_PREDICATES = (
    DCTERMS + "source",
    "http://www.w3.org/ns/prov#wasDerivedFrom",
    "https://schema.org/url",
    "http://xmlns.com/foaf/0.1/homepage",
)
DESCRIPTION_PREDICATES = (
    ox.NamedNode(DCTERMS + "description"),
    ox.NamedNode("http://www.w3.org/2004/02/skos/core#definition"),
    ox.NamedNode("https://w3id.org/ekip/ontology#contextSummary"),
)
MAX_LINKS_IN = 500
#: The project's prefixes and those of the dataset description, longest namespace first.
_PREFIXES = sorted(
    {
        **PREFIXES,
        "void": "http://rdfs.org/ns/void#",
        "vcard": "http://www.w3.org/2006/vcard/ns#",
        "sd": "http://www.w3.org/ns/sparql-service-description#",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    }.items(),
    key=lambda item: -len(item[1]),
)


def compact(iri: str) -> str:
    """``ekip:City``, ``void:triples``; the IRI itself when no prefix fits."""
    for prefix, namespace in _PREFIXES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


MAX_MEMBERS = 1000


#: IRIs with these schemes become links; any other (javascript:, data:, file:…) is text
LINKABLE_SCHEMES = ("http", "https", "mailto")


@dataclass(frozen=True)
class Link:
    text: str
    href: str  # empty: shown as text, not as a link
    iri: str
    local: bool


def linkable(iri: str) -> bool:
    scheme, colon, _ = iri.partition(":")
    return bool(colon) and scheme.lower() in LINKABLE_SCHEMES


@dataclass(frozen=True)
class Value:
    """A cell: a link, or a literal with its language or datatype."""

    link: Link | None = None
    text: str = ""
    note: str = ""


@dataclass
class EntityPage:
    iri: str
    title: str
    types: list[Link]
    description: str | None
    properties: list[tuple[Link, list[Value]]]
    links_in: list[tuple[Link, Link]]
    links_in_total: int
    sources: list[Link]
    graphs: list[Link]
    alternates: list[tuple[str, str, str]]  # (label, href, media type)
    members: list[Link] = field(default_factory=list)
    member_total: int = 0


def link(store: ox.Store, term: ox.NamedNode, predicate: bool = False) -> Link:
    iri = term.value
    text = compact(iri) if predicate else (describe.label(store, term) or compact(iri))
    href = document_href(iri)
    if href is None:
        href = iri if linkable(iri) else ""
        return Link(text=text, href=href, iri=iri, local=False)
    return Link(text=text, href=href, iri=iri, local=True)


def value(store: ox.Store, term: object) -> Value:
    if isinstance(term, ox.NamedNode):
        return Value(link=link(store, term))
    if isinstance(term, ox.Literal):
        if term.language:
            return Value(text=term.value, note=term.language)
        datatype = term.datatype.value
        note = "" if datatype.endswith("#string") else compact(datatype)
        return Value(text=term.value, note=note)
    if isinstance(term, ox.BlankNode):
        return Value(text=f"_:{term.value}")
    return Value(text=str(term))


def alternates(iri: str) -> list[tuple[str, str, str]]:
    return [
        (fmt.label, document_href(iri, fmt.suffix) or "", fmt.media_type)
        for fmt in DOCUMENT_FORMATS
        if fmt.rdf_format is not None
    ]


def entity_page(store: ox.Store, iri: str, source: ox.Store | None = None) -> EntityPage:
    """The page of ``iri``. ``source`` holds its triples when they are not in ``store``
    (the generated dataset description); labels always come from ``store``."""
    source = source or store
    node = ox.NamedNode(iri)
    out = [t for t in describe.outgoing(source, node) if t.subject == node]
    by_predicate: dict[str, list[object]] = defaultdict(list)
    types, sources = [], []
    for triple in out:
        p = triple.predicate.value
        if triple.predicate == describe.RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            types.append(link(store, triple.object))
            continue
        by_predicate[p].append(triple.object)
        if p in SOURCE_PREDICATES and isinstance(triple.object, ox.NamedNode):
            sources.append(link(store, triple.object))
    properties = [
        (
            link(store, ox.NamedNode(p), predicate=True),
            sorted((value(store, o) for o in objects), key=_value_key),
        )
        for p, objects in sorted(by_predicate.items(), key=lambda item: compact(item[0]))
    ]
    incoming = describe.incoming(source, node)
    links_in = sorted(
        (
            (link(store, t.subject), link(store, t.predicate, predicate=True))
            for t in incoming[:MAX_LINKS_IN]
            if isinstance(t.subject, ox.NamedNode)
        ),
        key=lambda pair: (pair[1].text, pair[0].text),
    )
    graphs = sorted(
        {
            q.graph_name.value
            for q in source.quads_for_pattern(node, None, None, None)
            if isinstance(q.graph_name, ox.NamedNode)
        }
    )
    description = None
    for predicate in DESCRIPTION_PREDICATES:
        found = [
            q.object
            for q in source.quads_for_pattern(node, predicate, None, None)
            if isinstance(q.object, ox.Literal)
        ]
        description = describe.literal_in(found)
        if description:
            break
    members: list[Link] = []
    member_total = 0
    if source.contains_named_graph(node):
        subjects = sorted(
            {
                q.subject.value
                for q in source.quads_for_pattern(None, None, None, node)
                if isinstance(q.subject, ox.NamedNode)
            }
        )
        member_total = len(subjects)
        members = [link(store, ox.NamedNode(s)) for s in subjects[:MAX_MEMBERS]]
    return EntityPage(
        iri=iri,
        title=describe.label(source, node) or describe.label(store, node) or compact(iri),
        types=sorted(types, key=lambda item: item.text),
        description=description,
        properties=properties,
        links_in=links_in,
        links_in_total=len(incoming),
        sources=sorted(set(sources), key=lambda item: item.text),
        graphs=[link(store, ox.NamedNode(g)) for g in graphs],
        alternates=alternates(iri),
        members=members,
        member_total=member_total,
    )


def _value_key(item: Value) -> tuple[str, str]:
    return (item.link.text if item.link else item.text, item.note)


@dataclass(frozen=True)
class IndexSection:
    title: str
    items: list[Link]


#: What the home page lists, by class.
INDEX_CLASSES = (
    ("Cities", "https://w3id.org/ekip/ontology#City"),
    ("City Case Descriptions", "https://w3id.org/ekip/ontology#CityCaseDescription"),
    ("Policy recommendations", "https://w3id.org/ekip/ontology#PolicyRecommendation"),
    ("Policy labs", "https://w3id.org/ekip/ontology#PolicyLab"),
    ("Workshops", "https://w3id.org/ekip/ontology#PolicyAssessmentWorkshop"),
    ("Funded projects", "https://w3id.org/ekip/ontology#FundedProject"),
    ("Organisations", "https://w3id.org/ekip/ontology#Organisation"),
    ("Countries", "https://w3id.org/ekip/ontology#Country"),
    ("Concept schemes", "http://www.w3.org/2004/02/skos/core#ConceptScheme"),
)


def index_sections(store: ox.Store) -> list[IndexSection]:
    sections = []
    for title, cls in INDEX_CLASSES:
        members = {
            q.subject.value
            for q in store.quads_for_pattern(None, describe.RDF_TYPE, ox.NamedNode(cls), None)
            if isinstance(q.subject, ox.NamedNode) and local_path(q.subject.value)
        }
        if members:
            items = [link(store, ox.NamedNode(iri)) for iri in members]
            sections.append(IndexSection(title, sorted(items, key=lambda item: item.text.lower())))
    return sections
