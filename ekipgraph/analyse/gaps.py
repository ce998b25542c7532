"""Shared gaps and resource-type centrality: what is missing in several cities, and which
resource types tie cities and recommendations together."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from ekipgraph.analyse import centrality
from ekipgraph.analyse.base import Analysis, Table, question_of, rounded
from ekipgraph.analyse.network import GAPS, Network, resource_graph

MIN_CITIES = 2


@dataclass(frozen=True)
class SharedGap:
    rank: int
    resource_type: str
    cities: tuple[str, ...]
    findings: int  # gap findings and missing needs behind it, in all these cities
    named_as: tuple[tuple[str, str], ...]  # (city, narrower type named there), if not itself


@dataclass(frozen=True)
class SharedGaps:
    analysis: Analysis
    gaps: tuple[SharedGap, ...]
    #: city -> resource type as named -> gap statements: the heat map's cells
    matrix: Mapping[str, Mapping[str, int]]

    def tables(self, network: Network) -> list[Table]:
        rows = tuple(
            (
                gap.rank,
                network.label(gap.resource_type),
                gap.resource_type,
                len(gap.cities),
                network.labels(gap.cities),
                gap.findings,
                tuple(
                    f"{network.label(named)} ({network.label(city)})"
                    for city, named in gap.named_as
                ),
            )
            for gap in self.gaps
        )
        cells = tuple(
            (network.label(city), network.label(resource_type), resource_type, count)
            for city in network.by_label(self.matrix)
            for resource_type, count in sorted(
                self.matrix[city].items(), key=lambda item: network.label(item[0])
            )
        )
        return [
            Table(
                "shared-gaps",
                f"Gaps shared by {MIN_CITIES} or more cities",
                ("rank", "resource_type", "iri", "city_count", "cities", "findings", "named_as"),
                rows,
                brief=("rank", "resource_type", "city_count", "cities", "findings", "named_as"),
            ),
            Table(
                "gaps-per-city",
                "Gaps per city, as named (the heat map)",
                ("city", "resource_type", "iri", "findings"),
                cells,
                in_report=False,
            ),
        ]


def shared_gaps(network: Network, min_cities: int = MIN_CITIES) -> SharedGaps:
    """Which resource types are missing in several cities, and how widely?

    A gap is a gap finding or a needed resource found missing locally. A narrower type also
    counts for its broader ones, so "seed funding" in one city and "project funding" in
    another make "funding" a gap of both. Ranked by the number of cities, then of findings.
    """
    named = {city: network.city_concepts(city, GAPS) for city in network.cities}
    cities_of: dict[str, set[str]] = {}
    vias_of: dict[str, set[str]] = {}
    for city, concepts in named.items():
        for resource_type, vias in network.roll_up(concepts).items():
            cities_of.setdefault(resource_type, set()).add(city)
            vias_of.setdefault(resource_type, set()).update(vias)
    candidates = [
        (resource_type, cities)
        for resource_type, cities in cities_of.items()
        if len(cities) >= min_cities
    ]

    def strength(resource_type: str) -> tuple[int, int]:
        return len(cities_of[resource_type]), len(vias_of[resource_type])

    candidates.sort(key=lambda c: (*(-n for n in strength(c[0])), network.label(c[0]), c[0]))
    gaps = tuple(
        SharedGap(
            # competition ranking: equal counts share a rank
            rank=1 + sum(1 for other, _ in candidates if strength(other) > strength(rt)),
            resource_type=rt,
            cities=tuple(network.by_label(cities)),
            findings=len(vias_of[rt]),
            named_as=tuple(
                (city, concept)
                for city in network.by_label(cities)
                for concept in network.by_label(named[city])
                if concept != rt and rt in network.with_broader(concept)
            ),
        )
        for rt, cities in candidates
    )
    matrix = {
        city: {concept: len(vias) for concept, vias in sorted(concepts.items())}
        for city, concepts in named.items()
        if concepts
    }
    return SharedGaps(
        analysis=Analysis(
            name="shared-gaps",
            title="Shared gaps",
            question=question_of(shared_gaps),
            algorithm="count of cities and of gap statements per resource type, "
            "narrower types counted for their broader types (skos:broader+)",
            parameters={
                "minimum cities": min_cities,
                "gaps": "gap findings and needs with availability 'missing'",
            },
        ),
        gaps=gaps,
        matrix=matrix,
    )


@dataclass(frozen=True)
class ResourceTypeCentrality:
    resource_type: str
    cities: int
    recommendations: int
    degree: float  # share of all cities and recommendations in the graph linked to it
    betweenness: float


@dataclass(frozen=True)
class ResourceCentrality:
    analysis: Analysis
    types: tuple[ResourceTypeCentrality, ...]

    def tables(self, network: Network) -> list[Table]:
        rows = tuple(
            (
                network.label(t.resource_type),
                t.resource_type,
                t.cities,
                t.recommendations,
                rounded(t.degree),
                rounded(t.betweenness),
            )
            for t in self.types
        )
        return [
            Table(
                "resource-type-centrality",
                "Resource-type centrality",
                ("resource_type", "iri", "cities", "recommendations", "degree", "betweenness"),
                rows,
                brief=("resource_type", "cities", "recommendations", "degree", "betweenness"),
            )
        ]


def resource_type_centrality(network: Network) -> ResourceCentrality:
    """Which resource types tie the cities and the recommendations together?

    On the graph of cities and recommendations linked to resource types (a city to every type
    its cases need, lack or offer, with the broader types; a recommendation to every type it
    addresses): the degree centrality (the share of cities and recommendations linked to the
    type) and the normalised betweenness centrality (how much the type lies on the shortest
    paths between everything else).
    """
    graph = resource_graph(network)
    betweenness, parameters = centrality.betweenness(graph)
    kinds = nx.get_node_attributes(graph, "kind")
    others = sum(1 for kind in kinds.values() if kind != "resource-type")
    types = []
    for node in graph:
        if kinds[node] != "resource-type":
            continue
        neighbours = [kinds[other] for other in graph[node]]
        types.append(
            ResourceTypeCentrality(
                resource_type=node,
                cities=neighbours.count("city"),
                recommendations=neighbours.count("recommendation"),
                degree=len(neighbours) / others if others else 0.0,
                betweenness=betweenness[node],
            )
        )
    # rounded, so that float noise never decides between types that tie
    types.sort(
        key=lambda t: (-rounded(t.betweenness), -rounded(t.degree), network.label(t.resource_type))
    )
    return ResourceCentrality(
        analysis=Analysis(
            name="resource-type-centrality",
            title="Resource-type centrality",
            question=question_of(resource_type_centrality),
            algorithm="networkx degree share and betweenness_centrality (Brandes) on the "
            "bipartite graph of cities and recommendations to resource types",
            parameters=parameters,
        ),
        types=tuple(types),
    )
