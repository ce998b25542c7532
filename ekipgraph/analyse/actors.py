"""Bridging actors and the actors that link policy areas."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from ekipgraph.analyse import centrality
from ekipgraph.analyse.base import Analysis, Table, question_of, rounded
from ekipgraph.analyse.network import POLICY_AREA, Network, actor_graph, case_actors

MIN_POLICY_AREAS = 2


@dataclass(frozen=True)
class ActorReach:
    actor: str
    betweenness: float
    cases: tuple[str, ...]
    cities: tuple[str, ...]
    policy_areas: tuple[str, ...]


def actor_reach(network: Network, betweenness: Mapping[str, float]) -> list[ActorReach]:
    """Every actor in a case, with its cases and the cities and policy areas they cover."""
    cases_of: dict[str, set[str]] = defaultdict(set)
    for case, actors in case_actors(network).items():
        for actor in actors:
            cases_of[actor].add(case)
    return [
        ActorReach(
            actor=actor,
            betweenness=betweenness.get(actor, 0.0),
            cases=tuple(network.by_label(cases)),
            cities=tuple(network.by_label(network.city_of_case[case] for case in cases)),
            policy_areas=tuple(
                network.by_label(
                    area for case in cases for area in network.targets(case, [POLICY_AREA])
                )
            ),
        )
        for actor, cases in cases_of.items()
    ]


def _reach_rows(network: Network, actors: tuple[ActorReach, ...]) -> tuple[tuple, ...]:
    return tuple(
        (
            network.label(a.actor),
            a.actor,
            rounded(a.betweenness),
            len(a.cases),
            network.labels(a.cities),
            network.labels(a.policy_areas),
        )
        for a in actors
    )


_COLUMNS = ("actor", "iri", "betweenness", "cases", "cities", "policy_areas")


@dataclass(frozen=True)
class BridgingActors:
    analysis: Analysis
    actors: tuple[ActorReach, ...]  # betweenness above zero, strongest first
    betweenness: Mapping[str, float]  # every actor in the actor graph

    def tables(self, network: Network) -> list[Table]:
        return [
            Table(
                "bridging-actors",
                "Bridging actors",
                _COLUMNS,
                _reach_rows(network, self.actors),
                brief=("actor", "betweenness", "cases", "cities", "policy_areas"),
            )
        ]


def bridging_actors(network: Network) -> BridgingActors:
    """Which actors connect groups of actors that would otherwise not meet?

    On the graph of actors linked when they take part in the same case: the normalised
    betweenness centrality, the share of shortest paths between other actors that run through
    the actor. Only actors above zero are listed, with the cities and policy areas they span.
    """
    betweenness, parameters = centrality.betweenness(actor_graph(network))
    reach = [a for a in actor_reach(network, betweenness) if rounded(a.betweenness) > 0]
    reach.sort(key=lambda a: (-rounded(a.betweenness), network.label(a.actor), a.actor))
    return BridgingActors(
        analysis=Analysis(
            name="bridging-actors",
            title="Bridging actors",
            question=question_of(bridging_actors),
            algorithm="networkx betweenness_centrality (Brandes) on the actor graph "
            "(actors linked by shared cases)",
            parameters=parameters,
        ),
        actors=tuple(reach),
        betweenness=dict(sorted(betweenness.items())),
    )


@dataclass(frozen=True)
class LinkingActors:
    analysis: Analysis
    actors: tuple[ActorReach, ...]

    def tables(self, network: Network) -> list[Table]:
        return [
            Table(
                "actors-linking-policy-areas",
                "Actors linking policy areas",
                _COLUMNS,
                _reach_rows(network, self.actors),
                brief=("actor", "policy_areas", "cities", "cases"),
            )
        ]


def actors_linking_policy_areas(
    network: Network, betweenness: Mapping[str, float] | None = None
) -> LinkingActors:
    """Which actors take part in cases of more than one policy area?

    These actors carry experience from one policy area to another; listed by the number of
    policy areas, then of cases.
    """
    reach = [
        a
        for a in actor_reach(network, betweenness or {})
        if len(a.policy_areas) >= MIN_POLICY_AREAS
    ]
    reach.sort(key=lambda a: (-len(a.policy_areas), -len(a.cases), network.label(a.actor)))
    return LinkingActors(
        analysis=Analysis(
            name="actors-linking-policy-areas",
            title="Actors linking policy areas",
            question=question_of(actors_linking_policy_areas),
            algorithm="policy areas of the cases each actor takes part in",
            parameters={"minimum policy areas": MIN_POLICY_AREAS},
        ),
        actors=tuple(reach),
    )
