"""What every check needs to know about the graph it looks at.

:class:`CheckedGraph` wraps an rdflib graph with the questions the FOOPS!, OOPS! and
ROBOT checks keep asking: which node is the ontology header, which terms are our own
(IRIs in the ekip namespace), what they are declared as, and their labels per language.
Answers are computed once per graph and shared by all checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cached_property

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from ekipgraph.namespaces import EKIP, PREFIXES

OBO = Namespace("http://purl.obolibrary.org/obo/")
#: obo:IAO_0000115 "definition" and obo:IAO_0000118 "alternative label", which FOOPS! accepts.
IAO_DEFINITION = OBO.IAO_0000115
IAO_ALTERNATIVE_LABEL = OBO.IAO_0000118

CLASS_TYPES = frozenset({OWL.Class, RDFS.Class})
OBJECT_PROPERTY_TYPES = frozenset({OWL.ObjectProperty})
DATATYPE_PROPERTY_TYPES = frozenset({OWL.DatatypeProperty})
PROPERTY_TYPES = frozenset(
    {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property}
)

#: Positions in which a term is used as a class (the object of these predicates).
CLASS_POSITIONS = frozenset(
    {
        RDFS.subClassOf,
        OWL.equivalentClass,
        OWL.disjointWith,
        RDFS.domain,
        OWL.someValuesFrom,
        OWL.allValuesFrom,
        OWL.onClass,
        OWL.complementOf,
    }
)
#: Positions in which a term is used as a property (the object of these predicates).
PROPERTY_POSITIONS = frozenset(
    {RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf, OWL.onProperty}
)
#: Predicates whose list objects are lists of classes.
CLASS_LIST_PREDICATES = frozenset(
    {OWL.unionOf, OWL.intersectionOf, OWL.disjointUnionOf, OWL.members}
)


def local_name(term: Node) -> str:
    text = str(term)
    for separator in ("#", "/"):
        if separator in text:
            text = text.rsplit(separator, 1)[-1]
    return text


def lang_of(value: Literal) -> str:
    """The language tag of a literal, ``""`` when it has none."""
    return value.language or ""


def is_true(value: Node | None) -> bool:
    return isinstance(value, Literal) and str(value).strip().lower() == "true"


class CheckedGraph:
    """A graph under check, with the ekip namespace that tells own terms from reused ones."""

    def __init__(self, graph: Graph, source: str = "", namespace: str = str(EKIP)) -> None:
        self.graph = graph
        self.source = source
        self.namespace = namespace
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri, override=False)

    # -- the ontology header ------------------------------------------------------

    @cached_property
    def ontology_nodes(self) -> list[Node]:
        return sorted(self.graph.subjects(RDF.type, OWL.Ontology), key=str)

    @cached_property
    def ontology_iri(self) -> URIRef | None:
        """The IRI of the (first) named ``owl:Ontology``, ``None`` when there is none."""
        named = [node for node in self.ontology_nodes if isinstance(node, URIRef)]
        return named[0] if named else None

    def header_values(self, predicates: Iterable[URIRef]) -> list[Node]:
        if self.ontology_iri is None:
            return []
        return [v for p in predicates for v in self.graph.objects(self.ontology_iri, p)]

    # -- own terms ----------------------------------------------------------------

    def is_own(self, term: Node) -> bool:
        return isinstance(term, URIRef) and str(term).startswith(self.namespace)

    def declared(self, types: Iterable[URIRef]) -> set[URIRef]:
        """Own terms typed as any of ``types``."""
        subjects = (s for t in types for s in self.graph.subjects(RDF.type, t))
        return {s for s in subjects if isinstance(s, URIRef) and self.is_own(s)}

    @cached_property
    def classes(self) -> set[URIRef]:
        return self.declared(CLASS_TYPES)

    @cached_property
    def object_properties(self) -> set[URIRef]:
        return self.declared(OBJECT_PROPERTY_TYPES)

    @cached_property
    def datatype_properties(self) -> set[URIRef]:
        return self.declared(DATATYPE_PROPERTY_TYPES)

    @cached_property
    def properties(self) -> set[URIRef]:
        """Own properties of any kind (object, datatype, annotation, plain rdf:Property)."""
        return self.declared(PROPERTY_TYPES)

    @cached_property
    def vocabulary_terms(self) -> set[URIRef]:
        """Own classes, object and datatype properties: the terms FOOPS! VOC3/VOC4 count."""
        return self.classes | self.object_properties | self.datatype_properties

    @cached_property
    def used_as_class(self) -> set[URIRef]:
        """IRIs used in a class position: typed with, subclassed, in domains, ranges, lists."""
        used: set[Node] = set()
        for s, p, o in self.graph:
            if p == RDF.type and o not in CLASS_TYPES | PROPERTY_TYPES:
                used.add(o)
            elif p in CLASS_POSITIONS:
                used.add(o)
                if p in (RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith):
                    used.add(s)
            elif p == RDFS.range and (s, RDF.type, OWL.DatatypeProperty) not in self.graph:
                used.add(o)  # a datatype property's range is a datatype, not a class
            elif p in CLASS_LIST_PREDICATES:
                used.update(self.list_items(o))
        return {t for t in used if isinstance(t, URIRef)}

    @cached_property
    def used_as_property(self) -> set[URIRef]:
        """IRIs used as a predicate or in a property position of an axiom."""
        return {p for p in self.graph.predicates() if isinstance(p, URIRef)} | self.axiom_properties

    @cached_property
    def axiom_properties(self) -> set[URIRef]:
        """IRIs used as properties in axioms: sub/equivalent/inverse, restrictions, chains."""
        used: set[Node] = set()
        for s, p, o in self.graph:
            if p in PROPERTY_POSITIONS:
                used.add(o)
                if p in (RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf):
                    used.add(s)
            elif p in (RDFS.domain, RDFS.range):
                used.add(s)
            elif p == OWL.propertyChainAxiom:
                used.add(s)
                used.update(self.list_items(o))
        return {t for t in used if isinstance(t, URIRef)}

    # -- annotations ----------------------------------------------------------------

    def literals(self, term: Node, predicates: Iterable[URIRef]) -> list[Literal]:
        return [
            v for p in predicates for v in self.graph.objects(term, p) if isinstance(v, Literal)
        ]

    def has_literal(self, term: Node, predicates: Iterable[URIRef]) -> bool:
        return bool(self.literals(term, predicates))

    def is_deprecated(self, term: Node) -> bool:
        return any(is_true(v) for v in self.graph.objects(term, OWL.deprecated))

    # -- structure ------------------------------------------------------------------

    def list_items(self, head: Node) -> list[Node]:
        if not isinstance(head, BNode | URIRef):
            return []
        return list(Collection(self.graph, head))

    def named_superclasses(self, cls: Node) -> Iterator[URIRef]:
        for parent in self.graph.objects(cls, RDFS.subClassOf):
            if isinstance(parent, URIRef):
                yield parent

    # -- messages -------------------------------------------------------------------

    def show(self, term: Node) -> str:
        """A short, readable name: a CURIE where a prefix is bound, else the IRI."""
        if isinstance(term, URIRef):
            try:
                return self.graph.namespace_manager.curie(term, generate=False)
            except (KeyError, ValueError):
                return f"<{term}>"
        return str(term)

    def show_all(self, terms: Iterable[Node], limit: int = 12) -> str:
        names = sorted({self.show(t) for t in terms})
        more = len(names) - limit
        return ", ".join(names[:limit]) + (f" and {more} more" if more > 0 else "")
