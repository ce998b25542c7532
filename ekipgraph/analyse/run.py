"""Running every pattern analysis on one store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from ekipgraph import __version__
from ekipgraph.analyse.actors import (
    BridgingActors,
    LinkingActors,
    actors_linking_policy_areas,
    bridging_actors,
)
from ekipgraph.analyse.base import Result, Table
from ekipgraph.analyse.communities import Communities, communities
from ekipgraph.analyse.cooccurrence import Cooccurrence, area_sector_cooccurrence
from ekipgraph.analyse.coverage import Coverage, recommendation_coverage
from ekipgraph.analyse.gaps import (
    ResourceCentrality,
    SharedGaps,
    resource_type_centrality,
    shared_gaps,
)
from ekipgraph.analyse.network import Network, read_network
from ekipgraph.analyse.similarity import SimilarityResult, city_similarity
from ekipgraph.library import QueryLibrary
from ekipgraph.store import Store

#: Told the name of each step as it starts (a progress bar, say).
OnStep = Callable[[str], None]
#: The steps of ``run_patterns``, in order.
ANALYSIS_STEPS = (
    "reading the network",
    "bridging actors",
    "city similarity",
    "shared gaps",
    "resource-type centrality",
    "actors linking policy areas",
    "communities",
    "recommendation coverage",
    "co-occurrence",
    "tables",
)


def ignore_step(_: str) -> None:
    pass


@dataclass(frozen=True)
class PatternsResult:
    network: Network
    similarity: SimilarityResult
    shared_gaps: SharedGaps
    centrality: ResourceCentrality
    bridging: BridgingActors
    linking: LinkingActors
    communities: Communities
    coverage: Coverage
    cooccurrence: Cooccurrence
    version: str = __version__

    @property
    def results(self) -> tuple[Result, ...]:
        """Every analysis, in the order of the report."""
        return (
            self.similarity,
            self.shared_gaps,
            self.centrality,
            self.bridging,
            self.linking,
            self.communities,
            self.coverage,
            self.cooccurrence,
        )

    @cached_property
    def _tables(self) -> dict[str, list[Table]]:
        return {item.analysis.name: item.tables(self.network) for item in self.results}

    def tables_of(self, item: Result) -> list[Table]:
        """The tables of one analysis, computed once for the report, the files and the
        manifest."""
        return self._tables[item.analysis.name]

    @property
    def generated_at(self) -> datetime | None:
        """The newest case graph's recording time: fixed by the input, not by the clock."""
        return self.network.recorded


def analyse_network(network: Network, on_step: OnStep = ignore_step) -> PatternsResult:
    """Run every analysis once on ``network``; ``on_step`` hears of each step."""
    steps = iter(ANALYSIS_STEPS[1:])

    def step():
        on_step(next(steps))

    step()
    bridging = bridging_actors(network)
    step()
    similarity = city_similarity(network)
    step()
    gaps = shared_gaps(network)
    step()
    centrality = resource_type_centrality(network)
    step()
    linking = actors_linking_policy_areas(network, bridging.betweenness)
    step()
    found = communities(network)
    step()
    coverage = recommendation_coverage(network)
    step()
    cooccurrence = area_sector_cooccurrence(network)
    result = PatternsResult(
        network=network,
        similarity=similarity,
        shared_gaps=gaps,
        centrality=centrality,
        bridging=bridging,
        linking=linking,
        communities=found,
        coverage=coverage,
        cooccurrence=cooccurrence,
    )
    step()
    for item in result.results:  # every table now, so that reporting and writing only read
        result.tables_of(item)
    return result


def run_patterns(
    store: Store, library: QueryLibrary | None = None, on_step: OnStep = ignore_step
) -> PatternsResult:
    """Read the cross-city network from ``store`` and run every analysis on it."""
    on_step(ANALYSIS_STEPS[0])
    return analyse_network(read_network(store, library), on_step)
