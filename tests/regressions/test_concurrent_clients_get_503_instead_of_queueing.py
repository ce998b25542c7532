"""With 8–32 loopback clients, 11–29 % of the SPARQL requests got 503 "busy" as soon as the
four workers were taken, where the Oxigraph server queues them. Now requests wait in a
bounded queue (``--queue-depth``) for a free worker; only past its depth does the endpoint
answer 503, with Retry-After."""

from __future__ import annotations

import threading
import time
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
    # No queue: while the one worker runs the runaway query, any other query is past the depth
    # at once. No request here waits for a worker, so no sleep has to guess when the worker
    # is taken: the probe repeats until it is.
    with serve_sample_process(workers=1, queue_depth=0, timeout=5) as server:
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        stop = threading.Event()

        def keep_the_worker_busy() -> None:
            while not stop.is_set():  # refused while a probe holds the worker: send it again
                httpx.post(server.url + "/sparql", data={"query": runaway}, timeout=30)

        thread = threading.Thread(target=keep_the_worker_busy)
        thread.start()
        try:
            deadline = time.monotonic() + 30
            while True:
                response = httpx.get(server.url + "/sparql", params={"query": QUERY}, timeout=30)
                if response.status_code != 200 or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
        finally:
            stop.set()
            thread.join(60)
    assert response.status_code == 503
    # refused at once, not after waiting out the runaway's 5 s limit
    assert response.elapsed.total_seconds() < 4
    assert response.headers["retry-after"].isdigit()
    assert "busy" in response.text
