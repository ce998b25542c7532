"""Library queries on the cross-city patterns (``graph/patterns``), on the real data.

``most-similar-cities`` answers "which two cities are most similar and why": its rows must be
what ``PatternsResult.similarity`` says, computed here from the result object (nothing is
pinned, the data grows), the same on Oxigraph and on rdflib's engine, and empty on a store
without the patterns graph.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal

from ekipgraph.analyse import PatternsResult, patterns_nquads, run_patterns
from ekipgraph.build import build_from_layout
from ekipgraph.library import QueryLibrary
from ekipgraph.project import default_layout
from ekipgraph.store import EmbeddedStore, QueryOutcome, RdflibStore

FIXTURE = Path(__file__).parent / "fixtures" / "patterns" / "dataset.trig"
LIBRARY = QueryLibrary(default_layout().queries_dir)
QUERY = LIBRARY.get("most-similar-cities")
#: the places written in graph/patterns: a score matches when it rounds the same
DECIMALS = 6

# rdflib's own N-Quads parser still calls its deprecated Dataset methods.
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.*is deprecated:DeprecationWarning")


@pytest.fixture(scope="module")
def nquads() -> str:
    return build_from_layout(default_layout()).nquads


@pytest.fixture(scope="module")
def result(nquads: str) -> PatternsResult:
    return run_patterns(EmbeddedStore.from_nquads(nquads))


@pytest.fixture(scope="module")
def with_patterns(nquads: str, result: PatternsResult) -> str:
    return nquads + patterns_nquads(result)


@pytest.fixture(scope="module")
def store(with_patterns: str) -> EmbeddedStore:
    return EmbeddedStore.from_nquads(with_patterns)


def score(value: object) -> float:
    return round(float(value), DECIMALS)  # type: ignore[arg-type]


def pairs_in_order(rows: list[dict]) -> list[tuple[frozenset[str], float, float]]:
    """One (cities, cosine, Jaccard) per pair, in the order of the rows."""
    seen: dict[frozenset[str], tuple[frozenset[str], float, float]] = {}
    for row in rows:
        cities = frozenset((str(row["cityA"]), str(row["cityB"])))
        seen.setdefault(cities, (cities, score(row["cosine"]), score(row["jaccard"])))
    return list(seen.values())


def test_most_similar_cities_come_first_with_the_scores_of_the_analysis(
    store: EmbeddedStore, result: PatternsResult
) -> None:
    pairs = result.similarity.pairs
    assert pairs, "the real data has cities to compare"
    rows = store.query(QUERY.bind()).rows()
    assert len(rows) == 4 * len(pairs)  # one row per facet
    got = pairs_in_order(rows)
    expected = [(frozenset((p.city_a, p.city_b)), score(p.cosine), score(p.jaccard)) for p in pairs]
    assert set(got) == set(expected)
    # the same order of scores: most similar first (ties may list their pairs either way)
    assert [scores for _, *scores in got] == [scores for _, *scores in expected]
    top = {cities for cities, *scores in expected if scores == list(expected[0][1:])}
    assert got[0][0] in top
    label = result.network.label
    first = rows[0]
    assert {str(first["cityALabel"]), str(first["cityBLabel"])} == {label(c) for c in got[0][0]}


def test_each_facet_row_has_the_facet_scores_and_the_shared_items_that_explain_them(
    store: EmbeddedStore, result: PatternsResult
) -> None:
    label = result.network.label
    expected = {}
    for pair in result.similarity.pairs:
        for facet in pair.facets:
            key = (frozenset((pair.city_a, pair.city_b)), facet.facet)
            items = {label(item.item) for item in facet.shared}
            expected[key] = (score(facet.cosine), score(facet.jaccard), items)
    got = {}
    for row in store.query(QUERY.bind()).rows():
        key = (frozenset((str(row["cityA"]), str(row["cityB"]))), str(row["facet"]))
        shared = str(row["shared"]) if "shared" in row else ""
        items = set(shared.split("; ")) if shared else set()
        assert int(row["sharedCount"]) == len(items), row
        got[key] = (score(row["facetCosine"]), score(row["facetJaccard"]), items)
    assert got == expected
    assert any(items for _, _, items in expected.values()), "some pair shares something"


def _normalised(outcome: QueryOutcome) -> list:
    """Rows comparable across engines: numbers by value, GROUP_CONCAT parts sorted."""

    def cell(value: object) -> object:
        if isinstance(value, Literal) and isinstance(value.toPython(), int | float | Decimal):
            return score(value.toPython())
        text = str(value)
        return "; ".join(sorted(text.split("; "))) if "; " in text else text

    return sorted(
        tuple(sorted((name, cell(value)) for name, value in row.items())) for row in outcome.rows()
    )


def test_rdflib_gives_the_same_rows() -> None:
    """On the small fixture of test_patterns.py: rdflib's engine takes minutes on the whole
    dataset."""
    store = EmbeddedStore()
    store.load_file(FIXTURE)
    nquads = patterns_nquads(run_patterns(store))
    store.load_nquads(nquads)
    reference = RdflibStore()
    reference.load_file(FIXTURE)
    reference.load_nquads(nquads)
    text = QUERY.bind()
    expected = _normalised(store.query(text))
    assert expected
    assert _normalised(reference.query(text)) == expected


def test_a_store_without_the_patterns_graph_gives_no_rows(nquads: str) -> None:
    assert EmbeddedStore.from_nquads(nquads).query(QUERY.bind()).rows() == []


def test_the_similarity_example_of_the_model_guide_runs_on_the_patterns(
    store: EmbeddedStore, result: PatternsResult
) -> None:
    guide = (Path(__file__).parents[1] / "docs" / "model.md").read_text(encoding="utf-8")
    [example] = re.findall(r"```sparql\n(SELECT \?a \?b \?cosine .*?)```", guide, re.S)
    rows = store.query(example).rows()
    assert rows
    top = max(score(p.cosine) for p in result.similarity.pairs)
    assert score(rows[0]["cosine"]) == top
