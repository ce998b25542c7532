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
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from ruamel.yaml import YAML
from test_rdflib_engine_cli import NAMES as RDFLIB_SAMPLE
from typer.testing import CliRunner

from ekipgraph.cli import app
from ekipgraph.library import LibraryQuery, QueryLibrary
from ekipgraph.project import default_layout
from ekipgraph.store import EmbeddedStore, QueryOutcome, RdflibStore, RemoteStore

LIBRARY = QueryLibrary(default_layout().queries_dir)
HAS_PATTERNS = "ASK { GRAPH <https://w3id.org/ekip/graph/patterns> { ?s ?p ?o } }"
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
    """The built store's dataset, as `ekipgraph load` sends it (with graph/patterns)."""
    from ekipgraph.connect import built_nquads

    return built_nquads()


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
        if isinstance(term, Literal) and isinstance(term.toPython(), Decimal):
            # by value: Oxigraph writes "0" where the file (and rdflib) say "0.000000"
            return str(float(term.toPython()))
        text = str(term)
        for separator in ("; ", ", ", " "):
            if separator in text:
                return separator.join(sorted(text.split(separator)))
        return text

    return sorted(
        tuple(sorted((name, cell(value)) for name, value in row.items())) for row in outcome.rows()
    )


def _texts(query: LibraryQuery) -> list[str]:
    """The query with no values (when nothing is required) and with the sample values."""
    unbound = [] if any(p.required for p in query.params) else [{}]
    return [query.bind(values) for values in [*unbound, _arguments(query)]]


@pytest.mark.parametrize("query", list(LIBRARY), ids=lambda q: q.name)
def test_every_library_query_gives_the_same_rows_embedded_and_on_the_server(
    query: LibraryQuery, embedded: EmbeddedStore, remote: RemoteStore
) -> None:
    for text in _texts(query):
        expected = _normalised(embedded.query(text))
        if "graph/patterns" in query.text and not embedded.query(HAS_PATTERNS).boolean:
            # A dataset without the analysis results: the query must say nothing
            # (tests/test_library_patterns.py compares its rows with the results).
            assert expected == [], f"{query.name} answers without graph/patterns"
        assert _normalised(remote.query(text)) == expected, "the server differs from embedded"


# rdflib's engine takes over 8 minutes on the whole library (205 s for shared-gaps alone):
# make test compares the seeded sample of tests/test_rdflib_engine_cli.py
# (EKIPGRAPH_RDFLIB_QUERIES), make fuzz every query.
@pytest.mark.parametrize(
    "query", [LIBRARY.get(name) for name in RDFLIB_SAMPLE], ids=lambda q: q.name
)
def test_library_queries_give_the_same_rows_on_rdflib_as_embedded(
    query: LibraryQuery, embedded: EmbeddedStore, reference: RdflibStore
) -> None:
    for text in _texts(query):
        assert _normalised(reference.query(text)) == _normalised(embedded.query(text)), (
            "rdflib differs from Oxigraph"
        )


def rows(store: EmbeddedStore, name: str, **values: str) -> list[dict]:
    return store.query(LIBRARY.get(name).bind(values)).rows()


def column(result: list[dict], name: str) -> list[str]:
    return [str(row[name]) for row in result if name in row]


# Expected answers, computed from the YAML under data/ by a reader of its own (plain YAML, not
# the converter), so they hold whatever cases are added; a few seed facts are checked as floors.


def _yaml(path: Path) -> object:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


DATA = default_layout().data_dir
YAML_CASES = [_yaml(p) for p in sorted((DATA / "cases").glob("*.yaml"))]
SHARED = {
    p.stem: _yaml(p)[p.stem.replace("-", "_")] for p in sorted((DATA / "shared").glob("*.yaml"))
}
CITY_LABEL = {c["id"]: c["name"]["en"] for c in SHARED["cities"]}
V = "https://w3id.org/ekip/vocab/"


def _tail(iri: object) -> str:
    return str(iri).rsplit("/", 1)[1]


def _case_findings(kind: str, status: str) -> set[tuple[str, str, str]]:
    """(city label, finding IRI, resource type id) of every gap/strength and matching need."""
    found = set()
    for case in YAML_CASES:
        city, base = CITY_LABEL[case["city"]], f"{ID}case/{case['id']}/"
        for finding in case.get(kind + "s", []):
            found.add((city, f"{base}{kind}/{finding['id']}", finding["resource_type"]))
        for need in case.get("needs", []):
            if need["status"] == status:
                found.add((city, f"{base}need/{need['id']}", need["resource_type"]))
    return found


def _broader(store: EmbeddedStore, scheme: str) -> dict[str, set[str]]:
    """Each concept of a scheme with itself and all its broader concepts (ids)."""
    result = store.query(
        f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?c ?b WHERE {{ ?c skos:inScheme <{V}{scheme}> ; skos:broader* ?b }}"""
    ).rows()
    closure: dict[str, set[str]] = {}
    for row in result:
        closure.setdefault(_tail(row["c"]), set()).add(_tail(row["b"]))
    return closure


def test_the_yaml_reader_sees_the_seed_cases() -> None:
    # floors, not pins: the four cases of the first release stay, others may join
    assert {c["id"] for c in YAML_CASES} >= {
        "kosice-gaming",
        "lund-ai",
        "rotterdam-ai",
        "saint-etienne-performing-arts-ai",
    }


def test_cases_per_city_and_policy_area(embedded: EmbeddedStore) -> None:
    result = rows(embedded, "cases-per-city-and-policy-area")
    expected: dict[tuple[str, str], set[str]] = {}
    for case in YAML_CASES:
        for area in case["policy_areas"]:
            key = (CITY_LABEL[case["city"]], area)
            expected.setdefault(key, set()).add(ID + "case/" + case["id"])
    got = {(str(r["cityLabel"]), _tail(r["policyArea"])): r for r in result}
    assert set(got) == set(expected)
    for key, row in got.items():
        assert int(row["cases"]) == len(expected[key])
        assert set(str(row["caseIris"]).split()) == expected[key]
    assert ("Lund", "ai-and-cci") in got and ("Košice", "video-game-inclusivity") in got
    lund = rows(embedded, "cases-per-city-and-policy-area", city="lund")
    lund_cases = {ID + "case/" + c["id"] for c in YAML_CASES if c["city"] == "lund"}
    assert {iri for r in lund for iri in str(r["caseIris"]).split()} == lund_cases
    assert ID + "case/lund-ai" in lund_cases


def test_support_gaps_per_city_are_the_gaps_and_missing_resources_of_the_cases(
    embedded: EmbeddedStore,
) -> None:
    result = rows(embedded, "support-gaps-per-city")
    got = {(str(r["cityLabel"]), str(r["finding"]), _tail(r["resourceType"])) for r in result}
    assert got == _case_findings("gap", "missing")
    kosice = ID + "case/kosice-gaming/gap/"
    assert {
        (kosice + "talent-drain", "talent"),
        (kosice + "hidden-local-talent", "talent"),
        (kosice + "bureaucracy-and-weak-state-support", "regulation-legal-support"),
        (kosice + "low-visibility", "market-access-visibility"),
    } <= {(finding, kind) for _, finding, kind in got}
    lund = {f for city, f, _ in got if city == "Lund"}
    assert {str(r["finding"]) for r in rows(embedded, "support-gaps-per-city", city="lund")} == lund


def test_shared_gaps_count_the_cities_whose_gaps_fall_under_each_type(
    embedded: EmbeddedStore,
) -> None:
    closure = _broader(embedded, "resource-type")
    cities: dict[str, set[str]] = {}
    for city, _, named in _case_findings("gap", "missing"):
        for broader in closure[named]:
            cities.setdefault(broader, set()).add(city)
    for min_cities in (1, 2):
        result = rows(embedded, "shared-gaps", minCities=str(min_cities))
        got = {_tail(r["resourceType"]): int(r["cityCount"]) for r in result}
        assert got == {t: len(c) for t, c in cities.items() if len(c) >= min_cities}
    assert rows(embedded, "shared-gaps") == rows(embedded, "shared-gaps", minCities="2")
    assert {"talent", "regulation-legal-support"} <= {
        _tail(r["resourceType"]) for r in rows(embedded, "shared-gaps", minCities="1")
    }


def test_needs_and_strengths_are_those_of_the_cases(embedded: EmbeddedStore) -> None:
    strengths = rows(embedded, "strengths-per-city")
    got = {(str(r["cityLabel"]), str(r["finding"]), _tail(r["resourceType"])) for r in strengths}
    assert got == _case_findings("strength", "available")
    needs = rows(embedded, "needs-per-city-by-status")
    counts: dict[tuple[str, str], int] = {}
    for case in YAML_CASES:
        for need in case.get("needs", []):
            key = (CITY_LABEL[case["city"]], need["status"])
            counts[key] = counts.get(key, 0) + 1
    assert {(str(r["cityLabel"]), _tail(r["status"])): int(r["needs"]) for r in needs} == counts
    never = {_tail(r["resourceType"]) for r in rows(embedded, "resource-types-never-available")}
    available = {
        n["resource_type"]
        for c in YAML_CASES
        for n in c.get("needs", [])
        if n["status"] == "available"
    }
    needed = {n["resource_type"] for c in YAML_CASES for n in c.get("needs", [])}
    assert never == needed - available


def _case_actors(case: dict) -> set[str]:
    actors = {a["actor"] for a in case.get("actors", [])}
    for portfolio in case.get("portfolios", []):
        actors |= {a["actor"] for a in portfolio.get("actors", [])}
        for item in portfolio.get("items", []):
            actors |= {a["actor"] for a in item.get("actors", [])}
    for need in case.get("needs", []):
        actors |= set(need.get("providers", []))
    return actors


def test_actors_in_several_cities(embedded: EmbeddedStore) -> None:
    cities: dict[str, set[str]] = {}
    for case in YAML_CASES:
        for actor in _case_actors(case):
            cities.setdefault(actor, set()).add(case["city"])
    for min_cities in (1, 2):
        result = rows(embedded, "actors-in-several-cities", minCities=str(min_cities))
        got = {_tail(r["actor"]): int(r["cityCount"]) for r in result}
        assert got == {a: len(c) for a, c in cities.items() if len(c) >= min_cities}
    assert len(rows(embedded, "actors-in-several-cities", minCities="1")) > 10


def test_actor_type_mix_of_lund(embedded: EmbeddedStore) -> None:
    closure = _broader(embedded, "actor-type")
    kinds = {o["id"]: o["actor_types"] for o in SHARED["organisations"] if o.get("actor_types")}
    lund = next(c for c in YAML_CASES if c["id"] == "lund-ai")
    expected: dict[str, int] = {}
    for actor in _case_actors(lund):
        tops = {b for t in kinds.get(actor, []) for b in closure[t]}
        for top in tops:
            expected[top] = expected.get(top, 0) + 1
    result = rows(embedded, "actor-type-mix-per-case", case="lund-ai")
    got = {_tail(r["actorType"]): int(r["actors"]) for r in result}
    tops = _tops(embedded)
    assert got == {t: n for t, n in expected.items() if t in tops}
    assert got["academia"] >= 5 and got["public-sector"] >= 2


def _tops(store: EmbeddedStore) -> set[str]:
    rows_ = store.query(
        f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?t WHERE {{ ?t skos:topConceptOf <{V}actor-type> }}"""
    ).rows()
    return {_tail(r["t"]) for r in rows_}


def test_sectors_of_the_ai_policy_area(embedded: EmbeddedStore) -> None:
    expected: set[str] = set()
    for rec in SHARED["recommendations"]:
        if "ai-and-cci" in rec["policy_areas"]:
            expected |= set(rec.get("sectors", []))
    for case in YAML_CASES:
        if "ai-and-cci" in case["policy_areas"]:
            expected |= set(case.get("sectors", []))
            for portfolio in case.get("portfolios", []):
                expected |= set(portfolio.get("sectors", []))
                for item in portfolio.get("items", []):
                    expected |= set(item.get("sectors", []))
    result = rows(embedded, "sectors-per-policy-area", policyArea="ai-and-cci")
    got = {_tail(r["sector"]) for r in result}
    assert got == expected
    assert got >= {"cultural-heritage", "fashion-design", "music", "performing-arts"}


def test_portfolio_items_are_those_of_the_cases(embedded: EmbeddedStore) -> None:
    expected = {
        (f"{ID}case/{c['id']}/portfolio/{p['id']}", f"{ID}case/{c['id']}/item/{i['id']}")
        for c in YAML_CASES
        for p in c.get("portfolios", [])
        for i in p.get("items", [])
    }
    result = rows(embedded, "portfolio-items-by-zone-and-facet")
    assert {(str(r["portfolio"]), str(r["item"])) for r in result} == expected
    assert "Konsert X" in column(result, "itemLabel")
    assert {"fashion-textile-transformation", "heritage-immersive", "kalaudioscope"} <= {
        _tail(r["portfolio"]) for r in result
    }


def test_recommendations_their_labs_and_statuses(embedded: EmbeddedStore) -> None:
    result = rows(embedded, "recommendations-and-cases")
    recs = {r["id"]: r for r in SHARED["recommendations"]}
    got = {_tail(r["recommendation"]): r for r in result}
    assert set(got) == set(recs)
    for name, row in got.items():
        lab = recs[name].get("drafted_in")
        assert str(row.get("lab", "")) == (ID + "policy-lab/" + lab if lab else "")
        status = recs[name].get("status")
        assert str(row.get("statusLabel", "")) == (status.capitalize() if status else "")
    assert got["ai-and-cci-small-actors-ai-capacity"]["lab"] == URIRef(
        ID + "policy-lab/policy-lab-1"
    )
    assert str(got["music-platformisation"]["statusLabel"]) == "Final"
    # no source calls any ekip recommendation a draft
    assert "Draft" not in {str(r.get("statusLabel", "")) for r in result}


def test_recommendations_addressing_gaps(embedded: EmbeddedStore) -> None:
    closure = _broader(embedded, "resource-type")
    addressed = {r["id"]: set(r.get("resource_types", [])) for r in SHARED["recommendations"]}
    expected = {
        (ID + "recommendation/" + rec, finding)
        for _, finding, named in _case_findings("gap", "missing")
        for rec, types in addressed.items()
        if closure[named] & types
    }
    result = rows(embedded, "recommendations-addressing-gaps")
    assert {(str(r["recommendation"]), str(r["finding"])) for r in result} == expected
    assert ID + "recommendation/dpp-phased-mandatory" in column(result, "recommendation")


def test_provenance_of_the_kosice_case(embedded: EmbeddedStore) -> None:
    result = rows(embedded, "case-provenance", case="kosice-gaming")
    gaps = [r for r in result if str(r["type"]).endswith("#Gap")]
    assert len({str(r["entity"]) for r in gaps}) >= 4
    assert "City Case Description page" in {str(r["sourceKind"]) for r in gaps}
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
    assert labels["ekip Policy Lab 6: inclusivity in the gaming industry"] == "2025-05-30"


def test_partners_per_country(embedded: EmbeddedStore) -> None:
    result = rows(embedded, "partners-per-country")
    counts = {str(r.get("countryLabel", "")): int(r["partners"]) for r in result}
    country_of = {c["id"]: c["country"] for c in SHARED["cities"]}
    label_of = {c["id"]: c["name"]["en"] for c in SHARED["countries"]}
    expected: dict[str, int] = {}
    for org in SHARED["organisations"]:
        if org.get("partner_in") or org.get("coordinates"):
            place = org.get("based_in")
            country = label_of.get(country_of.get(place, place), "") if place else ""
            expected[country] = expected.get(country, 0) + 1
    assert counts == expected
    # 17 partners plus Future by Lund, the coordinator's affiliated entity
    assert sum(counts.values()) >= 18 and counts["Sweden"] >= 2


def test_ontology_and_scheme_browsing(embedded: EmbeddedStore) -> None:
    # every class and property the ontology defines is listed, i.e. labelled and defined in
    # English (read independently of the store, with rdflib); the model may grow
    ontology = Graph().parse(default_layout().ontology_file)
    defined = set(ontology.subjects(RDFS.isDefinedBy, URIRef("https://w3id.org/ekip/ontology")))
    classes = rows(embedded, "ontology-classes")
    assert set(column(classes, "class")) == {
        str(c) for c in defined if (c, RDF.type, OWL.Class) in ontology
    }
    assert len(classes) >= 34 and "City case description" in column(classes, "label")
    properties = rows(embedded, "ontology-properties")
    assert set(column(properties, "property")) == {
        str(p)
        for p in defined
        if {(p, RDF.type, OWL.ObjectProperty), (p, RDF.type, OWL.DatatypeProperty)} & set(ontology)
    }
    assert len(properties) >= 54
    assert all("domain" in r and "range" in r for r in properties)
    concepts = rows(embedded, "scheme-concepts", scheme="availability-status")
    assert sorted(column(concepts, "label")) == ["Available", "Missing", "Partially available"]


def test_case_graph_and_case_exists(embedded: EmbeddedStore) -> None:
    graph = embedded.query(LIBRARY.get("case-graph").bind({"case": "rotterdam-ai"})).graph()
    assert (URIRef(ID + "case/rotterdam-ai"), None, None) in graph
    exists = LIBRARY.get("case-exists")
    assert embedded.query(exists.bind({"city": "lund"})).boolean is True
    # the policy area defaults to AI and the CCIs
    with_cases = {c["city"] for c in YAML_CASES if "ai-and-cci" in c["policy_areas"]}
    for city in CITY_LABEL:
        assert embedded.query(exists.bind({"city": city})).boolean is (city in with_cases)
