"""The query library on the real data: the same rows embedded, on rdflib and on a real
Oxigraph server loaded by ``ekipgraph load``, and the expected answers, checked by hand
against data/."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from ekipgraph.build import build_from_layout
from ekipgraph.cli import app
from ekipgraph.library import LibraryQuery, QueryLibrary
from ekipgraph.ontology import load_ontology, own_terms
from ekipgraph.project import default_layout
from ekipgraph.store import EmbeddedStore, QueryOutcome, RdflibStore, RemoteStore

LIBRARY = QueryLibrary(default_layout().queries_dir)
ID = "https://w3id.org/ekip/id/"

#: parameter values that exist in the real data, by parameter type
SAMPLE_VALUES = {
    "id:city": "kosice",
    "id:case": "lund-ai",
    "id:project": "ekip",
    "concept:policy-area": "ai-and-cci",
    "concept:availability-status": "missing",
    "scheme": "actor-type",
    "integer": "1",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _oxigraph_binary() -> str:
    candidate = Path(sys.executable).parent / "oxigraph"
    return str(candidate) if candidate.exists() else (shutil.which("oxigraph") or "oxigraph")


@pytest.fixture(scope="module")
def nquads() -> str:
    return build_from_layout(default_layout()).nquads


@pytest.fixture(scope="module")
def embedded(nquads: str) -> EmbeddedStore:
    return EmbeddedStore.from_nquads(nquads)


@pytest.fixture(scope="module")
def reference(nquads: str) -> RdflibStore:
    store = RdflibStore()
    store.load_nquads(nquads)
    return store


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server on a free loopback port, with the union default graph."""
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [
            _oxigraph_binary(),
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1):
                    break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(process.stderr.read().decode()) from None
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def remote(oxigraph_server: str, embedded: EmbeddedStore) -> RemoteStore:
    """The server, loaded through the CLI exactly as a user would."""
    result = CliRunner().invoke(
        app,
        [
            "load",
            "--endpoint",
            f"{oxigraph_server}/query",
            "--graph-store",
            f"{oxigraph_server}/store",
        ],
    )
    assert result.exit_code == 0, result.output
    store = RemoteStore(f"{oxigraph_server}/query")
    assert store.triple_count() == embedded.triple_count()
    return store


def _arguments(query: LibraryQuery) -> dict[str, str]:
    return {p.name: SAMPLE_VALUES[p.type] for p in query.params if p.type in SAMPLE_VALUES}


def _normalised(outcome: QueryOutcome) -> object:
    """Rows as a sorted list; GROUP_CONCAT lists compared as sorted parts (order is free)."""
    if outcome.form == "ask":
        return outcome.boolean
    if outcome.form == "graph":
        return sorted(line for line in outcome.serialize("nt").decode().splitlines() if line)

    def cell(term: object) -> str:
        text = str(term)
        for separator in ("; ", ", ", " "):
            if separator in text:
                return separator.join(sorted(text.split(separator)))
        return text

    return sorted(
        tuple(sorted((name, cell(value)) for name, value in row.items())) for row in outcome.rows()
    )


@pytest.mark.parametrize("query", list(LIBRARY), ids=lambda q: q.name)
def test_every_library_query_gives_the_same_rows_on_all_three_stores(
    query: LibraryQuery, embedded: EmbeddedStore, reference: RdflibStore, remote: RemoteStore
) -> None:
    for values in ({} if not any(p.required for p in query.params) else None, _arguments(query)):
        if values is None:
            continue
        text = query.bind(values)
        expected = _normalised(embedded.query(text))
        assert _normalised(reference.query(text)) == expected, "rdflib differs from Oxigraph"
        assert _normalised(remote.query(text)) == expected, "the server differs from embedded"


def rows(store: EmbeddedStore, name: str, **values: str) -> list[dict]:
    return store.query(LIBRARY.get(name).bind(values)).rows()


def column(result: list[dict], name: str) -> list[str]:
    return [str(row[name]) for row in result if name in row]


# Expected answers, read off data/ by hand (cases, cities, gaps, partners as encoded there).


def test_cases_per_city_and_policy_area(embedded: EmbeddedStore) -> None:
    result = rows(embedded, "cases-per-city-and-policy-area")
    pairs = {(str(r["cityLabel"]), str(r["policyArea"]).rsplit("/", 1)[1]) for r in result}
    assert pairs == {
        ("Košice", "video-game-inclusivity"),
        ("Lund", "ai-and-cci"),
        ("Rotterdam", "ai-and-cci"),
        ("Saint-Étienne", "ai-and-cci"),
    }
    assert all(r["cases"] == Literal(1) for r in result)
    lund = rows(embedded, "cases-per-city-and-policy-area", city="lund")
    assert column(lund, "caseIris") == [ID + "case/lund-ai"]


def test_support_gaps_are_the_four_gaps_of_kosice(embedded: EmbeddedStore) -> None:
    result = rows(embedded, "support-gaps-per-city")
    assert set(column(result, "cityLabel")) == {"Košice"}
    assert sorted(column(result, "finding")) == [
        ID + "case/kosice-gaming/gap/" + name
        for name in (
            "bureaucracy-and-weak-state-support",
            "hidden-local-talent",
            "low-visibility",
            "talent-drain",
        )
    ]
    assert sorted(column(result, "resourceTypeLabel")) == [
        "Market access and visibility",
        "Regulation and legal support",
        "Talent",
        "Talent",
    ]
    assert rows(embedded, "support-gaps-per-city", city="lund") == []


def test_no_gap_is_shared_yet_but_one_city_suffices_for_kosice(embedded: EmbeddedStore) -> None:
    assert rows(embedded, "shared-gaps") == []
    single = rows(embedded, "shared-gaps", minCities="1")
    assert {str(r["resourceTypeLabel"]) for r in single} == {
        "Market access and visibility",
        "Regulation and legal support",
        "Talent",
    }
    assert {str(r["cities"]) for r in single} == {"Košice"}


def test_no_needs_or_strengths_are_encoded_yet(embedded: EmbeddedStore) -> None:
    # No case page that could be read states a resource need or a strength (docs: data gaps).
    assert rows(embedded, "needs-per-city-by-status") == []
    assert rows(embedded, "resource-types-never-available") == []
    assert rows(embedded, "strengths-per-city") == []


def test_no_actor_takes_part_in_two_cities(embedded: EmbeddedStore) -> None:
    assert rows(embedded, "actors-in-several-cities") == []
    assert len(rows(embedded, "actors-in-several-cities", minCities="1")) > 10


def test_actor_type_mix_of_lund(embedded: EmbeddedStore) -> None:
    result = rows(embedded, "actor-type-mix-per-case", case="lund-ai")
    mix = {str(r["actorTypeLabel"]): int(r["actors"]) for r in result}
    assert mix == {
        "Academia": 5,
        "Civil society": 2,
        "Industry": 1,
        "Intermediary": 1,
        "Public sector": 2,
    }


def test_sectors_of_the_ai_policy_area(embedded: EmbeddedStore) -> None:
    result = rows(embedded, "sectors-per-policy-area", policyArea="ai-and-cci")
    assert set(column(result, "sectorLabel")) == {
        "Cultural heritage",
        "Fashion design",
        "Music",
        "Performing arts",
    }


def test_portfolio_items_of_lund(embedded: EmbeddedStore) -> None:
    result = rows(embedded, "portfolio-items-by-zone-and-facet")
    assert len(result) == 7
    assert {str(r["portfolio"]).rsplit("/", 1)[1] for r in result} == {
        "fashion-textile-transformation",
        "heritage-immersive",
        "kalaudioscope",
    }
    assert "Konsert X" in column(result, "itemLabel")


def test_recommendations_and_their_labs(embedded: EmbeddedStore) -> None:
    result = rows(embedded, "recommendations-and-cases")
    assert len(result) == 13
    labs = {str(r["recommendation"]).rsplit("/", 1)[1]: str(r.get("lab", "")) for r in result}
    assert labs["ai-and-cci-small-actors-ai-capacity"] == ID + "policy-lab/policy-lab-1"
    assert labs["dpp-phased-mandatory"] == ""
    statuses = {str(r["recommendation"]).rsplit("/", 1)[1]: str(r["statusLabel"]) for r in result}
    assert [name for name, status in statuses.items() if status == "Final"] == [
        "music-platformisation"
    ]


def test_recommendations_addressing_kosice_gaps(embedded: EmbeddedStore) -> None:
    result = rows(embedded, "recommendations-addressing-gaps")
    assert {(str(r["cityLabel"]), str(r["gapType"]).rsplit("/", 1)[1]) for r in result} <= {
        ("Košice", "talent"),
        ("Košice", "regulation-legal-support"),
        ("Košice", "market-access-visibility"),
    }
    assert ID + "recommendation/dpp-phased-mandatory" in column(result, "recommendation")


def test_provenance_of_the_kosice_case(embedded: EmbeddedStore) -> None:
    result = rows(embedded, "case-provenance", case="kosice-gaming")
    gaps = [r for r in result if str(r["type"]).endswith("#Gap")]
    assert len({str(r["entity"]) for r in gaps}) == 4
    assert {str(r["sourceKind"]) for r in gaps} == {"City Case Description page"}
    assert {str(r["graph"]) for r in result} == {"https://w3id.org/ekip/graph/case/kosice-gaming"}


def test_timeline_orders_events_by_date(embedded: EmbeddedStore) -> None:
    result = rows(embedded, "timeline")
    dated = [(str(r["when"]), str(r["eventLabel"])) for r in result if str(r.get("when", ""))]
    assert dated == sorted(dated, key=lambda pair: pair[0])
    labels = dict((label, when) for when, label in dated)
    assert (
        labels["ekip Policy Lab 2: New European Bauhaus, CCIs enabling the green transition"]
        == "2024-04-15"
    )


def test_partners_per_country(embedded: EmbeddedStore) -> None:
    result = rows(embedded, "partners-per-country")
    counts = {str(r.get("countryLabel", "")): int(r["partners"]) for r in result}
    # 17 partners plus Future by Lund, the coordinator's affiliated entity.
    assert sum(counts.values()) == 18
    assert counts["Netherlands"] == 3
    assert counts["Sweden"] == 2
    assert counts[""] == 1  # New Moment: its country is not settled by the sources


def test_ontology_and_scheme_browsing(embedded: EmbeddedStore) -> None:
    # One row per class and property the ontology declares, however many it grows to.
    terms = own_terms(load_ontology(default_layout()))
    classes = rows(embedded, "ontology-classes")
    assert len(classes) == len(terms["classes"])
    assert "City case description" in column(classes, "label")
    properties = rows(embedded, "ontology-properties")
    assert len(properties) == len(terms["object_properties"]) + len(terms["datatype_properties"])
    assert all("domain" in r and "range" in r for r in properties)
    concepts = rows(embedded, "scheme-concepts", scheme="availability-status")
    assert sorted(column(concepts, "label")) == ["Available", "Missing", "Partially available"]


def test_case_graph_and_case_exists(embedded: EmbeddedStore) -> None:
    graph = embedded.query(LIBRARY.get("case-graph").bind({"case": "rotterdam-ai"})).graph()
    assert (URIRef(ID + "case/rotterdam-ai"), None, None) in graph
    exists = LIBRARY.get("case-exists")
    assert embedded.query(exists.bind({"city": "lund"})).boolean is True
    assert embedded.query(exists.bind({"city": "bratislava"})).boolean is False
