"""Store folders (``--store DIR``): opened only when they are ekipgraph's, by one process.

A store folder holds an Oxigraph (RocksDB) store plus two files of ekipgraph's:
``.ekipgraph-store`` (the marker: ekipgraph created this store and may write to it) and
``.ekipgraph-store.lock`` (an advisory lock held while a process has the store open).
Opening refuses, with a message saying what to do: a path that is a file, a folder holding
anything else (junk, or an Oxigraph store some other tool created), and a store another
process holds.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from ekipgraph.store import StoreError

STORE_MARKER = ".ekipgraph-store"
LOCK_FILE = ".ekipgraph-store.lock"
# Files RocksDB writes into every database folder.
_ROCKSDB_FILES = ("CURRENT", "IDENTITY", "LOCK")


class StoreFolderError(StoreError):
    """The folder cannot be used as ekipgraph's store."""


@dataclass
class OpenedStore:
    """An open store and the lock that keeps other processes out while it is open."""

    store: ox.Store
    lock: IO[str]

    def close(self) -> None:
        self.lock.close()  # closing the file releases the lock


def _holder(lock_path: Path) -> str:
    try:
        pid = lock_path.read_text(encoding="utf-8").strip()
    except OSError:
        return "another process"
    return f"another process (pid {pid})" if pid.isdigit() else "another process"


def open_store_folder(directory: Path) -> OpenedStore:
    """Open (creating it when absent or empty) the Oxigraph store in ``directory``."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise StoreFolderError(f"--store {directory}: is a file, not a folder")
    if directory.is_dir():
        entries = {entry.name for entry in directory.iterdir()}
        if entries and STORE_MARKER not in entries:
            if any(name in entries for name in _ROCKSDB_FILES):
                raise StoreFolderError(
                    f"--store {directory}: an Oxigraph store that ekipgraph did not create "
                    f"(no {STORE_MARKER}); it is left alone: give an empty or new folder"
                )
            raise StoreFolderError(
                f"--store {directory}: not a store folder (it holds other files, e.g. "
                f"{sorted(entries)[0]}); give an empty or new folder"
            )
    try:
        directory.mkdir(parents=True, exist_ok=True)
        lock = (directory / LOCK_FILE).open("a+", encoding="utf-8")
    except OSError as error:
        raise StoreFolderError(f"--store {directory}: {error.strerror or error}") from error
    try:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        lock.close()
        raise StoreFolderError(
            f"--store {directory}: in use by {_holder(directory / LOCK_FILE)}; wait for it "
            "to finish or give another folder"
        ) from error
    lock.seek(0)
    lock.truncate()
    lock.write(f"{os.getpid()}\n")
    lock.flush()
    marker = directory / STORE_MARKER
    if not marker.exists():
        marker.write_text(json.dumps({"written_by": "ekipgraph"}) + "\n", encoding="utf-8")
    try:
        store = ox.Store(str(directory))
    except OSError as error:  # a damaged store, or one opened without our lock
        lock.close()
        raise StoreFolderError(
            f"--store {directory}: cannot open the Oxigraph store: {error}"
        ) from error
    return OpenedStore(store, lock)
