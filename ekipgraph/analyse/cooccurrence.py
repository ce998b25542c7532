"""Policy area × CCI sector co-occurrence across the cases."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from ekipgraph.analyse.base import Analysis, Table, question_of, rounded
from ekipgraph.analyse.network import POLICY_AREA, SECTOR, Network


@dataclass(frozen=True)
class AreaSector:
    policy_area: str
    sector: str
    cases: tuple[str, ...]
    cities: tuple[str, ...]
    share: float  # of the policy area's cases


@dataclass(frozen=True)
class Cooccurrence:
    analysis: Analysis
    pairs: tuple[AreaSector, ...]

    def graph(self, network: Network) -> nx.Graph:
        """Policy areas and sectors, linked with the number of cases they share."""
        graph: nx.Graph[str] = nx.Graph(name="policy areas and sectors")
        for node in sorted({n for p in self.pairs for n in (p.policy_area, p.sector)}):
            graph.add_node(node, kind=network.kind(node), label=network.label(node))
        for pair in sorted(self.pairs, key=lambda p: (p.policy_area, p.sector)):
            graph.add_edge(pair.policy_area, pair.sector, weight=len(pair.cases))
        return graph

    def tables(self, network: Network) -> list[Table]:
        rows = tuple(
            (
                network.label(p.policy_area),
                network.label(p.sector),
                p.sector,
                len(p.cases),
                network.labels(p.cities),
                rounded(p.share),
            )
            for p in self.pairs
        )
        return [
            Table(
                "co-occurrence",
                "Policy area × CCI sector",
                ("policy_area", "sector", "iri", "cases", "cities", "share_of_area_cases"),
                rows,
                brief=("policy_area", "sector", "cases", "cities", "share_of_area_cases"),
            )
        ]


def area_sector_cooccurrence(network: Network) -> Cooccurrence:
    """Which CCI sectors come up together with which policy area, and in how many cases?

    A case counts for a pair when it addresses the policy area and it, one of its portfolios
    or one of their items concerns the sector (as named, not rolled up). The share is the part
    of the policy area's cases that concern the sector.
    """
    cases_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    area_cases: dict[str, set[str]] = defaultdict(set)
    for case in network.city_of_case:
        sectors = network.targets(case, [SECTOR])
        for area in network.targets(case, [POLICY_AREA]):
            area_cases[area].add(case)
            for sector in sectors:
                cases_of[(area, sector)].add(case)
    pairs = [
        AreaSector(
            policy_area=area,
            sector=sector,
            cases=tuple(network.by_label(cases)),
            cities=tuple(network.by_label(network.city_of_case[c] for c in cases)),
            share=len(cases) / len(area_cases[area]),
        )
        for (area, sector), cases in cases_of.items()
    ]
    pairs.sort(key=lambda p: (network.label(p.policy_area), -len(p.cases), network.label(p.sector)))
    return Cooccurrence(
        analysis=Analysis(
            name="co-occurrence",
            title="Policy area × CCI sector",
            question=question_of(area_sector_cooccurrence),
            algorithm="count of cases per (policy area, sector) pair",
            parameters={"sectors": "of the case, its portfolios and their items, as named"},
        ),
        pairs=tuple(pairs),
    )
