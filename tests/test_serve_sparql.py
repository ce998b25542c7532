"""The SPARQL endpoint on a real server: the SPARQL 1.1 Protocol tests that apply to a
read-only endpoint, SPARQLWrapper, updates behind a token, the limits, hostile requests."""

from __future__ import annotations

import csv
import http.client
import io
import json
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from rdflib import Graph, URIRef
from serve_support import serve_sample
from SPARQLWrapper import GET, JSON, POST, RDFXML, TURTLE, SPARQLWrapper

from ekipgraph.serve import ServeConfig

CCD = "<https://w3id.org/ekip/ontology#CityCaseDescription>"
CASES = f"SELECT ?case WHERE {{ ?case a {CCD} }} ORDER BY ?case"
CONSTRUCT = "CONSTRUCT { ?c ?p ?o } WHERE { ?c a <https://w3id.org/ekip/ontology#City> ; ?p ?o }"
GRAPH = "https://w3id.org/ekip/graph/"
SPARQL_JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve_sample() as url:
        yield url


@pytest.fixture(scope="module")
def endpoint(base: str) -> str:
    return base + "/sparql"


def bindings(response: httpx.Response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(SPARQL_JSON)
    return response.json()["results"]["bindings"]


# --- protocol: queries ----------------------------------------------------------------------


def test_query_get(endpoint: str) -> None:
    rows = bindings(httpx.get(endpoint, params={"query": CASES}))
    assert [r["case"]["value"] for r in rows] == [
        "https://w3id.org/ekip/id/case/lund-ai",
        "https://w3id.org/ekip/id/case/rotterdam-immersive",
    ]


def test_query_post_form(endpoint: str) -> None:
    assert len(bindings(httpx.post(endpoint, data={"query": CASES}))) == 2


def test_query_post_direct(endpoint: str) -> None:
    response = httpx.post(
        endpoint, content=CASES.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert len(bindings(response)) == 2


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", SPARQL_JSON),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", SPARQL_JSON),
        ("text/csv;q=0.4, application/sparql-results+xml;q=0.5", "application/sparql-results+xml"),
    ],
)
def test_select_content_types(endpoint: str, accept: str, media_type: str) -> None:
    response = httpx.get(endpoint, params={"query": CASES}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    if media_type == "text/csv":
        assert next(csv.reader(io.StringIO(response.text))) == ["case"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (SPARQL_JSON, SPARQL_JSON),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
    ],
)
def test_ask_content_types(endpoint: str, accept: str, expected: str) -> None:
    query = "ASK { <https://w3id.org/ekip/id/city/lund> ?p ?o }"
    response = httpx.get(endpoint, params={"query": query}, headers={"Accept": accept})
    assert response.headers["content-type"].split(";")[0] == expected
    assert "true" in response.text


@pytest.mark.parametrize(
    ("accept", "media_type", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("*/*", "text/turtle", "turtle"),
    ],
)
def test_construct_and_describe_content_types(
    endpoint: str, accept: str, media_type: str, rdflib_format: str
) -> None:
    for query in (CONSTRUCT, "DESCRIBE <https://w3id.org/ekip/id/city/lund>"):
        response = httpx.post(endpoint, data={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == media_type
        graph = Graph().parse(data=response.content, format=rdflib_format)
        assert (URIRef("https://w3id.org/ekip/id/city/lund"), None, None) in graph


def test_no_acceptable_result_format_is_406(endpoint: str) -> None:
    assert (
        httpx.get(endpoint, params={"query": CASES}, headers={"Accept": "text/turtle"}).status_code
        == 406
    )
    response = httpx.get(endpoint, params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert response.status_code == 406 and "text/turtle" in response.text


def test_bad_query_is_400_with_the_parser_message(endpoint: str) -> None:
    response = httpx.get(endpoint, params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400
    assert "syntax error" in response.text.lower() and "1:" in response.text


@pytest.mark.parametrize(
    ("method", "kwargs", "status"),
    [
        ("GET", {"params": [("query", CASES), ("query", CASES)]}, 400),  # two queries
        ("POST", {"data": {"query": CASES, "update": "CLEAR ALL"}}, 400),  # query and update
        ("POST", {"data": {"nothing": "x"}}, 400),
        ("PUT", {"content": CASES}, 405),
        ("DELETE", {}, 405),
        ("POST", {"content": CASES, "headers": {"Content-Type": "text/plain"}}, 415),
        ("POST", {"content": CASES, "headers": {"Content-Type": ""}}, 415),
        (
            "POST",
            {
                "content": "query=" + CASES,
                "headers": {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-16"},
            },
            415,
        ),
        ("GET", {"params": {"update": "CLEAR ALL"}}, 400),  # update via GET
        ("GET", {"params": {"query": "   "}}, 400),
        (
            "POST",
            {
                "content": b"SELECT * { ?s ?p \xff }",
                "headers": {"Content-Type": "application/sparql-query"},
            },
            400,
        ),
        ("GET", {"params": {"query": CASES, "default-graph-uri": "not an iri"}}, 400),
    ],
)
def test_protocol_violations_are_4xx(endpoint: str, method: str, kwargs: dict, status: int) -> None:
    response = httpx.request(method, endpoint, **kwargs)
    assert response.status_code == status, response.text
    assert response.text.strip()


def test_dataset_parameters(endpoint: str) -> None:
    count = f"SELECT (COUNT(DISTINCT ?c) AS ?n) {{ ?c a {CCD} }}"
    both = [
        ("query", count),
        ("default-graph-uri", GRAPH + "case/lund-ai"),
        ("default-graph-uri", GRAPH + "case/rotterdam-immersive"),
    ]
    assert bindings(httpx.get(endpoint, params=both))[0]["n"]["value"] == "2"
    one = [("query", count), ("default-graph-uri", GRAPH + "case/lund-ai")]
    form = httpx.post(
        endpoint,
        content=urlencode(one),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert bindings(form)[0]["n"]["value"] == "1"
    named = [
        ("query", "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"),
        ("named-graph-uri", GRAPH + "shared"),
    ]
    rows = bindings(httpx.get(endpoint, params=named))
    assert [r["g"]["value"] for r in rows] == [GRAPH + "shared"]
    direct = httpx.post(
        endpoint + "?default-graph-uri=" + GRAPH + "case/lund-ai",
        content=count,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert bindings(direct)[0]["n"]["value"] == "1"


def test_service_description_for_rdf_clients_and_query_page_for_browsers(endpoint: str) -> None:
    sd = URIRef("http://www.w3.org/ns/sparql-service-description#")
    for accept in ("text/turtle", "*/*", None):
        response = httpx.get(endpoint, headers={"Accept": accept} if accept else {})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/turtle")
        graph = Graph().parse(data=response.content, format="turtle")
        assert (None, None, URIRef(sd + "Service")) in graph
    page = httpx.get(endpoint, headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.headers["content-type"].startswith("text/html")
    assert "Query library" in page.text and "/static/yasgui/yasgui.min.js" in page.text
    assert "cdn" not in page.text.lower()


def test_download_links_name_the_file(endpoint: str) -> None:
    response = httpx.get(endpoint, params={"query": CASES, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="ekip-results.csv"' in response.headers["content-disposition"]


# --- clients ----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper(endpoint: str, method: str) -> None:
    wrapper = SPARQLWrapper(endpoint)
    wrapper.setMethod(method)
    wrapper.setQuery(CASES)
    wrapper.setReturnFormat(JSON)
    assert len(wrapper.queryAndConvert()["results"]["bindings"]) == 2
    wrapper.setQuery("ASK { ?s a <https://w3id.org/ekip/ontology#City> }")
    assert wrapper.queryAndConvert()["boolean"] is True
    for return_format in (TURTLE, RDFXML):
        wrapper.setQuery(CONSTRUCT)
        wrapper.setReturnFormat(return_format)
        result = wrapper.queryAndConvert()
        graph = (
            result
            if isinstance(result, Graph)
            else Graph().parse(data=result, format="turtle" if return_format == TURTLE else "xml")
        )
        assert (URIRef("https://w3id.org/ekip/id/city/lund"), None, None) in graph


def test_sparqlwrapper_sees_a_bad_query_as_bad_request(endpoint: str) -> None:
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    wrapper = SPARQLWrapper(endpoint)
    wrapper.setQuery("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed):
        wrapper.query()


def test_the_query_library_api(base: str) -> None:
    listing = httpx.get(base + "/api/queries").json()
    assert any(q["name"] == "cases-per-city-and-policy-area" for q in listing)
    bound = httpx.get(base + "/api/queries/cases-per-city-and-policy-area", params={"city": "lund"})
    assert "VALUES ?city { <https://w3id.org/ekip/id/city/lund> }" in bound.json()["query"]
    bad = httpx.get(base + "/api/queries/cases-per-city-and-policy-area", params={"city": "x> }"})
    assert bad.status_code == 400 and "not valid" in bad.json()["error"]
    assert httpx.get(base + "/api/queries/no-such-query").status_code == 404


# --- updates ---------------------------------------------------------------------------------

INSERT = (
    "INSERT DATA { GRAPH <https://w3id.org/ekip/graph/shared> { "
    "<https://w3id.org/ekip/id/city/malmo> a <https://w3id.org/ekip/ontology#City> ; "
    '<http://www.w3.org/2000/01/rdf-schema#label> "Malmö"@en } }'
)


def test_read_only_by_default(endpoint: str) -> None:
    for kwargs in (
        {"data": {"update": INSERT}},
        {"content": INSERT, "headers": {"Content-Type": "application/sparql-update"}},
    ):
        response = httpx.post(endpoint, **kwargs)
        assert response.status_code == 403 and "read-only" in response.text
    ask = "ASK { <https://w3id.org/ekip/id/city/malmo> ?p ?o }"
    assert httpx.get(endpoint, params={"query": ask}).json()["boolean"] is False


def test_updates_with_the_token() -> None:
    with serve_sample(ServeConfig(update_token="s3cret")) as url:
        endpoint = url + "/sparql"
        wrong = httpx.post(
            endpoint, data={"update": INSERT}, headers={"Authorization": "Bearer nope"}
        )
        assert wrong.status_code == 403
        assert httpx.get(url + "/id/city/malmo").status_code == 404
        done = httpx.post(
            endpoint,
            content=INSERT,
            headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer s3cret"},
        )
        assert done.status_code == 200, done.text
        page = httpx.get(url + "/id/city/malmo.html")
        assert page.status_code == 200 and "Malmö" in page.text
        sd = Graph().parse(
            data=httpx.get(endpoint, headers={"Accept": "text/turtle"}).content, format="turtle"
        )
        update = URIRef("http://www.w3.org/ns/sparql-service-description#SPARQL11Update")
        assert (None, None, update) in sd


# --- limits ----------------------------------------------------------------------------------


def test_result_size_limit() -> None:
    with serve_sample(ServeConfig(max_results=5)) as url:
        response = httpx.get(url + "/sparql", params={"query": "SELECT * { ?s ?p ?o }"})
        assert response.status_code == 503 and "more than 5 rows" in response.text
        small = httpx.get(url + "/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 5"})
        assert small.status_code == 200


def test_timeout_answers_promptly_and_the_server_stays_responsive() -> None:
    """A runaway query is stopped at its deadline, and other requests are answered meanwhile.

    Ordering, not wall-clock bounds: the page must come back while the runaway query is
    still running, and the query must end at its limit rather than run for minutes."""
    slow = "SELECT * { ?a ?b ?c . ?d ?e ?f }"  # millions of rows, streamed: stops at the deadline
    with serve_sample(ServeConfig(timeout=3, max_results=10**9)) as url:
        results: dict[str, object] = {}
        assert httpx.get(url + "/id/city/lund.ttl", timeout=10).status_code == 200  # warm

        def run() -> None:
            started = time.monotonic()
            results["response"] = httpx.get(url + "/sparql", params={"query": slow}, timeout=60)
            results["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=run)
        thread.start()
        time.sleep(0.2)
        page = httpx.get(url + "/id/city/lund.ttl", timeout=10)
        assert page.status_code == 200
        assert thread.is_alive(), "the page waited for the runaway query"
        thread.join(30)
        response = results["response"]
        assert isinstance(response, httpx.Response)
        assert response.status_code == 503 and "limit of 3 s" in response.text
        assert results["seconds"] < 20  # stopped at the deadline, not run to completion
        assert httpx.get(url + "/sparql", params={"query": CASES}).status_code == 200


# --- hostile requests ------------------------------------------------------------------------


def raw_request(base: str, target: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """Send the request target exactly as given (httpx would normalise ../ and encodings)."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    "target",
    [
        "/id/../../etc/passwd",
        "/id/..%2f..%2fetc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/app.py",
        "/id/city/%ZZ",
        "/id/city/%C3%28",
        "/id/city/lund%00.ttl",
        "/ontology/..",
        "/.well-known/../../etc/passwd",
        "/id/city/%2e%2e",
    ],
)
def test_path_traversal_and_bad_encoding_are_refused(base: str, target: str) -> None:
    status, body = raw_request(base, target)
    assert 400 <= status < 500, (target, status)
    assert b"root:" not in body and b"import " not in body


def test_hostile_query_strings_and_bodies(endpoint: str, base: str) -> None:
    assert raw_request(base, "/sparql?query=%FF%FE")[0] == 400
    assert raw_request(base, "/sparql?query=%ZZ")[0] == 400  # not SPARQL once decoded
    huge = "SELECT * WHERE { " + "?s ?p ?o . " * 20_000 + "}"
    assert httpx.post(endpoint, data={"query": huge}).status_code == 413
    assert (
        httpx.post(
            endpoint, content=huge.encode(), headers={"Content-Type": "application/sparql-query"}
        ).status_code
        == 413
    )
    try:  # uvicorn refuses a request line over 16 KiB (400) and closes, maybe mid-send
        status, _ = raw_request(base, "/sparql?query=" + "a" * 200_000)
        assert 400 <= status < 500
    except (ConnectionResetError, BrokenPipeError):
        pass
    bad_form = httpx.post(
        endpoint,
        content=b"query=%FF%FE",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert bad_form.status_code == 400


@pytest.mark.parametrize(
    "accept",
    [
        "a/b;" * 1000,
        "text/turtle;q=abc",
        "*/html",
        ";;;",
        "text/turtle;q=0.5;q=0.9" * 200,
        "\t",
        "*/*;q=-1",
        "text/html;q=2, image/png",
        "application/rdf+xml;q=0.00001",
    ],
)
def test_absurd_accept_headers_get_a_clean_answer(base: str, accept: str) -> None:
    status, _ = raw_request(base, "/id/city/lund", {"Accept": accept})
    assert status in (303, 406), (accept, status)
    status, _ = raw_request(base, "/sparql?query=ASK%7B%7D", {"Accept": accept})
    assert status in (200, 406), (accept, status)


def test_still_serving_after_the_hostile_requests(base: str, endpoint: str) -> None:
    assert httpx.get(base + "/id/city/lund.ttl").status_code == 200
    assert len(bindings(httpx.get(endpoint, params={"query": CASES}))) == 2
    assert json.loads(httpx.get(base + "/api/queries").text)
