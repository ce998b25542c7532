"""The converter: a checked corpus becomes one RDF dataset.

Graphs (docs/authoring.md, "What the converter makes of it"):

- ``…/graph/case/<id>``: one per case, the case and its parts;
- ``…/graph/shared``: the shared entities and the source documents;
- ``…/graph/ontology``, ``…/graph/ontology/<module>`` and ``…/graph/vocab/<scheme>``: the
  TBox (``ontology/ekip.ttl``, ``ontology/patterns.ttl``, the concept schemes);
- the default graph: the provenance of each case graph.

IRIs are made from ids only, so the same input always gives the same triples; the source
index remembers which file and line produced each entity, for later error reports (SHACL).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from ekipgraph.cases.corpus import Corpus
from ekipgraph.cases.fields import LangText, PartialDate
from ekipgraph.cases.index import Located
from ekipgraph.cases.models import (
    SHARED_FILES,
    Case,
    FieldSpec,
    Involvement,
    Membership,
    Model,
    Part,
    SharedEntity,
    field_specs,
    field_values,
    nested_iri,
    part_iri,
    statable_keys,
)
from ekipgraph.cases.rdfcase import RdfCase
from ekipgraph.cases.yamlload import FieldPath, YamlDocument
from ekipgraph.labels import add_generated_labels
from ekipgraph.namespaces import EKIP, GRAPH_BASE, PREFIXES, concept_iri, graph_iri, instance_iri
from ekipgraph.ontology import (
    OntologyModule,
    Vocabulary,
    load_modules,
    load_ontology,
    load_vocabularies,
)
from ekipgraph.project import ProjectLayout

SHARED_GRAPH = graph_iri("shared")
ONTOLOGY_GRAPH = graph_iri("ontology")
#: the name of the default graph in file names and summaries
DEFAULT_GRAPH_NAME = "default"


def case_graph_iri(case_id: str) -> URIRef:
    return graph_iri(f"case/{case_id}")


def vocab_graph_iri(scheme: str) -> URIRef:
    return graph_iri(f"vocab/{scheme}")


def module_graph_iri(module: str) -> URIRef:
    """``…/graph/ontology/patterns``: a module of the ontology, in a graph of its own."""
    return graph_iri(f"ontology/{module}")


def is_tbox_graph(identifier: Node) -> bool:
    """The ontology, a module of it or a concept scheme."""
    name = str(identifier)
    return name == str(ONTOLOGY_GRAPH) or name.startswith(
        (f"{ONTOLOGY_GRAPH}/", str(vocab_graph_iri("")))
    )


def graph_name(identifier: Node) -> str:
    """``…/graph/case/lund-ai`` -> ``case/lund-ai``; the default graph -> ``default``."""
    text = str(identifier)
    if identifier == DATASET_DEFAULT_GRAPH_ID or not text.startswith(GRAPH_BASE):
        return DEFAULT_GRAPH_NAME
    return text[len(GRAPH_BASE) :]


@dataclass(frozen=True)
class SourceLocation:
    """The file and line (1-based) that produced an entity."""

    path: Path
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class DatasetSummary:
    """How much the dataset holds: entities by kind and triples by graph name."""

    counts: dict[str, int]
    triples_per_graph: dict[str, int]

    @property
    def total_triples(self) -> int:
        return sum(self.triples_per_graph.values())


@dataclass(frozen=True)
class BuiltDataset:
    dataset: Dataset
    source_index: dict[Node, SourceLocation]  # keyed by IRIs, looked up by any node
    summary: DatasetSummary

    def graphs(self) -> list[Graph]:
        """Every non-empty graph, the default graph first, then by name."""
        graphs = [g for g in self.dataset.graphs() if len(g)]
        return sorted(
            graphs,
            key=lambda g: (g.identifier != DATASET_DEFAULT_GRAPH_ID, graph_name(g.identifier)),
        )


# ---------------------------------------------------------------------------------------
# Building


def build_dataset(
    corpus: Corpus,
    tbox_layout: ProjectLayout,
    *,
    ontology: Graph | None = None,
    vocabularies: Sequence[Vocabulary] | None = None,
    modules: Sequence[OntologyModule] | None = None,
    shared_statements: Callable[[Dataset], Iterable[tuple[Node, Node, Node]]] | None = None,
) -> BuiltDataset:
    """Convert ``corpus`` into a dataset with the TBox of ``tbox_layout``.

    ``ontology``, ``vocabularies`` and ``modules`` may be passed when already loaded, to
    parse them once. When the corpus holds only the ids of the shared entities (converted in
    an earlier build), ``shared_statements(dataset)`` gives, once the cases are converted,
    the shared statements they need (those of the entities they refer to, with their labels).
    """
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    ontology = ontology if ontology is not None else load_ontology(tbox_layout)
    vocabularies = vocabularies if vocabularies is not None else load_vocabularies(tbox_layout)
    modules = modules if modules is not None else load_modules(tbox_layout)
    _copy_into(dataset.graph(ONTOLOGY_GRAPH), ontology)
    for module in modules:
        _copy_into(dataset.graph(module_graph_iri(module.name)), module.graph)
    for vocabulary in vocabularies:
        scheme_graph = dataset.graph(vocab_graph_iri(vocabulary.name))
        _copy_into(scheme_graph, vocabulary.graph)
        _label_concepts(scheme_graph)

    converter = _Converter(corpus, dataset)
    converter.shared()
    for case in sorted(corpus.cases, key=lambda c: c.model.id):
        converter.yaml_case(case)
    for rdf_case in sorted(corpus.rdf_cases, key=lambda c: c.case_id):
        converter.rdf_case(rdf_case)
    if shared_statements is not None:
        shared_graph = dataset.graph(SHARED_GRAPH)
        shared_graph.addN((s, p, o, shared_graph) for s, p, o in shared_statements(dataset))
    instance_graphs = [
        g.identifier
        for g in dataset.graphs()
        if g.identifier == SHARED_GRAPH or graph_name(g.identifier).startswith("case/")
    ]
    add_generated_labels(dataset, sorted(instance_graphs))
    return BuiltDataset(dataset, converter.source_index, summarise(dataset))


def _copy_into(target: Graph, source: Graph) -> None:
    for triple in source:
        target.add(triple)


def _label_concepts(scheme_graph: Graph) -> None:
    """Concepts and schemes keep ``skos:prefLabel`` (the one source, in the scheme file) and
    get the same texts as ``rdfs:label``, which is what generic tools and queries read."""
    for subject, label in list(scheme_graph.subject_objects(SKOS.prefLabel)):
        scheme_graph.add((subject, RDFS.label, label))


class _Converter:
    def __init__(self, corpus: Corpus, dataset: Dataset) -> None:
        self.corpus = corpus
        self.dataset = dataset
        self.source_index: dict[Node, SourceLocation] = {}

    def locate(self, iri: URIRef, document: YamlDocument, path: FieldPath) -> None:
        at = document.value_position(path)
        self.source_index.setdefault(iri, SourceLocation(document.path, at.line, at.column))

    # -- shared entities

    def shared(self) -> None:
        graph = self.dataset.graph(SHARED_GRAPH)
        for spec in SHARED_FILES:
            for entity in self.corpus.index.of_kind(spec.kind):
                model = entity.model
                if isinstance(model, SharedEntity):
                    subject = instance_iri(spec.kind, model.id)
                else:
                    subject = URIRef(model.url)
                self.locate(subject, entity.document, entity.path)
                self.emit(graph, subject, model, entity.document, entity.path, None)

    # -- cases

    def yaml_case(self, located: Located[Case]) -> None:
        case = located.model
        subject = instance_iri("case", case.id)
        graph = self.dataset.graph(case_graph_iri(case.id))
        self.locate(subject, located.document, located.path)
        self.locate(case_graph_iri(case.id), located.document, located.path)
        self.emit(graph, subject, case, located.document, located.path, case)
        workshop = instance_iri("workshop", case.workshop) if case.workshop else None
        recorded = dt.datetime.combine(case.recorded, dt.time(), tzinfo=dt.UTC)
        self.provenance(
            case.id, graph, workshop, Literal(recorded, datatype=XSD.dateTime), located.file
        )

    def rdf_case(self, case: RdfCase) -> None:
        graph = self.dataset.graph(case.graph_iri)
        _copy_into(graph, case.graph)
        _copy_into(self.dataset.default_graph, case.provenance)
        for subject in sorted(case.subjects() | {case.graph_iri}):
            at = case.position_of(subject)
            self.source_index.setdefault(subject, SourceLocation(case.path, at.line, at.column))
        workshop = case.graph.value(case.case_iri, EKIP.producedBy)
        recorded = case.provenance.value(case.graph_iri, PROV.generatedAtTime)
        self.provenance(case.case_id, graph, workshop, recorded, case.path)

    def provenance(
        self, case_id: str, graph: Graph, workshop: Node | None, recorded: Node | None, path: Path
    ) -> None:
        """The statements about a case graph, in the default graph."""
        name = case_graph_iri(case_id)
        default = self.dataset.default_graph
        default.add((name, RDF.type, PROV.Entity))
        # a walk over the graph's own triples: rdflib answers a pattern with only a predicate
        # from every graph of the dataset, which made this quadratic in the corpus
        for source in {o for _, p, o in graph if p == DCTERMS.source}:
            default.add((name, PROV.wasDerivedFrom, source))
        if workshop is not None:
            default.add((name, PROV.wasGeneratedBy, workshop))
        if recorded is not None:
            default.add((name, PROV.generatedAtTime, recorded))
        default.add((name, DCTERMS.source, Literal(self.corpus.relative(path))))

    # -- the generic walk over a model, driven by its field markers

    def emit(
        self,
        graph: Graph,
        subject: URIRef,
        model: Model,
        document: YamlDocument,
        path: FieldPath,
        case: Case | None,
    ) -> None:
        for rdf_type in model.rdf_types():
            graph.add((subject, RDF.type, rdf_type))
        for spec in field_specs(type(model)):
            if spec.rdf is None:
                continue
            value = getattr(model, spec.name)
            for item_path, item in field_values(spec, value, (*path, spec.key)):
                if isinstance(item, Part | Involvement | Membership):
                    if case is not None and not isinstance(item, Membership):
                        child = part_iri(case.id, item, model)
                    elif isinstance(item, Part | Membership):
                        child = nested_iri(subject, item)
                    else:
                        raise TypeError(f"{type(model).__name__}: only a case has involvements")
                    self.locate(child, document, item_path)
                    objects: Iterable[Node] = (child,)
                    self.emit(graph, child, item, document, item_path, case)
                elif spec.key_names:
                    objects = (statable_keys(type(model))[item],)
                else:
                    objects = self.objects(spec, item, case)
                for obj in objects:
                    for predicate in spec.rdf.predicates:
                        graph.add((subject, predicate, obj))

    def objects(self, spec: FieldSpec, value: Any, case: Case | None) -> list[Node]:
        datatype = spec.rdf.datatype if spec.rdf else None
        if isinstance(value, LangText):
            return list(value.literals())
        if isinstance(value, PartialDate):
            return [value.literal()]
        if isinstance(value, int):
            return [Literal(value, datatype=datatype or XSD.integer)]
        if spec.choice is not None:
            return [spec.choice.iri(value)]
        if spec.ref is not None:
            kind = self.corpus.index.resolve(value, spec.ref.kinds) or spec.ref.kinds[0]
            return [instance_iri(kind, value)]
        if spec.concept is not None:
            return [concept_iri(spec.concept.scheme, value)]
        if spec.part_ref is not None and case is not None:
            return [self.part_ref(case, value, spec.part_ref.parts)]
        if spec.iri:
            return [URIRef(value)]
        return [Literal(value, datatype=datatype)]

    @staticmethod
    def part_ref(case: Case, value: str, parts: tuple[str, ...]) -> URIRef:
        portfolios = {p.id for p in case.portfolios}
        kind = "portfolio" if "portfolio" in parts and value in portfolios else "item"
        return instance_iri(f"case/{case.id}/{kind}", value)


# ---------------------------------------------------------------------------------------
# Summary

#: summary key -> the classes whose instances it counts
_COUNTED: dict[str, tuple[URIRef, ...]] = {
    "countries": (EKIP.Country,),
    "cities": (EKIP.City,),
    "organisations": (EKIP.Organisation,),
    "people": (EKIP.Person,),
    "actors": (EKIP.Organisation, EKIP.Person),
    "projects": (EKIP.FundedProject,),
    "policy_labs": (EKIP.PolicyLab,),
    "workshops": (EKIP.PolicyAssessmentWorkshop,),
    "recommendations": (EKIP.PolicyRecommendation,),
    "sources": (FOAF.Document,),
    "cases": (EKIP.CityCaseDescription,),
    "portfolios": (EKIP.InnovationPortfolio,),
    "items": (EKIP.Idea, EKIP.InnovationProject, EKIP.Initiative),
    "involvements": (EKIP.ActorInvolvement,),
    "needs": (EKIP.ResourceNeed,),
    "strengths": (EKIP.Strength,),
    "gaps": (EKIP.Gap,),
    "stimuli": (EKIP.LocalStimulus,),
}


def summarise(dataset: Dataset) -> DatasetSummary:
    triples: dict[str, int] = {}
    typed: dict[Node, set[Node]] = {}
    for graph in dataset.graphs():
        name = graph_name(graph.identifier)
        if not len(graph):
            continue
        triples[name] = len(graph)
        if name == "shared" or name.startswith("case/"):
            # not (None, RDF.type, None): a predicate-only pattern scans every graph
            for subject, predicate, rdf_type in graph:
                if predicate == RDF.type:
                    typed.setdefault(rdf_type, set()).add(subject)
    counts = {
        key: len(set().union(*(typed.get(c, set()) for c in classes)))
        for key, classes in _COUNTED.items()
    }
    return DatasetSummary(counts, dict(sorted(triples.items())))


# ---------------------------------------------------------------------------------------
# Canonical N-Quads


def to_sorted_nquads(dataset: Dataset) -> str:
    """The dataset as N-Quads, one statement per line, lines sorted: the same input always
    gives the same bytes. Blank nodes (the ontology's class expressions) get labels from a
    canonical hash of their graph, so they are stable too."""
    lines: list[str] = []
    for graph in dataset.graphs():
        is_default = graph.identifier == DATASET_DEFAULT_GRAPH_ID
        suffix = "" if is_default else f" {_term(graph.identifier)}"
        triples: Iterable[tuple[Node, Node, Node]] = graph
        if any(isinstance(t, BNode) for triple in graph for t in triple):
            triples = _canonical_triples(graph)
        lines.extend(f"{_term(s)} {_term(p)} {_term(o)}{suffix} ." for s, p, o in triples)
    lines.sort()
    return "\n".join(lines) + "\n" if lines else ""


def _canonical_triples(graph: Graph) -> list[tuple[Node, Node, Node]]:
    # Labels are unique within one graph; prefix them with the graph's name so that equal
    # structures in two graphs stay two different blank nodes in the file.
    scope = hashlib.sha256(str(graph.identifier).encode()).hexdigest()[:8]

    def relabel(term: Node) -> Node:
        return BNode(f"g{scope}{term}") if isinstance(term, BNode) else term

    return [(relabel(s), p, relabel(o)) for s, p, o in to_canonical_graph(graph)]


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}


def _term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = "".join(_ESCAPES.get(char, char) for char in str(term))
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype and term.datatype != XSD.string:
            return f'"{text}"^^<{term.datatype}>'
        return f'"{text}"'
    raise TypeError(f"cannot write {term!r} as N-Quads")
