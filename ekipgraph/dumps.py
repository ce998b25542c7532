"""The dataset folder's dumps, written from chunks or patched where a few chunks changed.

A build writes ``ekip.trig``, ``ekip.nq`` and a Turtle file per graph (``graphs/…``) from
the chunks of ``ekipgraph.compiled``. Each file is a sequence of *pieces* in a fixed order,
each piece the text of one chunk in one graph (or a graph block's opening and closing lines),
and ``ekip.nq`` is every line, sorted. ``.ekipgraph-dumps.json`` beside them records what
the next build needs to patch them instead of writing them again:

- the cache key of every chunk, and the graphs each chunk holds;
- the length of every piece of ``ekip.trig`` and of each graph file that several chunks
  share (``graphs/default.ttl``, ``graphs/inferred.ttl``), and how many pieces use each
  prefix declaration;
- the inferred lines that more than one chunk entails (a line leaves ``ekip.nq`` with the
  last chunk that entails it), and the dataset's totals (summary counts, triples per graph,
  SHACL results per chunk).

After an edit, the new files are the old ones' bytes (copied by the kernel, range by range)
with the pieces and lines of the changed chunks replaced: the cost is that of copying the
files and of the changed chunks, not of every chunk. ``tests/test_dumps.py`` proves a
patched folder is byte for byte the one a build from scratch writes.
"""

from __future__ import annotations

import json
import mmap
import os
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ekipgraph.graph import _COUNTED, DEFAULT_GRAPH_NAME, DatasetSummary, graph_name
from ekipgraph.infer import INFERRED_GRAPH

if TYPE_CHECKING:
    from ekipgraph.buildrecord import BuildRecord, FileStat
    from ekipgraph.compiled import Chunk, CompiledDataset, GraphText

TRIG_FILE = "ekip.trig"
NQUADS_FILE = "ekip.nq"
GRAPHS_DIR = "graphs"
INDEX_FILE = ".ekipgraph-dumps.json"
INDEX_FORMAT = 2  # 2: the pieces of a layout by column
BASE = "base"
INFERRED_NAME = graph_name(INFERRED_GRAPH)

#: patch the dumps while at most this share of the chunks changed: past that, writing them
#: whole is as fast and holds fewer pieces in memory
PATCH_SHARE = 0.1

OPEN, SEGMENT, CLOSE = 0, 1, 2

#: a piece of ``ekip.trig``: (graph, part, chunk); the open and close parts have no chunk
TrigPiece = tuple[str, int, str]


def chunk_order(name: str) -> tuple[bool, str]:
    """The base first, then the cases by name: the order of a graph's pieces."""
    return (name != BASE, name)


def graph_order(graph: str) -> tuple[bool, str]:
    """The default graph first, then the named graphs by name."""
    return (graph != DEFAULT_GRAPH_NAME, graph)


def trig_order(piece: TrigPiece) -> tuple[bool, str, int, bool, str]:
    graph, part, chunk = piece
    return (*graph_order(graph), part, *chunk_order(chunk))


def segment(text: GraphText) -> bytes:
    """A chunk's statements in a graph, as they appear in a block or a graph file."""
    body = text.body.strip()
    return (body + "\n").encode("utf-8") if body else b""


def trig_open(graph: str) -> bytes:
    from ekipgraph.namespaces import GRAPH_BASE

    label = "" if graph == DEFAULT_GRAPH_NAME else f"<{GRAPH_BASE}{graph}> "
    return f"\n{label}{{\n".encode()


TRIG_CLOSE = b"}\n"


def trig_header(prefixes: Iterable[str]) -> bytes:
    """Every prefix that some piece uses, declared once at the top."""
    lines = sorted(prefixes)
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def graph_file_header(prefixes: Iterable[str]) -> bytes:
    lines = sorted(prefixes)
    return ("\n".join(lines) + "\n\n").encode("utf-8") if lines else b""


def chunk_texts(chunk: Chunk) -> dict[str, GraphText]:
    """Graph name -> the chunk's Turtle in it, its entailments included."""
    texts = dict(chunk.graphs)
    if chunk.inferred_text.body.strip():
        texts[INFERRED_NAME] = chunk.inferred_text
    return texts


# ---------------------------------------------------------------------------------------
# What the next build reads


@dataclass
class FileLayout:
    """A file of pieces: how many pieces declare each prefix, and each piece's length."""

    prefixes: dict[str, int] = field(default_factory=dict)
    pieces: list[tuple[Any, int]] = field(default_factory=list)

    def to_json(self, trig: bool) -> dict[str, Any]:
        """The pieces by column (their keys' parts, then their lengths): a column is one
        list that the json module reads and writes in C, not a list per piece."""
        keys = [key for key, _ in self.pieces]
        columns = [list(column) for column in zip(*keys, strict=True)] if trig else [keys]
        return {
            "prefixes": self.prefixes,
            "keys": columns or [[], [], []],
            "lengths": [length for _, length in self.pieces],
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any], trig: bool) -> FileLayout:
        columns, lengths = raw["keys"], raw["lengths"]
        kinds = (str, int, str) if trig else (str,)
        if not isinstance(columns, list) or len(columns) != len(kinds):
            raise ValueError("the pieces' keys are not the columns of a layout")
        for column, kind in zip(columns, kinds, strict=True):
            if not isinstance(column, list) or len(column) != len(lengths):
                raise ValueError("a column of the pieces' keys of another length")
            if not _only(column, kind):
                raise ValueError("a piece's key of another type")
        if not isinstance(lengths, list) or not _only(lengths, int):
            raise ValueError("a piece's length that is not an integer")
        if lengths and min(lengths) < 0:  # not written by a build: the folder is written whole
            raise ValueError("a piece of negative length")
        keys = list(zip(*columns, strict=True)) if trig else columns[0]
        return cls(_ints(raw["prefixes"]), list(zip(keys, lengths, strict=True)))


def _only(values: Iterable[object], kind: type) -> bool:
    """Every value is exactly of ``kind`` (a bool is no int here): checked in C."""
    return set(map(type, values)) <= {kind}


def _ints(raw: object) -> dict[str, int]:
    """An object of integers, as read (the keys of a JSON object are strings)."""
    if not isinstance(raw, dict) or not _only(raw.values(), int):
        raise ValueError("not an object of integers")
    return raw


def _strings(raw: object) -> dict[str, str]:
    if not isinstance(raw, dict) or not _only(raw.values(), str):
        raise ValueError("not an object of strings")
    return raw


@dataclass
class DumpIndex:
    """``.ekipgraph-dumps.json``: see the module doc."""

    chunks: dict[str, str]  # chunk name -> cache key
    graphs: dict[str, list[str]]  # chunk name -> the graphs it holds pieces of
    trig: FileLayout
    files: dict[str, FileLayout]  # graph -> its file's layout, for graphs of several chunks
    shared_inferred: dict[str, int]  # inferred line -> the chunks that entail it, when >= 2
    inferred_total: int
    typed: dict[str, int]  # summary key -> subjects counted
    foreign_typed: dict[str, dict[str, int]]  # key -> subject outside any case -> chunks
    triples: dict[str, int]  # graph -> statements (graph/inferred aside)
    results: dict[str, dict[str, int]]  # chunk name -> severity -> SHACL results

    def write(self, folder: Path) -> None:
        raw = {
            "format": INDEX_FORMAT,
            "chunks": self.chunks,
            "graphs": self.graphs,
            "trig": self.trig.to_json(trig=True),
            "files": {name: layout.to_json(trig=False) for name, layout in self.files.items()},
            "shared_inferred": self.shared_inferred,
            "inferred_total": self.inferred_total,
            "typed": self.typed,
            "foreign_typed": self.foreign_typed,
            "triples": self.triples,
            "results": self.results,
        }
        (Path(folder) / INDEX_FILE).write_text(json.dumps(raw), encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> DumpIndex | None:
        """The folder's index, or None when it has none that this version reads. The
        values are checked for their types as a whole (``_only``), not converted one by
        one: at 10,000 cases the index holds some 100,000 of them."""
        try:
            with open(f"{folder}/{INDEX_FILE}", "rb") as handle:
                raw = json.loads(handle.read())
            if not isinstance(raw, dict) or raw.get("format") != INDEX_FORMAT:
                return None
            graphs = raw["graphs"]
            if not isinstance(graphs, dict) or not _only(graphs.values(), list):
                raise ValueError("graphs is not an object of lists")
            if not _only((name for names in graphs.values() for name in names), str):
                raise ValueError("a graph name that is not a string")
            files = raw["files"]
            if not isinstance(files, dict):
                raise ValueError("files is not an object")
            foreign = raw["foreign_typed"]
            results = raw["results"]
            if not isinstance(foreign, dict) or not isinstance(results, dict):
                raise ValueError("foreign_typed or results is not an object")
            inferred_total = raw["inferred_total"]
            if type(inferred_total) is not int:
                raise ValueError("inferred_total is not an integer")
            return cls(
                chunks=_strings(raw["chunks"]),
                graphs=graphs,
                trig=FileLayout.from_json(raw["trig"], trig=True),
                files={
                    name: FileLayout.from_json(layout, trig=False) for name, layout in files.items()
                },
                shared_inferred=_ints(raw["shared_inferred"]),
                inferred_total=inferred_total,
                typed=_ints(raw["typed"]),
                foreign_typed={key: _ints(counts) for key, counts in foreign.items()},
                triples=_ints(raw["triples"]),
                results={name: _ints(counts) for name, counts in results.items()},
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            return None

    def severity_counts(self, chunks: Iterable[str]) -> dict[str, int]:
        """The SHACL results of ``chunks`` per severity."""
        counts: dict[str, int] = {}
        for name in chunks:
            for severity, count in self.results.get(name, {}).items():
                counts[severity] = counts.get(severity, 0) + count
        return counts

    def summary(self) -> DatasetSummary:
        triples = dict(self.triples)
        if self.inferred_total:
            triples[INFERRED_NAME] = self.inferred_total
        counts = {key: self.typed.get(key, 0) for key in _COUNTED}
        return DatasetSummary(counts, dict(sorted(triples.items())))

    def file_keys(self) -> dict[str, str]:
        """As :meth:`CompiledDataset.file_keys`, from the index."""
        return file_keys(self.chunks, self.graphs)


def file_keys(keys: dict[str, str], graphs: dict[str, list[str]]) -> dict[str, str]:
    """Graph file -> a key of what it holds, for the files that one kept chunk writes alone
    (the same key, the same bytes): ``graphs`` is chunk name -> its graphs."""
    from ekipgraph.cache import digest

    owners: dict[str, list[str]] = {}
    for chunk, names in graphs.items():
        for name in names:
            if name != INFERRED_NAME:
                owners.setdefault(name, []).append(chunk)
    return {
        f"{GRAPHS_DIR}/{name}.ttl": digest(keys[found[0]], name)
        for name, found in owners.items()
        if len(found) == 1 and found[0] in keys and name != DEFAULT_GRAPH_NAME
    }


def _own_subject(subject: str) -> bool:
    """A subject under one case's IRIs: no other chunk can speak of it (``shacl_split``)."""
    from ekipgraph.compiled import _case_ids_of

    return bool(_case_ids_of(subject))


def index_of(
    compiled: CompiledDataset, trig: FileLayout, files: dict[str, FileLayout]
) -> DumpIndex:
    """The index of a dataset written whole (``trig`` and ``files`` as written)."""
    inferred: dict[str, int] = {}
    foreign: dict[str, dict[str, int]] = {}
    for chunk in compiled.chunks:
        for line in chunk.inferred:
            inferred[line] = inferred.get(line, 0) + 1
        for key, subjects in chunk.typed.items():
            for subject in subjects:
                if not _own_subject(subject):
                    counted = foreign.setdefault(key, {})
                    counted[subject] = counted.get(subject, 0) + 1
    summary = compiled.summary()
    triples = {k: v for k, v in summary.triples_per_graph.items() if k != INFERRED_NAME}
    return DumpIndex(
        chunks=dict(compiled.keys),
        graphs={chunk.name: sorted(chunk_texts(chunk)) for chunk in compiled.chunks},
        trig=trig,
        files=files,
        shared_inferred={line: n for line, n in inferred.items() if n > 1},
        inferred_total=len(inferred),
        typed=dict(summary.counts),
        foreign_typed=foreign,
        triples=triples,
        results={c.name: _severities(c) for c in compiled.chunks if c.results},
    )


def _severities(chunk: Chunk) -> dict[str, int]:
    from ekipgraph.results import compact

    counts: dict[str, int] = {}
    for result in chunk.results:
        severity = compact(result.severity).removeprefix("sh:")
        counts[severity] = counts.get(severity, 0) + 1
    return counts


# ---------------------------------------------------------------------------------------
# Writing files piece by piece: new text, or a range of the previous file


@dataclass(frozen=True)
class Copy:
    """``length`` bytes of the previous file from ``start``."""

    start: int
    length: int


Part = bytes | Copy


def write_parts(target: Path, parts: Iterable[Part], source: Path | None) -> None:
    """``target`` made of ``parts``; a :class:`Copy` is taken from ``source`` by the kernel
    (``copy_file_range``), the bytes never pass through Python."""
    with open(target, "wb") as out, _opened(source) as handle:
        pending: list[bytes] = []
        for part in _coalesced(parts):
            if isinstance(part, bytes):
                pending.append(part)
                continue
            if pending:
                out.write(b"".join(pending))
                pending = []
            assert handle is not None
            out.flush()
            _copy_range(handle, out, part)
        if pending:
            out.write(b"".join(pending))


#: lines encoded and written at a time by :func:`write_lines`
LINES_PER_WRITE = 1 << 16


def write_lines(target: Path, lines: Sequence[str]) -> None:
    """``target`` holding ``lines``, each ended by a newline, written a block at a time: a
    million quads joined into one text take twice their size as text (one character outside
    Latin-1 makes every character two bytes wide) and their size again as UTF-8."""
    with open(target, "wb") as out:
        for start in range(0, len(lines), LINES_PER_WRITE):
            block = lines[start : start + LINES_PER_WRITE]
            out.write(("\n".join(block) + "\n").encode("utf-8"))


@contextmanager
def _opened(path: Path | None) -> Iterator[BinaryIO | None]:
    if path is None:
        yield None
        return
    with open(path, "rb") as handle:
        yield handle


def _coalesced(parts: Iterable[Part]) -> Iterator[Part]:
    """Adjacent copies of adjacent ranges as one."""
    run: Copy | None = None
    for part in parts:
        if isinstance(part, Copy):
            if part.length == 0:
                continue
            if run is not None and run.start + run.length == part.start:
                run = Copy(run.start, run.length + part.length)
                continue
            if run is not None:
                yield run
            run = part
            continue
        if run is not None:
            yield run
            run = None
        if part:
            yield part
    if run is not None:
        yield run


def _copy_range(source: BinaryIO, out: BinaryIO, part: Copy) -> None:
    offset, left = part.start, part.length
    try:
        while left:
            copied = os.copy_file_range(source.fileno(), out.fileno(), left, offset)
            if copied == 0:
                raise PatchError("the previous file is shorter than its index says")
            offset += copied
            left -= copied
        out.seek(0, os.SEEK_END)  # copy_file_range moved the descriptor, not the buffer
    except OSError:  # another file system, or no copy_file_range: through memory
        source.seek(offset)
        while left:
            block = source.read(min(left, 1 << 24))
            if not block:
                raise PatchError("the previous file is shorter than its index says") from None
            out.write(block)
            left -= len(block)


class PatchError(RuntimeError):
    """The previous files are not what their index says: they are written whole instead."""


# ---------------------------------------------------------------------------------------
# Whole files


def trig_pieces(chunks: Sequence[Chunk]) -> dict[TrigPiece, bytes]:
    """Every piece of ``ekip.trig`` (unordered)."""
    pieces: dict[TrigPiece, bytes] = {}
    for chunk in chunks:
        for graph, text in chunk_texts(chunk).items():
            pieces[(graph, SEGMENT, chunk.name)] = segment(text)
            pieces[(graph, OPEN, "")] = trig_open(graph)
            pieces[(graph, CLOSE, "")] = TRIG_CLOSE
    return pieces


def whole_trig(chunks: Sequence[Chunk]) -> tuple[list[bytes], FileLayout]:
    """``ekip.trig`` of every chunk, as its header and pieces in order, and its layout."""
    prefixes: dict[str, int] = {}
    for chunk in chunks:
        for text in chunk_texts(chunk).values():
            for line in text.prefixes:
                prefixes[line] = prefixes.get(line, 0) + 1
    pieces = trig_pieces(chunks)
    order = sorted(pieces, key=trig_order)
    layout = FileLayout(prefixes, [(key, len(pieces[key])) for key in order])
    return [trig_header(prefixes), *(pieces[key] for key in order)], layout


def write_whole(
    compiled: CompiledDataset,
    staging: Path,
    write_graph: Callable[[str, Callable[[], bytes]], None],
) -> DumpIndex:
    """Write the dumps of every chunk into ``staging``; ``write_graph(relative, text)``
    writes (or links) a graph file. Returns the index of what was written."""
    chunks = compiled.chunks
    texts = {chunk.name: chunk_texts(chunk) for chunk in chunks}
    by_graph: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        for graph in texts[chunk.name]:
            by_graph.setdefault(graph, []).append(chunk)
    trig_parts, trig = whole_trig(chunks)
    write_parts(staging / TRIG_FILE, trig_parts, None)
    write_lines(staging / NQUADS_FILE, compiled.nquad_lines())
    files: dict[str, FileLayout] = {}
    for graph in sorted(by_graph, key=graph_order):
        owners = sorted(by_graph[graph], key=lambda c: chunk_order(c.name))
        parts = [(c.name, segment(texts[c.name][graph])) for c in owners]
        counted: dict[str, int] = {}
        for chunk in owners:
            for line in texts[chunk.name][graph].prefixes:
                counted[line] = counted.get(line, 0) + 1
        if len(owners) > 1:
            files[graph] = FileLayout(counted, [(name, len(data)) for name, data in parts])
        write_graph(
            f"{GRAPHS_DIR}/{graph}.ttl",
            partial(graph_file, counted, [data for _, data in parts]),
        )
    return index_of(compiled, trig, files)


def graph_file(prefixes: Iterable[str], segments: Sequence[bytes]) -> bytes:
    body = b"".join(segments)
    return graph_file_header(prefixes) + (body or b"\n")


# ---------------------------------------------------------------------------------------
# Patching


@dataclass
class Patch:
    """What changed between the previous build's chunks and this one's."""

    changed: dict[str, Chunk]  # chunk name -> its new chunk (changed or added)
    old: dict[str, Chunk]  # chunk name -> its previous chunk (changed or removed)
    removed_lines: list[bytes] = field(default_factory=list)  # of ekip.nq, sorted
    added_lines: list[bytes] = field(default_factory=list)


def _splice(
    pieces: list[tuple[Any, int]],
    start: int,
    keep: Callable[[Any], bool],
    new: dict[Any, bytes],
    order: Callable[[Any], Any],
) -> tuple[list[Part], list[tuple[Any, int]]]:
    """The parts of a file patched from its previous version, and its new pieces: the old
    ``pieces`` (in ``order``, the first at offset ``start``) that ``keep`` keeps, as copies
    of their ranges (adjacent ones as one), with the ``new`` pieces put where ``order``
    places them. The old pieces are sorted already: each new one is placed by a binary
    search, not by sorting every piece again (at 10,000 cases ``ekip.trig`` has 30,000)."""
    kept: list[tuple[tuple[Any, int], int]] = []
    at = start
    for piece in pieces:
        if keep(piece[0]):
            kept.append((piece, at))
        at += piece[1]
    inserts = sorted(new, key=order)
    places = [bisect_left(kept, order(key), key=lambda item: order(item[0][0])) for key in inserts]
    parts: list[Part] = []
    layout: list[tuple[Any, int]] = []
    run_start = run_end = 0  # the copy being extended: [run_start, run_end)
    done = 0
    for place, key in [*zip(places, inserts, strict=True), (len(kept), None)]:
        for piece, offset in kept[done:place]:
            layout.append(piece)
            if not piece[1]:
                continue
            if offset != run_end or run_end == run_start:
                if run_end > run_start:
                    parts.append(Copy(run_start, run_end - run_start))
                run_start = offset
            run_end = offset + piece[1]
        done = place
        if key is not None:
            if run_end > run_start:
                parts.append(Copy(run_start, run_end - run_start))
            run_start = run_end = 0
            parts.append(new[key])
            layout.append((key, len(new[key])))
    if run_end > run_start:
        parts.append(Copy(run_start, run_end - run_start))
    return parts, layout


def _counted(counts: dict[str, int], gone: Iterable[str], come: Iterable[str]) -> dict[str, int]:
    new = dict(counts)
    for line in gone:
        new[line] = new.get(line, 0) - 1
    for line in come:
        new[line] = new.get(line, 0) + 1
    if any(n < 0 for n in new.values()):
        raise PatchError("a prefix count went below zero")
    return {line: n for line, n in new.items() if n}


def patch_trig(index: DumpIndex, patch: Patch, old_file: Path, target: Path) -> FileLayout:
    """Write the new ``ekip.trig`` into ``target`` from the old one; its layout."""
    old_texts = {name: chunk_texts(chunk) for name, chunk in patch.old.items()}
    new_texts = {name: chunk_texts(chunk) for name, chunk in patch.changed.items()}
    prefixes = _counted(
        index.trig.prefixes,
        (line for texts in old_texts.values() for t in texts.values() for line in t.prefixes),
        (line for texts in new_texts.values() for t in texts.values() for line in t.prefixes),
    )
    old_header = trig_header(index.trig.prefixes)
    touched = set(patch.old) | set(patch.changed)
    # graph -> chunks with a segment in it, after the patch; the graphs with a block before
    members: dict[str, int] = {}
    opened: set[str] = set()
    for key, _ in index.trig.pieces:
        if key[1] == SEGMENT:
            if key[2] not in touched:
                members[key[0]] = members.get(key[0], 0) + 1
        elif key[1] == OPEN:
            opened.add(key[0])
    new_pieces: dict[TrigPiece, bytes] = {}
    for name, texts in new_texts.items():
        for graph, text in texts.items():
            new_pieces[(graph, SEGMENT, name)] = segment(text)
            members[graph] = members.get(graph, 0) + 1
    for graph in members:
        if members[graph] and graph not in opened:
            new_pieces[(graph, OPEN, "")] = trig_open(graph)
            new_pieces[(graph, CLOSE, "")] = TRIG_CLOSE

    def keep(key: TrigPiece) -> bool:
        if key[1] == SEGMENT:
            return key[2] not in touched
        return bool(members.get(key[0]))  # a block's lines go with its last segment

    parts, pieces = _splice(index.trig.pieces, len(old_header), keep, new_pieces, trig_order)
    header = trig_header(prefixes)
    head: Part = Copy(0, len(old_header)) if header == old_header else header
    write_parts(target, [head, *parts], old_file)
    return FileLayout(prefixes, pieces)


def patch_graph_file(
    layout: FileLayout, graph: str, patch: Patch, old_file: Path, target: Path
) -> FileLayout:
    """Write a graph file that several chunks share from its previous version."""
    old = {n: chunk_texts(c)[graph] for n, c in patch.old.items() if graph in chunk_texts(c)}
    new = {n: chunk_texts(c)[graph] for n, c in patch.changed.items() if graph in chunk_texts(c)}
    prefixes = _counted(
        layout.prefixes,
        (line for text in old.values() for line in text.prefixes),
        (line for text in new.values() for line in text.prefixes),
    )
    old_header = graph_file_header(layout.prefixes)
    touched = set(patch.old) | set(patch.changed)
    parts, pieces = _splice(
        layout.pieces,
        len(old_header),
        lambda name: name not in touched,
        {name: segment(text) for name, text in new.items()},
        chunk_order,
    )
    if not any(length for _, length in pieces):
        raise PatchError(f"graph {graph} is left empty")  # written whole: the "\n" body
    header = graph_file_header(prefixes)
    head: Part = Copy(0, len(old_header)) if header == old_header else header
    write_parts(target, [head, *parts], old_file)
    return FileLayout(prefixes, pieces)


def line_start_at_or_after(buffer: bytes | mmap.mmap, target: bytes) -> int:
    """The offset of the first line of the sorted ``buffer`` that is not below ``target``."""
    lo, hi = 0, len(buffer)
    while lo < hi:
        mid = (lo + hi) // 2
        newline = buffer.rfind(b"\n", lo, mid)
        start = lo if newline < 0 else newline + 1
        end = buffer.find(b"\n", start)
        if end < 0:
            end = len(buffer)
        if buffer[start:end] < target:
            lo = end + 1
        else:
            hi = start
    return min(lo, len(buffer))


def nquads_changes(index: DumpIndex, patch: Patch, old_dump: bytes | mmap.mmap) -> int:
    """Fill the patch's removed and added lines of ``ekip.nq``, and update the index's
    counts of inferred lines; returns the new number of distinct inferred lines."""
    removed = {line for chunk in patch.old.values() for line in chunk.quads}
    added = {line for chunk in patch.changed.values() for line in chunk.quads}
    before: dict[str, int] = {}
    delta: dict[str, int] = {}
    for chunk in patch.old.values():
        for line in chunk.inferred:
            delta[line] = delta.get(line, 0) - 1
            before.setdefault(line, index.shared_inferred.get(line, 1))
    for chunk in patch.changed.values():
        for line in chunk.inferred:
            delta[line] = delta.get(line, 0) + 1
    total = index.inferred_total
    for line, change in delta.items():
        if line not in before:  # entailed by no previous changed chunk: maybe by another
            if line in index.shared_inferred:
                before[line] = index.shared_inferred[line]
            else:
                data = line.encode("utf-8")
                at = line_start_at_or_after(old_dump, data)
                present = old_dump[at : at + len(data) + 1] == data + b"\n"
                before[line] = 1 if present else 0
        after = before[line] + change
        if after < 0:
            raise PatchError("an inferred line's count went below zero")
        if before[line] and not after:
            removed.add(line)
            total -= 1
        elif after and not before[line]:
            added.add(line)
            total += 1
        if after > 1:
            index.shared_inferred[line] = after
        else:
            index.shared_inferred.pop(line, None)
    both = removed & added
    patch.removed_lines = sorted(line.encode("utf-8") for line in removed - both)
    patch.added_lines = sorted(line.encode("utf-8") for line in added - both)
    return total


def patch_nquads(patch: Patch, old_dump: bytes | mmap.mmap, old_file: Path, target: Path) -> None:
    """Write the new ``ekip.nq``: the old lines, less the removed, with the added in order."""
    parts: list[Part] = []
    at = 0
    events = sorted(
        [(line, 0) for line in patch.removed_lines] + [(line, 1) for line in patch.added_lines]
    )
    for line, kind in events:
        where = line_start_at_or_after(old_dump, line)
        if where < at:
            raise PatchError("ekip.nq is not sorted")
        parts.append(Copy(at, where - at))
        at = where
        if kind == 0:
            if old_dump[where : where + len(line) + 1] != line + b"\n":
                raise PatchError("a line to remove is not in ekip.nq")
            at = where + len(line) + 1
        else:
            parts.append(line + b"\n")
    parts.append(Copy(at, len(old_dump) - at))
    write_parts(target, parts, old_file)


def update_totals(index: DumpIndex, patch: Patch) -> None:
    """The summary counts, triples per graph and results of the index after the patch."""
    for key in _COUNTED:
        total = index.typed.get(key, 0)
        foreign = index.foreign_typed.setdefault(key, {})
        for chunk in patch.old.values():
            for subject in chunk.typed.get(key, frozenset()):
                if _own_subject(subject):
                    total -= 1
                    continue
                count = foreign.get(subject, 0) - 1
                if count < 0:
                    raise PatchError("a summary count went below zero")
                if count == 0:
                    foreign.pop(subject, None)
                    total -= 1
                else:
                    foreign[subject] = count
        for chunk in patch.changed.values():
            for subject in chunk.typed.get(key, frozenset()):
                if _own_subject(subject):
                    total += 1
                    continue
                count = foreign.get(subject, 0) + 1
                foreign[subject] = count
                if count == 1:
                    total += 1
        index.typed[key] = total
        if not foreign:
            index.foreign_typed.pop(key, None)
    for chunk in patch.old.values():
        for graph, count in chunk.triples_per_graph.items():
            index.triples[graph] = index.triples.get(graph, 0) - count
        index.results.pop(chunk.name, None)
        index.graphs.pop(chunk.name, None)
        index.chunks.pop(chunk.name, None)
    for chunk in patch.changed.values():
        for graph, count in chunk.triples_per_graph.items():
            index.triples[graph] = index.triples.get(graph, 0) + count
        if chunk.results:
            index.results[chunk.name] = _severities(chunk)
        index.graphs[chunk.name] = sorted(chunk_texts(chunk))
    if any(n < 0 for n in index.triples.values()):
        raise PatchError("a triple count went below zero")
    index.triples = {graph: n for graph, n in index.triples.items() if n}


def patch_folder(
    index: DumpIndex,
    patch: Patch,
    keys: dict[str, str],
    previous: BuildRecord,
    out_dir: Path,
    staging: Path,
    linked: dict[str, FileStat],
) -> tuple[list[str], dict[str, str]]:
    """Write the patched dumps into ``staging`` from ``out_dir``'s; returns the files written
    (relative) and the new folder's file keys (:func:`file_keys`), and leaves ``index`` as
    the new folder's. The files linked from ``out_dir``
    go into ``linked`` with the stat they were checked against (``ekipgraph.buildrecord``).
    :class:`PatchError` when the old files are not what the index says (nothing is kept of
    the attempt then). Paths are plain strings: at 10,000 cases this is 10,000 files."""
    for name in (TRIG_FILE, NQUADS_FILE, INDEX_FILE):
        if not previous.unchanged(out_dir, name):
            raise PatchError(f"{name} changed since it was written")
    written: list[str] = [TRIG_FILE, NQUADS_FILE]
    with open(out_dir / NQUADS_FILE, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        dump: bytes | mmap.mmap = (
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        )
        try:
            inferred_total = nquads_changes(index, patch, dump)
            patch_nquads(patch, dump, out_dir / NQUADS_FILE, staging / NQUADS_FILE)
        finally:
            if isinstance(dump, mmap.mmap):
                dump.close()
    index.trig = patch_trig(index, patch, out_dir / TRIG_FILE, staging / TRIG_FILE)
    index.inferred_total = inferred_total
    old_graphs = {name: list(index.graphs.get(name, [])) for name in patch.old}
    update_totals(index, patch)
    index.chunks = dict(keys)  # the unchanged chunks and the changed ones, in keys' order
    touched_graphs = {g for names in old_graphs.values() for g in names} | {
        g for chunk in patch.changed.values() for g in chunk_texts(chunk)
    }
    owners: dict[str, list[str]] = {}
    for chunk, graphs in index.graphs.items():
        for graph in graphs:
            owners.setdefault(graph, []).append(chunk)
    reusable = file_keys(index.chunks, index.graphs)
    files: dict[str, FileLayout] = {}
    source, target = str(out_dir), str(staging)
    made: set[str] = set()
    for graph in sorted(owners, key=graph_order):
        relative = f"{GRAPHS_DIR}/{graph}.ttl"
        folder = relative.rpartition("/")[0]
        if folder not in made:
            os.makedirs(f"{target}/{folder}", exist_ok=True)
            made.add(folder)
        written.append(relative)
        found = owners[graph]
        layout = index.files.get(graph)
        if graph not in touched_graphs:
            stat = previous.checked(source, relative)
            if stat is None:
                raise PatchError(f"{relative} changed since it was written")
            if _link(f"{source}/{relative}", f"{target}/{relative}"):
                linked[relative] = stat
            if layout is not None:
                files[graph] = layout
            continue
        if len(found) > 1 and layout is not None:
            if not previous.unchanged(source, relative):
                raise PatchError(f"{relative} changed since it was written")
            files[graph] = patch_graph_file(
                layout, graph, patch, out_dir / relative, staging / relative
            )
            continue
        if len(found) > 1 or found[0] not in patch.changed:
            raise PatchError(f"{relative} gained or lost a chunk it shares")
        text = chunk_texts(patch.changed[found[0]])[graph]
        key = reusable.get(relative)
        stat = previous.reusable(source, relative, key) if key else None
        if stat is not None and _link(f"{source}/{relative}", f"{target}/{relative}"):
            linked[relative] = stat  # an edit that left this graph as it was
        else:
            with open(f"{target}/{relative}", "wb") as out:
                out.write(graph_file(text.prefixes, [segment(text)]))
    index.files = files
    return written, reusable


def _link(source: str, target: str) -> bool:
    """Hard-link ``source`` as ``target``; copied when links cannot be made here (False)."""
    try:
        os.link(source, target)
        return True
    except OSError:
        import shutil

        shutil.copyfile(source, target)
        return False


# ---------------------------------------------------------------------------------------
# The dataset folder


@dataclass
class Written:
    """What writing the dataset folder wrote."""

    files: list[str]  # relative to the folder
    summary: DatasetSummary
    file_keys: dict[str, str]
    #: ekip.nq's removed and added lines and the previous file's (size, mtime, inode), when
    #: the folder was patched
    difference: tuple[list[bytes], list[bytes], tuple[int, int, int]] | None
    patched: int | None = None  # the chunks changed, added or removed, when patched
    #: the files linked from the previous folder -> the stat they were checked against
    linked: dict[str, FileStat] = field(default_factory=dict)


class ChunkGoneError(RuntimeError):
    """A chunk left in the cache is no longer there: the dataset is compiled again."""


def plan_patch(
    compiled: CompiledDataset, index: DumpIndex | None, previous: BuildRecord | None
) -> Patch | None:
    """The chunks to patch the previous folder with, or None when it is to be written whole:
    no index, chunks not kept per file, the base changed, or too many changes."""
    if index is None or previous is None or not compiled.keys:
        return None
    from ekipgraph.compiled import CHUNK_NAMESPACE

    loaded = {chunk.name: chunk for chunk in compiled.chunks}
    changed = {n: c for n, c in loaded.items() if index.chunks.get(n) != compiled.keys.get(n)}
    removed = set(index.chunks) - set(compiled.keys)
    if BASE in changed or BASE in removed or set(loaded) - set(changed) - {BASE}:
        return None  # a chunk read but not changed: not the build this index expects
    if len(changed) + len(removed) > max(16, PATCH_SHARE * len(compiled.keys)):
        return None
    if set(compiled.keys) != set(loaded) | set(compiled.unloaded):
        return None
    old: dict[str, Chunk] = {}
    cache = compiled.cache
    for name in (set(changed) | removed) & set(index.chunks):
        chunk = cache.get(CHUNK_NAMESPACE, index.chunks[name]) if cache is not None else None
        if chunk is None:
            return None
        old[name] = chunk
    return Patch(changed, old)


def write_dataset(
    compiled: CompiledDataset,
    out_dir: Path,
    previous: BuildRecord | None,
    index: DumpIndex | None,
    finish: Callable[[Path, Written], None] | None = None,
) -> Written:
    """Write the dataset folder: patched from the previous one when few chunks changed
    (:func:`plan_patch`), else whole. :class:`ChunkGoneError` when a chunk left in the
    cache is gone and the folder cannot be patched. ``finish(staging, written)`` runs
    before the new folder takes the old one's place: what it writes there (the build
    record) is swapped in with the dumps, in the same step."""
    from ekipgraph.atomic import replace_directory

    out_dir = Path(out_dir)
    patch = plan_patch(compiled, index, previous)
    if patch is not None and index is not None and previous is not None:
        old_nquads = previous.files.get(NQUADS_FILE)
        linked: dict[str, FileStat] = {}
        try:
            with replace_directory(out_dir) as staging:
                files, keys = patch_folder(
                    index, patch, compiled.keys, previous, out_dir, staging, linked
                )
                index.write(staging)
                files.append(INDEX_FILE)
                difference = None
                if old_nquads is not None:
                    difference = (patch.removed_lines, patch.added_lines, old_nquads)
                touched = len(set(patch.old) | set(patch.changed))
                done = Written(files, index.summary(), keys, difference, touched, linked)
                if finish is not None:
                    finish(staging, done)
            return done
        except (PatchError, OSError, KeyError, ValueError):
            pass  # written whole below (the staging folder is gone with the error)
    if not compiled.load_all():
        raise ChunkGoneError("a chunk left in the cache is gone")
    whole: list[Written] = []
    linked_whole: dict[str, FileStat] = {}

    def finish_whole(staging: Path, files: list[str], index: DumpIndex) -> None:
        # the index holds the summary already: not counted over every chunk again
        whole.append(Written(files, index.summary(), index.file_keys(), None, linked=linked_whole))
        if finish is not None:
            finish(staging, whole[0])

    compiled.write(out_dir, previous, finish_whole, linked_whole)
    return whole[0]
