"""What a dataset folder (``build --out``, ``dist/dataset`` by default) was written from.

``build`` leaves ``.ekipgraph-build.json`` in the folder it wrote: a hash of the inputs it
was built from (the manifest of ``ekipgraph.built``: every input file's SHA-256 and the
ekipgraph version, with the SHACL engine), the store folder written with it, the size,
modification time and inode of every file it wrote, the chunk each per-case graph file was
written from (``ekipgraph.compiled``), and what it printed. The next ``build`` uses it twice:

- nothing changed (the same inputs, the store fresh, every file as it was written): there
  is nothing to do, and ``build`` says so with the numbers of the build that wrote it;
- some cases changed: the Turtle file of a graph whose chunk did not change is hard-linked
  from the previous folder instead of written again.

A file changed since (edited, replaced, removed) no longer matches its size, time and inode,
so it is written again; a folder without the record is written whole. A file linked from the
previous folder is recorded with the size, time and inode it was checked against before it
was linked (a link changes none of them): an edit made after that check no longer matches
the record, so the next build finds it. The record is compact JSON, read and written by the
json module's C code: at 10,000 cases it holds 20,000 entries. The record is written
into the staging folder with the files, so it takes the old folder's place in the same step:
a build killed at any moment leaves the old folder with its record or the new one with its
own (a store not yet written then is stale by its own manifest).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ekipgraph.atomic import write_text_atomic
from ekipgraph.cache import digest

RECORD_FILE = ".ekipgraph-build.json"
RECORD_FORMAT = 1

FileStat = tuple[int, int, int]  # size, modification time (ns), inode


def inputs_digest(version: str, root: str, hashes: dict[str, str]) -> str:
    """A key of what a build reads: the ekipgraph version, the project, every input file's
    SHA-256 (``ekipgraph.built.Manifest``) and the SHACL engine with its version (read from
    the installed packages: nothing heavy is imported to tell that nothing changed)."""
    from importlib import metadata

    engine = os.environ.get("EKIPGRAPH_SHACL_ENGINE", "").strip() or "turbo"
    versions = []
    for package in ("pyshacl-turbo", "pyshacl"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} missing")
    return digest(version, root, json.dumps(sorted(hashes.items())), engine, *versions)


def file_stat(path: str | Path) -> FileStat | None:
    """The size, modification time and inode of ``path`` itself (a link is not followed),
    or None when it is missing."""
    try:
        stat = os.lstat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


@dataclass(frozen=True)
class BuildRecord:
    """A dataset folder's record (see the module doc)."""

    inputs: str
    store: str | None
    files: dict[str, FileStat]
    chunks: dict[str, str] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, folder: Path) -> BuildRecord | None:
        """The folder's record, or None when it has none that this version reads."""
        try:
            with open(f"{folder}/{RECORD_FILE}", "rb") as handle:
                raw = json.loads(handle.read())
            if not isinstance(raw, dict) or raw.get("format") != RECORD_FORMAT:
                return None
            files = _stats(raw["files"])
            chunks = raw.get("chunks", {})
            if not isinstance(chunks, dict) or not _only(chunks.values(), str):
                raise ValueError("a chunk key that is not a string")
            store = raw.get("store")
            report = raw.get("report", {})
            return cls(
                str(raw["inputs"]),
                None if store is None else str(store),
                files,
                chunks,
                report if isinstance(report, dict) else {},
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    @classmethod
    def of(
        cls,
        folder: Path,
        written: Iterable[str],
        *,
        inputs: str,
        store: Path | None,
        chunks: dict[str, str],
        report: dict[str, Any],
        known: dict[str, FileStat] | None = None,
    ) -> BuildRecord:
        """The record of ``written`` (paths relative to ``folder``) as they are now;
        ``known`` gives the stats of files linked from the previous folder, as they were
        checked before they were linked (the module doc): they are not taken again."""
        files: dict[str, FileStat] = {}
        known = known or {}
        for relative in written:
            stat = known.get(relative) or file_stat(f"{folder}/{relative}")
            if stat is not None:
                files[relative] = stat
        where = str(Path(store).resolve()) if store is not None else None
        return cls(inputs, where, files, chunks, report)

    def write(self, folder: Path) -> None:
        text = json.dumps(
            {
                "format": RECORD_FORMAT,
                "inputs": self.inputs,
                "store": self.store,
                "files": dict(sorted(self.files.items())),
                "chunks": dict(sorted(self.chunks.items())),
                "report": self.report,
            }
        )
        write_text_atomic(Path(folder) / RECORD_FILE, text + "\n")

    def unchanged(self, folder: Path | str, relative: str) -> bool:
        """The file is the one this record's build wrote (size, time and inode)."""
        return self.checked(folder, relative) is not None

    def checked(self, folder: Path | str, relative: str) -> FileStat | None:
        """The file's recorded stat when the file is still the one this record's build
        wrote (size, time and inode), else None."""
        recorded = self.files.get(relative)
        if recorded is None or file_stat(f"{folder}/{relative}") != recorded:
            return None
        return recorded

    def is_current(self, folder: Path, inputs: str, store: Path | None) -> bool:
        """Written from ``inputs`` with ``store``, and every file still as it was written."""
        where = str(Path(store).resolve()) if store is not None else None
        return (
            self.inputs == inputs
            and self.store == where
            and bool(self.files)
            and all(self.unchanged(folder, name) for name in self.files)
        )

    def reusable(self, folder: Path | str, relative: str, chunk: str) -> FileStat | None:
        """The file's stat when it was written from ``chunk`` and is unchanged: it may be
        linked, not written again; else None."""
        if self.chunks.get(relative) != chunk:
            return None
        return self.checked(folder, relative)


def _stats(raw: object) -> dict[str, FileStat]:
    """The ``files`` of a record: name -> [size, time, inode], each an integer."""
    if not isinstance(raw, dict):
        raise ValueError("files is not an object")
    entries = list(raw.values())
    if not _only(entries, list) or any(len(entry) != 3 for entry in entries):
        raise ValueError("a file entry that is not [size, time, inode]")
    if not _only((value for entry in entries for value in entry), int):
        raise ValueError("a file entry that is not three integers")
    return dict(zip(raw, map(tuple, entries), strict=True))


def _only(values: Iterable[object], kind: type) -> bool:
    """Every value is exactly of ``kind`` (a bool is no int here)."""
    return set(map(type, values)) <= {kind}
