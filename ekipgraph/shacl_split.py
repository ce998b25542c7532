"""SHACL where it is cheap: each case graph on its own, batched, across cores, cached.

One pySHACL run over the whole dataset costs time that grows with the corpus on every build.
The same results come from smaller runs, because a case graph speaks only of the case and its
parts (IRIs under ``…/id/case/<id>``) and refers to shared entities and concepts:

- the *shared run*: the TBox and the shared graph; every focus node in it (shared entities,
  source documents, concepts) is validated here;
- one *case run* per case: the TBox, the case graph, the provenance of the case graph and the
  shared entities the case refers to (their own statements), with the focus restricted to the
  case's subjects and its graph name.

Each run's results are cached under a hash of exactly the triples it saw, the shapes and the
SHACL engine with its version, so an unchanged case is not validated again, and a changed
shared entity invalidates only the cases that refer to it. When the data or the shapes fall
outside what makes the split exact (a case graph that speaks of another case's or a shared
entity's IRIs or makes one a focus node through ``sh:targetObjectsOf``, shapes with SPARQL
constraints or ``sh:target``, statements in the default graph about anything but case
graphs), everything is validated in one whole-graph run instead.
``tests/test_shacl_split.py`` proves both routes report the same results.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import cast

import pyoxigraph
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import SH
from rdflib.term import Node

from ekipgraph.cache import Cache, digest, digest_lines
from ekipgraph.namespaces import GRAPH_BASE, ID_BASE
from ekipgraph.parallel import pool_size, worker_count
from ekipgraph.shapes import (
    ValidationOutcome,
    ValidationResult,
    result_order,
    run_shacl,
    shacl_engine,
    shacl_engine_version,
    validate_data,
)

CASE_GRAPH_BASE = GRAPH_BASE + "case/"
CASE_ID_BASE = ID_BASE + "case/"
SHARED_GRAPH = URIRef(GRAPH_BASE + "shared")
#: below this many case triples to validate, one process does it (a pool costs a second)
PARALLEL_FROM = 40_000
#: case triples per batch handed to a worker
BATCH_TRIPLES = 20_000

Progress = Callable[[int, int], None]
Triple = tuple[Node, Node, Node]


def _nt(triple: tuple[Node, Node, Node]) -> str:
    s, p, o = triple
    return f"{s.n3()} {p.n3()} {o.n3()} ."


def graph_digest(triples: Iterable[Triple]) -> str:
    """A hash of a set of triples that does not depend on blank-node labels.

    rdflib gives blank nodes new labels on every parse, so hashing the statements as written
    would make a new key for the shapes and the TBox (their property shapes and class
    expressions are blank nodes) on every run, and no SHACL result would ever be reused.
    With blank nodes the triples are canonicalised (RDFC-1.0, Oxigraph) first."""
    import pyoxigraph as ox

    from ekipgraph.graph import _term

    triples = list(triples)
    if not any(isinstance(term, BNode) for triple in triples for term in triple):
        return digest_lines(sorted(set(map(_nt, triples))))
    text = "\n".join(f"{_term(s)} {_term(p)} {_term(o)} ." for s, p, o in triples)
    dataset = ox.Dataset(ox.parse(input=text, format=ox.RdfFormat.N_TRIPLES))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return digest_lines(sorted(str(quad) for quad in dataset))


@dataclass
class _CaseRun:
    name: URIRef  # the case graph
    focus: list[Node]
    triples: list[Triple]  # the case graph, its provenance, the shared statements it uses
    key: str = ""
    lines: list[str] = field(default_factory=list)  # the triples as text, sorted (the key's)


def splittable(shapes: Graph) -> bool:
    """Shapes whose focus nodes and paths the split reproduces exactly."""
    return not any(
        next(shapes.triples((None, predicate, None)), None) is not None
        for predicate in (SH.sparql, SH.target, SH.select)
    )


def object_targets(shapes: Graph) -> set[Node]:
    """The predicates whose objects are focus nodes (``sh:targetObjectsOf``)."""
    return set(shapes.objects(None, SH.targetObjectsOf))


def _own(iri: str, case_prefix: str) -> bool:
    return iri == case_prefix or iri.startswith(case_prefix + "/")


Plan = tuple[list[Triple], list[Triple], list[_CaseRun]]


def _plan(dataset: Dataset, object_targets: set[Node] | None = None) -> Plan | None:
    """(TBox, shared graph, case runs), or None when the split would not be exact.

    With ``object_targets`` (see :func:`object_targets`), a case statement with one of those
    predicates must point at the case's own IRIs: else it would make a node of another run
    a focus node."""
    object_targets = object_targets or set()
    tbox: list[Triple] = []
    shared_graph: Graph | None = None
    case_graphs: dict[URIRef, Graph] = {}
    default: Graph | None = None
    for graph in dataset.graphs():
        name = graph.identifier
        if name == DATASET_DEFAULT_GRAPH_ID:
            default = graph
        elif isinstance(name, URIRef) and str(name).startswith(CASE_GRAPH_BASE):
            case_graphs[name] = graph
        elif name == SHARED_GRAPH:
            shared_graph = graph
        elif len(graph):
            tbox.extend(graph)
    shared_by_subject: dict[Node, list[Triple]] = {}
    shared: list[Triple] = []
    if shared_graph is not None:
        for triple in shared_graph:
            if str(triple[2]).startswith(CASE_ID_BASE):
                return None  # the shared graph speaks of a case: the runs would not be apart
            shared.append(triple)
            shared_by_subject.setdefault(triple[0], []).append(triple)
    provenance: dict[Node, list[Triple]] = {}
    if default is not None:
        for triple in default:
            if triple[0] not in case_graphs:
                return None
            provenance.setdefault(triple[0], []).append(triple)
    runs = []
    for name in sorted(case_graphs):
        graph = case_graphs[name]
        prefix = CASE_ID_BASE + str(name)[len(CASE_GRAPH_BASE) :]
        subjects: set[URIRef] = set()
        referenced: set[Node] = set()
        triples: list[Triple] = []
        for triple in graph:
            s, _, o = triple
            if not isinstance(s, URIRef) or not _own(str(s), prefix):
                return None  # the case speaks of something not its own
            if (
                isinstance(o, URIRef)
                and str(o).startswith(CASE_ID_BASE)
                and not _own(str(o), prefix)
            ):
                return None
            if triple[1] in object_targets and not _own(str(o), prefix):
                return None
            subjects.add(s)
            if o in shared_by_subject:
                referenced.add(o)
            triples.append(triple)
        triples.extend(provenance.get(name, ()))
        for entity in referenced:
            triples.extend(shared_by_subject[entity])
        runs.append(_CaseRun(name, [*sorted(subjects), name], triples))
    return tbox, shared, runs


# -- running SHACL, in this process or in workers


_worker_state: dict[str, object] = {}

#: What a run's statements are handed to the SHACL engine as: their text, for an engine that
#: reads an Oxigraph store (parsed in Rust), or rdflib terms, for pySHACL.
Statements = list[str] | list[Triple]


def _init_worker(shapes: Graph, tbox: list[Triple]) -> None:
    _worker_state["shapes"] = shapes
    _worker_state["tbox"] = tbox
    _worker_state.pop("tbox text", None)


def _graph(*parts: Iterable[Triple]) -> Graph:
    graph = Graph()
    for part in parts:
        graph.addN((s, p, o, graph) for s, p, o in part)
    return graph


def _reads_text() -> bool:
    """Whether runs go to the engine as text: pyshacl-turbo validates an Oxigraph store in
    Rust, where an rdflib graph costs two Python calls per statement (adding it, then the
    engine reading it back)."""
    return shacl_engine() == "turbo"


def _store(*parts: Iterable[str]) -> pyoxigraph.Store:
    """One data graph of the statements' lines (``_nt``: Turtle, one statement a line).
    Oxigraph accepts every IRI the data can hold: each was checked by Oxigraph's own parser
    when its file was read (``ekipgraph.cases.fields.iri_syntax_problem``), and an IRI it
    refuses is refused by pyshacl-turbo's reader of rdflib graphs too."""
    store = pyoxigraph.Store()
    store.bulk_load(
        "\n".join(line for part in parts for line in part), format=pyoxigraph.RdfFormat.TURTLE
    )
    return store


def _tbox_text() -> list[str]:
    found = _worker_state.get("tbox text")
    if found is None:
        found = _worker_state["tbox text"] = [
            _nt(triple) for triple in cast(list[Triple], _worker_state["tbox"])
        ]
    return cast(list[str], found)


def _run_batch(batch: Sequence[tuple[Statements, list[Node]]]) -> list[list[ValidationResult]]:
    """Validate several case runs in one data graph; split the results by run."""
    focus: list[Node] = []
    owner: dict[Node, int] = {}
    for index, (_, nodes) in enumerate(batch):
        focus.extend(nodes)
        owner.update((node, index) for node in nodes)
    results: list[list[ValidationResult]] = [[] for _ in batch]
    if not focus:
        return results
    data: pyoxigraph.Store | Graph
    if _reads_text():
        data = _store(_tbox_text(), *(cast(list[str], lines) for lines, _ in batch))
    else:
        tbox = cast(list[Triple], _worker_state["tbox"])
        data = _graph(tbox, *(cast(list[Triple], triples) for triples, _ in batch))
    # Everything in the batch is validated and the results of other focus nodes (concepts,
    # the shared entities brought along) dropped: the shared run reports those. pySHACL's
    # focus_nodes option cannot be used, because it also filters the value nodes that
    # sh:node checks, and so loses their results.
    for result in run_shacl(data, _worker_state["shapes"]):  # type: ignore[arg-type]
        if result.focus in owner:
            results[owner[result.focus]].append(result)
    return results


def _batches(runs: list[_CaseRun]) -> list[list[_CaseRun]]:
    batches: list[list[_CaseRun]] = [[]]
    size = 0
    for run in runs:
        if size >= BATCH_TRIPLES:
            batches.append([])
            size = 0
        batches[-1].append(run)
        size += len(run.triples)
    return [b for b in batches if b]


def validate_split(
    dataset: Dataset,
    shapes: Graph,
    *,
    cache: Cache | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    context: str | None = None,
    with_shared: bool = True,
    plan: Plan | None = None,
) -> ValidationOutcome:
    """The results of one whole-graph pySHACL run, computed per case (see the module doc).

    ``context``, when given, is a key that stands for the shapes and the TBox (a hash of
    their files, say): it spares hashing them as statements. Without ``with_shared`` the
    shared run is left out: its results are not wanted (they were kept from an earlier run)
    and the shared graph may hold only what the cases refer to. ``plan`` is the dataset's
    ``_plan`` when the caller has made it already (it walks every statement)."""
    started = time.perf_counter()
    if plan is None and splittable(shapes):
        plan = _plan(dataset, object_targets(shapes))
    if plan is None:
        return validate_data(dataset, shapes)
    cache = cache or Cache(None)
    tbox, shared, runs = plan
    context = digest(
        context or digest(graph_digest(shapes), graph_digest(tbox)), shacl_engine_version()
    )

    results: list[ValidationResult] = []
    if with_shared:
        shared_key = digest(context, digest_lines(sorted(map(_nt, shared))))
        shared_results = cache.get("shacl-shared", shared_key)
        if shared_results is None:
            data = _store(map(_nt, tbox), map(_nt, shared)) if _reads_text() else None
            shared_results = run_shacl(_graph(tbox, shared) if data is None else data, shapes)
            cache.put("shacl-shared", shared_key, shared_results)
        results.extend(shared_results)

    todo: list[_CaseRun] = []
    for run in runs:
        run.lines = sorted(map(_nt, run.triples))
        run.key = digest(context, digest_lines(run.lines))
        found = cache.get("shacl-case", run.key)
        if found is None:
            todo.append(run)
        else:
            results.extend(found)
    done = len(runs) - len(todo)
    if progress:
        progress(done, len(runs))
    batches = _batches(todo)
    text = _reads_text()
    jobs: list[list[tuple[Statements, list[Node]]]] = [
        [(r.lines if text else r.triples, r.focus) for r in batch] for batch in batches
    ]
    workers = workers or worker_count()
    if workers > 1 and len(batches) > 1 and sum(len(r.triples) for r in todo) >= PARALLEL_FROM:
        context_fork = get_context("fork")
        with ProcessPoolExecutor(
            pool_size(workers, len(jobs)),
            mp_context=context_fork,
            initializer=_init_worker,
            initargs=(shapes, tbox),
        ) as pool:
            outcomes = pool.map(_run_batch, jobs)
            for batch, outcome in zip(batches, outcomes, strict=True):
                done = _collect(batch, outcome, cache, results, done, len(runs), progress)
    else:
        _init_worker(shapes, tbox)
        for batch, job in zip(batches, jobs, strict=True):
            done = _collect(batch, _run_batch(job), cache, results, done, len(runs), progress)
    ordered = tuple(sorted(results, key=result_order))
    return ValidationOutcome(ordered, time.perf_counter() - started)


def _collect(
    batch: Iterable[_CaseRun],
    outcome: list[list[ValidationResult]],
    cache: Cache,
    results: list[ValidationResult],
    done: int,
    total: int,
    progress: Progress | None,
) -> int:
    for run, found in zip(batch, outcome, strict=True):
        cache.put("shacl-case", run.key, found)
        results.extend(found)
        done += 1
    if progress:
        progress(done, total)
    return done
