"""Four cartesian-product queries (or four SERVICE calls to a host that never answers)
pinned all four query workers for good: Oxigraph cannot cancel a query, so ``/sparql``
answered 503 until the server restarted. Now each query runs in a worker process that is
killed and replaced at the time limit, so the endpoint answers again right after."""

from __future__ import annotations

import socket
import threading
import time

import httpx
from serve_support import serve_sample_process

#: no solution comes out before the whole product is counted: nothing to stop it at
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CASES = "SELECT ?case WHERE { ?case a <https://w3id.org/ekip/ontology#CityCaseDescription> }"


def run_together(url: str, queries: list[str]) -> list[httpx.Response]:
    responses: list[httpx.Response | None] = [None] * len(queries)

    def one(index: int) -> None:
        responses[index] = httpx.post(url + "/sparql", data={"query": queries[index]}, timeout=60)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(queries))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert all(r is not None for r in responses)
    return responses  # type: ignore[return-value]


def test_runaway_queries_are_stopped_and_the_endpoint_answers_again() -> None:
    with serve_sample_process(timeout=2, workers=4) as server:
        started = time.monotonic()
        responses = run_together(server.url, [RUNAWAY] * 4)
        assert [r.status_code for r in responses] == [503] * 4
        assert all("longer than the limit of 2 s" in r.text for r in responses)
        assert time.monotonic() - started < 30
        # every slot is free again: four ordinary queries at once all succeed
        again = run_together(server.url, [CASES] * 4)
        assert [r.status_code for r in again] == [200] * 4
        assert server.alive


def test_a_service_that_never_answers_is_stopped() -> None:
    silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)  # accepts connections, never answers
    target = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
    try:
        with serve_sample_process(timeout=2, workers=2, allowed_services=[target]) as server:
            query = f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
            responses = run_together(server.url, [query] * 4)
            assert [r.status_code for r in responses] == [503] * 4
            after = httpx.get(server.url + "/sparql", params={"query": CASES}, timeout=30)
            assert after.status_code == 200
    finally:
        silent.close()
