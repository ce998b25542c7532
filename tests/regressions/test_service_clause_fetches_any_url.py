"""``SERVICE <any URL>`` on the read-only anonymous endpoint made the server fetch that URL
(loopback, a cloud metadata address…) and hand the answer to the caller: server-side
request forgery. Now SERVICE is refused with 400 unless the operator allowed the endpoint
(``--allow-service``); the "victim" here is a listener on loopback that counts its hits."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from serve_support import serve_sample_process

ANSWER = json.dumps(
    {
        "head": {"vars": ["x"]},
        "results": {"bindings": [{"x": {"type": "literal", "value": "secret"}}]},
    }
).encode()


@contextmanager
def victim() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server answering every request with one SPARQL JSON row."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(ANSWER)))
            self.end_headers()
            self.wfile.write(ANSWER)

        do_GET = do_POST = _answer

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", hits
    finally:
        server.shutdown()
        server.server_close()


def service_queries(target: str) -> list[str]:
    return [
        f"SELECT ?x WHERE {{ SERVICE <{target}> {{ ?x ?p ?o }} }}",
        f"select ?x where {{ service silent <{target}> {{ ?x ?p ?o }} }}",
        f"SELECT ?x WHERE {{ BIND(<{target}> AS ?e) SERVICE ?e {{ ?x ?p ?o }} }}",
        f"SELECT ?x WHERE {{ ?s ?p ?o .SERVICE#comment\n<{target}>{{ ?x ?p ?o }} }}",
        f"PREFIX v: <{target}>\nSELECT ?x WHERE {{ SERVICE v: {{ ?x ?p ?o }} }}",
        f'SELECT ?x WHERE {{ ?s ?p "a \\" b" SERVICE <{target}> {{ ?x ?p ?o }} }}',
    ]


def test_service_is_refused_and_nothing_is_fetched() -> None:
    with victim() as (target, hits), serve_sample_process(timeout=10) as server:
        for query in service_queries(target):
            response = httpx.post(server.url + "/sparql", data={"query": query}, timeout=30)
            assert response.status_code == 400, (query, response.status_code, response.text)
            assert "SERVICE" in response.text and "refused" in response.text
        assert hits == []


def test_the_word_service_elsewhere_is_fine() -> None:
    query = (
        'SELECT ?service WHERE { BIND("SERVICE <http://127.0.0.1:9/>" AS ?service) }'
        " # SERVICE <http://127.0.0.1:9/> {}"
    )
    with serve_sample_process() as server:
        response = httpx.get(server.url + "/sparql", params={"query": query}, timeout=30)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("allowed", [True, False])
def test_an_allowed_endpoint_is_called(allowed: bool) -> None:
    with victim() as (target, hits):
        services = [target] if allowed else [target + "/other"]
        with serve_sample_process(allowed_services=services, timeout=20) as server:
            query = f"SELECT ?x WHERE {{ SERVICE <{target}> {{ ?x ?p ?o }} }}"
            response = httpx.post(server.url + "/sparql", data={"query": query}, timeout=30)
        if allowed:
            assert response.status_code == 200, response.text
            assert response.json()["results"]["bindings"] == [
                {"x": {"type": "literal", "value": "secret"}}
            ]
            assert hits
        else:
            assert response.status_code == 400 and target in response.text
            assert hits == []
