"""With 8–32 loopback clients, 11–29 % of the SPARQL requests got 503 "busy" as soon as the
four workers were taken, where the Oxigraph server queues them. Now requests wait in a
bounded queue (``--queue-depth``) for a free worker; only past its depth does the endpoint
answer 503, with Retry-After."""

from __future__ import annotations

import threading
from collections import Counter

import httpx
from serve_support import serve_sample_process

QUERY = "SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s ORDER BY DESC(?n) LIMIT 20"


def hammer(url: str, clients: int, per_client: int) -> Counter:
    statuses: Counter = Counter()
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(timeout=60) as http:
            for _ in range(per_client):
                try:
                    code = http.get(url + "/sparql", params={"query": QUERY}).status_code
                except httpx.TransportError:
                    code = "lost"
                with lock:
                    statuses[code] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return statuses


def test_clients_beyond_the_workers_wait_instead_of_503() -> None:
    with serve_sample_process(workers=2, queue_depth=64) as server:
        statuses = hammer(server.url, clients=32, per_client=4)
    assert statuses == Counter({200: 128}), statuses


def test_past_the_queue_depth_503_says_retry_after() -> None:
    with serve_sample_process(workers=1, queue_depth=1, timeout=5) as server:
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        threads = [
            threading.Thread(
                target=httpx.post,
                args=(server.url + "/sparql",),
                kwargs={"data": {"query": runaway}, "timeout": 30},
            )
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        import time

        time.sleep(1.5)  # one runs, one waits: the queue is full
        response = httpx.get(server.url + "/sparql", params={"query": QUERY}, timeout=30)
        for thread in threads:
            thread.join(60)
    assert response.status_code == 503
    assert response.headers["retry-after"].isdigit()
    assert "busy" in response.text
