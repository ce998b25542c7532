"""The built store: the dataset compiled once into Oxigraph on disk, with what it was built from.

``ekipgraph build`` (and ``run``) writes ``<project>/dist/store/`` (or ``--store DIR``):

- ``oxigraph/``: the dataset in an Oxigraph store: the previous build's store with the
  quads that changed removed and added, or bulk loaded when there is none;
- ``ekip.nq``: the same dataset as canonical N-Quads, byte for byte ``dist/dataset/ekip.nq``;
- ``ekip.trig``: the same dataset as TriG, byte for byte ``dist/dataset/ekip.trig``;
- ``manifest.json``: a SHA-256 of every input file (``data/``, ``ontology/`` with the
  vocabularies and imports, ``shapes/``) and the ekipgraph version;
- ``patterns.nq`` and ``patterns.trig``: the cross-city patterns (``ekipgraph patterns``),
  byte for byte ``dist/patterns/patterns.{nq,trig}``, also loaded into ``oxigraph/`` as the
  graph ``https://w3id.org/ekip/graph/patterns``; ``manifest.json`` records the SHA-256 of
  the ``ekip.nq`` they were computed from (and of the code and network queries that did it).

``build`` writes the dataset only (it stays incremental and fast); ``patterns`` and ``run``
attach their results. A command that opens the store (:func:`ensure_store`) first computes
and attaches the patterns when they are missing or were computed from another dataset,
saying so on stderr: they are never silently absent or stale. Attaching makes a new store
folder (a hard-linked Oxigraph backup with the patterns graph replaced) that takes the old
one's place in one step: a store another process reads is never modified.

``query``, ``patterns``, ``serve``, ``load`` and ``publish`` open it with
:func:`open_built_store` and never rebuild from YAML while it is fresh. When an input has
changed since (or the version differs), the store is *stale*: it is rebuilt, saying so on
stderr, or, with ``rebuild=False``, :class:`StaleStoreError` names what changed. It is never
used silently. A folder that holds something else (no manifest) is never replaced.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import mmap
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import BinaryIO

import pyoxigraph as ox

from ekipgraph.atomic import replace_directory
from ekipgraph.cache import code_version
from ekipgraph.project import ProjectLayout

MANIFEST_FILE = "manifest.json"
OXIGRAPH_DIR = "oxigraph"
NQUADS_FILE = "ekip.nq"
TRIG_FILE = "ekip.trig"
PATTERNS_NQUADS_FILE = "patterns.nq"
PATTERNS_TRIG_FILE = "patterns.trig"
#: the manifest's record of the attached patterns
PATTERNS_KEY = "patterns"
#: the manifest's record of ``ekip.nq`` as written (size, modification time, inode)
DUMP_KEY = "dump"
PATTERNS_GRAPH = "https://w3id.org/ekip/graph/patterns"
#: the library queries the pattern analyses read the network with (``analyse.network``)
NETWORK_QUERIES = "network-*.rq"
#: dump name (as served under ``/dumps/``) -> the store folder's file that holds it
DUMP_FILES = {
    "ekip.nq": NQUADS_FILE,
    "ekip.trig": TRIG_FILE,
    "patterns.nq": PATTERNS_NQUADS_FILE,
    "patterns.trig": PATTERNS_TRIG_FILE,
}
#: the input folders of a project, relative to its root
INPUT_DIRS = ("data", "ontology", "shapes")
MANIFEST_FORMAT = 1


class StaleStoreError(RuntimeError):
    """The built store does not match the inputs (or there is none)."""


class NotABuiltStoreError(RuntimeError):
    """The folder exists but was not written by ``ekipgraph build``; it is left alone."""


def default_store_dir(layout: ProjectLayout) -> Path:
    return layout.dist_dir / "store"


@dataclass(frozen=True)
class Manifest:
    """What a store was built from: file -> (sha256, size, mtime_ns), and the version."""

    version: str
    root: str
    files: dict[str, tuple[str, int, int]]

    @property
    def hashes(self) -> dict[str, str]:
        return {name: entry[0] for name, entry in self.files.items()}

    def known_hashes(self) -> dict[str, str]:
        """Absolute path (a string, under ``root``) -> SHA-256: what ``compile_data`` need
        not hash again."""
        return {f"{self.root}/{name}": entry[0] for name, entry in self.files.items()}

    def to_dict(self) -> dict[str, object]:
        return {
            "format": MANIFEST_FORMAT,
            "ekipgraph": self.version,
            "root": self.root,
            "files": dict(sorted(self.files.items())),
        }

    def to_json(self) -> str:
        # compact: the json module writes it in C (with an indent, in Python: 10,000 files)
        return json.dumps(self.to_dict())

    @classmethod
    def read(cls, path: Path) -> Manifest | None:
        try:
            raw = json.loads(path.read_bytes())
            if raw.get("format") != MANIFEST_FORMAT:
                return None
            files = {name: (str(e[0]), int(e[1]), int(e[2])) for name, e in raw["files"].items()}
            return cls(str(raw["ekipgraph"]), str(raw["root"]), files)
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None

    def changes(self, current: Manifest) -> list[str]:
        """What differs from ``current`` (the inputs now), most telling first."""
        found = []
        if self.version != current.version:
            found.append(f"ekipgraph {self.version} -> {current.version}")
        if self.root != current.root:
            found.append(f"built from another project ({self.root})")
        old, new = self.hashes, current.hashes
        found += [
            f"{name} changed" for name in sorted(old.keys() & new.keys()) if old[name] != new[name]
        ]
        found += [f"{name} is new" for name in sorted(new.keys() - old.keys())]
        found += [f"{name} was removed" for name in sorted(old.keys() - new.keys())]
        return found


def _sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def current_manifest(layout: ProjectLayout, known: Manifest | None = None) -> Manifest:
    """The manifest of the inputs as they are now. A file whose size and modification time
    match ``known`` keeps its recorded hash (as git's index does); others are hashed. The
    folders are listed with ``os.scandir`` and named by strings: at 10,000 cases a path
    object per file was a tenth of an edit's build."""
    root = str(layout.root.resolve())
    recorded = known.files if known is not None and known.root == root else {}
    files: dict[str, tuple[str, int, int]] = {}

    def visit(folder: str, relative: str) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(
                    (entry for entry in listing if not entry.name.startswith(".")),
                    key=lambda entry: entry.name,
                )
        except OSError:
            return
        for entry in entries:
            name = f"{relative}/{entry.name}"
            try:
                if entry.is_dir():  # as os.walk: a link to a folder is neither walked nor a file
                    if not entry.is_symlink():
                        visit(entry.path, name)
                    continue
                stat = entry.stat()
            except OSError:
                continue
            found = recorded.get(name)
            if found and found[1] == stat.st_size and found[2] == stat.st_mtime_ns:
                files[name] = found
            elif not S_ISREG(stat.st_mode):  # a FIFO would block the read: never opened
                files[name] = ("not a regular file", stat.st_size, stat.st_mtime_ns)
            else:
                try:
                    files[name] = (_sha256(Path(entry.path)), stat.st_size, stat.st_mtime_ns)
                except OSError:
                    files[name] = ("unreadable", stat.st_size, stat.st_mtime_ns)

    for folder in INPUT_DIRS:
        visit(f"{root}/{folder}", folder)
    return Manifest(code_version(), root, files)


def store_status(layout: ProjectLayout, store_dir: Path | None = None) -> list[str]:
    """Why the store is stale (empty when it is fresh)."""
    store_dir = Path(store_dir) if store_dir else default_store_dir(layout)
    manifest = Manifest.read(store_dir / MANIFEST_FILE)
    if manifest is None or not (store_dir / OXIGRAPH_DIR).is_dir():
        return [f"there is no built store in {store_dir}"]
    return manifest.changes(current_manifest(layout, manifest))


def _check_replaceable(store_dir: Path) -> None:
    """Refuse, with the ``--store`` folder rules of ``storedir``, a folder this module may
    not replace: a file, junk, a foreign Oxigraph store, a store another process holds."""
    from ekipgraph.storedir import _ROCKSDB_FILES, LOCK_FILE, STORE_MARKER, _holder

    if store_dir.exists() and not store_dir.is_dir():
        raise NotABuiltStoreError(f"--store {store_dir}: is a file, not a folder")
    if not store_dir.is_dir():
        return
    entries = {entry.name for entry in store_dir.iterdir()}
    if LOCK_FILE in entries:
        try:
            with (store_dir / LOCK_FILE).open("a+", encoding="utf-8") as lock:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            raise NotABuiltStoreError(
                f"--store {store_dir}: in use by {_holder(store_dir / LOCK_FILE)}; wait for "
                "it to finish or give another folder"
            ) from error
    if not entries or MANIFEST_FILE in entries or STORE_MARKER in entries:
        return  # empty, built here, or an ekipgraph store folder: ours to replace
    if any(name in entries for name in _ROCKSDB_FILES):
        raise NotABuiltStoreError(
            f"--store {store_dir}: an Oxigraph store that ekipgraph did not create "
            f"(no {MANIFEST_FILE}); it is left alone: give an empty or new folder"
        )
    raise NotABuiltStoreError(
        f"--store {store_dir}: not a store folder (it holds other files, e.g. "
        f"{sorted(entries)[0]}); ekipgraph build did not write it, so it is left alone"
    )


def write_built_store(
    store_dir: Path,
    nquads: str | None,
    manifest: Manifest,
    progress: Callable[[str], None] | None = None,
    dump: Path | None = None,
    difference: StoreDifference | None = None,
) -> None:
    """Replace ``store_dir`` with a store of ``nquads`` and its manifest.

    When the folder holds a previous build, the new store is that store's checkpoint (hard
    links, see :func:`_patched_store`) with the quads that changed removed and added;
    otherwise, or when most quads changed, it is bulk loaded. ``dump`` is a file that holds
    ``nquads`` already (the build's ``ekip.nq``): it is hard-linked, not written again, and
    ``nquads`` may then be None. ``difference`` is the lines removed from and added to the
    previous ``ekip.nq`` when the caller knows them (a patched dataset, ``ekipgraph.dumps``),
    with that file's (size, mtime, inode): the two dumps are not compared then."""
    from ekipgraph.atomic import MARKER, OutputFolderError, check_output_folder

    store_dir = Path(store_dir)
    _check_replaceable(store_dir)
    if (store_dir / MANIFEST_FILE).is_file() and not (store_dir / MARKER).exists():
        # built before output folders carried the marker: the manifest says it is ours
        (store_dir / MARKER).write_text("{}\n", encoding="utf-8")
    try:
        check_output_folder(store_dir)
    except OutputFolderError as error:
        raise NotABuiltStoreError(str(error)) from error
    with replace_directory(store_dir) as staging:
        if dump is not None:
            _place(dump, staging / NQUADS_FILE)
        else:
            assert nquads is not None
            (staging / NQUADS_FILE).write_text(nquads, encoding="utf-8", newline="\n")
        # the new dump as bytes only where there is a previous store to diff it against (a
        # million quads are 230 MB more)
        how = _patched_store(store_dir, staging / OXIGRAPH_DIR, staging / NQUADS_FILE, difference)
        if how is None:
            store = ox.Store(str(staging / OXIGRAPH_DIR))
            store.bulk_load(path=str(staging / NQUADS_FILE), format=ox.RdfFormat.N_QUADS)
            store.flush()
            del store
            how = "bulk loaded"
        written = manifest.to_dict()
        # the dump as written: a later build diffs against it only while it is unchanged (it
        # may be a hard link of the dataset folder's file, which a user could edit in place)
        written[DUMP_KEY] = list(_stat_key(staging / NQUADS_FILE))
        (staging / MANIFEST_FILE).write_text(json.dumps(written), encoding="utf-8")
        if progress:
            quads = nquads.count("\n") if nquads is not None else _line_count(staging / NQUADS_FILE)
            progress(f"{quads} quads, {how}")


def _line_count(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 24), b""))


#: lines removed from and added to a previous ``ekip.nq``, and that file's (size, mtime, inode)
StoreDifference = tuple[list[bytes], list[bytes], tuple[int, int, int]]


#: patch the previous store while at most this share of the new quads changed
PATCH_AT_MOST = 0.5


def _patched_store(
    previous: Path, target: Path, dump: Path, known: StoreDifference | None = None
) -> str | None:
    """Make ``target`` the previous build's store with the differences to ``dump`` applied;
    None (and nothing in ``target``) when that is not possible or not worth it.

    Oxigraph's backup of a store on the same file system hard-links its files (RocksDB never
    changes a file once written), so the copy costs next to nothing whatever the size, and
    the old store is left untouched for whoever reads it. The difference is taken line by
    line against the previous ``ekip.nq`` (the same quads, written with it), as bytes:
    decoding the file took three times as long as the difference. The bulk loader
    gives blank nodes labels of its own, so a difference that holds a blank node (the TBox's
    class expressions, which change with the ontology only) is loaded whole instead."""
    import shutil

    old_path = previous / NQUADS_FILE
    if not (previous / OXIGRAPH_DIR).is_dir() or not old_path.is_file():
        return None
    recorded = _manifest_json(previous).get(DUMP_KEY)
    try:
        if recorded is not None and list(_stat_key(old_path)) != recorded:
            return None  # changed since the store was written: not what the store holds
    except OSError:
        return None
    try:
        if known is not None and list(_stat_key(old_path)) == list(known[2]):
            # the store holds the dump the caller patched: its difference is the store's
            difference: tuple[list[bytes], list[bytes]] | None = (known[0], known[1])
        else:
            with old_path.open("rb") as old_file, dump.open("rb") as new_file:
                old, new = _mapped(old_file), _mapped(new_file)
                # compared where they are (mapped), not split into a million lines
                difference = sorted_difference(old, new, at_most=int(PATCH_AT_MOST * len(new)))
    except (OSError, ValueError):
        return None
    if difference is None:
        return None
    removed, added = difference
    try:
        removing = list(ox.parse(input=b"\n".join(sorted(removed)), format=ox.RdfFormat.N_QUADS))
        adding = list(ox.parse(input=b"\n".join(sorted(added)), format=ox.RdfFormat.N_QUADS))
    except (SyntaxError, UnicodeDecodeError):
        return None
    if any(_has_blank_node(quad) for quad in (*removing, *adding)):
        return None
    try:
        ox.Store.read_only(str(previous / OXIGRAPH_DIR)).backup(str(target))
        store = ox.Store(str(target))
        # the previous patterns belong to the previous dataset: attached anew (ensure_store)
        store.remove_graph(ox.NamedNode(PATTERNS_GRAPH))
        for quad in removing:
            store.remove(quad)
        store.extend(adding)
        store.flush()
        del store
    except (OSError, ValueError, RuntimeError):  # unreadable or held: load it whole
        shutil.rmtree(target, ignore_errors=True)
        return None
    return f"{len(removed)} removed and {len(added)} added to the previous store"


def _mapped(handle: BinaryIO) -> bytes | mmap.mmap:
    size = os.fstat(handle.fileno()).st_size
    return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else b""


#: bytes compared at once while two sorted dumps agree
_BLOCK = 1 << 16
#: after a block that differs, this many lines are merged one by one
_LINES = 256

Buffer = bytes | mmap.mmap


def sorted_difference(
    old: Buffer, new: Buffer, at_most: int | None = None
) -> tuple[list[bytes], list[bytes]] | None:
    """(lines only in ``old``, lines only in ``new``) of two dumps of sorted lines; None when
    they differ by more than ``at_most`` bytes of lines, or are found not to be sorted.

    The dumps are merged; where they agree a block of whole lines is compared at once (a
    comparison of bytes, in C), so an edit's few differences cost little more than reading
    the files, and no line is made an object unless it differs. Lines merged one by one
    must come in order (the store's dump is also checked to be as written, see
    :func:`_patched_store`)."""
    removed: list[bytes] = []
    added: list[bytes] = []
    budget = len(old) + len(new) if at_most is None else at_most
    i = j = 0
    line_by_line = 0
    previous_old = previous_new = b""
    while i < len(old) and j < len(new):
        if not line_by_line:
            end = old.rfind(b"\n", i, i + _BLOCK)
            if end >= i and old[i : end + 1] == new[j : j + end + 1 - i]:
                j += end + 1 - i
                i = end + 1
                previous_old = previous_new = b""  # not known: the order is checked anew
                continue
            line_by_line = _LINES
        line_by_line -= 1
        old_line, old_next = _line(old, i)
        new_line, new_next = _line(new, j)
        if (previous_old and old_line <= previous_old) or (
            previous_new and new_line <= previous_new
        ):
            return None  # not sorted, or a line twice: not a dump this module wrote
        if old_line == new_line:
            previous_old, previous_new = old_line, new_line
            i, j = old_next, new_next
        elif old_line < new_line:
            removed.append(old_line)
            budget -= len(old_line)
            previous_old, i = old_line, old_next
        else:
            added.append(new_line)
            budget -= len(new_line)
            previous_new, j = new_line, new_next
        if budget < 0:
            return None
    for rest, start, found in ((old, i, removed), (new, j, added)):
        if len(rest) - start > budget:
            return None
        found.extend(line for line in rest[start:].split(b"\n") if line)
    return [line for line in removed if line], [line for line in added if line]


def _line(buffer: Buffer, start: int) -> tuple[bytes, int]:
    """The line that starts at ``start`` (without its newline) and where the next starts."""
    end = buffer.find(b"\n", start)
    if end < 0:
        return buffer[start:], len(buffer)
    return buffer[start:end], end + 1


def _has_blank_node(quad: ox.Quad) -> bool:
    return any(
        isinstance(term, ox.BlankNode) for term in (quad.subject, quad.object, quad.graph_name)
    )


def rebuild_store(layout: ProjectLayout, store_dir: Path | None = None) -> Path:
    """Build the dataset from the project's inputs into the store, with the same checks as
    ``ekipgraph build`` (authoring checks and SHACL), compiling only the files that changed.

    Raises :class:`StaleStoreError` when the data does not validate: a store is never
    rebuilt from data that ``build`` would refuse."""
    from ekipgraph.validate import validate_incremental

    store_dir = Path(store_dir) if store_dir else default_store_dir(layout)
    _check_replaceable(store_dir)
    # before reading: a later edit makes it stale again
    manifest = current_manifest(layout, Manifest.read(store_dir / MANIFEST_FILE))
    report = validate_incremental(layout, known_hashes=manifest.known_hashes())
    if report.exit_code() != 0 or report.compiled is None:
        why = report.load_error or (
            f"{report.count('Violation')} SHACL violations, "
            f"{len(report.authoring_problems)} authoring problems"
        )
        raise StaleStoreError(
            f"the store in {store_dir} is stale and the data does not validate ({why}); "
            "run ekipgraph validate"
        )
    write_built_store(store_dir, report.compiled.nquads(), manifest)
    place_dataset_trig(store_dir, report.compiled.trig())
    return store_dir


def ensure_built(
    layout: ProjectLayout, store_dir: Path | None = None, *, rebuild: bool = True
) -> Path:
    """The folder of a fresh built store: rebuilt (with a note on stderr) when stale, or
    :class:`StaleStoreError` with ``rebuild=False``."""
    store_dir = Path(store_dir) if store_dir else default_store_dir(layout)
    reasons = store_status(layout, store_dir)
    if not reasons:
        return store_dir
    shown = "; ".join(reasons[:3]) + (f" (and {len(reasons) - 3} more)" if len(reasons) > 3 else "")
    if not rebuild:
        raise StaleStoreError(f"the store in {store_dir} is stale: {shown}; run ekipgraph build")
    print(f"the store in {store_dir} is stale ({shown}): rebuilding it", file=sys.stderr)
    return rebuild_store(layout, store_dir)


def ensure_store(
    layout: ProjectLayout, store_dir: Path | None = None, *, rebuild: bool = True
) -> Path:
    """The folder of a fresh built store whose patterns match its dataset: the dataset is
    rebuilt when stale (:func:`ensure_built`), and the patterns are computed and attached
    when they are missing or belong to another dataset, each with a note on stderr. With
    ``rebuild=False``, :class:`StaleStoreError` instead."""
    folder = ensure_built(layout, store_dir, rebuild=rebuild)
    if not (folder / TRIG_FILE).is_file():  # a build interrupted before it was placed
        if not rebuild:
            raise StaleStoreError(f"the store in {folder} has no {TRIG_FILE}; run ekipgraph build")
        print(f"the store in {folder} has no {TRIG_FILE}: rebuilding it", file=sys.stderr)
        rebuild_store(layout, folder)
    why = patterns_status(layout, folder)
    if why is None:
        return folder
    if not rebuild:
        raise StaleStoreError(f"the store in {folder}: {why}; run ekipgraph patterns")
    print(f"the store in {folder}: {why}: computing them", file=sys.stderr)
    from ekipgraph.library import QueryLibraryError
    from ekipgraph.store import StoreError

    try:
        nquads, trig = compute_patterns(layout, folder)
    except (QueryLibraryError, StoreError) as error:
        raise StaleStoreError(
            f"the cross-city patterns of the store in {folder} could not be computed: {error}"
        ) from error
    attach_patterns(layout, folder, nquads, trig)
    return folder


def open_built_store(
    layout: ProjectLayout, store_dir: Path | None = None, *, rebuild: bool = True
) -> ox.Store:
    """The built store, read-only, fresh, with its patterns (see :func:`ensure_store`)."""
    folder = ensure_store(layout, store_dir, rebuild=rebuild)
    return ox.Store.read_only(str(folder / OXIGRAPH_DIR))


def built_nquads_text(layout: ProjectLayout, store_dir: Path | None = None) -> str:
    """What the fresh built store holds as N-Quads: the dataset's canonical lines, then the
    patterns graph's."""
    return stored_nquads(ensure_store(layout, store_dir))


def stored_nquads(folder: Path) -> str:
    """The N-Quads of a store folder's dataset and patterns files."""
    return "".join(
        (Path(folder) / name).read_text(encoding="utf-8")
        for name in (NQUADS_FILE, PATTERNS_NQUADS_FILE)
    )


def dump_files(folder: Path) -> dict[str, Path]:
    """The dumps the store folder holds as files (dump name -> path): while the store is
    unchanged, they are its content byte for byte as the build and ``patterns`` wrote it."""
    folder = Path(folder)
    return {name: folder / file for name, file in DUMP_FILES.items() if (folder / file).is_file()}


# --- the dataset's TriG and the patterns layer -------------------------------------------


def _place(source: Path | str, target: Path) -> None:
    """``target`` holding ``source`` (a file, hard-linked where possible, or text), written
    under a temporary name first: a reader sees the whole file or none."""
    staged = target.with_name(f".{target.name}.{os.getpid()}.part")
    staged.unlink(missing_ok=True)
    try:
        if isinstance(source, Path):
            try:
                os.link(source, staged)
            except OSError:  # another file system, or no hard links: a copy
                shutil.copyfile(source, staged)
        else:
            staged.write_text(source, encoding="utf-8", newline="\n")
        staged.replace(target)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def place_dataset_trig(store_dir: Path, trig: Path | str) -> None:
    """Put the build's TriG (``dist/dataset/ekip.trig``, or its text) into the store folder
    that was just written from the same dataset, so that it is served as built."""
    _place(trig, Path(store_dir) / TRIG_FILE)


@dataclass(frozen=True)
class PatternsRecord:
    """What the attached patterns were computed from: the SHA-256 of the store's ``ekip.nq``
    (with the size, modification time and inode it had, which spare hashing it again), and
    the fingerprint of the code and network queries (:func:`patterns_inputs`)."""

    dataset_sha256: str
    dataset_stat: tuple[int, int, int]
    inputs: str

    def to_json(self) -> dict[str, object]:
        return {
            "dataset_sha256": self.dataset_sha256,
            "dataset_stat": list(self.dataset_stat),
            "inputs": self.inputs,
        }

    @classmethod
    def from_json(cls, raw: object) -> PatternsRecord | None:
        try:
            assert isinstance(raw, dict)
            size, mtime, inode = (int(value) for value in raw["dataset_stat"])
            return cls(str(raw["dataset_sha256"]), (size, mtime, inode), str(raw["inputs"]))
        except (AssertionError, KeyError, TypeError, ValueError):
            return None


def _stat_key(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def patterns_inputs(layout: ProjectLayout) -> str:
    """A fingerprint of what turns a dataset into patterns besides the data: the ekipgraph
    code and the network queries of the library."""
    hasher = hashlib.sha256(code_version().encode())
    for path in sorted(Path(layout.queries_dir).glob(NETWORK_QUERIES)):
        hasher.update(f"\n{path.name}\n".encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def _manifest_json(folder: Path) -> dict:
    try:
        raw = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def patterns_status(layout: ProjectLayout, folder: Path) -> str | None:
    """Why the store folder's patterns do not match its dataset; None when they do."""
    folder = Path(folder)
    record = PatternsRecord.from_json(_manifest_json(folder).get(PATTERNS_KEY))
    files = (folder / PATTERNS_NQUADS_FILE, folder / PATTERNS_TRIG_FILE)
    if record is None or not all(path.is_file() for path in files):
        return "it holds no cross-city patterns"
    if record.inputs != patterns_inputs(layout):
        return "its cross-city patterns were computed by other code or network queries"
    dataset = folder / NQUADS_FILE
    try:
        unchanged = _stat_key(dataset) == record.dataset_stat
        if not unchanged and _sha256(dataset) != record.dataset_sha256:
            return "its cross-city patterns were computed from another dataset"
    except OSError:
        return f"it has no {NQUADS_FILE}"
    return None


def compute_patterns(layout: ProjectLayout, folder: Path) -> tuple[str, str]:
    """The patterns of the store folder's dataset, as (N-Quads, TriG): what
    ``ekipgraph patterns`` writes into ``patterns.nq`` and ``patterns.trig``."""
    from ekipgraph.analyse import run_patterns
    from ekipgraph.analyse.rdf import patterns_nquads, patterns_trig
    from ekipgraph.library import QueryLibrary
    from ekipgraph.store import EmbeddedStore

    store = EmbeddedStore.read_only(Path(folder) / OXIGRAPH_DIR)
    result = run_patterns(store, QueryLibrary(layout.queries_dir))
    return patterns_nquads(result), patterns_trig(result)


def attach_patterns(
    layout: ProjectLayout, store_dir: Path, nquads: Path | str, trig: Path | str
) -> None:
    """Replace the store folder with one whose patterns are ``nquads`` and ``trig`` (files,
    hard-linked where possible, or texts): the Oxigraph store is a backup of the old one
    (hard links) with the graph ``graph/patterns`` replaced, ``ekip.nq`` and ``ekip.trig``
    are the old files, and the manifest records the dataset the patterns belong to.

    The caller vouches that the patterns were computed from this folder's ``ekip.nq`` (or
    the same bytes). The new folder takes the old one's place in one step; the old store is
    only read, so another process reading it is never disturbed."""
    from ekipgraph.atomic import MARKER, OutputFolderError, check_output_folder

    store_dir = Path(store_dir)
    _check_replaceable(store_dir)
    if Manifest.read(store_dir / MANIFEST_FILE) is None:
        raise NotABuiltStoreError(f"{store_dir}: has no {MANIFEST_FILE}; run ekipgraph build")
    if not (store_dir / MARKER).exists():
        # built before output folders carried the marker: the manifest says it is ours
        (store_dir / MARKER).write_text("{}\n", encoding="utf-8")
    try:
        check_output_folder(store_dir)
    except OutputFolderError as error:
        raise NotABuiltStoreError(str(error)) from error
    manifest = _manifest_json(store_dir)
    graph = ox.NamedNode(PATTERNS_GRAPH)
    with replace_directory(store_dir) as staging:
        for name in (NQUADS_FILE, TRIG_FILE):
            if (store_dir / name).is_file():
                _place(store_dir / name, staging / name)
        _place(nquads, staging / PATTERNS_NQUADS_FILE)
        _place(trig, staging / PATTERNS_TRIG_FILE)
        try:
            ox.Store.read_only(str(store_dir / OXIGRAPH_DIR)).backup(str(staging / OXIGRAPH_DIR))
            store = ox.Store(str(staging / OXIGRAPH_DIR))
            store.remove_graph(graph)
        except (OSError, RuntimeError):  # no backup possible: a new store, bulk loaded
            shutil.rmtree(staging / OXIGRAPH_DIR, ignore_errors=True)
            store = ox.Store(str(staging / OXIGRAPH_DIR))
            store.bulk_load(path=str(staging / NQUADS_FILE), format=ox.RdfFormat.N_QUADS)
        # every line names the graph graph/patterns (analyse.rdf writes them so)
        store.bulk_load(path=str(staging / PATTERNS_NQUADS_FILE), format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store
        dataset = staging / NQUADS_FILE
        record = PatternsRecord(_sha256(dataset), _stat_key(dataset), patterns_inputs(layout))
        manifest[PATTERNS_KEY] = record.to_json()
        (staging / MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
