"""The linked-data documents of the dataset: one place that knows every IRI and renders it.

Both the server (on request) and ``ekipgraph publish`` (ahead of time) ask this object for
documents, so the two answer with the same bytes. Costly artefacts (pyLODE docs, dataset
statistics, dumps) are cached until the store changes (``invalidate`` after an update).

The dumps of a built store are its own files (``dump_files``: ``ekip.nq``, ``ekip.trig``,
``patterns.nq``, ``patterns.trig``, byte for byte what ``build`` and ``patterns`` wrote);
only the Turtle union, and every dump once the store has been updated, are generated.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import wraps
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import OWL

from ekipgraph.docs import render_ontology_html
from ekipgraph.namespaces import BASE, GRAPH_BASE, ONTOLOGY_IRI, PREFIXES
from ekipgraph.ontology import bind_prefixes
from ekipgraph.oxresults import serialized
from ekipgraph.project import ProjectLayout, default_layout
from ekipgraph.release import jsonld_context
from ekipgraph.serve import describe
from ekipgraph.serve.catalog import DATASET_IRI, dataset_description
from ekipgraph.serve.formats import BY_SUFFIX, DATASET_PART, DUMPS, PATTERNS_PART
from ekipgraph.serve.pages import entity_page, index_sections
from ekipgraph.serve.paths import iri_to_path, resolve
from ekipgraph.serve.render import render

ONTOLOGY_GRAPH = GRAPH_BASE + "ontology"
PATTERNS_GRAPH = ox.NamedNode(GRAPH_BASE + "patterns")
T = TypeVar("T")


def cached(method: Callable[..., T]) -> Callable[..., T]:
    """Memoise a method per arguments until ``invalidate()``; thread-safe."""

    @wraps(method)
    def wrapper(self: LinkedDataSite, *args):
        key = (method.__name__, *args)
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        result = method(self, *args)
        with self._lock:
            self._cache[key] = result
        return result

    return wrapper


def rdflib_to_triples(graph: Graph) -> list[ox.Triple]:
    data = graph.serialize(format="nt", encoding="utf-8")
    return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))


def used_prefixes(terms: Iterable[object]) -> dict[str, str]:
    """The prefixes that shorten some IRI here to a plain ``prefix:name`` (no ``/`` or ``#``
    left in the name, which Turtle would have to escape)."""
    used: dict[str, str] = {}
    for term in terms:
        if not isinstance(term, ox.NamedNode):
            continue
        for prefix, namespace in PREFIXES.items():
            rest = term.value[len(namespace) :]
            if term.value.startswith(namespace) and rest and not set(rest) & set("/#"):
                used[prefix] = namespace
    return used


def stable(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples in a fixed order with canonical blank-node labels (RDFC-1.0), so that the
    same data gives the same bytes in every process: server and release agree."""
    triples = list(dict.fromkeys(triples))
    if any(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples
    ):
        dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        triples = [q.triple for q in dataset]
    return sorted(triples, key=str)


def serialize(triples: list[ox.Triple], suffix: str) -> bytes:
    rdf_format = BY_SUFFIX[suffix].rdf_format
    if rdf_format is None:
        raise ValueError(f"{suffix} is not an RDF format")
    triples = stable(triples)
    prefixes = None
    if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        terms = (term for t in triples for term in (t.subject, t.predicate, t.object))
        prefixes = used_prefixes(terms)
    return serialized(ox.serialize(triples, format=rdf_format, prefixes=prefixes))


class LinkedDataSite:
    """Documents for every ekip IRI in ``store`` (a pyoxigraph Store)."""

    def __init__(
        self,
        store: ox.Store,
        layout: ProjectLayout | None = None,
        endpoint: bool = True,
        dump_files: Mapping[str, Path] | None = None,
    ) -> None:
        self.store = store
        self.layout = layout or default_layout()
        self.endpoint = endpoint  # pages link to /sparql only where one runs
        #: dump name -> the file holding it as built, while the store is unchanged
        self.dump_files = dict(dump_files or {})
        self._cache: dict[tuple, object] = {}
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        """The store has changed (an update): cached artefacts go, and the built files no
        longer stand for its content."""
        with self._lock:
            self._cache.clear()
            self.dump_files = {}

    # --- the ontology -----------------------------------------------------------------

    @cached
    def ontology(self) -> Graph:
        """The ontology graph as loaded in the dataset, or from the project file."""
        triples = describe.graph_triples(self.store, ONTOLOGY_GRAPH)
        graph = bind_prefixes(Graph())
        if triples:
            graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
        else:
            graph.parse(self.layout.ontology_file)
        return graph

    @cached
    def version_iris(self) -> tuple[str, ...]:
        return tuple(str(v) for v in self.ontology().objects(ONTOLOGY_IRI, OWL.versionIRI))

    @cached
    def ontology_html(self) -> str:
        return render_ontology_html(self.ontology())

    @cached
    def context(self) -> bytes:
        text = json.dumps(jsonld_context(self.ontology()), indent=2, ensure_ascii=False)
        return (text + "\n").encode("utf-8")

    @cached
    def ontology_triples(self) -> list[ox.Triple]:
        return rdflib_to_triples(self.ontology())

    # --- the dataset description --------------------------------------------------------

    @cached
    def description_store(self) -> ox.Store:
        store = ox.Store()
        store.extend(
            ox.Quad(t.subject, t.predicate, t.object)
            for t in rdflib_to_triples(dataset_description(self.store))
        )
        return store

    # --- resolution -----------------------------------------------------------------------

    def kind(self, iri: str) -> str | None:
        """'ontology', 'dataset' or 'resource' for an IRI with documents; None if unknown."""
        if iri == str(ONTOLOGY_IRI) or iri in self.version_iris():
            return "ontology"
        if iri == str(DATASET_IRI):
            return "dataset"
        if iri.startswith(BASE) and "#" not in iri and describe.is_known(self.store, iri):
            return "resource"
        return None

    def document(self, iri: str, suffix: str) -> bytes | None:
        """The document ``suffix`` (html, ttl, jsonld, nt, rdf) of ``iri``; None if unknown."""
        kind = self.kind(iri)
        if kind is None:
            return None
        if suffix == "html":
            return self.html(iri, kind).encode("utf-8")
        return self.rdf(iri, kind, suffix)

    def rdf(self, iri: str, kind: str, suffix: str) -> bytes:
        if kind == "resource":  # not cached: a release renders thousands of these
            return serialize(describe.document_triples(self.store, iri), suffix)
        return self._fixed_rdf(kind, suffix)

    @cached
    def _fixed_rdf(self, kind: str, suffix: str) -> bytes:
        if kind == "ontology":
            return serialize(self.ontology_triples(), suffix)
        return serialize([q.triple for q in self.description_store()], suffix)

    def html(self, iri: str, kind: str) -> str:
        if kind == "ontology":
            return self.ontology_html()
        if kind == "dataset":
            page = entity_page(self.store, iri, source=self.description_store())
        else:
            page = entity_page(self.store, iri)
        return render("entity.html", page=page, endpoint=self.endpoint)

    def index_html(self) -> str:
        return render("index.html", sections=index_sections(self.store), endpoint=self.endpoint)

    # --- dumps ----------------------------------------------------------------------------

    def dump_path(self, name: str) -> Path | None:
        """The file holding dump ``name`` byte for byte as built, while the store is
        unchanged; None when the dump must be generated (:meth:`dump`)."""
        with self._lock:
            return self.dump_files.get(name)

    @cached
    def dump(self, name: str) -> bytes | None:
        """Dump ``name`` (see ``formats.DUMPS``) generated: TriG and N-Quads keep the graphs,
        Turtle is their union. Sorted, with canonical blank nodes: the same data always
        dumps to the same bytes. None for the patterns of a store that has none."""
        spec = DUMPS[name]
        quads = self._part(spec.part)
        if not quads and spec.part == PATTERNS_PART:
            return None
        if spec.rdf_format == ox.RdfFormat.TURTLE:
            return serialize([q.triple for q in quads], "ttl")
        dataset = ox.Dataset(quads)
        if any(
            isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
            for q in dataset
        ):
            dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        ordered = sorted(dataset, key=lambda q: (str(q.graph_name), str(q.triple)))
        is_trig = spec.rdf_format == ox.RdfFormat.TRIG
        prefixes = used_prefixes(t for q in ordered for t in (q.subject, q.predicate, q.object))
        return ox.serialize(ordered, format=spec.rdf_format, prefixes=prefixes if is_trig else None)

    def _part(self, part: str) -> list[ox.Quad]:
        """The quads of the dataset (every graph but the patterns) or of the patterns: read
        from the built N-Quads file while it stands for the store (the store would give
        its own canonical forms of literals), else from the store."""
        built = self.dump_path("ekip.nq" if part == DATASET_PART else "patterns.nq")
        if built is not None:
            return list(ox.parse(path=str(built), format=ox.RdfFormat.N_QUADS))
        if part == PATTERNS_PART:
            return list(self.store.quads_for_pattern(None, None, None, PATTERNS_GRAPH))
        return [quad for quad in self.store if quad.graph_name != PATTERNS_GRAPH]

    # --- everything, for the static release -------------------------------------------

    def iris(self) -> Iterator[str]:
        """Every IRI with documents: the ontology, its versions, the dataset and every
        slash IRI under the base that occurs in the data."""
        yield str(ONTOLOGY_IRI)
        yield from self.version_iris()
        yield str(DATASET_IRI)
        seen: set[str] = set()
        for quad in self.store:
            for term in (quad.subject, quad.object, quad.graph_name):
                if isinstance(term, ox.NamedNode):
                    value = term.value
                    if value.startswith(BASE) and value not in seen:
                        seen.add(value)
        fixed = {str(ONTOLOGY_IRI), str(DATASET_IRI), *self.version_iris()}
        for iri in sorted(seen - fixed):
            target = resolve(iri_to_path(iri))  # only IRIs that have a safe local path
            if target is not None and target.iri == iri and target.suffix is None:
                yield iri
