"""``ekipgraph run`` replaces the project's ``dist/`` whole, and the benchmarks kept their
synthetic corpora (minutes to build at 1M quads) in ``dist/bench/``: every ``make run``
deleted them. They now live under ``benchmarks/.corpora/``."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from ekipgraph.project import default_layout

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def test_the_benchmark_corpora_live_outside_the_folder_run_replaces() -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        corpora = importlib.import_module("corpora")
    finally:
        sys.path.remove(str(BENCHMARKS))
    bench = Path(corpora.BENCH_DIR).resolve()
    assert not bench.is_relative_to(default_layout().dist_dir.resolve())
    assert bench.is_relative_to(BENCHMARKS)
