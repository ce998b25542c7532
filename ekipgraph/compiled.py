"""Incremental builds: each case file is parsed, converted, validated and written once.

What one input contributes to the dataset is a *chunk*, kept in the cache (``ekipgraph.cache``)
under a hash of the file's bytes and of everything its conversion depends on (the ontology,
the vocabularies, the shapes, the shared files, the ekipgraph code):

- one chunk per case file: its case graph and the provenance of that graph (default graph);
- the *base* chunk: the TBox graphs and the shared graph.

A chunk holds its statements as canonical N-Quads lines, its entailments (``graph/inferred``,
see ``ekipgraph.infer``), its graphs as Turtle, its summary counts and its SHACL results, so
``build`` after an edit reads, checks, converts and validates only the files that changed,
and assembles the dumps from the chunks. The split is exact for the same reason per-case SHACL
is (``ekipgraph.shacl_split``): a case graph speaks only of the case's own IRIs and refers to
shared entities and concepts, and a case is checked against the shared files only. When the
data falls outside that (``shacl_split`` finds no exact plan), every file is compiled together
and nothing is kept per case. ``tests/test_compiled.py`` proves an incremental build writes
the same bytes as one from scratch.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import pickle
import stat
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, RDFS
from rdflib.term import IdentifiedNode, Node

from ekipgraph.atomic import replace_directory
from ekipgraph.buildrecord import BuildRecord, FileStat
from ekipgraph.cache import Cache, code_version, digest
from ekipgraph.cases import AuthoringError
from ekipgraph.cases.corpus import (
    CASES_DIR,
    Corpus,
    ignored_case_name,
    load_corpus,
    name_suffix,
)
from ekipgraph.cases.index import KnownIds
from ekipgraph.cases.vocab import ConceptIndex
from ekipgraph.dumps import (
    BASE,
    INDEX_FILE,
    NQUADS_FILE,
    TRIG_FILE,
    DumpIndex,
    chunk_order,
    file_keys,
    whole_trig,
    write_whole,
)
from ekipgraph.graph import (
    _COUNTED,
    DEFAULT_GRAPH_NAME,
    SHARED_GRAPH,
    DatasetSummary,
    _canonical_triples,
    _term,
    build_dataset,
    graph_name,
    is_tbox_graph,
)
from ekipgraph.infer import INFERRED_GRAPH, Reasoner, add_inferred_graph
from ekipgraph.namespaces import PREFIXES
from ekipgraph.ontology import (
    OntologyModule,
    Vocabulary,
    load_modules,
    load_ontology,
    load_vocabularies,
)
from ekipgraph.oxresults import serialized
from ekipgraph.parallel import pool_size, worker_count
from ekipgraph.project import ProjectLayout
from ekipgraph.shacl_split import (
    CASE_ID_BASE,
    Progress,
    _own,
    _plan,
    object_targets,
    splittable,
    validate_split,
)
from ekipgraph.shapes import ValidationResult, result_order

CHUNK_NAMESPACE = "chunk"
#: below this many case files to compile, one process compiles them (a pool costs a second)
PARALLEL_CASES = 64
#: case files per batch handed to a worker at most: what one process holds at a time
CASES_PER_BATCH = 100

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class GraphText:
    """One graph as Turtle: the prefix lines it uses and the statements."""

    prefixes: tuple[str, ...]
    body: str

    def turtle(self) -> str:
        head = "\n".join(self.prefixes)
        return f"{head}\n\n{self.body}" if head else self.body


@dataclass(frozen=True)
class Location:
    """Where the entity a SHACL result concerns was written, and its label."""

    path: Path | None
    line: int | None
    label: str


@dataclass(frozen=True)
class Chunk:
    """What one input file (or the base) contributes to the dataset, ready to write."""

    name: str  # "base" or "case/<id>"
    quads: tuple[str, ...]  # sorted N-Quads lines of its graphs and its default-graph lines
    inferred: tuple[str, ...]  # N-Quads lines of its entailments (in graph/inferred)
    graphs: dict[str, GraphText]  # graph name -> Turtle; "default" for its provenance
    inferred_text: GraphText
    typed: dict[str, frozenset[str]]  # summary key -> the subjects it counts
    triples_per_graph: dict[str, int]
    results: tuple[ValidationResult, ...]
    locations: dict[Node, Location]  # focus node of a result -> where it was written
    cases: int  # the cases it holds: 1 for a case's chunk


@dataclass
class CompiledDataset:
    """The dataset as chunks, the base first then the cases by id."""

    chunks: list[Chunk]
    compiled: list[str] = field(default_factory=list)  # chunks (re)made in this build
    #: chunk name -> the cache key it is kept under (none when the split was not exact)
    keys: dict[str, str] = field(default_factory=dict)
    #: chunks left in the cache (name -> key): the previous build wrote them, and a patch of
    #: its files needs only the chunks that changed (see :meth:`load_all`)
    unloaded: dict[str, str] = field(default_factory=dict)
    cache: Cache | None = field(default=None, repr=False, compare=False)
    _locations: dict[Node, Location] | None = field(default=None, repr=False, compare=False)
    _inferred: list[str] | None = field(default=None, repr=False, compare=False)

    @property
    def case_count(self) -> int:
        # a chunk left in the cache is a case's: the base is always loaded or always changed
        return sum(chunk.cases for chunk in self.chunks) + len(set(self.unloaded) - {BASE})

    def load_all(self) -> bool:
        """Read the chunks left in the cache; False when one is gone from it (then the
        dataset must be compiled again)."""
        if not self.unloaded:
            return True
        found: dict[str, Chunk] = {chunk.name: chunk for chunk in self.chunks}
        for name, key in self.unloaded.items():
            chunk = self.cache.get(CHUNK_NAMESPACE, key) if self.cache is not None else None
            if chunk is None:
                return False
            found[name] = chunk
        self.chunks = [found[name] for name in sorted(found, key=chunk_order)]
        self.unloaded = {}
        self._locations = self._inferred = None
        return True

    @property
    def results(self) -> tuple[ValidationResult, ...]:
        return tuple(sorted((r for c in self.chunks for r in c.results), key=result_order))

    def location(self, focus: Node) -> Location | None:
        if self._locations is None:  # one index, not a walk over every chunk per result
            self._locations = {}
            for chunk in reversed(self.chunks):  # the first chunk that has it wins
                self._locations.update(chunk.locations)
        return self._locations.get(focus)

    def inferred_lines(self) -> list[str]:
        if self._inferred is None:  # asked by the dump and the summary: made once
            self._inferred = sorted({line for chunk in self.chunks for line in chunk.inferred})
        return self._inferred

    def nquad_lines(self) -> list[str]:
        """The canonical N-Quads of the whole dataset: every line, sorted."""
        lines = [line for chunk in self.chunks for line in chunk.quads]
        lines.extend(self.inferred_lines())
        lines.sort()  # chunks are sorted runs: timsort merges them in near-linear time
        return lines

    def nquads(self) -> str:
        """:meth:`nquad_lines` as one text."""
        lines = self.nquad_lines()
        return "\n".join(lines) + "\n" if lines else ""

    def summary(self) -> DatasetSummary:
        counts = {
            key: len(set().union(*(chunk.typed.get(key, frozenset()) for chunk in self.chunks)))
            for key in _COUNTED
        }
        triples: dict[str, int] = {}
        for chunk in self.chunks:
            for name, count in chunk.triples_per_graph.items():
                triples[name] = triples.get(name, 0) + count
        inferred = len(self.inferred_lines())
        if inferred:
            triples[graph_name(INFERRED_GRAPH)] = inferred
        return DatasetSummary(counts, dict(sorted(triples.items())))

    def trig(self) -> str:
        """The dataset as TriG: every prefix used declared once, then a block per graph."""
        parts, _ = whole_trig(self.chunks)
        return b"".join(parts).decode("utf-8")

    def file_keys(self) -> dict[str, str]:
        """Graph file (``graphs/….ttl``) -> a key of what it holds, for the files that one
        kept chunk writes alone: the same key, the same bytes."""
        return file_keys(self.keys, {chunk.name: sorted(chunk.graphs) for chunk in self.chunks})

    def write(
        self,
        out_dir: Path,
        previous: BuildRecord | None = None,
        finish: Callable[[Path, list[str], DumpIndex], None] | None = None,
        linked: dict[str, FileStat] | None = None,
    ) -> list[str]:
        """Replace ``out_dir`` with TriG, sorted N-Quads and a Turtle file per graph, and the
        index a later build patches them from (``ekipgraph.dumps``); returns the files
        written, relative to it.

        With ``previous`` (the folder's record, ``ekipgraph.buildrecord``), a graph file
        written from the same chunk and unchanged since is hard-linked, not written again
        (and put in ``linked`` with the stat it was checked against).
        ``finish(staging, written, index)`` runs last, before the new folder takes the old
        one's place (the build record is written there)."""
        out_dir = Path(out_dir)
        written: list[str] = [TRIG_FILE, NQUADS_FILE]
        reusable = self.file_keys() if previous is not None else {}
        found = linked if linked is not None else {}
        with replace_directory(out_dir) as staging:
            made: set[str] = set()

            def write(relative: str, data: Callable[[], bytes]) -> None:
                target = f"{staging}/{relative}"
                folder = relative.rpartition("/")[0]
                if folder not in made:
                    os.makedirs(f"{staging}/{folder}", exist_ok=True)
                    made.add(folder)
                written.append(relative)
                key = reusable.get(relative)
                stat = previous.reusable(out_dir, relative, key) if previous and key else None
                if stat is not None:
                    try:
                        os.link(f"{out_dir}/{relative}", target)
                        found[relative] = stat
                        return
                    except OSError:  # no hard links here: written below
                        pass
                with open(target, "wb") as handle:
                    handle.write(data())

            index = write_whole(self, staging, write)
            if self.keys:  # chunks kept under their keys: a later build may patch
                index.write(staging)
                written.append(INDEX_FILE)
            if finish is not None:
                finish(staging, written, index)
        return written


# ---------------------------------------------------------------------------------------
# Turning graphs into chunk parts


def _lines(triples: Iterable[Triple], graph: Node | None) -> list[str]:
    suffix = "" if graph is None or graph == DATASET_DEFAULT_GRAPH_ID else f" {_term(graph)}"
    return [f"{_term(s)} {_term(p)} {_term(o)}{suffix} ." for s, p, o in triples]


def _has_blank_nodes(triples: Iterable[Triple]) -> bool:
    return any(isinstance(term, BNode) for triple in triples for term in triple)


def _canonical(identifier: IdentifiedNode, triples: list[Triple]) -> list[Triple]:
    """Blank nodes relabelled as the dumps have always labelled them (``to_sorted_nquads``)."""
    if not _has_blank_nodes(triples):
        return triples
    graph = Graph(identifier=identifier)
    for triple in triples:
        graph.add(triple)
    return _canonical_triples(graph)


def graph_text(lines: Sequence[str]) -> GraphText:
    """Turtle of N-Quads ``lines`` (of one graph) with the project's prefixes that they use,
    split into prefixes and body; written by Oxigraph (rdflib's writer took 80% of a case's
    compile time)."""
    if not lines:
        return GraphText((), "")
    ordered = sorted(lines)  # a subject's statements together: one block each
    text = "\n".join(ordered)
    used = {prefix: ns for prefix, ns in PREFIXES.items() if f"<{ns}" in text}
    quads = pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.N_QUADS)
    turtle = serialized(
        pyoxigraph.serialize(
            (quad.triple for quad in quads), format=pyoxigraph.RdfFormat.TURTLE, prefixes=used
        )
    ).decode("utf-8")
    prefixes: list[str] = []
    body: list[str] = []
    for line in turtle.splitlines():
        (prefixes if line.startswith("@prefix ") and not body else body).append(line)
    # sorted here: the writer's own order of the prefixes is not a promise
    return GraphText(tuple(sorted(prefixes)), "\n".join(body).strip() + "\n")


def _typed(graphs: dict[str, list[Triple]]) -> dict[str, frozenset[str]]:
    """The summary's subjects per key, counted in the shared and case graphs only."""
    found: dict[str, set[str]] = {}
    for name, triples in graphs.items():
        if name != "shared" and not name.startswith("case/"):
            continue
        for s, p, o in triples:
            if p == RDF.type:
                for key, classes in _COUNTED.items():
                    if o in classes:
                        found.setdefault(key, set()).add(str(s))
    return {key: frozenset(subjects) for key, subjects in found.items()}


def _make_chunk(
    name: str,
    graphs: dict[IdentifiedNode, list[Triple]],
    default: list[Triple],
    reasoner: Reasoner,
    results: Sequence[ValidationResult],
    locations: dict[Node, Location],
    cases: int,
    not_inferred_from: Sequence[Triple] = (),
) -> Chunk:
    """A chunk of ``graphs`` (named graph -> triples) and its default-graph ``default``;
    ``not_inferred_from`` is default-graph statements made after inference (its provenance)."""
    lines: list[str] = []
    texts: dict[str, GraphText] = {}
    by_name: dict[str, list[Triple]] = {}
    every: list[Triple] = []
    for identifier, triples in sorted(graphs.items(), key=lambda item: str(item[0])):
        graph_lines = _lines(_canonical(identifier, triples), identifier)
        lines.extend(graph_lines)
        texts[graph_name(identifier)] = graph_text(graph_lines)
        by_name[graph_name(identifier)] = triples
        every.extend(triples)
    every.extend(default)
    default = _canonical(DATASET_DEFAULT_GRAPH_ID, sorted({*default, *not_inferred_from}))
    default_lines = _lines(default, None)
    lines.extend(default_lines)
    if default:
        texts[DEFAULT_GRAPH_NAME] = graph_text(default_lines)
    inferred = _lines(_canonical(INFERRED_GRAPH, sorted(reasoner.infer(every))), INFERRED_GRAPH)
    counts = {graph_name(g): len(set(t)) for g, t in graphs.items() if t}
    if default:
        counts[DEFAULT_GRAPH_NAME] = len(set(default))
    return Chunk(
        name=name,
        quads=tuple(sorted(lines)),
        inferred=tuple(sorted(inferred)),
        graphs=texts,
        inferred_text=graph_text(inferred),
        typed=_typed(by_name),
        triples_per_graph=counts,
        results=tuple(results),
        locations=locations,
        cases=cases,
    )


def _inference_provenance(tbox_graphs: list[IdentifiedNode]) -> list[Triple]:
    """The default-graph statements ``add_inferred_graph`` makes about ``graph/inferred``."""
    dataset = Dataset()
    add_inferred_graph(dataset, tbox_graphs)
    return list(dataset.graph(DATASET_DEFAULT_GRAPH_ID))


# ---------------------------------------------------------------------------------------
# The build

SHARED_NAMESPACE = "shared-state"
TBOX_NAMESPACE = "tbox-files"


@dataclass(frozen=True)
class SharedState:
    """The shared files as a build read, checked and converted them, kept so that compiling
    a case does not read them again: their ids (for the reference checks) and the shared
    graph's statements by subject, each subject's pickled on its own so that a build
    unpickles only the entities its cases refer to."""

    ids: KnownIds
    by_subject: dict[str, bytes]

    @classmethod
    def of(cls, corpus: Corpus, dataset: Dataset) -> SharedState:
        grouped: dict[str, list[Triple]] = {}
        for triple in dataset.graph(SHARED_GRAPH):
            grouped.setdefault(str(triple[0]), []).append(triple)
        by_subject = {
            subject: pickle.dumps(triples, protocol=pickle.HIGHEST_PROTOCOL)
            for subject, triples in grouped.items()
        }
        return cls(corpus.index.known_ids(), by_subject)

    def referenced(self, dataset: Dataset) -> list[Triple]:
        """The statements of the shared entities that the dataset's other graphs refer to:
        all that the labels of a case and its SHACL run read of the shared graph."""
        found: list[Triple] = []
        seen: set[str] = set()
        for _, _, o, _ in dataset.quads((None, None, None, None)):
            key = str(o)
            if isinstance(o, URIRef) and key not in seen and key in self.by_subject:
                seen.add(key)
                found.extend(pickle.loads(self.by_subject[key]))
        return found


@dataclass
class CompileOutcome:
    """A compiled dataset, or the authoring problems that stopped it."""

    dataset: CompiledDataset | None
    authoring_error: AuthoringError | None = None


def _file_digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def _tree_digest(folders: Iterable[Path], known: dict[str, str]) -> str:
    """A hash of every file under ``folders`` (names and contents); ``known`` is path ->
    SHA-256 of files whose hash is known."""
    parts: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            regular = _regular_file(folder)
            parts += [
                str(folder),
                known.get(str(folder)) or _file_digest(folder) if regular else "-",
            ]
            continue
        for directory, subdirs, names in os.walk(folder):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
            for name in sorted(names):
                if name.startswith("."):
                    continue
                path = Path(directory) / name
                relative = str(path.relative_to(folder.parent))
                if not _regular_file(path):
                    parts += [relative, "not a regular file"]
                    continue
                try:
                    parts += [relative, known.get(str(path)) or _file_digest(path)]
                except OSError:
                    parts += [relative, "unreadable"]
    return digest(*parts)


def _regular_file(path: Path) -> bool:
    """A plain file, not a link, FIFO or device: only those are hashed (opening a FIFO would
    wait for a writer); anything else is always handed to the input checks, which refuse it."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _case_files(cases_dir: Path) -> dict[str, bool]:
    """The files of ``cases/`` that load_corpus reads or refuses, by name, sorted, each with
    whether it is a plain file (from the listing: no file is looked at on its own). A file
    it ignores (a notes.txt) gets no chunk, so kept here it would load the corpus again on
    every run."""
    try:
        with os.scandir(cases_dir) as listing:
            found = {
                entry.name: _plain(entry)
                for entry in listing
                if not entry.name.startswith(".") and not ignored_case_name(entry.name)
            }
    except (FileNotFoundError, NotADirectoryError):
        return {}
    return dict(sorted(found.items()))


def _plain(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False


def compile_data(
    layout: ProjectLayout,
    data_dir: Path | None = None,
    *,
    shapes: Graph,
    cache: Cache,
    known_hashes: dict[str, str] | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    reuse: dict[str, str] | None = None,
) -> CompileOutcome:
    """Compile ``data_dir`` (``data/`` by default): reuse the chunk of every file that did
    not change, compile the others (with SHACL per case), and return them all.

    Many files to compile are compiled in batches across ``workers`` processes
    (``ekipgraph.parallel.worker_count()`` by default), so what a build holds at a time is
    a batch's graphs, not the corpus's. ``known_hashes`` (absolute path, a string ->
    SHA-256) spares hashing files whose hash is known; ``progress(done, total)`` follows
    the cases compiled (or validated). A chunk whose key is the one ``reuse`` gives for it
    (chunk name -> key: what the previous build wrote, ``ekipgraph.dumps``) is left in the
    cache, unread (``CompiledDataset.unloaded``).
    Raises nothing for bad data: authoring problems come back in the outcome."""
    data_dir = Path(data_dir or layout.data_dir)
    known = known_hashes or {}
    # The data folder is part of the key: a chunk records where its entities were written
    # (the file paths of its SHACL results), so a copy of the project gets chunks of its own.
    context = digest(
        code_version(),
        str(data_dir.resolve()),
        _tree_digest([layout.root / "ontology", layout.shapes_dir, data_dir / "shared"], known),
    )
    cases_dir = str(data_dir / CASES_DIR)
    keys: dict[str, str] = {}
    special: set[str] = set()  # not plain files: never cached, always checked (and refused)
    for name, plain in _case_files(data_dir / CASES_DIR).items():
        if not plain:
            special.add(name)
            continue
        path = f"{cases_dir}/{name}"
        try:
            keys[name] = digest(context, name, known.get(path) or _file_digest(Path(path)))
        except OSError:
            special.add(name)
    exact = splittable(shapes)
    chunks: dict[str, Chunk] = {}
    unloaded: dict[str, str] = {}  # file name (or base) -> key
    reuse = reuse or {}

    def kept_as_written(name: str, key: str) -> bool:
        # Not looked up in the cache: a patch reads only the changed chunks, and a chunk
        # found gone when the folder must be written whole compiles the dataset again
        # (``ekipgraph.dumps.ChunkGoneError``); without a cache nothing is kept.
        return cache.folder is not None and reuse.get(_chunk_name(name)) == key

    if exact:
        base_key = digest(context, BASE)
        if kept_as_written(BASE, base_key):
            unloaded[BASE] = base_key
        else:
            base = cache.get(CHUNK_NAMESPACE, base_key)
            if base is not None:
                chunks[BASE] = base
        for name, key in keys.items():
            if kept_as_written(name, key):
                unloaded[name] = key
                continue
            found = cache.get(CHUNK_NAMESPACE, key)
            if found is not None:
                chunks[name] = found
    todo = {name for name in keys if name not in chunks and name not in unloaded} | special
    compiled: list[str] = []
    kept = exact  # the chunks are the cache's, under their keys
    with_base = BASE not in chunks and BASE not in unloaded
    if todo or with_base:
        made = _compile_in_batches(
            layout,
            data_dir,
            todo if exact else None,
            shapes,
            cache,
            progress,
            with_base,
            context,
            workers or worker_count(),
        )
        if isinstance(made, AuthoringError):
            return CompileOutcome(None, made)
        fresh, was_exact = made
        if not was_exact and exact:  # the files together are not splittable: all at once
            made = _compile(layout, data_dir, None, shapes, cache, progress, True, context)
            if isinstance(made, AuthoringError):
                return CompileOutcome(None, made)
            fresh, was_exact = made
            chunks, unloaded = {}, {}
        kept = was_exact
        for name, chunk in fresh.items():
            chunks[name] = chunk
            compiled.append(name)
            if was_exact and (name == BASE or name in keys):
                cache.put(
                    CHUNK_NAMESPACE, digest(context, BASE) if name == BASE else keys[name], chunk
                )
    elif progress:
        progress(len(keys), len(keys))
    ordered = sorted(chunks.values(), key=lambda c: chunk_order(c.name))
    chunk_keys: dict[str, str] = {}
    if kept:
        chunk_keys[BASE] = digest(context, BASE)
        chunk_keys.update(
            (_chunk_name(name), key)
            for name, key in keys.items()
            if name in chunks or name in unloaded
        )
    return CompileOutcome(
        CompiledDataset(
            ordered,
            sorted(compiled),
            chunk_keys,
            unloaded={_chunk_name(name): key for name, key in unloaded.items()},
            cache=cache,
        )
    )


def _chunk_name(name: str) -> str:
    """The chunk of a case file (its name in ``cases/``), or of the base."""
    if name == BASE:
        return BASE
    suffix = name_suffix(name)
    return f"case/{name[: -len(suffix)] if suffix else name}"  # the stem, as ``Path.stem``


Compiled = tuple[dict[str, Chunk], bool] | AuthoringError


def _compile_in_batches(
    layout: ProjectLayout,
    data_dir: Path,
    only: set[str] | None,
    shapes: Graph,
    cache: Cache,
    progress: Progress | None,
    with_base: bool,
    context: str,
    workers: int,
) -> Compiled:
    """As :func:`_compile`, with many case files split into batches compiled by ``workers``
    processes: the base first (which keeps the shared state every batch starts from), then
    the batches. A case is compiled against the shared files only, so the batches make the
    chunks one run over every file would make (``tests/test_compiled.py`` compares them).
    A problem in the shared files is reported by one run over every file, so that the
    problems of the cases are listed with it."""
    if only is None or workers < 2 or len(only) < PARALLEL_CASES:
        return _compile(layout, data_dir, only, shapes, cache, progress, with_base, context)
    total = len(only)
    chunks: dict[str, Chunk] = {}
    if with_base:
        made = _compile(layout, data_dir, set(), shapes, cache, None, True, context)
        if isinstance(made, AuthoringError) or not made[1]:
            return _compile(layout, data_dir, only, shapes, cache, progress, True, context)
        chunks.update(made[0])
    if progress:
        progress(0, total)
    batches = case_batches(sorted(only), workers)
    setup = _BatchSetup(
        layout, data_dir, shapes, cache, context, _tbox_files(layout, cache, context)
    )
    errors: list[AuthoringError] = []
    exact = True
    done = 0
    # fork: the workers start with the shapes (compiled for the SHACL engine) and the TBox
    # already in memory, as the SHACL pool's do
    with ProcessPoolExecutor(
        pool_size(workers, len(batches)),
        mp_context=get_context("fork"),
        initializer=_start_batch_worker,
        initargs=(setup,),
    ) as pool:
        futures = {pool.submit(_compile_batch, batch): len(batch) for batch in batches}
        for future in as_completed(futures):
            made = future.result()
            if isinstance(made, AuthoringError):
                errors.append(made)
            else:
                chunks.update(made[0])
                exact = exact and made[1]
            done += futures[future]
            if progress:
                progress(done, total)
    if errors:
        # every batch checks every case file's name: the same problem comes from each
        problems = dict.fromkeys(p for error in errors for p in error.problems)
        warnings = dict.fromkeys(w for error in errors for w in error.warnings)
        return AuthoringError(problems, warnings)
    return chunks, exact


def case_batches(names: Sequence[str], workers: int) -> list[set[str]]:
    """``names`` in batches of about ``CASES_PER_BATCH``, at least two per worker, in whole
    rounds of equal size: with one batch more than a round, it would run alone at the end
    while the other workers wait (21 batches on two workers: 3 s of a 65 s build)."""
    count = max(2 * workers, math.ceil(len(names) / CASES_PER_BATCH))
    count = workers * math.ceil(count / workers)
    bounds = [index * len(names) // count for index in range(count + 1)]
    return [set(names[start:end]) for start, end in itertools.pairwise(bounds) if end > start]


@dataclass(frozen=True)
class _BatchSetup:
    layout: ProjectLayout
    data_dir: Path
    shapes: Graph
    cache: Cache
    context: str
    tbox: tuple[list[Vocabulary], Graph, list[OntologyModule]]


_batch_setup: list[_BatchSetup] = []


def _start_batch_worker(setup: _BatchSetup) -> None:
    _batch_setup[:] = [setup]


def _compile_batch(only: set[str]) -> Compiled:
    setup = _batch_setup[0]
    return _compile(
        setup.layout,
        setup.data_dir,
        only,
        setup.shapes,
        setup.cache,
        None,
        False,
        setup.context,
        tbox=setup.tbox,
        shacl_workers=1,  # the batches are the parallel part
    )


def _compile(
    layout: ProjectLayout,
    data_dir: Path,
    only: set[str] | None,
    shapes: Graph,
    cache: Cache,
    progress: Progress | None,
    with_base: bool,
    context: str,
    *,
    tbox: tuple[list[Vocabulary], Graph, list[OntologyModule]] | None = None,
    shacl_workers: int | None = None,
) -> Compiled:
    """Load, convert and validate the shared files and ``only`` these case files (or every
    file); return their chunks keyed by file name (``base`` for the TBox and shared graph),
    and whether the split into chunks was exact. The base is made only ``with_base`` (or
    when the split is not exact). ``tbox`` is the concept schemes, the ontology and its
    modules when already loaded (they are copied, not changed)."""
    vocabularies, ontology, modules = tbox or _tbox_files(layout, cache, context)
    # Cases alone, with the base kept: the shared files as read, checked and converted then
    state: SharedState | None = None
    if only is not None and not with_base:
        state = cache.get(SHARED_NAMESPACE, digest(context, BASE))
    try:
        corpus = load_corpus(
            data_dir,
            cache.get_or_compute(
                TBOX_NAMESPACE,
                digest(context, "concepts"),
                lambda: ConceptIndex.from_vocabularies(vocabularies),
            ),
            only=only,
            shared=state.ids if state is not None else None,
        )
    except AuthoringError as error:
        return error
    built = build_dataset(
        corpus,
        layout,
        ontology=ontology,
        vocabularies=vocabularies,
        modules=modules,
        shared_statements=state.referenced if state is not None else None,
    )
    dataset = built.dataset
    plan = _plan(dataset, object_targets(shapes)) if splittable(shapes) else None
    exact = plan is not None
    if exact and state is None:
        cache.put(SHARED_NAMESPACE, digest(context, BASE), SharedState.of(corpus, dataset))
    # the context hashes the shapes' and the TBox's files: the same key on every parse
    outcome = validate_split(
        dataset,
        shapes,
        cache=cache,
        progress=progress,
        context=context,
        with_shared=state is None,
        workers=shacl_workers,
        plan=plan,
    )

    tbox_graphs = sorted(g.identifier for g in dataset.graphs() if is_tbox_graph(g.identifier))
    # the TBox graphs are the TBox files' (the context hashes them): read once per content
    reasoner = cache.get_or_compute(
        TBOX_NAMESPACE,
        digest(context, "reasoner"),
        lambda: Reasoner(t for g in tbox_graphs for t in dataset.graph(g)),
    )
    file_of_case = {c.model.id: c.file.name for c in corpus.cases}
    file_of_case.update({c.case_id: c.path.name for c in corpus.rdf_cases})

    def owner(focus: Node) -> str:
        text = str(focus)
        for case_id in _case_ids_of(text):
            if case_id in file_of_case:
                return file_of_case[case_id]
        return BASE

    results: dict[str, list[ValidationResult]] = {}
    locations: dict[str, dict[Node, Location]] = {}
    for result in outcome.results:
        name = owner(result.focus)
        results.setdefault(name, []).append(result)
        where = built.source_index.get(result.focus)
        locations.setdefault(name, {})[result.focus] = Location(
            where.path if where else None,
            where.line if where else None,
            entity_label(dataset, result.focus),
        )

    graphs: dict[str, dict[IdentifiedNode, list[Triple]]] = {}
    defaults: dict[str, list[Triple]] = {}
    for graph in dataset.graphs():
        triples = list(graph)
        if not triples:
            continue
        identifier = graph.identifier
        if identifier == DATASET_DEFAULT_GRAPH_ID:
            for triple in triples:
                defaults.setdefault(owner(triple[0]) if exact else BASE, []).append(triple)
            continue
        name = owner(identifier) if exact else BASE
        graphs.setdefault(name, {})[identifier] = triples
    if exact and not with_base:
        defaults.pop(BASE, None)
        graphs.pop(BASE, None)

    names = {BASE} | set(graphs) | set(defaults) | (set(file_of_case.values()) if exact else set())
    if exact and not with_base:
        names.discard(BASE)
    chunks = {}
    for name in sorted(names):
        chunks[name] = _make_chunk(
            _chunk_name(name),
            graphs.get(name, {}),
            sorted(defaults.get(name, [])),
            reasoner,
            results.get(name, ()),
            locations.get(name, {}),
            cases=(0 if exact else len(file_of_case)) if name == BASE else 1,
            not_inferred_from=_inference_provenance(tbox_graphs) if name == BASE else (),
        )
    return chunks, exact


def _tbox_files(
    layout: ProjectLayout, cache: Cache, context: str
) -> tuple[list[Vocabulary], Graph, list[OntologyModule]]:
    """The concept schemes, the ontology and its modules, parsed once per content (the
    context hashes their files): unpickling them is several times faster than parsing."""
    key = digest(context, "tbox")
    found = cache.get(TBOX_NAMESPACE, key)
    if found is None:
        found = (load_vocabularies(layout), load_ontology(layout), load_modules(layout))
        cache.put(TBOX_NAMESPACE, key, found)
    return found


def _case_ids_of(iri: str) -> list[str]:
    """The case ids an IRI could belong to: ``…/id/case/<id>/…`` or ``…/graph/case/<id>``."""
    from ekipgraph.shacl_split import CASE_GRAPH_BASE

    for base in (CASE_ID_BASE, CASE_GRAPH_BASE):
        if iri.startswith(base):
            rest = iri[len(base) :]
            case_id = rest.split("/", 1)[0]
            if _own(iri, base + case_id):
                return [case_id]
    return []


def entity_label(dataset: Dataset, node: Node) -> str:
    """A node's label for reports: rdfs:label, else skos:prefLabel, English or untagged first."""
    if not isinstance(node, URIRef | BNode):
        return ""
    from rdflib.namespace import SKOS

    for predicate in (RDFS.label, SKOS.prefLabel):
        labels = [o for _, _, o, _ in dataset.quads((node, predicate, None, None))]
        for label in labels:
            if getattr(label, "language", None) in ("en", None):
                return str(label)
        if labels:
            return str(labels[0])
    return ""
