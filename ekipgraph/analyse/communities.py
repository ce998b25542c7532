"""Communities of cities and actors (Louvain, with a fixed seed)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from ekipgraph.analyse.base import Analysis, Table, question_of, rounded
from ekipgraph.analyse.network import Network, city_actor_graph

#: Louvain visits nodes in a random order; a fixed seed makes the partition reproducible.
SEED = 42
RESOLUTION = 1.0


@dataclass(frozen=True)
class Community:
    number: int
    members: tuple[str, ...]  # in reading order

    def of_kind(self, network: Network, kind: str) -> tuple[str, ...]:
        return tuple(m for m in self.members if network.kind(m) == kind)


@dataclass(frozen=True)
class Communities:
    analysis: Analysis
    communities: tuple[Community, ...]
    modularity: float

    @property
    def membership(self) -> Mapping[str, int]:
        return {member: c.number for c in self.communities for member in c.members}

    def tables(self, network: Network) -> list[Table]:
        rows = tuple(
            (
                c.number,
                len(c.members),
                network.labels(c.of_kind(network, "city")),
                network.labels(c.of_kind(network, "actor")),
            )
            for c in self.communities
        )
        return [
            Table(
                "communities",
                f"Communities of cities and actors (modularity {self.modularity:.3f})",
                ("community", "size", "cities", "actors"),
                rows,
            )
        ]


def communities(network: Network, seed: int = SEED) -> Communities:
    """Which cities and actors form groups that work more with each other than with the rest?

    Louvain community detection on the graph of cities and the actors in their cases (weighted
    by the number of the city's cases with the actor), with a fixed seed so the same data
    always gives the same groups; the modularity says how clear-cut the groups are.
    """
    graph = city_actor_graph(network)
    found = nx.community.louvain_communities(
        graph, weight="weight", resolution=RESOLUTION, seed=seed
    )
    ordered = sorted(
        (tuple(network.by_label(members)) for members in found),
        key=lambda members: (-len(members), [network.label(m) for m in members]),
    )
    modularity = (
        nx.community.modularity(graph, found, weight="weight", resolution=RESOLUTION)
        if graph.number_of_edges()
        else 0.0
    )
    return Communities(
        analysis=Analysis(
            name="communities",
            title="Communities of cities and actors",
            question=question_of(communities),
            algorithm="networkx louvain_communities on the city-actor graph",
            parameters={"seed": seed, "resolution": RESOLUTION, "weight": "cases"},
        ),
        communities=tuple(
            Community(number, members) for number, members in enumerate(ordered, start=1)
        ),
        modularity=rounded(modularity),
    )
