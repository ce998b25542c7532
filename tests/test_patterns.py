"""Cross-city pattern analyses on a hand-made fixture whose answers were worked out by hand.

The fixture (tests/fixtures/patterns/dataset.trig) has four cities with one case each; its
header lists needs, gaps, strengths and actors. A = Alphaville, B = Betaburg, G = Gammatown,
D = Deltapolis; actors X = Creative Hub (A, B), Z = Bridge Consulting (B, G), Y = Games
Network (G, D). Concepts count for their broader concepts (seed funding → funding).
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset
from rich.console import Console

from ekipgraph.analyse import (
    PATTERNS_GRAPH,
    PatternsResult,
    patterns_graph,
    patterns_nquads,
    render_report,
    run_patterns,
    write_patterns,
)
from ekipgraph.analyse import export as export_module
from ekipgraph.analyse.network import read_network
from ekipgraph.analyse.similarity import compare
from ekipgraph.library import QueryLibrary
from ekipgraph.project import default_layout
from ekipgraph.store import EmbeddedStore, RdflibStore

# rdflib's own SPARQL engine and TriG parser still call its deprecated Dataset methods.
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.*is deprecated:DeprecationWarning")

FIXTURE = Path(__file__).parent / "fixtures" / "patterns" / "dataset.trig"
ID = "https://w3id.org/ekip/id/"
RT = "https://w3id.org/ekip/vocab/resource-type/"
AT = "https://w3id.org/ekip/vocab/actor-type/"
SEC = "https://w3id.org/ekip/vocab/cci-sector/"
PA = "https://w3id.org/ekip/vocab/policy-area/"
A, B, G, D = (ID + f"city/{c}" for c in ("alphaville", "betaburg", "gammatown", "deltapolis"))
X, Y, Z = (ID + f"organisation/{o}" for o in ("creative-hub", "games-network", "bridge-consulting"))
SEED_MONEY, KEEP_TALENT, DATA_RULES = (
    ID + f"recommendation/{r}" for r in ("seed-money", "keep-talent", "data-rules")
)


def fixture_store() -> EmbeddedStore:
    store = EmbeddedStore()
    store.load_file(FIXTURE)
    return store


@pytest.fixture(scope="module")
def result() -> PatternsResult:
    return run_patterns(fixture_store())


@pytest.fixture(scope="module")
def written(result: PatternsResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist") / "patterns"
    write_patterns(result, out)
    return out


# --- the network ---------------------------------------------------------------------------


def test_network_has_every_kind_with_labels_and_the_newest_recording_time(
    result: PatternsResult,
) -> None:
    network = result.network
    counts = {kind: network.count(kind) for kind in ("city", "case", "actor", "recommendation")}
    assert counts == {"city": 5, "case": 4, "actor": 11, "recommendation": 3}
    assert network.cities == [A, B, D, G]  # Epsilon Bay has no case: nothing to compare
    assert network.label(ID + "person/pat-example") == "Pat Example"  # a plain literal
    assert network.label(RT + "talent") == "Talent"
    assert network.ancestors[RT + "seed-funding"] == (RT + "funding",)
    assert result.generated_at == datetime(2026, 11, 25, tzinfo=UTC)


def test_the_network_is_the_same_on_oxigraph_and_rdflib() -> None:
    store = RdflibStore()
    store.load_file(FIXTURE)
    assert read_network(store) == read_network(fixture_store())


def test_the_network_queries_are_documented_library_queries() -> None:
    library = QueryLibrary(default_layout().queries_dir)
    network_queries = [q for q in library if q.name.startswith("network-")]
    assert {q.name for q in network_queries} == {
        "network-nodes",
        "network-edges",
        "network-concept-ancestors",
        "network-case-graphs",
    }
    for query in network_queries:
        assert query.text.startswith("#+ summary:")
        assert query.description.endswith(("?", "."))
        assert "network" in query.tags


# --- city similarity -------------------------------------------------------------------------


def test_city_profiles_count_statements_and_broader_concepts(result: PatternsResult) -> None:
    alpha = result.similarity.profiles[A]
    assert alpha["needs"] == {
        RT + "seed-funding": 1,
        RT + "funding": 1,
        RT + "test-bed": 1,
        RT + "facilities": 1,
    }
    assert alpha["gaps"] == {RT + "talent": 1, RT + "seed-funding": 1, RT + "funding": 1}
    # design: the case and its item; music: the portfolio
    assert alpha["sectors"] == {SEC + "design": 2, SEC + "music": 1}
    # Beta Studio (company) and Bridge Consulting (consultancy) are both industry
    assert result.similarity.profiles[B]["actor-types"][AT + "industry"] == 2
    # Gammatown: a gap finding and a missing need, both talent
    assert result.similarity.profiles[G]["gaps"] == {RT + "talent": 2}


def test_similarity_of_alphaville_and_betaburg(result: PatternsResult) -> None:
    pair = result.similarity.pair(A, B)
    needs, gaps, sectors, actor_types = pair.facets
    # needs: {seed, funding, test bed, facilities} vs {project, funding, test bed, facilities}
    assert needs.jaccard == pytest.approx(3 / 5)
    assert needs.cosine == pytest.approx(3 / 4)
    # gaps: {talent, seed, funding} vs {talent, project, funding}
    assert gaps.jaccard == pytest.approx(2 / 4)
    assert gaps.cosine == pytest.approx(2 / 3)
    # sectors: design 2, music 1 vs design 2, fashion design 1
    assert sectors.jaccard == pytest.approx(1 / 3)
    assert sectors.cosine == pytest.approx(4 / 5)
    # actor types: 6 items vs 7 (industry twice); shared academia, university,
    # innovation platform, intermediary
    assert actor_types.jaccard == pytest.approx(4 / 9)
    assert actor_types.cosine == pytest.approx(4 / math.sqrt(6 * 10))
    # overall: 10 shared of 15 + 16 - 10 tagged items; cosine = mean of the four facets
    assert pair.jaccard == pytest.approx(10 / 21)
    assert pair.cosine == pytest.approx((3 / 4 + 2 / 3 + 4 / 5 + 4 / math.sqrt(60)) / 4)
    assert {(s.facet, s.item.rsplit("/", 1)[1]) for s in pair.shared} == {
        ("needs", "funding"),
        ("needs", "test-bed"),
        ("needs", "facilities"),
        ("gaps", "talent"),
        ("gaps", "funding"),
        ("sectors", "design"),
        ("actor-types", "academia"),
        ("actor-types", "university"),
        ("actor-types", "innovation-platform"),
        ("actor-types", "intermediary"),
    }
    assert sectors.shared[0].weight_a == 2 and sectors.shared[0].weight_b == 2


def test_similarity_of_the_other_pairs(result: PatternsResult) -> None:
    similarity = result.similarity
    gd = similarity.pair(G, D)
    assert [f.jaccard for f in gd.facets] == pytest.approx([1, 0, 1 / 3, 3 / 6])
    # actor types G {network org 2, civil society 2, consultancy 1, industry 1}
    #             D {network org 1, civil society 2, company 1, industry 1, cultural org 1}
    assert gd.facet("actor-types").cosine == pytest.approx(7 / math.sqrt(10 * 8))
    assert gd.jaccard == pytest.approx(5 / 12)
    assert gd.cosine == pytest.approx((1 + 0 + 1 / 2 + 7 / math.sqrt(80)) / 4)
    bg = similarity.pair(B, G)
    assert bg.facet("gaps").cosine == pytest.approx(1 / math.sqrt(3))
    assert bg.facet("actor-types").jaccard == pytest.approx(2 / 9)
    assert bg.cosine == pytest.approx((1 / math.sqrt(3) + 3 / 10) / 4)
    nothing = similarity.pair(A, D)
    assert (nothing.jaccard, nothing.cosine, nothing.shared) == (0, 0, ())
    # strongest first; a pair that shares nothing gets no edge in the graph
    assert [(p.city_a, p.city_b) for p in similarity.pairs[:2]] == [(A, B), (D, G)]
    graph = similarity.graph(result.network)
    assert graph.number_of_edges() == 5 and not graph.has_edge(A, D)
    assert graph.edges[A, B]["cosine"] == pytest.approx(0.683266)


def test_similarity_is_symmetric(result: PatternsResult) -> None:
    profiles = result.similarity.profiles
    for first in profiles:
        for second in profiles:
            forward, backward = (
                compare(profiles[first], profiles[second])[:2],
                compare(profiles[second], profiles[first])[:2],
            )
            assert forward == pytest.approx(backward)
        assert compare(profiles[first], profiles[first])[:2] == pytest.approx((1, 1))


# --- gaps and resource types -------------------------------------------------------------------


def test_shared_gaps_are_ranked_by_cities_then_findings(result: PatternsResult) -> None:
    gaps = result.shared_gaps.gaps
    assert [(g.rank, g.resource_type, g.cities, g.findings) for g in gaps] == [
        (1, RT + "talent", (A, B, G), 4),
        (2, RT + "funding", (A, B), 2),
    ]
    assert gaps[1].named_as == ((A, RT + "seed-funding"), (B, RT + "project-funding"))
    assert result.shared_gaps.matrix == {
        A: {RT + "seed-funding": 1, RT + "talent": 1},
        B: {RT + "project-funding": 1, RT + "talent": 1},
        D: {RT + "market-access-visibility": 1},
        G: {RT + "talent": 2},
    }


def test_resource_type_centrality(result: PatternsResult) -> None:
    # 16 nodes: 4 cities, 3 recommendations, 9 resource types; normalisation 2/(15·14).
    # Talent is a cut vertex between {A, B and their types, seed money} (8), {G, networks},
    # {D, market access} and {keep talent}: 48 pairs, plus 1/4 of the 4 A-side/B-side pairs.
    found = {t.resource_type.rsplit("/", 1)[1]: t for t in result.centrality.types}
    assert found["talent"].betweenness == pytest.approx(49 / 105)
    assert found["funding"].betweenness == pytest.approx(13 / 105)  # 12 pairs with seed money
    assert found["test-bed"].betweenness == pytest.approx(1 / 105)
    assert found["facilities"].betweenness == pytest.approx(1 / 105)
    assert found["seed-funding"].betweenness == 0
    assert (found["talent"].cities, found["talent"].recommendations) == (4, 1)
    assert found["talent"].degree == pytest.approx(5 / 7)
    assert found["data-protection"].degree == pytest.approx(1 / 7)
    assert [t.resource_type for t in result.centrality.types[:2]] == [RT + "talent", RT + "funding"]


# --- actors and communities -------------------------------------------------------------------


def test_bridging_actors_have_the_betweenness_worked_out_by_hand(result: PatternsResult) -> None:
    # Actor graph: cliques {a1, a2, X}, {X, b1, b2, Z}, {g1, Z, Y}, {Y, d1, d2}; 10 actors,
    # normalisation 2/(9·8) = 1/36. X separates 2 from 7 (14 pairs), Z 5 from 4 (20), Y 7 from 2.
    actors = result.bridging.actors
    assert [(a.actor, a.betweenness) for a in actors] == [
        (Z, pytest.approx(20 / 36)),
        (X, pytest.approx(14 / 36)),
        (Y, pytest.approx(14 / 36)),
    ]
    assert actors[0].cities == (B, G)
    assert actors[0].policy_areas == (PA + "ai-and-cci", PA + "video-game-inclusivity")
    assert ID + "person/pat-example" not in result.bridging.betweenness  # in no case


def test_only_bridge_consulting_links_two_policy_areas(result: PatternsResult) -> None:
    assert [(a.actor, len(a.cases)) for a in result.linking.actors] == [(Z, 2)]


def test_louvain_finds_the_partition_of_highest_modularity(result: PatternsResult) -> None:
    # City–actor graph: 13 edges. Best split: each city with its own actors, a shared actor
    # going to the community with the smaller total degree. Degrees 7, 6, 6, 7; internal
    # edges 10, so Q = 10/13 − (49 + 36 + 36 + 49)/26² = 175/338. Merging any two
    # communities or moving a shared actor gives less (e.g. Z with Betaburg: 0.5118).
    members = {
        frozenset(m.rsplit("/", 1)[1] for m in c.members) for c in result.communities.communities
    }
    assert members == {
        frozenset({"alphaville", "alpha-university", "alphaville-council", "creative-hub"}),
        frozenset({"betaburg", "beta-studio", "beta-university"}),
        frozenset({"gammatown", "gamma-games-guild", "bridge-consulting"}),
        frozenset({"deltapolis", "delta-studio", "delta-museum", "games-network"}),
    }
    assert result.communities.modularity == pytest.approx(175 / 338, abs=1e-6)
    assert run_patterns(fixture_store()).communities == result.communities  # seed fixed


# --- recommendations and co-occurrence --------------------------------------------------------


def test_recommendation_coverage_and_what_remains_unaddressed(result: PatternsResult) -> None:
    rows = {
        (g.city, g.resource_type.rsplit("/", 1)[1]): (g.findings, g.addressed_by, g.considered_here)
        for g in result.coverage.gaps
    }
    assert rows == {
        (A, "seed-funding"): (1, (SEED_MONEY,), (SEED_MONEY,)),  # funding ⊇ seed funding
        (A, "talent"): (1, (KEEP_TALENT,), ()),
        (B, "project-funding"): (1, (SEED_MONEY,), (SEED_MONEY,)),  # via an expected stimulus
        (B, "talent"): (1, (KEEP_TALENT,), ()),
        (G, "talent"): (2, (KEEP_TALENT,), (KEEP_TALENT,)),
        (D, "market-access-visibility"): (1, (), ()),
    }
    assert [(g.city, g.resource_type) for g in result.coverage.unaddressed] == [
        (D, RT + "market-access-visibility")
    ]
    reach = {row[1]: row[3] for row in result.coverage.tables(result.network)[2].rows}
    assert reach[DATA_RULES] == ()  # no city lacks data protection


def test_policy_area_sector_cooccurrence(result: PatternsResult) -> None:
    pairs = {
        (p.policy_area.rsplit("/", 1)[1], p.sector.rsplit("/", 1)[1]): (len(p.cases), p.share)
        for p in result.cooccurrence.pairs
    }
    assert pairs == {
        ("ai-and-cci", "design"): (2, 1.0),  # Alphaville's case and item, Betaburg's portfolio
        ("ai-and-cci", "music"): (1, 0.5),
        ("ai-and-cci", "fashion-design"): (1, 0.5),
        ("video-game-inclusivity", "video-games"): (1, 0.5),
        ("video-game-inclusivity", "film"): (1, 0.5),
    }


# --- outputs ------------------------------------------------------------------------------------


def test_every_output_is_written(written: Path) -> None:
    names = {path.name for path in written.iterdir()}
    for stem in ("city-similarity", "shared-gaps", "bridging-actors", "communities"):
        assert {f"{stem}.csv", f"{stem}.json"} <= names
    for stem in ("network", "city-similarity", "actor-network", "city-actor-communities"):
        assert {f"{stem}.graphml", f"{stem}.gexf"} <= names
    for stem in ("city-similarity", "gap-heatmap"):
        assert {f"{stem}.png", f"{stem}.svg"} <= names
    assert {"patterns.json", "patterns.trig", "patterns.nq"} <= names
    csv = (written / "shared-gaps.csv").read_text(encoding="utf-8").splitlines()
    assert csv[0] == "rank,resource_type,iri,city_count,cities,findings,named_as"
    assert csv[2].startswith("2,Funding,https://w3id.org/ekip/vocab/resource-type/funding,2,")


def test_outputs_are_byte_identical_for_the_same_input(written: Path, tmp_path: Path) -> None:
    again = tmp_path / "patterns"
    write_patterns(run_patterns(fixture_store()), again)
    first = {p.name: p.read_bytes() for p in sorted(written.iterdir())}
    second = {p.name: p.read_bytes() for p in sorted(again.iterdir())}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_files_carry_the_input_date_not_the_clock(written: Path) -> None:
    svg = (written / "city-similarity.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
    png = (written / "gap-heatmap.png").read_bytes()
    assert b"ekipgraph" in png and b"Matplotlib" not in png
    assert 'lastmodifieddate="2026-11-25"' in (written / "network.gexf").read_text()


def test_graph_files_read_back_in_networkx(written: Path, result: PatternsResult) -> None:
    graphml = nx.read_graphml(written / "city-similarity.graphml")
    assert graphml.edges[A, B]["cosine"] == pytest.approx(0.683266)
    gexf = nx.read_gexf(written / "actor-network.gexf")
    assert gexf.number_of_nodes() == 10
    typed = nx.read_graphml(written / "network.graphml")
    assert typed.nodes[A]["kind"] == "city"
    assert "gap" in typed.edges[ID + "case/gamma-games", RT + "talent"]["relation"]
    assert typed.edges[ID + "case/gamma-games", RT + "talent"]["weight"] == 2


def test_a_failed_write_leaves_the_previous_output(
    written: Path, result: PatternsResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sorted(p.name for p in written.iterdir())

    def broken(*_: object) -> list[Path]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_module, "write_plots", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        write_patterns(result, written)
    assert sorted(p.name for p in written.iterdir()) == before


def test_an_empty_store_gives_empty_results_and_still_writes(tmp_path: Path) -> None:
    empty = run_patterns(EmbeddedStore())
    assert empty.similarity.pairs == () and empty.communities.communities == ()
    assert empty.generated_at is None
    write_patterns(empty, tmp_path / "patterns")
    assert (tmp_path / "patterns" / "gap-heatmap.png").exists()


# --- RDF --------------------------------------------------------------------------------------


def test_results_are_queryable_with_sparql_next_to_the_data(result: PatternsResult) -> None:
    store = fixture_store()
    store.load_nquads(patterns_nquads(result))
    rows = store.query(
        """
        PREFIX ekipp: <https://w3id.org/ekip/patterns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?first ?second ?cosine ?shared WHERE {
          GRAPH <https://w3id.org/ekip/graph/patterns> {
            ?pair a ekipp:CitySimilarity ; ekipp:cosine ?cosine ;
                  ekipp:city ?a, ?b ; ekipp:facetSimilarity ?facet .
            ?facet ekipp:facet "gaps" ; ekipp:sharedItem ?item .
          }
          ?a rdfs:label ?first . ?b rdfs:label ?second . ?item skos:prefLabel ?shared .
          FILTER(STR(?first) < STR(?second))
        } ORDER BY DESC(?cosine) ?shared LIMIT 2
        """
    ).rows()
    assert [(str(r["first"]), str(r["second"]), str(r["shared"])) for r in rows] == [
        ("Alphaville", "Betaburg", "Funding"),
        ("Alphaville", "Betaburg", "Talent"),
    ]
    assert float(rows[0]["cosine"]) == pytest.approx(0.683266)


def test_provenance_names_algorithm_parameters_version_and_input_time(
    result: PatternsResult,
) -> None:
    store = EmbeddedStore()
    store.load_nquads(patterns_nquads(result))
    rows = store.query(
        """
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX ekipp: <https://w3id.org/ekip/patterns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX schema: <https://schema.org/>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?algorithm ?seed ?version ?ended (COUNT(DISTINCT ?input) AS ?inputs) WHERE {
          <https://w3id.org/ekip/id/activity/patterns/communities> a prov:Activity ;
              ekipp:algorithm ?algorithm ; prov:endedAtTime ?ended ;
              prov:wasAssociatedWith/schema:softwareVersion ?version ;
              ekipp:parameter [ rdfs:label "Communities of cities and actors: parameter – seed"@en ;
                                rdf:value ?seed ] ;
              prov:used ?input .
          FILTER(STRSTARTS(STR(?input), "https://w3id.org/ekip/graph/case/"))
        } GROUP BY ?algorithm ?seed ?version ?ended
        """
    ).rows()
    assert len(rows) == 1
    row = rows[0]
    assert "louvain" in str(row["algorithm"])
    assert int(row["seed"]) == 42
    assert str(row["version"]) == result.version
    assert str(row["ended"]).startswith("2026-11-25T00:00:00")
    assert int(row["inputs"]) == 4


def test_patterns_graph_is_one_named_graph_and_its_trig_parses(
    result: PatternsResult, written: Path
) -> None:
    graph = patterns_graph(result)
    assert graph.identifier == PATTERNS_GRAPH
    dataset = Dataset()
    dataset.parse(written / "patterns.trig", format="trig")
    assert len(dataset.graph(PATTERNS_GRAPH)) == len(graph)
    assert len((written / "patterns.nq").read_text().splitlines()) == len(graph)


# --- report ------------------------------------------------------------------------------------


def test_report_asks_each_question_and_shows_the_answers(result: PatternsResult) -> None:
    console = Console(record=True, width=160)
    render_report(result, console)
    text = console.export_text()
    for item in result.results:
        assert item.analysis.question in re.sub(r"\s+", " ", text)
    assert "0.683" in text and "Bridge Consulting" in text and "modularity 0.518" in text
    assert "Market access and visibility" in text
