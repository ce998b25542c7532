"""Dereferencing IRIs on a real server: every kind of IRI × every Accept (the conneg matrix),
rdflib's Graph().parse(IRI), 404 and 406, and the documents themselves."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF
from serve_support import ACCEPTS, IRIS, MatrixIri, check_matrix_row, serve_sample


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve_sample() as url:
        yield url


@pytest.mark.parametrize("accept", list(ACCEPTS))
@pytest.mark.parametrize("iri", IRIS, ids=lambda i: i.name)
def test_conneg_matrix(base: str, iri: MatrixIri, accept: str) -> None:
    check_matrix_row(base, iri, accept)


@pytest.mark.parametrize("rdflib_format", [None, "turtle", "json-ld", "xml", "nt"])
def test_rdflib_parses_an_iri_over_http(base: str, rdflib_format: str | None) -> None:
    graph = Graph().parse(f"{base}/id/city/lund", format=rdflib_format)
    lund = URIRef("https://w3id.org/ekip/id/city/lund")
    assert (lund, RDF.type, URIRef("https://w3id.org/ekip/ontology#City")) in graph


def test_rdflib_imports_the_ontology_by_its_local_iri(base: str) -> None:
    graph = Graph().parse(f"{base}/ontology")
    ontology = URIRef("https://w3id.org/ekip/ontology")
    assert (ontology, OWL.versionIRI, URIRef("https://w3id.org/ekip/ontology/0.1.0")) in graph
    assert len(graph) > 500


@pytest.mark.parametrize(
    "path",
    [
        "/id/city/nowhere",
        "/vocab/policy-area/nothing",
        "/ontology/9.9.9",
        "/id/city/nowhere.ttl",
        "/nothing/here",
    ],
)
def test_unknown_iris_are_404(base: str, path: str) -> None:
    response = httpx.get(base + path, headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/plain")


def test_no_acceptable_format_is_406_never_html(base: str) -> None:
    for accept in (
        "image/png",
        "application/sparql-results+json",
        "text/turtle;q=0, text/html;q=0",
    ):
        response = httpx.get(base + "/id/city/lund", headers={"Accept": accept})
        assert response.status_code == 406, accept
        assert "text/turtle" in response.text


def test_documents_ignore_accept_like_static_files(base: str) -> None:
    response = httpx.get(base + "/id/city/lund.ttl", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")


def test_head_answers_like_get(base: str) -> None:
    response = httpx.head(base + "/id/city/lund", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["location"] == "/id/city/lund.ttl"


def test_well_known_void_redirects_to_the_dataset_description(base: str) -> None:
    response = httpx.get(base + "/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 303 and response.headers["location"] == "/dataset.ttl"
    graph = Graph().parse(f"{base}/.well-known/void")
    assert (
        URIRef("https://w3id.org/ekip/dataset"),
        RDF.type,
        URIRef("http://rdfs.org/ns/void#Dataset"),
    ) in graph


def test_every_rdf_document_of_a_resource_holds_the_same_graph(base: str) -> None:
    from rdflib.compare import isomorphic

    graphs = [
        Graph().parse(data=httpx.get(f"{base}/id/case/lund-ai.{suffix}").content, format=fmt)
        for suffix, fmt in (("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt"), ("rdf", "xml"))
    ]
    assert all(isomorphic(graphs[0], other) for other in graphs[1:])
    case = URIRef("https://w3id.org/ekip/id/case/lund-ai")
    # out-links, in-links and nothing unrelated
    assert (
        case,
        URIRef("https://w3id.org/ekip/ontology#aboutCity"),
        URIRef("https://w3id.org/ekip/id/city/lund"),
    ) in graphs[0]
    assert all(case in (s, o) for s, _, o in graphs[0])


def test_a_graph_iri_dereferences_to_its_content_and_provenance(base: str) -> None:
    graph = Graph().parse(data=httpx.get(f"{base}/graph/case/lund-ai.nt").content, format="nt")
    name = URIRef("https://w3id.org/ekip/graph/case/lund-ai")
    assert (name, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None) in graph
    gap = URIRef("https://w3id.org/ekip/id/case/lund-ai/gap/talent-drain")
    assert (gap, RDF.type, URIRef("https://w3id.org/ekip/ontology#Gap")) in graph


def test_ancillary_files(base: str) -> None:
    context = httpx.get(base + "/ontology/context.jsonld")
    assert context.status_code == 200 and context.headers["content-type"] == "application/ld+json"
    assert context.json()["@context"]["City"] == "https://w3id.org/ekip/ontology#City"
    for suffix, fmt in (("trig", ox.RdfFormat.TRIG), ("nq", ox.RdfFormat.N_QUADS)):
        dump = httpx.get(f"{base}/dumps/ekip.{suffix}")
        assert dump.status_code == 200
        names = {
            q.graph_name.value
            for q in ox.parse(dump.content, format=fmt)
            if isinstance(q.graph_name, ox.NamedNode)
        }
        assert "https://w3id.org/ekip/graph/case/lund-ai" in names
    turtle = Graph().parse(data=httpx.get(f"{base}/dumps/ekip.ttl").content, format="turtle")
    assert len(turtle) > 1000
    assert httpx.get(base + "/dumps/ekip.xyz").status_code == 404
