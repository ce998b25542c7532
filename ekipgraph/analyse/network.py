"""The cross-city network, read from the store with the library's ``network-*`` queries.

Four SELECT queries give everything the analyses use: the nodes with their kinds and labels,
the typed links (one row per link and per statement behind it, the ``via``), the broader
concepts of every concept, and the case graphs with the time each was recorded. The
networkx graphs and the per-city profiles are built from these rows only, never by walking
triples, so every analysis runs the same on Oxigraph, rdflib or a remote endpoint.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, wraps
from typing import NamedTuple, TypeVar

import networkx as nx

from ekipgraph import oxresults
from ekipgraph.library import QueryLibrary
from ekipgraph.namespaces import ID_BASE, VOCAB_BASE
from ekipgraph.project import default_layout
from ekipgraph.store import EmbeddedStore, Store

XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
T = TypeVar("T")

#: Node kinds, in the order they are listed.
KINDS = (
    "city",
    "case",
    "policy-area",
    "sector",
    "actor",
    "actor-type",
    "resource-type",
    "recommendation",
)

# Relation names, as the network-edges query binds them.
ABOUT_CITY = "about-city"
POLICY_AREA = "policy-area"
SECTOR = "sector"
INVOLVES = "involves"
PROVIDER = "potential-provider"
NEED_MISSING = "need-missing"
NEEDS = ("need", "need-available", "need-partial", NEED_MISSING)
GAP = "gap"
STRENGTH = "strength"
TESTS = "tests"
EXPECTS_STIMULUS = "expects-stimulus-from"
ADDRESSES = "addresses"
ACTOR_TYPE = "actor-type"

#: A support gap is a gap finding or a needed resource found missing locally (as in the
#: library's shared-gaps and support-gaps-per-city queries).
GAPS = (GAP, NEED_MISSING)
#: An actor takes part in a case through an involvement (case, portfolio or item) or as a
#: potential provider of a needed resource.
ACTORS = (INVOLVES, PROVIDER)
#: A case considers a recommendation when it tests it or expects it to stimulate something.
CONSIDERS = (TESTS, EXPECTS_STIMULUS)
#: Everything through which a case names a resource type.
RESOURCES = (*NEEDS, GAP, STRENGTH)

_TARGET_KIND = {
    ABOUT_CITY: "city",
    POLICY_AREA: "policy-area",
    SECTOR: "sector",
    INVOLVES: "actor",
    PROVIDER: "actor",
    GAP: "resource-type",
    STRENGTH: "resource-type",
    ADDRESSES: "resource-type",
    TESTS: "recommendation",
    EXPECTS_STIMULUS: "recommendation",
    ACTOR_TYPE: "actor-type",
    **dict.fromkeys(NEEDS, "resource-type"),
}


@dataclass(frozen=True)
class Node:
    iri: str
    kind: str
    label: str


class Link(NamedTuple):
    """``source`` is tied to ``target`` by ``relation``, as stated by ``via``.

    A named tuple: sorting and hashing a hundred thousand links stays in C."""

    source: str
    relation: str
    target: str
    via: str


class Value(NamedTuple):
    """One bound value of a result row: its text, and for a literal its language or type."""

    text: str
    language: str | None = None
    datatype: str | None = None


@dataclass(frozen=True)
class CaseGraph:
    graph: str
    case: str
    recorded: datetime | None


def local_key(iri: str) -> str:
    """``city/lund`` for an ekip instance, ``resource-type/talent`` for a concept."""
    for base in (ID_BASE, VOCAB_BASE):
        if iri.startswith(base):
            return iri[len(base) :]
    return iri


@dataclass(frozen=True)
class Network:
    """What the network queries returned; all lookups the analyses need."""

    nodes: Mapping[str, Node]
    links: tuple[Link, ...]
    ancestors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    case_graphs: tuple[CaseGraph, ...] = ()
    #: the derived graphs, built once however many analyses use them
    _memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def memo(self, key: str, build: Callable[[], object]) -> object:
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def label(self, iri: str) -> str:
        node = self.nodes.get(iri)
        return node.label if node else local_key(iri)

    def labels(self, iris: Iterable[str]) -> tuple[str, ...]:
        """Labels in reading order (sorted by label, then IRI)."""
        return tuple(self.label(iri) for iri in self.by_label(iris))

    def by_label(self, iris: Iterable[str]) -> list[str]:
        return sorted(set(iris), key=lambda iri: (self.label(iri).casefold(), iri))

    def kind(self, iri: str) -> str:
        return self.nodes[iri].kind

    def of_kind(self, kind: str) -> list[str]:
        return self.by_label(iri for iri, node in self.nodes.items() if node.kind == kind)

    @cached_property
    def _by_source(self) -> dict[str, list[Link]]:
        grouped: dict[str, list[Link]] = defaultdict(list)
        for link in self.links:
            grouped[link.source].append(link)
        return grouped

    def vias(self, source: str, relations: Iterable[str]) -> dict[str, set[str]]:
        """The targets ``source`` links to by these relations, with the statements behind each."""
        wanted = set(relations)
        found: dict[str, set[str]] = defaultdict(set)
        for link in self._by_source.get(source, ()):
            if link.relation in wanted:
                found[link.target].add(link.via)
        return dict(found)

    def targets(self, source: str, relations: Iterable[str]) -> set[str]:
        return set(self.vias(source, relations))

    @cached_property
    def city_of_case(self) -> dict[str, str]:
        # A case has one city; should the data give two, the first by IRI wins, consistently.
        return {
            link.source: link.target
            for link in sorted(self.links, reverse=True)
            if link.relation == ABOUT_CITY
        }

    @cached_property
    def cases_of_city(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = defaultdict(list)
        for case, city in sorted(self.city_of_case.items()):
            grouped[city].append(case)
        return dict(grouped)

    @property
    def cities(self) -> list[str]:
        """Cities with at least one case: the ones there is something to compare about."""
        return self.by_label(self.cases_of_city)

    def with_broader(self, concept: str) -> tuple[str, ...]:
        return (concept, *self.ancestors.get(concept, ()))

    def city_concepts(self, city: str, relations: Iterable[str]) -> dict[str, set[str]]:
        """The concepts a city's cases name by these relations, each with the statements
        (needs, findings, portfolios, …) that name it."""
        relations = tuple(relations)
        found: dict[str, set[str]] = defaultdict(set)
        for case in self.cases_of_city.get(city, ()):
            for target, vias in self.vias(case, relations).items():
                found[target] |= vias
        return dict(found)

    def city_actors(self, city: str) -> dict[str, set[str]]:
        """The actors taking part in a city's cases, each with those cases."""
        found: dict[str, set[str]] = defaultdict(set)
        for case in self.cases_of_city.get(city, ()):
            for actor in self.targets(case, ACTORS):
                found[actor].add(case)
        return dict(found)

    def city_actor_types(self, city: str) -> dict[str, set[str]]:
        """The actor types in a city's cases, each with the actors of that type."""
        found: dict[str, set[str]] = defaultdict(set)
        for actor in self.city_actors(city):
            for actor_type in self.targets(actor, [ACTOR_TYPE]):
                found[actor_type].add(actor)
        return dict(found)

    def roll_up(self, named: Mapping[str, set[str]]) -> dict[str, set[str]]:
        """Count each named concept for its broader concepts too, so that "seed funding"
        and "project funding" meet at "funding"; a statement counts once per concept."""
        rolled: dict[str, set[str]] = defaultdict(set)
        for concept, vias in named.items():
            for item in self.with_broader(concept):
                rolled[item] |= vias
        return dict(rolled)

    @property
    def recorded(self) -> datetime | None:
        """The newest recording time of the case graphs: the results' fixed date."""
        times = [graph.recorded for graph in self.case_graphs if graph.recorded]
        return max(times) if times else None

    def count(self, kind: str) -> int:
        return sum(1 for node in self.nodes.values() if node.kind == kind)


def _time(value: Value | None) -> datetime | None:
    if value is None or value.datatype != XSD_DATETIME:
        return None
    try:
        parsed = datetime.fromisoformat(value.text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _best_label(labels: list[Value]) -> str | None:
    # English first, then language-neutral, then any other language (a French-only name);
    # ties broken by language and text so the choice is stable.
    ranked = sorted(
        labels,
        key=lambda v: (v.language != "en", bool(v.language), v.language or "", v.text),
    )
    return ranked[0].text if ranked else None


def _json_value(value: dict) -> Value:
    if value["type"] == "literal":
        return Value(value["value"], value.get("xml:lang"), value.get("datatype"))
    return Value(value["value"])


def select_values(store: Store, sparql: str) -> list[dict[str, Value]]:
    """The rows of a SELECT query as plain values: no rdflib terms, and on the embedded
    store no JSON either, so reading a network of a million quads takes seconds."""
    if isinstance(store, EmbeddedStore):
        import pyoxigraph as ox

        solutions = oxresults.solutions(store.store.query(sparql, use_default_graph_as_union=True))
        names = [variable.value for variable in solutions.variables]
        literal = ox.Literal
        rows = []
        for solution in solutions:
            row = {}
            # a solution iterates its terms in the order of the variables: no lookups by name
            for name, term in zip(names, solution, strict=True):
                if term is None:
                    continue
                if type(term) is literal:
                    row[name] = Value(term.value, term.language, term.datatype.value)
                else:
                    row[name] = Value(term.value)
            rows.append(row)
        return rows
    outcome = store.query(sparql)
    bindings = json.loads(outcome.payload)["results"]["bindings"]
    return [{name: _json_value(value) for name, value in row.items()} for row in bindings]


#: One value of a tab-separated result that is its own text between two delimiters: an IRI,
#: or a string without escapes, language or datatype; or nothing (unbound).
_PLAIN_TSV_VALUE = r'(?:<[^<>"{}|^`\\\t\n]*>|"[^"\\\t\n]*"|)'


def _tsv_texts(store: EmbeddedStore, sparql: str) -> list[tuple[str | None, ...]] | None:
    """The texts of the rows, read from Oxigraph's tab-separated results: each value is
    written by the engine and cut out of the line, not made into a Python term first.
    ``None`` when a value is not an IRI or a plain string (those need decoding)."""
    import pyoxigraph as ox

    solutions = oxresults.solutions(store.store.query(sparql, use_default_graph_as_union=True))
    width = len(solutions.variables)
    text = oxresults.serialized(solutions.serialize(format=ox.QueryResultsFormat.TSV)).decode()
    lines = text.split("\n")[1:]  # the header names the variables
    if lines and not lines[-1]:
        lines.pop()
    line = re.compile("\t".join([_PLAIN_TSV_VALUE] * width))
    if width == 0 or not all(map(line.fullmatch, lines)):
        return None
    return [tuple(field[1:-1] if field else None for field in row.split("\t")) for row in lines]


def select_texts(store: Store, sparql: str) -> list[tuple[str | None, ...]]:
    """The rows of a SELECT query as the texts of their values, in the order of the query's
    variables (``None`` when unbound), for rows of IRIs and strings whose language or type
    does not matter: the links, say, hundreds of thousands of them."""
    if isinstance(store, EmbeddedStore):
        rows = _tsv_texts(store, sparql)
        if rows is not None:
            return rows
        solutions = oxresults.solutions(store.store.query(sparql, use_default_graph_as_union=True))
        return [tuple(None if term is None else term.value for term in row) for row in solutions]
    outcome = json.loads(store.query(sparql).payload)
    names = outcome["head"]["vars"]
    return [
        tuple(row[name]["value"] if name in row else None for name in names)
        for row in outcome["results"]["bindings"]
    ]


def _sorted_links(rows: Iterable[tuple[str | None, ...]]) -> tuple[Link, ...]:
    """The distinct links, sorted. Each is sorted as one string, its fields joined by NUL
    (below every other character, so the order is the tuples' order): a comparison of two
    strings rather than of two tuples, and sorting 280,000 links takes a third of the time.
    """
    rows = set(rows)
    joined = ["\0".join(row) for row in rows]  # type: ignore[arg-type]  # IRIs, no None
    fields = [key.split("\0") for key in sorted(joined)]
    if any(len(parts) != len(Link._fields) for parts in fields):  # a NUL inside a value
        return tuple(sorted(map(Link._make, rows)))
    return tuple(map(Link._make, fields))


def read_network(store: Store, library: QueryLibrary | None = None) -> Network:
    """Run the network queries on ``store`` and collect their rows."""
    library = library or QueryLibrary(default_layout().queries_dir)

    def rows(name: str) -> list[dict[str, Value]]:
        return library_rows(store, library, name)

    def texts(name: str) -> list[tuple[str | None, ...]]:
        return select_texts(store, library.get(name).bind())

    kinds: dict[str, str] = {}
    labels: dict[str, list[Value]] = defaultdict(list)
    rank = {kind: index for index, kind in enumerate(KINDS)}
    for row in rows("network-nodes"):
        iri = row["node"].text
        kind = row["kind"].text
        if iri not in kinds or rank[kind] < rank[kinds[iri]]:
            kinds[iri] = kind
        if "label" in row:
            labels[iri].append(row["label"])
    # the query's variables are the fields of a link, in their order
    links = _sorted_links(texts("network-edges"))
    # A link may point at something the nodes query does not type (a concept outside the
    # vocabularies, say): it still takes part, with the kind its relation implies.
    for link in links:
        kinds.setdefault(link.target, _TARGET_KIND.get(link.relation, "other"))
        kinds.setdefault(link.source, "actor" if link.relation == ACTOR_TYPE else "case")
    nodes = {
        iri: Node(iri, kind, _best_label(labels.get(iri, [])) or local_key(iri))
        for iri, kind in sorted(kinds.items())
    }
    ancestors: dict[str, list[str]] = defaultdict(list)
    for concept, ancestor in texts("network-concept-ancestors"):
        if concept is not None and ancestor is not None:  # both bound by the query
            ancestors[concept].append(ancestor)
    case_graphs = tuple(
        CaseGraph(r["graph"].text, r["case"].text, _time(r.get("recorded")))
        for r in rows("network-case-graphs")
    )
    return Network(
        nodes=nodes,
        links=links,
        ancestors={concept: tuple(sorted(set(up))) for concept, up in sorted(ancestors.items())},
        case_graphs=case_graphs,
    )


def library_rows(store: Store, library: QueryLibrary, name: str) -> list[dict[str, Value]]:
    return select_values(store, library.get(name).bind())


# --- graphs -------------------------------------------------------------------------------


def _built_once(build: Callable[[Network], T]) -> Callable[[Network], T]:
    """Build a derived graph once per network: several analyses and the export share it, so
    callers must not change what they get (copy it first)."""

    @wraps(build)
    def once(network: Network) -> T:
        return network.memo(build.__name__, lambda: build(network))  # type: ignore[return-value]

    return once


def _add_nodes(graph: nx.Graph, network: Network, iris: Iterable[str]) -> None:
    # Sorted insertion: networkx keeps it, so files and seeded algorithms are reproducible.
    for iri in sorted(iris):
        node = network.nodes[iri]
        graph.add_node(iri, kind=node.kind, label=node.label)


@_built_once
def typed_graph(network: Network) -> nx.Graph:
    """The multi-partite graph of cities, cases, policy areas, sectors, actors, actor types,
    resource types and recommendations; an edge's ``relation`` joins all relations between
    its two ends and ``weight`` counts the statements behind them."""
    relations: dict[tuple[str, str], set[str]] = defaultdict(set)
    vias: dict[tuple[str, str], set[str]] = defaultdict(set)
    for link in network.links:
        key = (link.source, link.target)
        relations[key].add(link.relation)
        vias[key].add(link.via)
    graph: nx.Graph[str] = nx.Graph(name="ekip cross-city network")
    _add_nodes(graph, network, network.nodes)
    for key in sorted(relations):
        graph.add_edge(*key, relation=" ".join(sorted(relations[key])), weight=len(vias[key]))
    return graph


@_built_once
def city_actor_graph(network: Network) -> nx.Graph:
    """Cities and the actors in their cases; ``weight`` = the city's cases with the actor."""
    graph: nx.Graph[str] = nx.Graph(name="cities and actors")
    edges = {
        (city, actor): len(cases)
        for city in network.cities
        for actor, cases in network.city_actors(city).items()
    }
    _add_nodes(graph, network, {end for edge in edges for end in edge})
    for (city, actor), weight in sorted(edges.items()):
        graph.add_edge(city, actor, weight=weight)
    return graph


@_built_once
def case_actors(network: Network) -> dict[str, set[str]]:
    """Each case with the actors taking part in it."""
    return {
        case: network.targets(case, ACTORS)
        for case in sorted(network.city_of_case)
        if network.targets(case, ACTORS)
    }


@_built_once
def actor_graph(network: Network) -> nx.Graph:
    """Actors linked when they take part in the same case; ``weight`` = shared cases."""
    shared: dict[tuple[str, str], int] = defaultdict(int)
    members = case_actors(network)
    for actors in members.values():
        ordered = sorted(actors)
        for index, first in enumerate(ordered):
            for second in ordered[index + 1 :]:
                shared[(first, second)] += 1
    graph: nx.Graph[str] = nx.Graph(name="actors by shared cases")
    _add_nodes(graph, network, set().union(*members.values()) if members else set())
    for (first, second), weight in sorted(shared.items()):
        graph.add_edge(first, second, weight=weight)
    return graph


@_built_once
def resource_graph(network: Network) -> nx.Graph:
    """Cities and recommendations linked to resource types: a city to each type its cases
    need, lack or offer (and that type's broader types), a recommendation to each type it
    addresses, as named; so both meet where a recommendation on "funding" meets a city's
    gap in "seed funding"."""
    edges: set[tuple[str, str]] = set()
    for city in network.cities:
        for resource_type in network.roll_up(network.city_concepts(city, RESOURCES)):
            edges.add((city, resource_type))
    for recommendation in network.of_kind("recommendation"):
        for resource_type in network.targets(recommendation, [ADDRESSES]):
            edges.add((recommendation, resource_type))
    graph: nx.Graph[str] = nx.Graph(name="cities, recommendations and resource types")
    _add_nodes(graph, network, {end for edge in edges for end in edge})
    graph.add_edges_from(sorted(edges))
    return graph
