"""Properties the pattern analyses must have on the real ekip data (built from ``data/``).

The exact answers are tested on the hand-made fixture (test_patterns.py); here, whatever the
data, scores are symmetric and within [0, 1], and every shared item that explains a score is
checked against the store with a SPARQL query of its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ekipgraph.analyse import PatternsResult, patterns_nquads, run_patterns, write_patterns
from ekipgraph.analyse.network import city_actor_graph
from ekipgraph.analyse.similarity import compare
from ekipgraph.project import default_layout
from ekipgraph.store import EmbeddedStore

CASES = sorted((default_layout().data_dir / "cases").glob("*.*"))
pytestmark = pytest.mark.skipif(not CASES, reason="no cases under data/cases yet")

PREFIXES = """
PREFIX ekip: <https://w3id.org/ekip/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
# One path per facet from a case to the concept it names, written independently of the
# network queries so that they check each other.
FACET_PATHS = {
    "needs": "?case ekip:identifiesNeed/ekip:needsResourceType/skos:broader* <{item}> .",
    "gaps": "{{ ?case ekip:identifiesGap/ekip:concernsResourceType/skos:broader* <{item}> }} "
    "UNION {{ ?case ekip:identifiesNeed ?need . ?need ekip:availability "
    "<https://w3id.org/ekip/vocab/availability-status/missing> ; "
    "ekip:needsResourceType/skos:broader* <{item}> }}",
    "sectors": "?case (ekip:concernsSector|ekip:describesPortfolio/ekip:concernsSector"
    "|ekip:describesPortfolio/ekip:hasItem/ekip:concernsSector)/skos:broader* <{item}> .",
    "actor-types": "?case (ekip:hasInvolvement/ekip:involvedActor"
    "|ekip:describesPortfolio/ekip:hasInvolvement/ekip:involvedActor"
    "|ekip:describesPortfolio/ekip:hasItem/ekip:hasInvolvement/ekip:involvedActor"
    "|ekip:identifiesNeed/ekip:potentialProvider)/ekip:actorType/skos:broader* <{item}> .",
}


@pytest.fixture(scope="module")
def dataset() -> str:
    from ekipgraph.connect import built_nquads

    return built_nquads()


@pytest.fixture(scope="module")
def store(dataset: str) -> EmbeddedStore:
    return EmbeddedStore.from_nquads(dataset)


@pytest.fixture(scope="module")
def result(store: EmbeddedStore) -> PatternsResult:
    return run_patterns(store)


def test_there_is_something_to_compare(result: PatternsResult) -> None:
    assert len(result.network.cities) >= 2
    assert result.similarity.pairs
    assert result.generated_at is not None


def test_similarity_is_symmetric_and_within_zero_and_one(result: PatternsResult) -> None:
    profiles = result.similarity.profiles
    for pair in result.similarity.pairs:
        assert 0 <= pair.jaccard <= 1 and 0 <= pair.cosine <= 1
        for score in pair.facets:
            assert 0 <= score.jaccard <= 1 and 0 <= score.cosine <= 1
        forward = compare(profiles[pair.city_a], profiles[pair.city_b])
        backward = compare(profiles[pair.city_b], profiles[pair.city_a])
        assert forward[:2] == pytest.approx(backward[:2])
        scores = [[f.jaccard, f.cosine] for f in forward[2]]
        assert scores == [pytest.approx([f.jaccard, f.cosine]) for f in backward[2]]


def test_every_explained_shared_item_is_really_shared(
    result: PatternsResult, store: EmbeddedStore
) -> None:
    checked = 0
    for pair in result.similarity.pairs:
        assert (pair.jaccard > 0) == bool(pair.shared)
        for shared in pair.shared:
            assert shared.weight_a > 0 and shared.weight_b > 0
            for city in (pair.city_a, pair.city_b):
                path = FACET_PATHS[shared.facet].format(item=shared.item)
                ask = f"{PREFIXES} ASK {{ ?case ekip:aboutCity <{city}> . {path} }}"
                assert store.query(ask).boolean, (city, shared)
                checked += 1
    assert checked or all(p.jaccard == 0 for p in result.similarity.pairs)


def test_shared_gaps_span_several_cities_and_are_ranked(result: PatternsResult) -> None:
    ranks = [gap.rank for gap in result.shared_gaps.gaps]
    assert ranks == sorted(ranks)
    for gap in result.shared_gaps.gaps:
        assert len(gap.cities) >= 2 and gap.findings >= len(gap.cities)


def test_centralities_are_within_zero_and_one(result: PatternsResult) -> None:
    for item in result.centrality.types:
        assert 0 <= item.degree <= 1 and 0 <= item.betweenness <= 1
    assert all(0 < a.betweenness <= 1 for a in result.bridging.actors)
    assert all(len(a.policy_areas) >= 2 for a in result.linking.actors)


def test_communities_partition_the_city_actor_graph(result: PatternsResult) -> None:
    members = [m for c in result.communities.communities for m in c.members]
    assert sorted(members) == sorted(city_actor_graph(result.network))
    assert -0.5 <= result.communities.modularity <= 1


def test_every_addressing_recommendation_addresses_the_gap_type_or_a_broader_one(
    result: PatternsResult, store: EmbeddedStore
) -> None:
    for gap in result.coverage.gaps:
        for rec in gap.addressed_by:
            ask = (
                f"{PREFIXES} ASK {{ <{rec}> ekip:addressesResourceType ?type . "
                f"<{gap.resource_type}> skos:broader* ?type }}"
            )
            assert store.query(ask).boolean, (gap, rec)
        assert set(gap.considered_here) <= set(gap.addressed_by)


def test_cooccurrence_shares_are_proper(result: PatternsResult) -> None:
    assert all(0 < pair.share <= 1 for pair in result.cooccurrence.pairs)


def test_real_outputs_are_byte_identical_and_the_rdf_joins_the_data(
    result: PatternsResult, store: EmbeddedStore, dataset: str, tmp_path: Path
) -> None:
    write_patterns(result, tmp_path / "one")
    write_patterns(run_patterns(store), tmp_path / "two")
    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    two = {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
    assert one == two
    joined = EmbeddedStore()
    joined.load_nquads(dataset)
    joined.load_nquads(patterns_nquads(result))
    rows = joined.query(
        """
        PREFIX ekipp: <https://w3id.org/ekip/patterns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label ?cosine WHERE {
          GRAPH <https://w3id.org/ekip/graph/patterns> {
            ?pair a ekipp:CitySimilarity ; ekipp:city ?city ; ekipp:cosine ?cosine .
          }
          ?city rdfs:label ?label . FILTER(LANG(?label) = "en")
        }
        """
    ).rows()
    assert len(rows) == 2 * len(result.similarity.pairs)
