"""A build from scratch at 2,000 cases peaked at 2.03 GB, over its 2 GB target: to write
``ekip.nq`` it joined every line into one text (two bytes a character, as the data holds
names such as Košice) and encoded that whole text again as UTF-8, three times the dump's
size on top of the chunks. The lines are now written a block at a time."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from ekipgraph import dumps
from ekipgraph.cache import Cache
from ekipgraph.compiled import compile_data
from ekipgraph.dumps import NQUADS_FILE, write_dataset
from ekipgraph.ontology import load_tbox
from ekipgraph.project import ProjectLayout
from ekipgraph.shapes import load_shapes


def test_writing_the_dataset_holds_less_than_the_dump_in_memory(
    synthetic_home: Callable[..., ProjectLayout], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = synthetic_home(12, 3)
    cache = Cache(tmp_path / "cache")
    shapes = load_shapes(project.shapes_dir, tbox=load_tbox(project), cache=cache)
    outcome = compile_data(project, shapes=shapes, cache=cache, workers=1)
    assert outcome.dataset is not None
    expected = outcome.dataset.nquads().encode("utf-8")
    assert not expected.isascii()  # what made the joined text two bytes a character
    # blocks small against this corpus, as 65,536 lines are against a million
    monkeypatch.setattr(dumps, "LINES_PER_WRITE", 256)

    tracemalloc.start()
    try:
        write_dataset(outcome.dataset, tmp_path / "out", None, None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert (tmp_path / "out" / NQUADS_FILE).read_bytes() == expected
    # the TriG dump (a third of the N-Quads' size) is still assembled whole
    assert peak < len(expected)
