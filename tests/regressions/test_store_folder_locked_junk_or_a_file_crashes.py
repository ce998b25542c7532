"""Two processes on one --store, a junk or foreign store folder, and a --store path that is a
file each ended in a traceback. Store folders now carry a marker and a lock: each of these
is refused with a clear message and exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ekipgraph.store import EmbeddedStore, StoreError
from ekipgraph.storedir import STORE_MARKER


def _query(store: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ekipgraph", "query", "--store", str(store), "-e", "ASK {}"],
        capture_output=True,
        text=True,
        timeout=300,
    )


def _refused(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert message in " ".join(result.stderr.split())


def test_a_store_another_process_holds_is_refused(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    holder = EmbeddedStore(store_dir)  # this process holds it
    assert (store_dir / STORE_MARKER).is_file()
    _refused(_query(store_dir), f"in use by another process (pid {os.getpid()})")
    with pytest.raises(StoreError, match="in use by another process"):
        EmbeddedStore(store_dir)
    del holder


def test_a_junk_folder_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "notes.txt").write_text("mine")
    _refused(_query(junk), "not a store folder")
    assert sorted(p.name for p in junk.iterdir()) == ["notes.txt"]


def test_a_foreign_or_damaged_oxigraph_folder_is_refused(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "CURRENT").write_text("MANIFEST-garbage\n")
    _refused(_query(foreign), "an Oxigraph store that ekipgraph did not create")


def test_a_store_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store"
    path.write_text("a file")
    _refused(_query(path), "is a file, not a folder")
    assert path.read_text() == "a file"
