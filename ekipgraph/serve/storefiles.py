"""The store as the query workers read it: read-only snapshots of one store on disk.

The server process keeps the primary store (it serves the pages and applies updates). The
worker processes open a snapshot of it, ``Store.read_only``: opening is cheap, nothing is
copied per request, and no process reads a store another one writes (which RocksDB does not
allow). A snapshot is a RocksDB checkpoint, hard links where the file system allows them;
an in-memory store is copied to disk once, at start. Every update takes a new snapshot; the
workers switch to it at their next query. The folder holding the snapshots (and the disk
copy of an in-memory store) is this server's own and goes when it stops.

That folder lies outside every folder ekipgraph replaces whole (``dist/store``, ``dist/``):
a build that replaces the store while the server runs removes the old folder, and must not
take the server's snapshots with it. A built store served as built is read from the
snapshot only, never from the build's folder, so that the server keeps answering from the
store it opened until it switches to the new one (``replace``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

PREFIX = ".ekipgraph-serve-"
OWNER = "server.pid"


def remove_stale(folder: Path) -> None:
    """Remove snapshot folders of servers that died without cleaning up (kill -9): ours by
    name and by their owner file, whose process is gone."""
    for candidate in folder.glob(PREFIX + "*"):
        try:
            pid = int((candidate / OWNER).read_text())
        except (OSError, ValueError):
            continue  # not one of ours, or still being set up
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(candidate, ignore_errors=True)
        except OSError:
            continue


def outside_replaced_folders(directory: Path) -> Path:
    """The nearest folder above ``directory`` that no ekipgraph command replaces whole (one
    without the output marker, or on another file system), where this server's folder goes."""
    from ekipgraph.atomic import _is_own_output

    folder = directory.resolve().parent
    device = folder.stat().st_dev
    while folder.parent != folder and _is_own_output(folder):
        if folder.parent.stat().st_dev != device:
            break
        folder = folder.parent
    return folder


class StoreFiles:
    def __init__(
        self, store: ox.Store, directory: Path | None = None, *, read_only: bool = False
    ) -> None:
        """``read_only``: ``store`` is a built store that this server only reads; the server
        then reads its own snapshot of it, not the folder the build may replace."""
        parent = outside_replaced_folders(directory) if directory is not None else None
        try:
            # beside the store, so that the snapshots can be hard links
            self.root = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
        except OSError:  # the store's folder is not writable: snapshots go to the temp dir
            self.root = Path(tempfile.mkdtemp(prefix=PREFIX))
        (self.root / OWNER).write_text(str(os.getpid()))
        remove_stale(self.root.parent)
        self.generation = 0
        self.read_only = read_only
        try:
            self.primary = store
            self.current = self._snapshot()
        except RuntimeError:  # an in-memory store: copy it to disk once
            self.generation = 0
            self.primary = ox.Store(str(self.root / "primary"))
            self.primary.bulk_extend(store)
            self.primary.flush()
            self.current = self._snapshot()

    def keep(self, files: dict[str, Path]) -> dict[str, Path]:
        """The files, hard-linked into this server's folder where the file system allows:
        they stay the bytes of the store served here even if the built store is replaced
        meanwhile (as the snapshots do); else the files themselves."""
        kept: dict[str, Path] = {}
        for name, path in files.items():
            target = self.root / f"dumps-{self.generation}" / name
            try:
                target.parent.mkdir(exist_ok=True)
                os.link(path, target)
                kept[name] = target
            except OSError:
                kept[name] = Path(path)
        return kept

    def _snapshot(self) -> str:
        self.generation += 1
        path = self.root / f"snapshot-{self.generation}"
        self.primary.backup(str(path))
        if self.read_only:
            self.primary = ox.Store.read_only(str(path))
        return str(path)

    def replace(self, store: ox.Store) -> str:
        """Serve ``store`` (a new build of the store) from now on: its snapshot. The builds
        before the previous one go: their files would otherwise stay on disk, held by the
        snapshot's hard links, one store for every rebuild. The previous one stays for the
        queries still reading it, which end at the query time limit."""
        self.primary = store
        self.current = self._snapshot()
        for old in range(1, self.generation - 1):
            for name in (f"snapshot-{old}", f"dumps-{old}"):
                shutil.rmtree(self.root / name, ignore_errors=True)
        return self.current

    def refresh(self) -> str:
        """A new snapshot after an update (the older ones stay until close: workers may
        still be reading them)."""
        self.current = self._snapshot()
        return self.current

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
