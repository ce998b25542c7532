"""Library queries exploded on larger corpora: ``actor-type-mix-per-case`` took 738 s and
``support-gaps-per-city`` 3 s at 160k quads on Oxigraph, because the engine joined a pattern
with a UNION row by row without using the bound variable, walked ``skos:broader*`` from every
term of the store, or re-ran a NOT EXISTS for every row.

Not a timed test: Oxigraph's own query explanation (``oxigraph query --explain --stats``)
counts the rows every step of a plan produces. On a synthetic corpus four times larger the
largest step of every library query may grow about four times (linear), not sixteen.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ekipgraph.analyse import patterns_nquads, run_patterns
from ekipgraph.build import build_from_layout
from ekipgraph.library import EXAMPLE_VALUES, LibraryQuery, QueryLibrary
from ekipgraph.project import ProjectLayout, default_layout
from ekipgraph.store import EmbeddedStore, query_form
from ekipgraph.synth import synthesise

LIBRARY = QueryLibrary(default_layout().queries_dir)
SMALL, LARGE = 6, 24
#: a linear query's largest step grows about LARGE / SMALL times; allow some slack
MAX_GROWTH = 1.5 * LARGE / SMALL
_ROWS = re.compile(r"number of results: (\d+)")


def _oxigraph() -> str:
    candidate = Path(sys.executable).parent / "oxigraph"
    return str(candidate) if candidate.exists() else (shutil.which("oxigraph") or "oxigraph")


def _store(layout: ProjectLayout, cases: int, folder: Path) -> Path:
    project = synthesise(cases, folder / f"project-{cases}", seed=3, source=layout)
    dump = folder / f"dataset-{cases}.nq"
    nquads = build_from_layout(project).nquads
    # With the cross-city patterns, as the built store holds them: the queries on
    # graph/patterns then have something to read, and the others must stay linear beside it.
    patterns = patterns_nquads(run_patterns(EmbeddedStore.from_nquads(nquads)))
    dump.write_text(nquads + patterns, encoding="utf-8")
    location = folder / f"store-{cases}"
    subprocess.run(
        [_oxigraph(), "load", "--location", str(location), "--file", str(dump)],
        check=True,
        capture_output=True,
    )
    return location


@pytest.fixture(scope="module")
def stores(layout: ProjectLayout, tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("explosion")
    return {cases: _store(layout, cases, folder) for cases in (SMALL, LARGE)}


def largest_step(location: Path, sparql: str) -> int:
    """The most rows any step of Oxigraph's plan for ``sparql`` produced."""
    done = subprocess.run(
        [
            _oxigraph(),
            "query",
            "--location",
            str(location),
            "--query",
            sparql,
            "--results-format",
            "nt" if query_form(sparql) in ("construct", "describe") else "tsv",
            "--explain",
            "--stats",
            "--union-default-graph",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return max([int(n) for n in _ROWS.findall(done.stderr)] or [0])


def _text(query: LibraryQuery) -> str:
    values = {p.name: EXAMPLE_VALUES[p.type.partition(":")[0]] for p in query.params if p.required}
    return query.bind(values)


@pytest.mark.slow
@pytest.mark.parametrize("query", list(LIBRARY), ids=lambda q: q.name)
def test_every_library_query_grows_linearly_with_the_corpus(
    query: LibraryQuery, stores: dict[int, Path]
) -> None:
    sparql = _text(query)
    small, large = (largest_step(stores[n], sparql) for n in (SMALL, LARGE))
    if "graph/patterns" in query.text:
        assert small > 0, f"{query.name} read nothing of graph/patterns"
    assert large <= max(MAX_GROWTH * small, 200), (
        f"{query.name}: the largest step of its plan grew from {small} to {large} rows "
        f"for {LARGE / SMALL:.0f} times the cases"
    )
