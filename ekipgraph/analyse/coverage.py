"""Recommendation coverage: which recommendations address which cities' gaps, and what is
left unaddressed."""

from __future__ import annotations

from dataclasses import dataclass

from ekipgraph.analyse.base import Analysis, Table, question_of
from ekipgraph.analyse.network import ADDRESSES, CONSIDERS, GAPS, Network


@dataclass(frozen=True)
class GapCoverage:
    city: str
    resource_type: str  # as the city's cases name it
    findings: int
    addressed_by: tuple[str, ...]
    considered_here: tuple[str, ...]  # of those, the ones the city's cases test or expect

    @property
    def addressed(self) -> bool:
        return bool(self.addressed_by)


@dataclass(frozen=True)
class Coverage:
    analysis: Analysis
    gaps: tuple[GapCoverage, ...]
    recommendations: tuple[str, ...]

    @property
    def unaddressed(self) -> tuple[GapCoverage, ...]:
        return tuple(gap for gap in self.gaps if not gap.addressed)

    def tables(self, network: Network) -> list[Table]:
        label, labels = network.label, network.labels
        coverage = tuple(
            (
                label(g.city),
                label(g.resource_type),
                g.resource_type,
                g.findings,
                labels(g.addressed_by),
                labels(g.considered_here),
            )
            for g in self.gaps
        )
        unaddressed = tuple(
            (label(g.city), label(g.resource_type), g.resource_type, g.findings)
            for g in self.unaddressed
        )
        reach = tuple(
            (
                label(rec),
                rec,
                labels(network.targets(rec, [ADDRESSES])),
                labels({g.city for g in self.gaps if rec in g.addressed_by}),
                labels({g.resource_type for g in self.gaps if rec in g.addressed_by}),
            )
            for rec in self.recommendations
        )
        return [
            Table(
                "recommendation-coverage",
                "Cities' gaps and the recommendations that address them",
                ("city", "gap", "iri", "findings", "addressed_by", "considered_here"),
                coverage,
                brief=("city", "gap", "findings", "addressed_by", "considered_here"),
            ),
            Table(
                "unaddressed-gaps",
                "Gaps no recommendation addresses",
                ("city", "gap", "iri", "findings"),
                unaddressed,
                brief=("city", "gap", "findings"),
            ),
            Table(
                "recommendation-reach",
                "What each recommendation reaches",
                ("recommendation", "iri", "addresses", "cities", "gaps"),
                reach,
                brief=("recommendation", "addresses", "cities", "gaps"),
            ),
        ]


def recommendation_coverage(network: Network) -> Coverage:
    """Which recommendations address which cities' gaps, and which gaps remain unaddressed?

    A recommendation addresses a gap (a gap finding or a missing resource) when the resource
    type it addresses is the gap's type or a broader one: a recommendation on "funding"
    addresses a gap in "seed funding". "Considered here" marks the recommendations that the
    city's own cases tested or expect to stimulate something locally.
    """
    recommendations = network.of_kind("recommendation")
    addresses = {rec: network.targets(rec, [ADDRESSES]) for rec in recommendations}
    gaps = []
    for city in network.cities:
        considered = {
            rec for case in network.cases_of_city[city] for rec in network.targets(case, CONSIDERS)
        }
        named = network.city_concepts(city, GAPS)
        for resource_type in network.by_label(named):
            covering = [
                rec
                for rec in recommendations
                if addresses[rec] & set(network.with_broader(resource_type))
            ]
            gaps.append(
                GapCoverage(
                    city=city,
                    resource_type=resource_type,
                    findings=len(named[resource_type]),
                    addressed_by=tuple(covering),
                    considered_here=tuple(rec for rec in covering if rec in considered),
                )
            )
    return Coverage(
        analysis=Analysis(
            name="recommendation-coverage",
            title="Recommendations and cities' gaps",
            question=question_of(recommendation_coverage),
            algorithm="match of each gap's resource type (with its broader types, "
            "skos:broader+) against the resource types recommendations address",
            parameters={"gaps": "gap findings and needs with availability 'missing'"},
        ),
        gaps=tuple(gaps),
        recommendations=tuple(recommendations),
    )
