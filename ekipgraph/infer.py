"""The entailments a researcher expects, materialised into their own named graph.

``graph/inferred`` holds what follows from the ontology and the schemes, and nothing else:

- ``rdf:type`` closure over ``rdfs:subClassOf``, including the superclasses of the aligned
  vocabularies (PROV-O, ORG, FOAF, schema.org), so ``?x a prov:Entity`` finds portfolios;
- ``rdfs:subPropertyOf`` closure (``ekip:hasSpeaker`` gives ``ekip:hasParticipant`` and
  ``prov:wasAssociatedWith``);
- ``owl:inverseOf`` both ways (``ekip:producedBy`` gives ``ekip:produced``);
- ``skos:broaderTransitive`` / ``skos:narrowerTransitive`` as the closure of ``skos:broader``;
- ``ekip:startDay`` / ``ekip:endDay``: every start and end date as the ``xsd:date`` of the
  first and last day it can mean, so dates of any precision sort and filter together.

It is computed with Python sets over the TBox (a few hundred axioms) and one pass over the
data: linear in the number of quads, unlike a general OWL RL reasoner.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import IdentifiedNode, Node

from ekipgraph.namespaces import EKIP, GRAPH_BASE, ID_BASE

INFERRED_GRAPH = URIRef(GRAPH_BASE + "inferred")
INFERENCE_ACTIVITY = URIRef(ID_BASE + "activity/inference")

SCHEMA = "https://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"

#: Axioms of the aligned vocabularies that the ontology relies on but, aligning by IRI
#: only, does not import (from the PROV-O, FOAF, ORG, schema.org and SKOS documents).
EXTERNAL_SUBCLASSES: tuple[tuple[str, str], ...] = (
    (str(PROV.Collection), str(PROV.Entity)),
    (str(PROV.Association), str(PROV.Influence)),
    (FOAF + "Person", FOAF + "Agent"),
    (FOAF + "Organization", FOAF + "Agent"),
    (ORG + "Organization", FOAF + "Agent"),
    (ORG + "Role", str(SKOS.Concept)),
    (SCHEMA + "City", SCHEMA + "AdministrativeArea"),
    (SCHEMA + "Country", SCHEMA + "AdministrativeArea"),
    (SCHEMA + "AdministrativeArea", SCHEMA + "Place"),
    (SCHEMA + "Hackathon", SCHEMA + "Event"),
)
EXTERNAL_SUBPROPERTIES: tuple[tuple[str, str], ...] = (
    (str(PROV.wasGeneratedBy), str(PROV.wasInfluencedBy)),
    (str(PROV.wasAssociatedWith), str(PROV.wasInfluencedBy)),
    (str(PROV.wasDerivedFrom), str(PROV.wasInfluencedBy)),
    (str(PROV.hadMember), str(PROV.wasInfluencedBy)),
    (str(SKOS.broader), str(SKOS.broaderTransitive)),
    (str(SKOS.narrower), str(SKOS.narrowerTransitive)),
)
EXTERNAL_INVERSES: tuple[tuple[str, str], ...] = (
    (str(SKOS.broader), str(SKOS.narrower)),
    (str(SKOS.broaderTransitive), str(SKOS.narrowerTransitive)),
)

_TYPE = str(RDF.type)
_START, _END = str(EKIP.startDate), str(EKIP.endDate)


@dataclass(frozen=True)
class InferenceStats:
    input_triples: int
    inferred_triples: int


def _closure(edges: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Every node's strict ancestors along ``edges`` (child, parent); cycles are harmless."""
    parents: dict[str, set[str]] = {}
    for child, parent in edges:
        if child != parent:
            parents.setdefault(child, set()).add(parent)
    ancestors: dict[str, set[str]] = {}

    def visit(node: str) -> set[str]:
        if node in ancestors:
            return ancestors[node]
        ancestors[node] = set()  # guards against cycles
        found: set[str] = set()
        for parent in parents.get(node, ()):
            found.add(parent)
            found |= visit(parent)
        found.discard(node)
        ancestors[node] = found
        return found

    for node in list(parents):
        visit(node)
    return ancestors


def _day(value: str, last: bool) -> str | None:
    """``2024`` -> ``2024-01-01`` (or ``2024-12-31``), ``2024-05`` -> ``2024-05-01`` (or
    ``-31``), ``2024-05-30`` as is; None for anything else."""
    parts = value.split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1 and len(parts[0]) == 4:
            return f"{year:04d}-12-31" if last else f"{year:04d}-01-01"
        month = int(parts[1])
        if len(parts) == 2:
            day = calendar.monthrange(year, month)[1] if last else 1
            return f"{year:04d}-{month:02d}-{day:02d}"
        if len(parts) == 3:
            return f"{year:04d}-{month:02d}-{int(parts[2]):02d}"
    except (ValueError, IndexError):
        return None
    return None


class Reasoner:
    """The TBox read once; ``infer`` then takes one pass over any number of triples."""

    def __init__(self, tbox: Iterable[tuple[Node, Node, Node]]) -> None:
        subclass: list[tuple[str, str]] = list(EXTERNAL_SUBCLASSES)
        subproperty: list[tuple[str, str]] = list(EXTERNAL_SUBPROPERTIES)
        inverses: list[tuple[str, str]] = list(EXTERNAL_INVERSES)
        broader: list[tuple[str, str]] = []
        for s, p, o in tbox:
            if not (isinstance(s, URIRef) and isinstance(o, URIRef)):
                continue
            if p == RDFS.subClassOf:
                subclass.append((str(s), str(o)))
            elif p == RDFS.subPropertyOf:
                subproperty.append((str(s), str(o)))
            elif p == OWL.inverseOf:
                inverses.append((str(s), str(o)))
            elif p == SKOS.broader:
                broader.append((str(s), str(o)))
            elif p == SKOS.narrower:
                broader.append((str(o), str(s)))
        self.superclasses = _closure(subclass)
        self.superproperties = _closure(subproperty)
        self.inverse: dict[str, set[str]] = {}
        for a, b in inverses:
            self.inverse.setdefault(a, set()).add(b)
            self.inverse.setdefault(b, set()).add(a)
        self.broader = _closure(broader)

    def _predicates(self, predicate: str) -> set[str]:
        return {predicate} | self.superproperties.get(predicate, set())

    def infer(self, triples: Iterable[tuple[Node, Node, Node]]) -> set[tuple[Node, Node, Node]]:
        """The entailed triples that are not among ``triples``."""
        given: set[tuple[Node, Node, Node]] = set()
        out: set[tuple[Node, Node, Node]] = set()
        starts: dict[Node, list[str]] = {}
        ends: dict[Node, list[str]] = {}
        superclasses, inverse = self.superclasses, self.inverse
        for s, p, o in triples:
            given.add((s, p, o))
            predicate = str(p)
            if predicate == _TYPE:
                for cls in superclasses.get(str(o), ()):
                    out.add((s, RDF.type, URIRef(cls)))
                continue
            for q in self._predicates(predicate):
                if q != predicate:
                    out.add((s, URIRef(q), o))
                if isinstance(o, URIRef | BNode):
                    for r in inverse.get(q, ()):
                        for r2 in self._predicates(r):
                            out.add((o, URIRef(r2), s))
            if predicate in (_START, _END) and isinstance(o, Literal):
                (starts if predicate == _START else ends).setdefault(s, []).append(str(o))
            if p == SKOS.broader and isinstance(o, URIRef):
                for ancestor in self.broader.get(str(s), ()):
                    out.add((s, SKOS.broaderTransitive, URIRef(ancestor)))
                    out.add((URIRef(ancestor), SKOS.narrowerTransitive, s))
        # A period runs from the first day its start can mean to the last day its end
        # (or, without an end, its start) can mean.
        for subject, values in starts.items():
            first = min(filter(None, (_day(v, last=False) for v in values)), default=None)
            if first:
                out.add((subject, EKIP.startDay, Literal(first, datatype=XSD.date)))
        for subject in set(starts) | set(ends):
            values = ends.get(subject) or starts.get(subject, [])
            final = max(filter(None, (_day(v, last=True) for v in values)), default=None)
            if final:
                out.add((subject, EKIP.endDay, Literal(final, datatype=XSD.date)))
        return out - given


def add_inferred_graph(dataset: Dataset, tbox_graphs: Iterable[IdentifiedNode]) -> InferenceStats:
    """Materialise the entailments of ``dataset`` into ``graph/inferred``, with PROV."""
    tbox_graphs = list(tbox_graphs)
    tbox = (t for g in tbox_graphs for t in dataset.graph(g))
    reasoner = Reasoner(tbox)
    triples = [
        (s, p, o) for s, p, o, g in dataset.quads((None, None, None, None)) if g != INFERRED_GRAPH
    ]
    inferred = reasoner.infer(triples)
    graph = dataset.graph(INFERRED_GRAPH)
    for triple in inferred:
        graph.add(triple)
    default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    default.add((INFERRED_GRAPH, RDF.type, PROV.Entity))
    default.add((INFERRED_GRAPH, RDFS.label, Literal("Inferred statements", lang="en")))
    default.add((INFERRED_GRAPH, PROV.wasGeneratedBy, INFERENCE_ACTIVITY))
    for source in tbox_graphs:
        default.add((INFERRED_GRAPH, PROV.wasDerivedFrom, source))
    default.add((INFERENCE_ACTIVITY, RDF.type, PROV.Activity))
    default.add(
        (
            INFERENCE_ACTIVITY,
            RDFS.label,
            Literal("Materialising the class, property and concept hierarchies", lang="en"),
        )
    )
    default.add(
        (
            INFERENCE_ACTIVITY,
            DCTERMS.description,
            Literal(
                "rdf:type closure over rdfs:subClassOf (with the PROV-O, ORG, FOAF and "
                "schema.org superclasses), rdfs:subPropertyOf closure, owl:inverseOf, "
                "skos:broaderTransitive, and ekip:startDay/ekip:endDay as xsd:date; "
                "computed by ekipgraph.infer.",
                lang="en",
            ),
        )
    )
    for source in tbox_graphs:
        default.add((INFERENCE_ACTIVITY, PROV.used, source))
    return InferenceStats(len(triples), len(inferred))
