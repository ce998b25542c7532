"""A content-addressed cache of derived results (SHACL results, shapes lint), so that unchanged
input is never processed twice.

Entries are pickles named by a hash of everything that went into them; a changed input gives
a new key, so an entry is never stale. The folder is ``EKIPGRAPH_CACHE`` or
``$XDG_CACHE_HOME/ekipgraph`` (``~/.cache/ekipgraph``); when it cannot be written the cache
is simply off.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from ekipgraph import __version__
from ekipgraph.heap import collector_paused
from ekipgraph.project import ProjectLayout

T = TypeVar("T")


def digest(*parts: str | bytes) -> str:
    """A hex SHA-256 of the parts (each length-prefixed, so boundaries count)."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def digest_lines(lines: Iterable[str]) -> str:
    hasher = hashlib.sha256()
    for line in lines:
        hasher.update(line.encode("utf-8"))
        hasher.update(b"\n")
    return hasher.hexdigest()


@functools.cache
def code_version() -> str:
    """The ekipgraph version and a fingerprint of its source files (path, size, mtime), so
    that derived results of an edited checkout are never taken for current."""
    package = Path(__file__).resolve().parent
    hasher = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        hasher.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return f"{__version__}+{hasher.hexdigest()[:12]}"


class Cache:
    """Pickled values under ``folder/<namespace>/<key[:2]>/<key>``."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    @classmethod
    def for_layout(cls, layout: ProjectLayout) -> Cache:
        configured = os.environ.get("EKIPGRAPH_CACHE")
        if configured:
            folder = Path(configured)
        else:  # outside dist/, which run replaces whole; keys are content, so projects share it
            base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
            folder = Path(base) / "ekipgraph"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return cls(None)
        return cls(folder if os.access(folder, os.W_OK) else None)

    def _path(self, namespace: str, key: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / namespace / key[:2] / f"{key}.pickle"

    def get(self, namespace: str, key: str) -> Any | None:
        path = self._path(namespace, key)
        if path is None or not path.is_file():
            return None
        try:
            with path.open("rb") as handle, collector_paused():  # no garbage: all of it kept
                stored_version, value = pickle.load(handle)
        except Exception:  # a torn or foreign file: recompute
            return None
        return value if stored_version == code_version() else None

    def has(self, namespace: str, key: str) -> bool:
        """A value is kept under the key (not read: it may still turn out unreadable)."""
        path = self._path(namespace, key)
        return path is not None and path.is_file()

    def put(self, namespace: str, key: str, value: Any) -> None:
        path = self._path(namespace, key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "wb", dir=path.parent, prefix=f".{path.name}.", delete=False
            ) as handle:
                pickle.dump((code_version(), value), handle, protocol=pickle.HIGHEST_PROTOCOL)
            Path(handle.name).replace(path)
        except OSError:
            pass  # a full disk must not fail the build; the value is just not kept

    def get_or_compute(self, namespace: str, key: str, compute: Callable[[], T]) -> T:
        cached = self.get(namespace, key)
        if cached is not None:
            return cached
        value = compute()
        self.put(namespace, key, value)
        return value
