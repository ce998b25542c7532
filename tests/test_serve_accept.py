"""Accept parsing, content negotiation and the IRI-to-path mapping, without a server."""

from __future__ import annotations

import pytest

from ekipgraph.serve.accept import negotiate, parse_accept, quality
from ekipgraph.serve.formats import document_suffix, result_format
from ekipgraph.serve.paths import document_href, iri_to_path, resolve

DOCS = ["text/turtle", "application/ld+json", "text/html"]


def test_q_values_rank_the_offers() -> None:
    assert negotiate("text/html;q=0.5, text/turtle;q=0.9", DOCS) == "text/turtle"
    assert negotiate("text/turtle;q=0.2, application/ld+json;q=0.3", DOCS) == "application/ld+json"


def test_the_most_specific_range_sets_the_q_value() -> None:
    ranges = parse_accept("text/*;q=0.3, text/html;q=0.7, */*;q=0.1, text/turtle")
    assert quality(ranges, "text/html") == 0.7
    assert quality(ranges, "text/turtle") == 1.0
    assert quality(ranges, "text/csv") == 0.3
    assert quality(ranges, "application/ld+json") == 0.1


def test_q_zero_refuses_a_type_even_under_a_wildcard() -> None:
    assert negotiate("*/*, text/turtle;q=0", DOCS) == "application/ld+json"
    assert negotiate("text/turtle;q=0", DOCS) is None


def test_ties_go_to_the_server_preference() -> None:
    assert negotiate("*/*", DOCS) == "text/turtle"
    assert negotiate("text/html, text/turtle", DOCS) == "text/turtle"


def test_missing_or_empty_accept_takes_anything() -> None:
    assert negotiate(None, DOCS) == "text/turtle"
    assert negotiate("  ", DOCS) == "text/turtle"


@pytest.mark.parametrize(
    "header",
    [
        "garbage",
        "text/turtle;q=abc",
        "text/turtle;q=5",
        "*/turtle",
        ";;;,,,",
        "a/b;" * 5000,
        "text/turtle;q=0.5;q=",
        "\x00\x01",
        "text/html;level=1;q=0.5;foo=bar",
    ],
)
def test_malformed_ranges_are_skipped_not_fatal(header: str) -> None:
    negotiate(header, DOCS)  # no exception
    assert len(parse_accept(header)) <= 64


def test_media_type_parameters_do_not_hide_the_type() -> None:
    assert negotiate("text/turtle;charset=utf-8;q=0.9, text/html;q=0.1", DOCS) == "text/turtle"
    assert (
        negotiate('application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"', DOCS)
        == "application/ld+json"
    )


def test_document_suffixes_with_aliases() -> None:
    assert document_suffix("application/xhtml+xml") == "html"
    assert document_suffix("application/x-turtle") == "ttl"
    assert document_suffix("text/plain") == "nt"
    assert document_suffix("application/json") == "jsonld"
    assert document_suffix("image/png") is None
    assert document_suffix("text/html", rdf_only=True) is None


def test_result_formats_by_accept_and_by_parameter() -> None:
    assert result_format("select", "text/csv", None).name == "csv"
    assert result_format("select", "*/*", None).name == "json"
    assert result_format("ask", "application/sparql-results+xml", None).name == "xml"
    assert result_format("select", "text/turtle", None) is None
    assert result_format("graph", "application/rdf+xml", None).name == "xml"
    assert result_format("graph", "text/csv", None) is None
    # SPARQLWrapper's format= names, interpreted per query form
    assert result_format("graph", "*/*", "json").name == "jsonld"
    assert result_format("select", "*/*", "xml").name == "xml"
    assert result_format("graph", "*/*", "rdf+xml").name == "xml"
    assert result_format("select", "text/csv", "nonsense").name == "csv"


def test_iris_map_to_paths_and_back() -> None:
    assert iri_to_path("https://w3id.org/ekip/id/city/lund") == "/id/city/lund"
    assert document_href("https://w3id.org/ekip/ontology#Actor") == "/ontology.html#Actor"
    assert document_href("https://w3id.org/ekip/id/city/lund", "ttl") == "/id/city/lund.ttl"
    assert document_href("https://w3id.org/ekip/sparql") == "/sparql"
    assert document_href("https://example.org/x") is None
    target = resolve("/ontology/0.1.0.ttl")
    assert target and (target.iri, target.suffix) == ("https://w3id.org/ekip/ontology/0.1.0", "ttl")
    target = resolve("/ontology/0.1.0")
    assert target and (target.iri, target.suffix) == ("https://w3id.org/ekip/ontology/0.1.0", None)
    target = resolve("/id/case/lund-ai/gap/talent-drain.html")
    assert target and target.iri.endswith("/gap/talent-drain") and target.suffix == "html"


@pytest.mark.parametrize(
    "path",
    [
        "/id/../../etc/passwd",
        "/id/./city",
        "/id//city",
        "/etc/passwd",
        "/id/city/.hidden",
        "/id/city/lund%00",
        "/id/city/l\u00fcnd",
        "/",
        "",
        "id/city/lund",
        "/id/" + "a" * 600,
        "/static/../app.py",
        "/id/city/lund/",
        "/ontology/..",
        "/id/city/lund.ttl/x",
    ],
)
def test_unsafe_paths_resolve_to_nothing(path: str) -> None:
    target = resolve(path)
    assert target is None or (".." not in target.iri and "//" not in target.iri[8:])
    if path in ("/id/../../etc/passwd", "/ontology/..", "/id/city/.hidden", "/id//city"):
        assert target is None
