"""City similarity: which cities are alike, in what, and by how much.

A city's profile has four facets, each a bag of SKOS concepts from its cases: the resource
types it **needs** (any availability), its **gaps** (gap findings and needs found missing), the
CCI **sectors** its cases, portfolios and items concern, and the **actor types** of the actors
taking part. A concept also counts for its broader concepts (seed funding is funding too), and
its weight is the number of statements behind it: needs, findings, sector mentions, actors.

Up to ``ALL_PAIRS_UP_TO`` cities every pair is listed. Above, each city keeps its
``NEIGHBOURS`` most similar cities: the pairs, their files and their triples then grow with
the number of cities rather than with its square. The scores of all pairs are still computed,
as matrix products, to find those neighbours.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np

from ekipgraph.analyse.base import DECIMALS, Analysis, Table, question_of, rounded
from ekipgraph.analyse.network import GAPS, NEEDS, SECTOR, Network

FACETS = ("needs", "gaps", "sectors", "actor-types")
#: Every pair is listed up to this many cities (435 pairs) ...
ALL_PAIRS_UP_TO = 30
#: ... and above it each city's this many most similar cities.
NEIGHBOURS = 10
#: Candidates within rounding distance of a city's last neighbour scored exactly, beyond its
#: ``NEIGHBOURS``: the first in the order of the matrix scores, then label.
TIES = 40
#: Rows of the score matrix computed at a time: memory stays at BLOCK × cities floats.
BLOCK = 256

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


#: overall Jaccard, overall cosine and the per-facet scores of two profiles
Comparison = tuple[float, float, tuple[FacetScore, ...]]


def compare(a: Profile, b: Profile) -> Comparison:
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
        graph: nx.Graph[str] = nx.Graph(name="city similarity")
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


def city_similarity(
    network: Network,
    all_pairs_up_to: int = ALL_PAIRS_UP_TO,
    neighbours: int = NEIGHBOURS,
    ties: int = TIES,
) -> SimilarityResult:
    """Which cities resemble each other in what they need, lack, work on and who takes
    part, and which shared items explain it?

    For every pair of cities with cases (or, among many cities, for each city and its most
    similar cities): the Jaccard index (shared items over all items) and the weighted cosine
    similarity (which also weighs how often each item occurs), per facet and overall, with
    the shared items behind each score.
    """
    cities = tuple(network.cities)
    profiles = {city: city_profile(network, city) for city in cities}
    compared: dict[tuple[str, str], Comparison] = {}
    if len(cities) <= all_pairs_up_to:
        chosen = [(a, b) for index, a in enumerate(cities) for b in cities[index + 1 :]]
    else:
        chosen = nearest_pairs(cities, profiles, network.label, neighbours, compared, ties)
    pairs = []
    for first, second in chosen:
        if (first, second) not in compared:
            compared[first, second] = compare(profiles[first], profiles[second])
        overall_jaccard, overall_cosine, facets = compared[first, second]
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
                "pairs": (
                    f"every pair up to {all_pairs_up_to} cities; above, each city with its "
                    f"{neighbours} most similar cities by overall cosine, then Jaccard, then "
                    "label"
                ),
                "tied candidates": (
                    f"of the cities within rounding distance of a city's last neighbour, at "
                    f"most {neighbours + ties} are compared exactly, the first by matrix "
                    "cosine and Jaccard (rounded), then label"
                ),
            },
        ),
        cities=cities,
        profiles=profiles,
        pairs=tuple(pairs),
    )


def unit_facets(
    cities: Sequence[str], profiles: Mapping[str, Profile]
) -> tuple[list[np.ndarray], np.ndarray]:
    """Per facet, a matrix of the cities' weight vectors scaled to unit length (a row of zeros
    for a city without that facet), and per city the number of facets it has."""
    units = []
    present = np.zeros(len(cities))
    for facet in FACETS:
        items = sorted({item for city in cities for item in profiles[city].get(facet, {})})
        if not items:
            continue
        column = {item: index for index, item in enumerate(items)}
        weights = np.zeros((len(cities), len(items)))
        for row, city in enumerate(cities):
            for item, weight in profiles[city].get(facet, {}).items():
                weights[row, column[item]] = weight
        norms = np.linalg.norm(weights, axis=1)[:, None]
        present += norms[:, 0] > 0
        units.append(np.divide(weights, norms, out=np.zeros_like(weights), where=norms > 0))
    return units, present


def overall_cosines(units: list[np.ndarray], present: np.ndarray, rows: slice) -> np.ndarray:
    """The overall cosine of the cities in ``rows`` with every city, as ``compare`` computes
    it but as matrix products: ``Σ cos_f / √(n_a·n_b)`` over the facets."""
    total = sum(
        (unit[rows] @ unit.T for unit in units), np.zeros((len(present[rows]), len(present)))
    )
    scale = np.sqrt(np.outer(present[rows], present))
    return np.divide(total, scale, out=np.zeros_like(total), where=scale > 0)


def tagged_items(cities: Sequence[str], profiles: Mapping[str, Profile]) -> np.ndarray:
    """A 0/1 matrix of the cities' facet-tagged items (talent as a gap is not talent as a
    need), the sets the overall Jaccard compares."""
    items = sorted(
        {
            (facet, item)
            for city in cities
            for facet in FACETS
            for item in profiles[city].get(facet, {})
        }
    )
    column = {item: index for index, item in enumerate(items)}
    tagged = np.zeros((len(cities), len(items)))
    for row, city in enumerate(cities):
        for facet in FACETS:
            for item in profiles[city].get(facet, {}):
                tagged[row, column[facet, item]] = 1.0
    return tagged


def overall_jaccards(tagged: np.ndarray, sizes: np.ndarray, rows: slice) -> np.ndarray:
    """The overall Jaccard of the cities in ``rows`` with every city. Shared and total item
    counts are whole numbers, exact in floats, so each quotient is the one ``compare``
    divides."""
    shared = tagged[rows] @ tagged.T
    union = sizes[rows][:, None] + sizes[None, :] - shared
    return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)


def _profile_key(profile: Profile) -> tuple:
    return tuple(tuple(sorted(profile.get(facet, {}).items())) for facet in FACETS)


def nearest_pairs(
    cities: Sequence[str],
    profiles: Mapping[str, Profile],
    label: Callable[[str], str],
    neighbours: int,
    compared: dict[tuple[str, str], Comparison] | None = None,
    ties: int = TIES,
) -> list[tuple[str, str]]:
    """Each city paired with its ``neighbours`` most similar cities (sharing something),
    ranked as the result is: rounded cosine, rounded Jaccard, then label.

    The matrix scores only pick candidates: the cities within rounding distance of the last
    place are scored again exactly by ``compare``, so ties and rounding decide as they would
    had every pair been compared. Of those candidates at most ``neighbours + ties`` are
    scored again, the first in the order of the matrix scores (cosine and Jaccard rounded),
    then label and IRI: the result is the one comparing every pair would give whenever no
    more candidates than that lie within rounding distance, and otherwise too unless the
    matrix cosine of a dropped one rounds the other way. Cities with identical profiles are
    compared once. The comparisons are kept in ``compared`` (by the pair in the order of
    ``cities``), so the chosen pairs are not compared again."""
    exact = {} if compared is None else compared
    keys = [_profile_key(profiles[city]) for city in cities]
    by_profiles: dict[tuple[tuple, tuple], Comparison] = {}

    def score(a: int, b: int) -> tuple[float, float]:
        first, second = (a, b) if a < b else (b, a)
        pair = (cities[first], cities[second])
        if pair not in exact:
            profile_pair = (keys[first], keys[second])
            if profile_pair not in by_profiles:
                by_profiles[profile_pair] = compare(profiles[pair[0]], profiles[pair[1]])
            exact[pair] = by_profiles[profile_pair]
        return exact[pair][:2]

    order = sorted(
        range(len(cities)), key=lambda position: (label(cities[position]), cities[position])
    )
    label_rank = np.empty(len(cities), dtype=np.int64)
    label_rank[order] = np.arange(len(cities))
    kept = neighbours + ties
    chosen: set[tuple[int, int]] = set()
    margin = 2 * 10.0**-DECIMALS
    units, present = unit_facets(cities, profiles)
    tagged = tagged_items(cities, profiles)
    sizes = tagged.sum(axis=1)
    for start in range(0, len(cities), BLOCK):
        rows = slice(start, start + BLOCK)
        block = overall_cosines(units, present, rows)
        jaccards = overall_jaccards(tagged, sizes, rows)
        for offset, scores in enumerate(block):
            city = start + offset
            scores[city] = -1.0  # not its own neighbour
            if neighbours < len(scores):
                last = np.partition(scores, -neighbours)[-neighbours]
            else:
                last = scores.min()
            candidates = np.flatnonzero((scores >= last - margin) & (scores > 0))
            if len(candidates) > kept:
                first = np.lexsort(
                    (
                        label_rank[candidates],
                        -np.round(jaccards[offset, candidates], DECIMALS),
                        -np.round(scores[candidates], DECIMALS),
                    )
                )
                candidates = candidates[first[:kept]]
            ranked = sorted(
                candidates.tolist(),
                key=lambda other: (
                    *(-rounded(value) for value in reversed(score(city, other))),
                    label_rank[other],
                ),
            )
            for other in ranked[:neighbours]:
                if score(city, other)[1] > 0:
                    chosen.add((city, other) if city < other else (other, city))
    return [(cities[a], cities[b]) for a, b in sorted(chosen)]
