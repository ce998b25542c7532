"""City similarity: which cities are alike, in what, and by how much.

A city's profile has four facets, each a bag of SKOS concepts from its cases: the resource
types it **needs** (any availability), its **gaps** (gap findings and needs found missing), the
CCI **sectors** its cases, portfolios and items concern, and the **actor types** of the actors
taking part. A concept also counts for its broader concepts (seed funding is funding too), and
its weight is the number of statements behind it: needs, findings, sector mentions, actors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from ekipgraph.analyse.base import Analysis, Table, question_of, rounded
from ekipgraph.analyse.network import GAPS, NEEDS, SECTOR, Network

FACETS = ("needs", "gaps", "sectors", "actor-types")

#: facet -> concept -> weight
Profile = Mapping[str, Mapping[str, int]]


def city_profile(network: Network, city: str) -> dict[str, dict[str, int]]:
    """The four facets of one city, concepts counted with their broader concepts."""
    named = {
        "needs": network.city_concepts(city, NEEDS),
        "gaps": network.city_concepts(city, GAPS),
        "sectors": network.city_concepts(city, [SECTOR]),
        "actor-types": network.city_actor_types(city),
    }
    return {
        facet: {item: len(vias) for item, vias in sorted(network.roll_up(named[facet]).items())}
        for facet in FACETS
    }


def jaccard(a: Mapping[str, int], b: Mapping[str, int]) -> float:
    """Shared items over all items; 0 when both are empty."""
    union = a.keys() | b.keys()
    return len(a.keys() & b.keys()) / len(union) if union else 0.0


def cosine(a: Mapping[str, int], b: Mapping[str, int]) -> float:
    """The cosine of the two weight vectors; 0 when either is empty."""
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    if not norm:
        return 0.0
    dot = sum(a[item] * b[item] for item in a.keys() & b.keys())
    return min(1.0, dot / norm)  # never above 1 through rounding


@dataclass(frozen=True)
class SharedItem:
    facet: str
    item: str
    weight_a: int
    weight_b: int


@dataclass(frozen=True)
class FacetScore:
    facet: str
    jaccard: float
    cosine: float
    shared: tuple[SharedItem, ...]


@dataclass(frozen=True)
class CitySimilarity:
    city_a: str
    city_b: str
    jaccard: float
    cosine: float
    facets: tuple[FacetScore, ...]

    @property
    def shared(self) -> tuple[SharedItem, ...]:
        return tuple(item for facet in self.facets for item in facet.shared)

    def facet(self, name: str) -> FacetScore:
        return next(score for score in self.facets if score.facet == name)


def compare(a: Profile, b: Profile) -> tuple[float, float, tuple[FacetScore, ...]]:
    """Overall Jaccard, overall cosine and the per-facet scores of two profiles.

    The overall Jaccard compares the facet-tagged items (talent as a gap is not talent as a
    need). The overall cosine first scales each facet to unit length, so that a long list of
    actors does not outweigh a few gaps: it is ``Σ cos_f / √(n_a·n_b)`` with ``n`` the
    number of non-empty facets, the mean of the facet cosines when both have all four.
    """
    facets = []
    for facet in FACETS:
        fa, fb = a.get(facet, {}), b.get(facet, {})
        shared = sorted(
            (SharedItem(facet, item, fa[item], fb[item]) for item in fa.keys() & fb.keys()),
            key=lambda s: (-s.weight_a * s.weight_b, s.item),
        )
        facets.append(FacetScore(facet, jaccard(fa, fb), cosine(fa, fb), tuple(shared)))
    tagged_a = {(f, item) for f in FACETS for item in a.get(f, {})}
    tagged_b = {(f, item) for f in FACETS for item in b.get(f, {})}
    union = tagged_a | tagged_b
    overall_jaccard = len(tagged_a & tagged_b) / len(union) if union else 0.0
    present = math.sqrt(sum(1 for f in FACETS if a.get(f)) * sum(1 for f in FACETS if b.get(f)))
    overall_cosine = min(1.0, sum(s.cosine for s in facets) / present) if present else 0.0
    return overall_jaccard, overall_cosine, tuple(facets)


@dataclass(frozen=True)
class SimilarityResult:
    analysis: Analysis
    cities: tuple[str, ...]
    profiles: Mapping[str, Profile]
    pairs: tuple[CitySimilarity, ...]

    def pair(self, first: str, second: str) -> CitySimilarity:
        return next(p for p in self.pairs if {p.city_a, p.city_b} == {first, second})

    def graph(self, network: Network) -> nx.Graph:
        """Cities linked where they share anything, with both scores and what they share."""
        graph = nx.Graph(name="city similarity")
        for city in sorted(self.cities):
            graph.add_node(city, kind="city", label=network.label(city))
        for pair in sorted(self.pairs, key=lambda p: (p.city_a, p.city_b)):
            if pair.jaccard > 0:
                graph.add_edge(
                    pair.city_a,
                    pair.city_b,
                    jaccard=rounded(pair.jaccard),
                    cosine=rounded(pair.cosine),
                    shared="; ".join(shared_names(network, pair)),
                )
        return graph

    def tables(self, network: Network) -> list[Table]:
        columns = ["city_a", "city_b", "cosine", "jaccard"]
        for facet in FACETS:
            columns += [f"{facet.replace('-', '_')}_{score}" for score in ("cosine", "jaccard")]
        rows = []
        for pair in self.pairs:
            row: list = [network.label(pair.city_a), network.label(pair.city_b)]
            row += [rounded(pair.cosine), rounded(pair.jaccard)]
            for score in pair.facets:
                row += [rounded(score.cosine), rounded(score.jaccard)]
            rows.append((*row, shared_names(network, pair)))
        profile_rows = tuple(
            (network.label(city), facet, network.label(item), item, weight)
            for city in self.cities
            for facet in FACETS
            for item, weight in sorted(
                self.profiles[city][facet].items(),
                key=lambda entry: (-entry[1], network.label(entry[0])),
            )
        )
        return [
            Table(
                "city-similarity",
                "City similarity",
                (*columns, "shared"),
                tuple(rows),
                brief=("city_a", "city_b", "cosine", "jaccard", "shared"),
            ),
            Table(
                "city-profiles",
                "City profiles (what the similarity compares)",
                ("city", "facet", "item", "iri", "weight"),
                profile_rows,
                in_report=False,
            ),
        ]


def shared_names(network: Network, pair: CitySimilarity) -> tuple[str, ...]:
    """What two cities share, e.g. ``Talent (gaps)``, strongest first within each facet."""
    return tuple(f"{network.label(s.item)} ({s.facet})" for s in pair.shared)


def city_similarity(network: Network) -> SimilarityResult:
    """Which cities resemble each other in what they need, lack, work on and who takes
    part, and which shared items explain it?

    For every pair of cities with cases: the Jaccard index (shared items over all items) and
    the weighted cosine similarity (which also weighs how often each item occurs), per facet
    and overall, with the shared items behind each score.
    """
    cities = tuple(network.cities)
    profiles = {city: city_profile(network, city) for city in cities}
    pairs = []
    for index, first in enumerate(cities):
        for second in cities[index + 1 :]:
            overall_jaccard, overall_cosine, facets = compare(profiles[first], profiles[second])
            pairs.append(CitySimilarity(first, second, overall_jaccard, overall_cosine, facets))
    label = network.label
    pairs.sort(
        key=lambda p: (-rounded(p.cosine), -rounded(p.jaccard), label(p.city_a), label(p.city_b))
    )
    return SimilarityResult(
        analysis=Analysis(
            name="city-similarity",
            title="City similarity",
            question=question_of(city_similarity),
            algorithm=(
                "Jaccard index and weighted cosine similarity per facet over SKOS concepts "
                "counted with their broader concepts; overall Jaccard over facet-tagged items, "
                "overall cosine over unit-length facet vectors"
            ),
            parameters={
                "facets": ", ".join(FACETS),
                "broader concepts": "skos:broader+ (a concept also counts for its ancestors)",
                "weight": "number of statements: needs, findings, sector mentions, actors",
                "gaps": "gap findings and needs with availability 'missing'",
            },
        ),
        cities=cities,
        profiles=profiles,
        pairs=tuple(pairs),
    )
