"""Descriptions of the dataset: VoID and DCAT(-AP) in one document, and the SPARQL service
description.

The dataset ``https://w3id.org/ekip/dataset`` is a ``void:Dataset`` and a ``dcat:Dataset`` in
the catalog ``…/dataset#catalog``, with one ``dcat:Distribution`` per dump and the SPARQL
endpoint ``https://w3id.org/ekip/sparql`` as a ``dcat:DataService``. Statistics are counted
from the store, so the server and the static release describe the same data.

The cross-city patterns (the graph ``graph/patterns``, when the store holds it) are a part of
the dataset with dumps of their own: ``…/dataset#patterns``, a ``void:subset`` of the dataset
(VoID's way to describe a part, such as a named graph) and, as DCAT-AP wants every
distribution of a dataset to hold all of its data, a ``dcat:Dataset`` of its own
(``dcterms:isPartOf`` the dataset, in the catalog) with the ``patterns.*`` distributions.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, XSD

from ekipgraph import __version__
from ekipgraph.namespaces import BASE, ID_BASE, ONTOLOGY_IRI, SD, VOID
from ekipgraph.ontology import bind_prefixes
from ekipgraph.oxresults import solutions
from ekipgraph.serve.formats import DUMPS, GRAPH_FORMATS, PATTERNS_PART, SOLUTION_FORMATS

DATASET_IRI = URIRef(BASE + "dataset")
CATALOG_IRI = URIRef(BASE + "dataset#catalog")
SPARQL_IRI = URIRef(BASE + "sparql")
PATTERNS_IRI = URIRef(BASE + "dataset#patterns")
PATTERNS_GRAPH = BASE + "graph/patterns"
DUMP_PATH = "dumps/"
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
# rdflib's DCAT namespace is closed and predates DCAT 3 (dcat:version)
DCAT = Namespace("http://www.w3.org/ns/dcat#")
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
#: this project publishes the dataset (the ekip consortium is not its publisher)
PUBLISHER = URIRef(BASE + "id/organisation/ekipgraph-team")
#: EU file-type authority codes of the dumps (DCAT-AP dcterms:format)
FILE_TYPES = {"trig": "RDF_TRIG", "nq": "RDF_N_QUADS", "ttl": "RDF_TURTLE"}
#: W3C format IRIs for sd:resultFormat
W3C_FORMATS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "jsonld": "JSON-LD",
    "nt": "N-Triples",
}
VOCABULARIES = (
    str(ONTOLOGY_IRI),
    "http://www.w3.org/2004/02/skos/core#",
    "http://www.w3.org/ns/org#",
    "http://xmlns.com/foaf/0.1/",
    "http://www.w3.org/ns/prov#",
    "http://purl.org/dc/terms/",
    "https://schema.org/",
)


def _count(store: ox.Store, query: str) -> int:
    found = solutions(store.query(query, use_default_graph_as_union=True))
    return int(next(iter(found))["n"].value)


def statistics(store: ox.Store) -> dict[str, int]:
    """VoID statistics over the union of all graphs."""
    queries = {
        "triples": "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }",
        "entities": (
            "SELECT (COUNT(DISTINCT ?s) AS ?n) "
            f'{{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ID_BASE}")) }}'
        ),
        "classes": "SELECT (COUNT(DISTINCT ?c) AS ?n) { ?s a ?c }",
        "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?s ?p ?o }",
        "distinctSubjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }",
        "distinctObjects": "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }",
    }
    return {name: _count(store, query) for name, query in queries.items()}


def class_partitions(store: ox.Store, limit: int = 50) -> list[tuple[str, int]]:
    query = (
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c FILTER(isIRI(?c)) } "
        f"GROUP BY ?c ORDER BY DESC(?n) ?c LIMIT {limit}"
    )
    rows = solutions(store.query(query, use_default_graph_as_union=True))
    return [(row["c"].value, int(row["n"].value)) for row in rows]


def example_resources(store: ox.Store, limit: int = 3) -> list[str]:
    query = (
        f'SELECT DISTINCT ?s {{ ?s a ?c FILTER(STRSTARTS(STR(?s), "{ID_BASE}")) }} '
        f"ORDER BY ?s LIMIT {limit}"
    )
    rows = solutions(store.query(query, use_default_graph_as_union=True))
    return [row["s"].value for row in rows]


def is_synthetic(store: ox.Store) -> bool:
    """True when the store holds cases made by ``ekipgraph synth`` (ids ``synthetic-…``)."""
    prefix = f"{ID_BASE}case/synthetic-"
    query = (
        f"ASK {{ ?case a <{ONTOLOGY_IRI}#CityCaseDescription> "
        f'FILTER(STRSTARTS(STR(?case), "{prefix}")) }}'
    )
    return bool(store.query(query, use_default_graph_as_union=True))


def _graph_triples(store: ox.Store, graph: str) -> int:
    return _count(store, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")


def _describe_patterns(graph: Graph, triples: int) -> None:
    """The cross-city patterns as a part of the dataset (VoID subset, DCAT dataset)."""
    p, d = PATTERNS_IRI, DATASET_IRI
    for rdf_type in (VOID.Dataset, DCAT.Dataset):
        graph.add((p, RDF.type, rdf_type))
    graph.add((p, DCTERMS.title, Literal("ekip cross-city patterns", lang="en")))
    graph.add(
        (
            p,
            DCTERMS.description,
            Literal(
                "The results of ekipgraph's cross-city analyses of the dataset (city "
                "similarity and why, shared gaps, resource-type centrality, bridging actors, "
                "communities, recommendation coverage, policy area and sector "
                "co-occurrence), with PROV-O on how they were computed: the graph "
                f"<{PATTERNS_GRAPH}>.",
                lang="en",
            ),
        )
    )
    graph.add((d, VOID.subset, p))
    graph.add((d, DCTERMS.hasPart, p))
    graph.add((p, DCTERMS.isPartOf, d))
    graph.add((p, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), d))
    graph.add((CATALOG_IRI, DCAT.dataset, p))
    graph.add((p, DCTERMS.publisher, PUBLISHER))
    graph.add((p, DCTERMS.license, CC_BY))
    graph.add((p, DCTERMS.conformsTo, URIRef(BASE + "patterns")))
    graph.add((p, VOID.sparqlEndpoint, SPARQL_IRI))
    graph.add((p, VOID.triples, Literal(triples, datatype=XSD.integer)))


def dataset_description(store: ox.Store) -> Graph:
    """VoID + DCAT-AP: catalog, dataset, distributions (the dumps) and the SPARQL service."""
    graph = bind_prefixes(Graph())
    graph.bind("void", VOID)
    graph.bind("vcard", VCARD)
    graph.bind("sd", SD)
    stats = statistics(store)

    graph.add((CATALOG_IRI, RDF.type, DCAT.Catalog))
    graph.add((CATALOG_IRI, DCTERMS.title, Literal("ekip linked data catalogue", lang="en")))
    graph.add(
        (
            CATALOG_IRI,
            DCTERMS.description,
            Literal("The ekip knowledge graph and the services that give access to it.", lang="en"),
        )
    )
    graph.add((CATALOG_IRI, DCTERMS.publisher, PUBLISHER))
    graph.add((CATALOG_IRI, FOAF.homepage, URIRef(BASE)))
    graph.add((CATALOG_IRI, DCAT.dataset, DATASET_IRI))
    graph.add((CATALOG_IRI, DCAT.service, SPARQL_IRI))
    graph.add((CATALOG_IRI, DCTERMS.license, CC_BY))

    d = DATASET_IRI
    for rdf_type in (VOID.Dataset, DCAT.Dataset):
        graph.add((d, RDF.type, rdf_type))
    if is_synthetic(store):
        title = "ekip knowledge graph: SYNTHETIC test data, not ekip data"
        description = (
            "Made-up City Case Descriptions written by `ekipgraph synth` to measure and test "
            "ekipgraph at scale; they describe no real city, organisation, person or event. "
            "Only the ontology and its SKOS concept schemes are real."
        )
    else:
        title = "ekip knowledge graph"
        description = (
            "Policy-innovation relationships in Europe's cultural and creative industries, "
            "from the work of the Horizon Europe project ekip (grant 101112111): partner "
            "cities, City Case Descriptions, actors, resource needs, strengths, gaps and "
            "policy recommendations, with the ekip ontology and its SKOS concept schemes."
        )
    graph.add((d, DCTERMS.title, Literal(title, lang="en")))
    graph.add((d, DCTERMS.description, Literal(description, lang="en")))
    graph.add((d, DCTERMS.publisher, PUBLISHER))
    graph.add((d, DCTERMS.creator, URIRef(BASE + "id/organisation/ekipgraph-team")))
    graph.add((d, DCTERMS.license, CC_BY))
    graph.add((d, DCTERMS.language, URIRef(EU_AUTHORITY + "language/ENG")))
    graph.add((d, DCAT.theme, URIRef(EU_AUTHORITY + "data-theme/EDUC")))
    graph.add((d, DCAT.theme, URIRef(EU_AUTHORITY + "data-theme/ECON")))
    graph.add((d, DCTERMS.spatial, URIRef(EU_AUTHORITY + "continent/EUROPE")))
    for keyword in (
        "cultural and creative industries",
        "innovation policy",
        "policy lab",
        "linked data",
    ):
        graph.add((d, DCAT.keyword, Literal(keyword, lang="en")))
    graph.add((d, DCTERMS.conformsTo, ONTOLOGY_IRI))
    graph.add((d, FOAF.homepage, URIRef("https://ekipengine.eu/")))
    graph.add((d, DCAT.version, Literal(__version__)))
    contact = BNode("contact")
    graph.add((d, DCAT.contactPoint, contact))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal("ekipgraph contributors")))
    graph.add((contact, VCARD.hasURL, URIRef(BASE)))

    graph.add((d, VOID.sparqlEndpoint, SPARQL_IRI))
    graph.add((d, VOID.uriSpace, Literal(BASE)))
    graph.add((d, VOID.rootResource, ONTOLOGY_IRI))
    for vocabulary in VOCABULARIES:
        graph.add((d, VOID.vocabulary, URIRef(vocabulary)))
    graph.add((d, VOID.feature, URIRef("http://www.w3.org/ns/formats/TriG")))
    for name, value in stats.items():
        graph.add((d, VOID[name], Literal(value, datatype=XSD.integer)))
    for iri in example_resources(store):
        graph.add((d, VOID.exampleResource, URIRef(iri)))
    for index, (cls, count) in enumerate(class_partitions(store)):
        partition = URIRef(f"{DATASET_IRI}#class-{index}")
        graph.add((d, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(cls)))
        graph.add((partition, VOID.entities, Literal(count, datatype=XSD.integer)))

    patterns = _graph_triples(store, PATTERNS_GRAPH)
    if patterns:
        _describe_patterns(graph, patterns)
    for dump in DUMPS.values():
        if dump.part == PATTERNS_PART and not patterns:
            continue
        owner = PATTERNS_IRI if dump.part == PATTERNS_PART else d
        download = URIRef(f"{BASE}{DUMP_PATH}{dump.name}")
        stem = "patterns-" if dump.part == PATTERNS_PART else ""
        distribution = URIRef(f"{DATASET_IRI}#{stem}dump-{dump.suffix}")
        title = "ekip cross-city patterns" if dump.part == PATTERNS_PART else "ekip dataset"
        graph.add((owner, VOID.dataDump, download))
        graph.add((owner, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.title, Literal(f"{title} ({dump.suffix})", lang="en")))
        graph.add((distribution, DCAT.downloadURL, download))
        graph.add((distribution, DCAT.accessURL, download))
        graph.add((distribution, DCAT.mediaType, URIRef(IANA + dump.media_type)))
        graph.add(
            (
                distribution,
                DCTERMS["format"],
                URIRef(EU_AUTHORITY + "file-type/" + FILE_TYPES[dump.suffix]),
            )
        )
        graph.add((distribution, DCTERMS.license, CC_BY))

    sparql_distribution = URIRef(f"{DATASET_IRI}#sparql")
    graph.add((d, DCAT.distribution, sparql_distribution))
    graph.add((sparql_distribution, RDF.type, DCAT.Distribution))
    graph.add((sparql_distribution, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
    graph.add((sparql_distribution, DCAT.accessURL, SPARQL_IRI))
    graph.add((sparql_distribution, DCAT.accessService, SPARQL_IRI))
    graph.add((sparql_distribution, DCTERMS.license, CC_BY))

    s = SPARQL_IRI
    graph.add((s, RDF.type, DCAT.DataService))
    graph.add((s, DCTERMS.title, Literal("ekip SPARQL endpoint", lang="en")))
    graph.add((s, DCAT.endpointURL, SPARQL_IRI))
    graph.add((s, DCAT.endpointDescription, SPARQL_IRI))
    graph.add((s, DCAT.servesDataset, d))
    graph.add((s, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    graph.add((s, DCTERMS.license, CC_BY))
    graph.add((s, DCTERMS.publisher, PUBLISHER))
    return graph


def service_description(
    store: ox.Store, endpoint: str, updates: bool, limits: dict[str, str] | None = None
) -> Graph:
    """The SPARQL 1.1 Service Description returned on GET /sparql without a query;
    ``limits`` (what the endpoint refuses beyond what) go in its description."""
    graph = bind_prefixes(Graph())
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if updates:
        graph.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    if limits and limits.get("SERVICE endpoints allowed", "none") != "none":
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    if limits:
        text = "Limits: " + "; ".join(f"{name}: {value}" for name, value in limits.items())
        graph.add((service, DCTERMS.description, Literal(text, lang="en")))
    for fmt in (*SOLUTION_FORMATS, *GRAPH_FORMATS):
        if fmt.name in W3C_FORMATS:
            graph.add(
                (
                    service,
                    SD.resultFormat,
                    URIRef("http://www.w3.org/ns/formats/" + W3C_FORMATS[fmt.name]),
                )
            )
    graph.add((service, SD.resultFormat, URIRef("http://www.w3.org/ns/formats/RDF_XML")))
    graph.add((service, DCTERMS.title, Literal("ekip SPARQL endpoint", lang="en")))
    dataset = BNode("dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, DCTERMS.source, DATASET_IRI))
    default = BNode("default")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add(
        (
            default,
            DCTERMS.description,
            Literal("The union of all named graphs and the default graph.", lang="en"),
        )
    )
    rows = solutions(
        store.query("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    )
    for index, row in enumerate(rows):
        named = BNode(f"graph{index}")
        described = BNode(f"graph{index}-content")
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, SD.name, URIRef(row["g"].value)))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, Literal(int(row["n"].value), datatype=XSD.integer)))
        if row["g"].value == PATTERNS_GRAPH:
            graph.add((described, DCTERMS.source, PATTERNS_IRI))
            graph.add(
                (
                    described,
                    DCTERMS.description,
                    Literal("The cross-city patterns computed from the other graphs.", lang="en"),
                )
            )
    return graph
