"""The converter: the RDF that the kitchen-sink corpus becomes (docs/authoring.md, "What the
converter makes of it"), its provenance, its source index and its determinism."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Literal, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS

from ekipgraph.cases import ConceptIndex, load_corpus
from ekipgraph.graph import (
    ONTOLOGY_GRAPH,
    SHARED_GRAPH,
    BuiltDataset,
    build_dataset,
    case_graph_iri,
    graph_name,
    is_tbox_graph,
    to_sorted_nquads,
    vocab_graph_iri,
)
from ekipgraph.namespaces import EKIP, concept_iri, instance_iri
from ekipgraph.project import ProjectLayout

# rdflib's SDO and XSD warn when pytest's collection probes them; plain namespaces do not.
SDO = Namespace("https://schema.org/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
CASE = instance_iri("case", "exampleton-ai")
CASE_GRAPH = case_graph_iri("exampleton-ai")
TTL_CASE_GRAPH = case_graph_iri("northport-games")


def part(kind: str, key: str) -> URIRef:
    return instance_iri(f"case/exampleton-ai/{kind}", key)


@pytest.fixture(scope="module")
def built(kitchen_sink: Path, concepts: ConceptIndex, layout: ProjectLayout) -> BuiltDataset:
    return build_dataset(load_corpus(kitchen_sink, concepts), layout)


@pytest.fixture(scope="module")
def dataset(built: BuiltDataset) -> Dataset:
    return built.dataset


def graph_names(dataset: Dataset) -> set[str]:
    return {graph_name(g.identifier) for g in dataset.graphs() if len(g)}


def test_graphs_of_the_dataset(dataset: Dataset, layout: ProjectLayout) -> None:
    schemes = {f"vocab/{path.stem}" for path in layout.vocab_files()}
    assert graph_names(dataset) == {
        "default",
        "ontology",
        "ontology/patterns",
        "shared",
        "case/exampleton-ai",
        "case/exampleton-heritage",
        "case/northport-games",
        *schemes,
    }
    assert (EKIP.CityCaseDescription, RDF.type, None) in dataset.graph(ONTOLOGY_GRAPH)
    assert (concept_iri("availability-status", "missing"), RDF.type, SKOS.Concept) in dataset.graph(
        vocab_graph_iri("availability-status")
    )


def test_the_case_in_its_own_graph(dataset: Dataset) -> None:
    graph = dataset.graph(CASE_GRAPH)
    for triple in [
        (CASE, RDF.type, EKIP.CityCaseDescription),
        (CASE, RDFS.label, Literal("City Case Description: Exampleton and AI", lang="en")),
        (CASE, DCTERMS.title, Literal("Stadsfall: Exampleton och AI", lang="sv")),
        (CASE, EKIP.aboutCity, instance_iri("city", "exampleton")),
        (CASE, EKIP.addressesPolicyArea, concept_iri("policy-area", "ai-and-cci")),
        (CASE, EKIP.concernsSector, concept_iri("cci-sector", "music")),
        (CASE, EKIP.publicationYear, Literal(2025, datatype=XSD.integer)),
        (CASE, SDO.url, URIRef("https://example.org/cases/exampleton-ai")),
        (CASE, EKIP.producedBy, instance_iri("workshop", "exampleton-ai-2024")),
        (CASE, EKIP.testsRecommendation, instance_iri("recommendation", "ai-small-actors")),
        (CASE, DCTERMS.source, URIRef("https://example.org/news/exampleton-workshop")),
        (CASE, EKIP.hasInvolvement, part("involvement", "exampleton-lab")),
        (CASE, EKIP.describesPortfolio, part("portfolio", "heritage-immersive")),
        (CASE, EKIP.identifiesNeed, part("need", "early-funding")),
        (CASE, EKIP.identifiesStrength, part("strength", "creative-spaces")),
        (CASE, EKIP.identifiesGap, part("gap", "talent-drain")),
        (CASE, EKIP.anticipatesStimulus, part("stimulus", "ai-collaboration")),
    ]:
        assert triple in graph, triple
    summary = graph.value(CASE, EKIP.contextSummary)
    assert summary.language == "en" and "\n" not in summary  # folded, and stripped
    assert graph.value(CASE, EKIP.viewpointStatement).language == "en"


def test_case_parts(dataset: Dataset) -> None:
    graph = dataset.graph(CASE_GRAPH)
    portfolio = part("portfolio", "heritage-immersive")
    idea = part("item", "storytelling-app")
    for triple in [
        (portfolio, RDF.type, EKIP.InnovationPortfolio),
        (portfolio, RDFS.label, Literal("Heritage and immersive technology", lang="en")),
        (portfolio, EKIP.hasFacet, concept_iri("opsi-facet", "anticipatory")),
        (portfolio, EKIP.hasItem, idea),
        (
            portfolio,
            EKIP.hasInvolvement,
            part("involvement", "heritage-immersive-exampleton-university"),
        ),
        (idea, RDF.type, EKIP.Idea),
        (part("item", "sound-archive"), RDF.type, EKIP.InnovationProject),
        (part("item", "design-week"), RDF.type, EKIP.Initiative),
        (idea, EKIP.inZone, concept_iri("innovation-zone", "yellow")),
        (idea, EKIP.fundedAtLayer, concept_iri("liept-layer", "layer-2")),
        (idea, EKIP.hasInvolvement, part("involvement", "storytelling-app-ada-example")),
        (
            part("involvement", "storytelling-app-ada-example"),
            EKIP.involvedActor,
            instance_iri("person", "ada-example"),
        ),
        (
            part("involvement", "exampleton-lab"),
            EKIP.roleDescription,
            Literal("co-led the workshop", lang="en"),
        ),
        (part("need", "immersive-test-facilities"), EKIP.neededFor, portfolio),
        (part("need", "early-funding"), EKIP.neededFor, idea),
        (
            part("need", "early-funding"),
            EKIP.availability,
            concept_iri("availability-status", "missing"),
        ),
        (
            part("need", "immersive-test-facilities"),
            EKIP.potentialProvider,
            instance_iri("organisation", "exampleton-university"),
        ),
        (
            part("need", "immersive-test-facilities"),
            EKIP.needDescription,
            Literal("A place to test immersive experiences with visitors.", lang="en"),
        ),
        (
            part("strength", "creative-spaces"),
            EKIP.concernsResourceType,
            concept_iri("resource-type", "facilities"),
        ),
        (part("gap", "talent-drain"), RDF.type, EKIP.Gap),
        (
            part("stimulus", "ai-collaboration"),
            EKIP.stimulatedBy,
            instance_iri("recommendation", "ai-small-actors"),
        ),
    ]:
        assert triple in graph, triple


def test_shared_entities(dataset: Dataset) -> None:
    graph = dataset.graph(SHARED_GRAPH)
    project = instance_iri("project", "demo-project")
    lab = instance_iri("policy-lab", "policy-lab-1")
    workshop = instance_iri("workshop", "exampleton-ai-2024")
    source = URIRef("https://example.org/context/exampleton")
    for triple in [
        (instance_iri("country", "freedonia"), RDF.type, EKIP.Country),
        (instance_iri("country", "sylvania"), RDFS.label, Literal("Sylvania", lang="en")),
        (instance_iri("city", "exampleton"), EKIP.inCountry, instance_iri("country", "freedonia")),
        (
            instance_iri("city", "exampleton"),
            SDO.sameAs,
            URIRef("https://example.org/authority/city/exampleton"),
        ),
        (
            instance_iri("organisation", "exampleton-university"),
            SKOS.altLabel,
            Literal("XU", lang="en"),
        ),
        (
            instance_iri("organisation", "exampleton-university"),
            EKIP.basedIn,
            instance_iri("city", "exampleton"),
        ),
        (
            instance_iri("organisation", "exampleton-lab"),
            EKIP.basedIn,
            instance_iri("country", "freedonia"),
        ),
        (
            instance_iri("organisation", "exampleton-lab"),
            EKIP.affiliatedEntityOf,
            instance_iri("organisation", "exampleton-university"),
        ),
        (instance_iri("organisation", "exampleton-university"), EKIP.coordinates, project),
        (
            instance_iri("organisation", "exampleton-university"),
            FOAF.homepage,
            URIRef("https://example.org/university/"),
        ),
        (instance_iri("person", "ada-example"), RDFS.label, Literal("Ada Example")),
        (
            instance_iri("person", "ada-example"),
            ORG.memberOf,
            instance_iri("organisation", "exampleton-lab"),
        ),
        (project, RDFS.label, Literal("demo", lang="en")),
        (project, DCTERMS.title, Literal("Demo project for a policy engine", lang="en")),
        (project, DCTERMS.identifier, Literal("123456789")),
        (project, EKIP.startDate, Literal("2023-06", datatype=XSD.gYearMonth)),
        (project, EKIP.endDate, Literal("2026-11-30", datatype=XSD.date)),
        (lab, EKIP.sequenceNumber, Literal(1, datatype=XSD.positiveInteger)),
        (lab, EKIP.organisedBy, instance_iri("person", "ada-example")),
        (lab, EKIP.heldIn, instance_iri("city", "exampleton")),
        (workshop, EKIP.startDate, Literal("2024-09-12", datatype=XSD.date)),
        (workshop, EKIP.heldIn, instance_iri("city", "exampleton")),
        (workshop, EKIP.participantCount, Literal(25, datatype=XSD.nonNegativeInteger)),
        (workshop, EKIP.participantType, concept_iri("actor-type", "company")),
        (workshop, EKIP.partOfProject, project),
        (
            instance_iri("recommendation", "ai-small-actors"),
            EKIP.recommendationStatus,
            concept_iri("recommendation-status", "draft"),
        ),
        (instance_iri("recommendation", "ai-small-actors"), EKIP.draftedIn, lab),
        (
            instance_iri("recommendation", "ai-small-actors"),
            EKIP.publicationYear,
            Literal(2024, datatype=XSD.integer),
        ),
        (source, RDF.type, FOAF.Document),
        (source, RDF.type, PROV.Entity),
        (source, EKIP.sourceKind, concept_iri("source-kind", "context-page")),
        (source, DCTERMS.language, Literal("en-GB", datatype=XSD.language)),
        (source, DCTERMS.title, Literal("Exampleton city portal", lang="en")),
    ]:
        assert triple in graph, triple
    # A person's name is the same in every language: no language tag.
    assert {
        o.language for o in graph.objects(instance_iri("person", "ada-example"), RDFS.label)
    } == {None}


def test_provenance_of_case_graphs_in_the_default_graph(dataset: Dataset) -> None:
    default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    cited = set(dataset.graph(CASE_GRAPH).objects(None, DCTERMS.source))
    assert cited == {
        URIRef("https://example.org/cases/exampleton-ai"),
        URIRef("https://example.org/news/exampleton-workshop"),
    }
    assert set(default.triples((CASE_GRAPH, None, None))) == {
        (CASE_GRAPH, RDF.type, PROV.Entity),
        *((CASE_GRAPH, PROV.wasDerivedFrom, source) for source in cited),
        (CASE_GRAPH, PROV.wasGeneratedBy, instance_iri("workshop", "exampleton-ai-2024")),
        (
            CASE_GRAPH,
            PROV.generatedAtTime,
            Literal("2026-11-28T00:00:00+00:00", datatype=XSD.dateTime),
        ),
        (CASE_GRAPH, DCTERMS.source, Literal("cases/exampleton-ai.yaml")),
        (
            CASE_GRAPH,
            RDFS.label,
            Literal("City Case Description: Exampleton and AI: case graph", lang="en"),
        ),
    }
    # The RDF-authored case: its own provenance statement moved out of its graph.
    assert (TTL_CASE_GRAPH, PROV.generatedAtTime, None) in default
    assert (TTL_CASE_GRAPH, None, None) not in dataset.graph(TTL_CASE_GRAPH)
    assert (TTL_CASE_GRAPH, DCTERMS.source, Literal("cases/northport-games.ttl")) in default


def test_no_blank_nodes_in_the_data(dataset: Dataset) -> None:
    for graph in dataset.graphs():
        if is_tbox_graph(graph.identifier):
            continue
        assert not any(isinstance(t, BNode) for triple in graph for t in triple)


def test_source_index_points_at_the_yaml_node(built: BuiltDataset, kitchen_sink: Path) -> None:
    index = built.source_index
    case_file = kitchen_sink / "cases" / "exampleton-ai.yaml"
    assert (
        index[part("need", "early-funding")].path,
        index[part("need", "early-funding")].line,
    ) == (case_file, 81)
    assert index[part("item", "storytelling-app")].line == 40
    assert index[part("involvement", "storytelling-app-ada-example")].line == 49
    assert index[CASE].line == 2 and index[CASE_GRAPH].line == 2
    assert (
        str(index[instance_iri("city", "northport")])
        == f"{kitchen_sink / 'shared' / 'cities.yaml'}:10"
    )
    assert index[URIRef("https://example.org/project/about")].line == 11
    ttl = kitchen_sink / "cases" / "northport-games.ttl"
    assert index[instance_iri("case", "northport-games")].path == ttl
    assert index[instance_iri("case", "northport-games")].line == 15
    assert index[instance_iri("case/northport-games/gap", "few-publishers")].line == 32
    # Every subject of the data graphs can be traced to a file.
    for graph in built.dataset.graphs():
        name = graph_name(graph.identifier)
        if name == "shared" or name.startswith("case/"):
            assert set(graph.subjects()) <= set(index), name


def test_summary(built: BuiltDataset) -> None:
    counts = built.summary.counts
    assert {
        k: counts[k]
        for k in (
            "cities",
            "cases",
            "actors",
            "needs",
            "gaps",
            "strengths",
            "portfolios",
            "items",
            "involvements",
            "sources",
        )
    } == {
        "cities": 2,
        "cases": 3,
        "actors": 6,
        "needs": 3,
        "gaps": 4,
        "strengths": 3,
        "portfolios": 2,
        "items": 4,
        "involvements": 5,
        "sources": 5,
    }
    triples = built.summary.triples_per_graph
    assert triples["case/exampleton-ai"] == len(built.dataset.graph(CASE_GRAPH))
    assert built.summary.total_triples == sum(len(g) for g in built.dataset.graphs())


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # inside rdflib's N-Quads parser
def test_sorted_nquads_are_sorted_and_round_trip(dataset: Dataset) -> None:
    text = to_sorted_nquads(dataset)
    lines = text.splitlines()
    assert lines == sorted(lines) and len(lines) == len(set(lines))
    assert len(lines) == sum(len(g) for g in dataset.graphs())
    # Parsed back (fresh blank nodes) and written again: the same bytes.
    again = Dataset()
    again.parse(data=text, format="nquads")
    assert to_sorted_nquads(again) == text
    # Oxigraph reads it too, with the same number of quads.
    store = ox.Store()
    store.load(text.encode(), format=ox.RdfFormat.N_QUADS)
    assert len(store) == len(lines)


def test_whole_dataset_is_deterministic(
    kitchen_sink: Path, concepts: ConceptIndex, layout: ProjectLayout, dataset: Dataset
) -> None:
    """Built again from scratch (TBox re-parsed, so new blank nodes): the same bytes."""
    again = build_dataset(load_corpus(kitchen_sink, concepts), layout)
    assert to_sorted_nquads(again.dataset) == to_sorted_nquads(dataset)


def test_output_conforms_to_the_shapes(dataset: Dataset, layout: ProjectLayout) -> None:
    """The converter writes what the SHACL shapes expect: no violation on the kitchen sink."""
    shapes_module = pytest.importorskip("ekipgraph.shapes")
    shapes = shapes_module.load_shapes(layout.shapes_dir)
    outcome = shapes_module.validate_data(dataset, shapes)
    assert [str(r) for r in outcome.violations] == []
