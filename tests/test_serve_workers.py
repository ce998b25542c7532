"""The query worker processes: a crash costs one worker, updates reach every worker through
a new snapshot, the limits are configurable and stated in the service description."""

from __future__ import annotations

import os
import signal
import threading
import time

import httpx
from rdflib import Graph, Literal, URIRef
from serve_support import running_server, sample_store

from ekipgraph.serve import ServeConfig, create_app

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CASES = "SELECT ?case WHERE { ?case a <https://w3id.org/ekip/ontology#CityCaseDescription> }"


def test_a_crashed_worker_costs_only_its_query() -> None:
    app = create_app(sample_store(), ServeConfig(timeout=30, workers=1))
    pool = app.state.handlers.pool
    with running_server(app) as base:
        result: dict = {}
        thread = threading.Thread(
            target=lambda: result.update(
                response=httpx.get(base + "/sparql", params={"query": RUNAWAY}, timeout=60)
            )
        )
        thread.start()
        deadline = time.monotonic() + 20
        while pool.waiting == 0 and time.monotonic() < deadline and pool._idle.qsize():
            time.sleep(0.05)
        time.sleep(0.5)  # the query is running in the only worker
        (worker,) = list(pool._all)
        os.kill(worker.process.pid, signal.SIGSEGV)
        thread.join(30)
        response = result["response"]
        assert response.status_code == 500
        assert "SIGSEGV" in response.text
        after = httpx.get(base + "/sparql", params={"query": CASES}, timeout=30)
        assert after.status_code == 200 and len(after.json()["results"]["bindings"]) == 2
        assert pool.replaced == 1


def test_updates_reach_every_worker() -> None:
    app = create_app(sample_store(), ServeConfig(update_token="t", workers=3))
    with running_server(app) as base:
        insert = 'INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> "new" } }'
        done = httpx.post(
            base + "/sparql",
            data={"update": insert},
            headers={"Authorization": "Bearer t"},
            timeout=30,
        )
        assert done.status_code == 200, done.text
        ask = 'ASK { <urn:s> <urn:p> "new" }'

        def answer(_: int) -> bool:
            return httpx.get(base + "/sparql", params={"query": ask}, timeout=30).json()["boolean"]

        answers: list[bool] = []
        threads = [threading.Thread(target=lambda i=i: answers.append(answer(i))) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert answers == [True] * 6
        # pages (served by the server process) see it too
        page = httpx.get(
            base + "/sparql", params={"query": "SELECT * { GRAPH <urn:g> { ?s ?p ?o } }"}
        )
        assert len(page.json()["results"]["bindings"]) == 1


def test_the_nesting_limit_is_configurable() -> None:
    app = create_app(sample_store(), ServeConfig(max_nesting=4, workers=1))
    with running_server(app) as base:
        shallow = httpx.get(base + "/sparql", params={"query": "ASK { { {} } }"}, timeout=30)
        deep = httpx.get(base + "/sparql", params={"query": "ASK { { { { {} } } } }"}, timeout=30)
    assert shallow.status_code == 200
    assert deep.status_code == 400 and "limit is 4" in deep.text


def test_the_service_description_states_the_limits() -> None:
    config = ServeConfig(timeout=7, max_results=123, workers=1, queue_depth=9)
    app = create_app(sample_store(), config)
    with running_server(app) as base:
        response = httpx.get(base + "/sparql", headers={"Accept": "text/turtle"}, timeout=30)
    graph = Graph().parse(data=response.text, format="turtle")
    descriptions = [
        str(o)
        for o in graph.objects(None, URIRef("http://purl.org/dc/terms/description"))
        if isinstance(o, Literal) and str(o).startswith("Limits")
    ]
    assert len(descriptions) == 1
    text = descriptions[0]
    for expected in ("7 s", "123 rows", "128 (400)", "1 worker processes", "9 waiting", "none"):
        assert expected in text, (expected, text)


def test_snapshots_of_a_killed_server_are_removed(tmp_path) -> None:
    import subprocess
    import sys

    from ekipgraph.serve.storefiles import OWNER, PREFIX, StoreFiles
    from ekipgraph.store import EmbeddedStore

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"{PREFIX}old"
    stale.mkdir()
    (stale / OWNER).write_text(str(dead.pid))
    foreign = tmp_path / f"{PREFIX}not-ours"
    foreign.mkdir()  # no owner file: left alone
    store = EmbeddedStore(tmp_path / "store")
    store.load_nquads('<urn:s> <urn:p> "o" <urn:g> .\n')
    files = StoreFiles(store.store, store.directory)
    try:
        assert not stale.exists() and foreign.exists()
        assert files.root.parent == tmp_path
    finally:
        files.close()
    assert not files.root.exists()
