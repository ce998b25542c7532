"""Synthetic corpora for the benchmarks, made by ``ekipgraph synth`` and kept between runs.

A corpus of N cases is written once under ``benchmarks/.corpora/`` (whatever the working
folder; not under ``dist/``, which ``ekipgraph run`` replaces whole) as a project folder and
built there by ``ekipgraph build`` (its store, and its dump ``dist/dataset/ekip.nq``); later
runs reuse both. About 490 quads a case beside
some 6,000 of the ontology and vocabularies: 30 cases make some 20k quads, 300 cases 150k,
2,040 cases 1M.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ekipgraph.project import default_layout
from ekipgraph.synth import synthesise

BENCH_DIR = Path(__file__).resolve().parent / ".corpora"
SEED = 1
#: quads (as named in the tables) -> synthetic cases
SIZES = {"10k": 30, "100k": 300, "1M": 2040}


def corpus_dump(cases: int) -> Path:
    """The N-Quads dump of a synthetic corpus of ``cases`` cases (built when missing)."""
    return built_project(cases) / "dist" / "dataset" / "ekip.nq"


def built_project(cases: int) -> Path:
    """The synthetic project folder of ``cases`` cases with its built store (``ekipgraph
    build`` run once, with ``EKIPGRAPH_HOME`` pointing at it)."""
    project = (BENCH_DIR / f"synth-{cases}").resolve()
    if not (project / "data").is_dir():
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        synthesise(cases, project, seed=SEED, source=default_layout())
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
