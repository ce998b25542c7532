"""Regression: among many cities with few kinds of profile, hundreds of cities tie within
rounding distance of each city's last neighbour, and every one of them was compared
exactly, so the comparisons grew with the square of the cities (3,000 cities with 12 gap
types: 29 s). At most ``NEIGHBOURS + TIES`` of them are now compared per city."""

from __future__ import annotations

import random
from unittest import mock

import pytest

from ekipgraph.analyse import similarity
from ekipgraph.analyse.network import ABOUT_CITY, GAP, SECTOR, Link, Network, Node

ID = "https://w3id.org/ekip/id/"
VOCAB = "https://w3id.org/ekip/vocab/"


def tied_cities(cities: int, seed: int = 7) -> Network:
    """Each city's case lacks four of eight resource types and names a sector of its own:
    no two profiles are the same, but a city shares three gaps with a fifth of the others,
    all tied."""
    rng = random.Random(seed)
    types = [f"{VOCAB}resource-type/type-{n}" for n in range(8)]
    nodes = {iri: Node(iri, "resource-type", iri.rsplit("/", 1)[1]) for iri in types}
    links = []
    for n in range(cities):
        city, case, sector = f"{ID}city/c{n:04d}", f"{ID}case/k{n:04d}", f"{VOCAB}sector/s{n}"
        nodes[city] = Node(city, "city", f"City {n:04d}")
        nodes[case] = Node(case, "case", f"Case {n:04d}")
        nodes[sector] = Node(sector, "sector", f"Sector {n:04d}")
        links += [Link(case, ABOUT_CITY, city, case), Link(case, SECTOR, sector, case)]
        for index, resource_type in enumerate(rng.sample(types, 4)):
            links.append(Link(case, GAP, resource_type, f"{case}/gap-{index}"))
    return Network(nodes=nodes, links=tuple(sorted(links)))


def test_exact_comparisons_grow_with_the_cities(monkeypatch: pytest.MonkeyPatch) -> None:
    # a spy: the real comparison runs, and its calls are counted
    compare = mock.Mock(wraps=similarity.compare)
    monkeypatch.setattr(similarity, "compare", compare)
    counts = {}
    for cities in (300, 600):
        compare.reset_mock()
        similarity.city_similarity(tied_cities(cities))
        counts[cities] = compare.call_count
    # before: 10,947 and 37,305 comparisons (3.4 times for twice the cities)
    assert counts[600] < 2.5 * counts[300]
    assert counts[600] <= 600 * (similarity.NEIGHBOURS + similarity.TIES)
