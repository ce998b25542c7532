"""Regression: city similarity listed every pair of cities, with its facets and shared items,
so at 102 cities (a million quads) it wrote 5,151 pairs and 670,000 triples, and the
patterns' files grew with the square of the number of cities. Among more than
``ALL_PAIRS_UP_TO`` cities each city now keeps its ``NEIGHBOURS`` most similar cities."""

from __future__ import annotations

import random

from ekipgraph.analyse.network import ABOUT_CITY, GAP, Link, Network, Node
from ekipgraph.analyse.rdf import patterns_nquads
from ekipgraph.analyse.run import analyse_network
from ekipgraph.analyse.similarity import ALL_PAIRS_UP_TO, NEIGHBOURS, city_similarity

ID = "https://w3id.org/ekip/id/"
RT = "https://w3id.org/ekip/vocab/resource-type/"


def cities_network(cities: int, seed: int = 7) -> Network:
    rng = random.Random(seed)
    types = [f"{RT}type-{n}" for n in range(12)]
    nodes = {iri: Node(iri, "resource-type", iri.rsplit("/", 1)[1]) for iri in types}
    links = []
    for n in range(cities):
        city, case = f"{ID}city/c{n:04d}", f"{ID}case/k{n:04d}"
        nodes[city] = Node(city, "city", f"City {n:04d}")
        nodes[case] = Node(case, "case", f"Case {n:04d}")
        links.append(Link(case, ABOUT_CITY, city, case))
        for index, resource_type in enumerate(rng.sample(types, 4)):
            links.append(Link(case, GAP, resource_type, f"{case}/gap-{index}"))
    return Network(nodes=nodes, links=tuple(sorted(links)))


def test_a_few_cities_still_get_every_pair() -> None:
    result = city_similarity(cities_network(ALL_PAIRS_UP_TO))
    assert len(result.pairs) == ALL_PAIRS_UP_TO * (ALL_PAIRS_UP_TO - 1) // 2


def test_many_cities_get_their_nearest_cities_not_every_pair() -> None:
    cities = 200
    result = city_similarity(cities_network(cities))
    assert len(result.pairs) <= cities * NEIGHBOURS < cities * (cities - 1) // 2
    partners: dict[str, int] = {}
    for pair in result.pairs:
        for city in (pair.city_a, pair.city_b):
            partners[city] = partners.get(city, 0) + 1
    assert all(count >= NEIGHBOURS for count in partners.values())
    assert len(partners) == cities
    assert "most similar" in result.analysis.parameters["pairs"]


def test_the_patterns_graph_grows_with_the_cities() -> None:
    small, large = (
        patterns_nquads(analyse_network(cities_network(n))).count("\n") for n in (100, 400)
    )
    assert large < 5 * small  # four times the cities: about four times the triples
