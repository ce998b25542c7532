"""Synthetic corpora for the benchmarks, made by ``ekipgraph synth`` and kept between runs.

A corpus of N cases is written once under ``dist/bench/`` as a project folder and as its
N-Quads dump (``synth-N.nq``); later runs reuse the dump. About 330 quads per case: 30 cases
make some 10k quads, 300 cases 100k, 3,000 cases 1M.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ekipgraph.build import build_from_layout
from ekipgraph.project import default_layout
from ekipgraph.synth import synthesise

BENCH_DIR = Path("dist") / "bench"
SEED = 1
#: quads (as named in the tables) -> synthetic cases
SIZES = {"10k": 30, "100k": 300, "1M": 3000}


def corpus_dump(cases: int) -> Path:
    """The N-Quads dump of a synthetic corpus of ``cases`` cases (made when missing)."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    dump = BENCH_DIR / f"synth-{cases}.nq"
    if not dump.exists():
        folder = BENCH_DIR / f"synth-{cases}"
        project = synthesise(cases, folder, seed=SEED, source=default_layout())
        staging = dump.with_suffix(".part")
        staging.write_text(build_from_layout(project).nquads, encoding="utf-8")
        staging.replace(dump)
    return dump


def built_project(cases: int) -> Path:
    """The synthetic project folder of ``cases`` cases with its built store (``ekipgraph
    build`` run once, with ``EKIPGRAPH_HOME`` pointing at it)."""
    corpus_dump(cases)
    project = (BENCH_DIR / f"synth-{cases}").resolve()
    if not (project / "dist" / "store" / "oxigraph").exists():
        subprocess.run(
            [str(Path(sys.executable).parent / "ekipgraph"), "build"],
            env=home(project),
            cwd=project,
            check=True,
            capture_output=True,
        )
    return project


def home(project: Path) -> dict[str, str]:
    """The environment that makes ekipgraph work on ``project``."""
    return {**os.environ, "EKIPGRAPH_HOME": str(project)}


def quad_count(dump: Path) -> int:
    with dump.open("rb") as lines:
        return sum(1 for _ in lines)
