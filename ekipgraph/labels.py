"""English labels for the nodes that have no name of their own (docs/model.md, "Labels").

A query that returns an involvement, a need, a strength, a gap, a stimulus or a membership
should be readable without following its links. The converter gives each such node a label
made from the data: the name of what it belongs to, the ontology's label of its class, and
what it is about::

    "Košice & Gaming Industry: gap – talent drain"
    "Storytelling-based visitor activity at Uppåkra: actor involvement – Linda Spanier"
    "Saint-Étienne: membership – UNESCO Creative Cities Network (Design)"

What it is about is the actor of an involvement, the network (and role or field) of a
membership, and otherwise the node's id in words. A case graph is labelled after its case.

A node that has a name in other languages but none in English is labelled with its English
short name (``skos:altLabel``) where the data gives one; it is never translated. People's
names are untagged by convention and get no English copy.

Everything is computed in one pass over the dataset's labels and one pass over each graph,
so the cost grows linearly with the data; the same input always gives the same labels.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import IdentifiedNode, Node

from ekipgraph.namespaces import EKIP, GRAPH_BASE, ID_BASE

#: the links from a node to its parts: a part is named after the node that has it
PART_LINKS: frozenset[URIRef] = frozenset(
    {
        EKIP.hasInvolvement,
        EKIP.identifiesNeed,
        EKIP.identifiesFinding,
        EKIP.identifiesStrength,
        EKIP.identifiesGap,
        EKIP.hasContextFinding,
        EKIP.hasContextStrength,
        EKIP.hasContextGap,
        EKIP.anticipatesStimulus,
        EKIP.hasMembership,
        EKIP.describesPortfolio,
        EKIP.hasItem,
    }
)
#: what a part is about, where that is another node with a name
_SUBJECT_LINKS: tuple[URIRef, ...] = (EKIP.involvedActor, EKIP.membershipIn)
#: what qualifies a membership, shown in brackets
_QUALIFIER_LINKS: tuple[URIRef, ...] = (EKIP.memberRole, EKIP.creativeField)

_CASE_GRAPHS = GRAPH_BASE + "case/"


class _Names:
    """The display name of every node of a dataset, read once."""

    def __init__(self, dataset: Dataset) -> None:
        self.english: dict[Node, str] = {}
        self.plain: dict[Node, str] = {}
        self.tagged: set[Node] = set()  # nodes with a label in some language
        self.short_english: dict[Node, str] = {}
        self.preferred: dict[Node, str] = {}
        for s, p, o, _g in dataset.quads((None, None, None, None)):
            if not isinstance(o, Literal):
                continue
            text = str(o)
            if p == RDFS.label:
                if o.language == "en":
                    _keep_first(self.english, s, text)
                elif o.language is None:
                    _keep_first(self.plain, s, text)
                else:
                    self.tagged.add(s)
            elif o.language == "en" and p == SKOS.altLabel:
                _keep_first(self.short_english, s, text)
            elif o.language == "en" and p == SKOS.prefLabel:
                _keep_first(self.preferred, s, text)

    def of(self, node: Node) -> str | None:
        return (
            self.english.get(node)
            or self.plain.get(node)
            or self.preferred.get(node)
            or self.short_english.get(node)
        )


def _keep_first(names: dict[Node, str], node: Node, text: str) -> None:
    """Keep the smallest text, so that the choice does not depend on the order read."""
    if node not in names or text < names[node]:
        names[node] = text


def id_words(iri: Node) -> str:
    """``…/gap/talent-drain`` -> ``talent drain``."""
    return str(iri).rstrip("/").rsplit("/", 1)[-1].replace("-", " ")


def class_word(label: str) -> str:
    """``Actor involvement`` -> ``actor involvement``; acronyms (``CCI sector``) stay."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


class _Labeller:
    def __init__(self, dataset: Dataset) -> None:
        self.names = _Names(dataset)
        self.generated: dict[Node, str] = {}

    def name(self, node: Node) -> str:
        return self.names.of(node) or self.generated.get(node) or id_words(node)

    def label_graph(self, graph: Graph) -> int:
        """Label the nodes of one graph that need it; return how many were labelled."""
        parts = _GraphParts(graph)
        pending: set[Node] = set()

        def label(subject: Node) -> None:
            if subject in self.generated or subject in pending:
                return  # done, or a cycle of owners (its owner is named by its id then)
            pending.add(subject)
            owner = parts.owners.get(subject)
            if owner is not None and owner in parts.subjects:
                label(owner)  # an item's generated label names its involvements
            text = self.label_for(subject, parts)
            if text is not None:
                self.generated[subject] = text
                graph.add((subject, RDFS.label, Literal(text, lang="en")))

        before = len(self.generated)
        for subject in sorted(parts.subjects, key=str):
            label(subject)
        return len(self.generated) - before

    def label_for(self, subject: Node, parts: _GraphParts) -> str | None:
        names = self.names
        if subject in names.english or subject in names.plain:
            return None  # named in English, or a person's name (the same in every language)
        if subject in names.tagged:
            # A name in other languages only: its English short name if the data has one,
            # else nothing (an official name is not translated here).
            return names.short_english.get(subject)
        if not str(subject).startswith(ID_BASE):
            return None
        kinds = sorted(
            class_word(names.english[t]) for t in parts.types.get(subject, ()) if t in names.english
        )
        kind = kinds[0] if kinds else "part"
        about = self.about(subject, parts.links.get(subject, {}))
        owner = parts.owners.get(subject)
        if owner is None:
            return f"{kind[0].upper()}{kind[1:]} – {about}"
        return f"{self.name(owner)}: {kind} – {about}"

    def about(self, subject: Node, links: dict[Node, list[Node]]) -> str:
        for link in _SUBJECT_LINKS:
            targets = sorted(links.get(link, ()), key=str)
            if targets:
                qualifiers = [
                    self.name(q)
                    for q_link in _QUALIFIER_LINKS
                    for q in sorted(links.get(q_link, ()), key=str)
                ]
                text = self.name(targets[0])
                return f"{text} ({', '.join(qualifiers)})" if qualifiers else text
        return id_words(subject)

    def label_case_graphs(self, default: Graph) -> int:
        added = 0
        for graph_iri in sorted({s for s in default.subjects() if isinstance(s, URIRef)}):
            if not str(graph_iri).startswith(_CASE_GRAPHS) or graph_iri in self.names.english:
                continue
            case = URIRef(ID_BASE + "case/" + str(graph_iri)[len(_CASE_GRAPHS) :])
            text = f"{self.name(case)}: case graph"
            default.add((graph_iri, RDFS.label, Literal(text, lang="en")))
            added += 1
        return added


class _GraphParts:
    """One pass over a graph: its IRI subjects, their types, owners and named links."""

    def __init__(self, graph: Graph) -> None:
        self.subjects: set[Node] = set()
        self.owners: dict[Node, Node] = {}
        self.types: dict[Node, list[Node]] = {}
        self.links: dict[Node, dict[Node, list[Node]]] = {}
        for s, p, o in graph:
            if not isinstance(s, URIRef):
                continue
            self.subjects.add(s)
            if p in PART_LINKS and isinstance(o, URIRef):
                known = self.owners.get(o)
                self.owners[o] = s if known is None else min(known, s, key=str)
            elif p == RDF.type:
                self.types.setdefault(s, []).append(o)
            elif p in _SUBJECT_LINKS or p in _QUALIFIER_LINKS:
                self.links.setdefault(s, {}).setdefault(p, []).append(o)


def add_generated_labels(dataset: Dataset, graphs: Iterable[IdentifiedNode]) -> int:
    """Give every node of ``graphs`` that lacks an English label one made from the data (see
    the module docstring), and every case graph named in the default graph its case's name;
    return how many labels were added."""
    labeller = _Labeller(dataset)
    added = sum(labeller.label_graph(dataset.graph(g)) for g in graphs)
    return added + labeller.label_case_graphs(dataset.graph(DATASET_DEFAULT_GRAPH_ID))
