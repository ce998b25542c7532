"""The W3C SPARQL 1.1 Protocol test suite, run from its manifest against ``ekipgraph serve``:
every test on a read-only endpoint (the update tests must be refused there), and every test
including the updates on an endpoint that takes updates with its token."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from serve_support import serve_sample
from w3c_protocol import all_graphs, load_manifest, reset_with_update, run_test

from ekipgraph.serve import ServeConfig
from ekipgraph.store import EmbeddedStore

TESTS = load_manifest()
TOKEN = "protocol-suite-token"


def suite_store() -> EmbeddedStore:
    """The graphs the tests name (data1–3 under their kasei.us IRIs), nothing else."""
    store = EmbeddedStore()
    for label, path in all_graphs(TESTS).items():
        store.store.load(
            path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(label)
        )
    return store


@pytest.fixture(scope="module")
def read_only() -> Iterator[str]:
    with serve_sample(ServeConfig(), store=suite_store()) as url:
        yield url + "/sparql"


@pytest.fixture(scope="module")
def updatable() -> Iterator[str]:
    with serve_sample(ServeConfig(update_token=TOKEN), store=suite_store()) as url:
        yield url + "/sparql"


def test_the_manifest_has_every_test() -> None:
    assert len(TESTS) == 34
    assert sum(test.updates for test in TESTS) == 12


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.name)
def test_read_only_endpoint(read_only: str, test) -> None:
    with httpx.Client(timeout=30) as client:
        failure = run_test(client, read_only, test)
    if test.updates and not test.name.startswith("bad_"):
        # a read-only endpoint refuses updates: the test must fail on a 403
        assert failure is not None and "status 403" in failure, failure
    else:
        assert failure is None, failure


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.name)
def test_endpoint_with_updates(updatable: str, test) -> None:
    with httpx.Client(timeout=30) as client:
        reset = reset_with_update(client, updatable, TOKEN)
        failure = run_test(client, updatable, test, token=TOKEN, reset=reset)
    assert failure is None, failure


def test_cors_preflight(read_only: str) -> None:
    """A browser on another origin may POST queries: the preflight OPTIONS says so."""
    preflight = httpx.options(
        read_only,
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=30,
    )
    assert preflight.status_code in (200, 204)
    assert preflight.headers["access-control-allow-origin"] in ("*", "https://example.org")
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    plain = httpx.options(read_only, timeout=30)
    assert plain.status_code == 204 and "POST" in plain.headers["allow"]
    query = httpx.post(
        read_only,
        content=b"ASK {}",
        headers={"Content-Type": "application/sparql-query", "Origin": "https://example.org"},
        timeout=30,
    )
    assert query.status_code == 200
    assert query.headers["access-control-allow-origin"] == "*"


def test_relative_iris_resolve_against_the_endpoint(read_only: str) -> None:
    response = httpx.post(
        read_only,
        content=b"SELECT ?x WHERE { BIND(<relative/thing> AS ?x) }",
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    value = response.json()["results"]["bindings"][0]["x"]["value"]
    assert value == read_only.rsplit("/", 1)[0] + "/relative/thing"
