"""Among many cities, each keeps its most similar cities: the matrix route picks exactly
the pairs that comparing every pair one by one would pick, ties and rounding included."""

from __future__ import annotations

import random

import pytest

from ekipgraph.analyse.base import rounded
from ekipgraph.analyse.similarity import FACETS, compare, nearest_pairs

ITEMS = [f"item-{n}" for n in range(6)]


def random_profiles(seed: int, cities: int) -> dict[str, dict[str, dict[str, int]]]:
    # Few items and small weights: many identical scores, so ties decide the neighbours.
    rng = random.Random(seed)
    return {
        f"city-{n:03d}": {
            facet: {item: rng.randint(1, 3) for item in rng.sample(ITEMS, rng.randint(0, 3))}
            for facet in FACETS
        }
        for n in range(cities)
    }


def one_by_one(profiles, neighbours: int) -> list[tuple[str, str]]:
    cities = list(profiles)
    chosen = set()
    for city in cities:
        scored = []
        for other in cities:
            if other != city:
                jaccard, cosine, _ = compare(profiles[city], profiles[other])
                if cosine > 0:
                    scored.append(((-rounded(cosine), -rounded(jaccard), other, other), other))
        for _, other in sorted(scored)[:neighbours]:
            chosen.add(tuple(sorted((city, other))))
    return sorted(chosen)


@pytest.mark.parametrize("seed", range(6))
def test_nearest_pairs_are_the_pairs_comparing_one_by_one_picks(seed: int) -> None:
    profiles = random_profiles(seed, cities=70)
    found = nearest_pairs(list(profiles), profiles, lambda iri: iri, neighbours=5)
    assert found == one_by_one(profiles, neighbours=5)
    assert found  # the corpus has similar cities at all


def test_a_city_sharing_nothing_has_no_neighbours() -> None:
    profiles = random_profiles(1, cities=40)
    profiles["city-zzz"] = {facet: {"only-here": 1} for facet in FACETS}
    found = nearest_pairs(list(profiles), profiles, lambda iri: iri, neighbours=5)
    assert not [pair for pair in found if "city-zzz" in pair]


def test_the_matrix_is_computed_in_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    from ekipgraph.analyse import similarity

    profiles = random_profiles(3, cities=45)
    whole = nearest_pairs(list(profiles), profiles, lambda iri: iri, neighbours=4)
    monkeypatch.setattr(similarity, "BLOCK", 7)
    assert nearest_pairs(list(profiles), profiles, lambda iri: iri, neighbours=4) == whole


@pytest.mark.parametrize("seed", range(6))
def test_capped_tied_candidates_still_pick_the_pairs_comparing_one_by_one_picks(
    seed: int,
) -> None:
    # Far more cities tie within rounding distance of the fifth place than the cap lets
    # through; the matrix order (cosine, Jaccard, label) is the exact one, so nothing changes.
    profiles = random_profiles(seed, cities=90)
    found = nearest_pairs(list(profiles), profiles, lambda iri: iri, neighbours=5, ties=0)
    assert found == one_by_one(profiles, neighbours=5)


def test_tied_candidates_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    from ekipgraph.analyse import similarity

    calls = 0

    def counting(a, b):
        nonlocal calls
        calls += 1
        return compare(a, b)

    monkeypatch.setattr(similarity, "compare", counting)
    # every city alike but for one item of its own: every other city ties for first place
    profiles = {
        f"city-{n:03d}": {"gaps": {"item-0": 1, "item-1": 2}, "sectors": {f"own-{n}": 1}}
        for n in range(60)
    }
    found = nearest_pairs(list(profiles), profiles, lambda iri: iri, neighbours=3, ties=2)
    assert found == one_by_one(profiles, neighbours=3)
    assert calls <= 60 * (3 + 2)
