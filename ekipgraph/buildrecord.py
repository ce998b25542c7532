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
so it is written again; a folder without the record is written whole. The record is written
into the staging folder with the files, so it takes the old folder's place in the same step:
a build killed at any moment leaves the old folder with its record or the new one with its
own (a store not yet written then is stale by its own manifest).
"""

from __future__ import annotations

import json
import os
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


def file_stat(path: Path) -> FileStat | None:
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
            raw = json.loads((Path(folder) / RECORD_FILE).read_text(encoding="utf-8"))
            if not isinstance(raw, dict) or raw.get("format") != RECORD_FORMAT:
                return None
            files = {str(name): _stat(entry) for name, entry in raw["files"].items()}
            chunks = {str(name): str(key) for name, key in raw.get("chunks", {}).items()}
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
        written: list[Path],
        *,
        inputs: str,
        store: Path | None,
        chunks: dict[str, str],
        report: dict[str, Any],
    ) -> BuildRecord:
        """The record of ``written`` (paths relative to ``folder``) as they are now."""
        files: dict[str, FileStat] = {}
        for relative in written:
            stat = file_stat(Path(folder) / relative)
            if stat is not None:
                files[relative.as_posix()] = stat
        where = str(Path(store).resolve()) if store is not None else None
        return cls(inputs, where, files, chunks, report)

    def write(self, folder: Path) -> None:
        text = json.dumps(
            {
                "format": RECORD_FORMAT,
                "inputs": self.inputs,
                "store": self.store,
                "files": {name: list(stat) for name, stat in sorted(self.files.items())},
                "chunks": dict(sorted(self.chunks.items())),
                "report": self.report,
            },
            indent=1,
        )
        write_text_atomic(Path(folder) / RECORD_FILE, text + "\n")

    def unchanged(self, folder: Path, relative: str) -> bool:
        """The file is the one this record's build wrote (size, time and inode)."""
        recorded = self.files.get(relative)
        return recorded is not None and file_stat(Path(folder) / relative) == recorded

    def is_current(self, folder: Path, inputs: str, store: Path | None) -> bool:
        """Written from ``inputs`` with ``store``, and every file still as it was written."""
        where = str(Path(store).resolve()) if store is not None else None
        return (
            self.inputs == inputs
            and self.store == where
            and bool(self.files)
            and all(self.unchanged(folder, name) for name in self.files)
        )

    def reusable(self, folder: Path, relative: str, chunk: str) -> bool:
        """The file was written from ``chunk`` and is unchanged: it may be linked, not
        written again."""
        return self.chunks.get(relative) == chunk and self.unchanged(folder, relative)


def _stat(entry: object) -> FileStat:
    if not isinstance(entry, list) or len(entry) != 3:
        raise ValueError(entry)
    size, mtime, inode = (int(value) for value in entry)
    return size, mtime, inode
