"""``ekipgraph serve`` against a real ``oxigraph serve-read-only`` on the same store, on loopback.

ekipgraph serves the synthetic corpus's built store (``ekipgraph build``; the server attaches
the cross-city patterns to it when they are missing). The Oxigraph server then serves a
checkpoint of that same store (``Store.backup``: the same quads, patterns included, in the
same files), with ``--union-default-graph``, as ekipgraph answers. A Python load generator
(httpx, one client per thread) sends, with 4 and 16 clients, two kinds of request for a
bounded time and count: one-resource lookups (``SELECT ?p ?o WHERE { <case> ?p ?o }`` over
the corpus's cases in turn) and a GROUP BY (the library's ``cases-per-city-and-policy-area``).
Prints requests/s, p50/p95/p99 latency and the throughput ratio ekipgraph / Oxigraph
(target: at least 1 / 1.5 on engine-bound queries).

    .venv/bin/python benchmarks/server.py --size 100k
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import SIZES, built_project, corpus_dump, home

from ekipgraph.library import QueryLibrary
from ekipgraph.project import default_layout

BIN = Path(sys.executable).parent
CLIENTS = (4, 16)
GROUP_BY = "cases-per-city-and-policy-area"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def store_backup(store: Path) -> Iterator[Path]:
    """A checkpoint of ``store`` beside its project (hard links), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=".oxserve-", dir=store.parents[2]))
    try:
        ox.Store.read_only(str(store)).backup(str(folder / "oxigraph"))
        yield folder / "oxigraph"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def running(command: list[str], ready_url: str, env: dict | None = None) -> Iterator[None]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(ready_url, timeout=2).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[0]} did not start: {process.stderr.read()!r}")
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def load(url: str, queries: list[str], clients: int, seconds: float, limit: int) -> dict:
    """``clients`` threads send the queries in turn until ``seconds`` or ``limit`` requests."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        with httpx.Client(timeout=60) as http:
            number = offset
            while time.monotonic() < stop:
                with lock:
                    if len(latencies) + failures[0] >= limit:
                        return
                started = time.perf_counter()
                response = http.post(
                    url,
                    content=queries[number % len(queries)].encode(),
                    headers={
                        "Content-Type": "application/sparql-query",
                        "Accept": "application/sparql-results+json",
                    },
                )
                elapsed = time.perf_counter() - started
                with lock:
                    if response.status_code == 200:
                        latencies.append(elapsed)
                    else:
                        failures[0] += 1
                number += clients

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    ordered = sorted(latencies) or [float("nan")]

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    return {
        "rps": len(latencies) / wall,
        "p50": statistics.median(ordered) * 1000,
        "p95": pct(0.95),
        "p99": pct(0.99),
        "ok": len(latencies),
        "failed": failures[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=list(SIZES), default="100k")
    parser.add_argument("--seconds", type=float, default=8.0, help="per measurement")
    parser.add_argument("--limit", type=int, default=5000, help="requests per measurement")
    args = parser.parse_args()
    console = Console()
    with console.status(f"making the {args.size} corpus"):
        corpus_dump(SIZES[args.size])
        project = built_project(SIZES[args.size])
    store = project / "dist" / "store" / "oxigraph"
    cases = [
        solution["case"].value
        for solution in ox.Store.read_only(str(store)).query(
            "SELECT DISTINCT ?case WHERE { GRAPH ?g { ?case a "
            "<https://w3id.org/ekip/ontology#CityCaseDescription> } } ORDER BY ?case LIMIT 64"
        )
    ]
    workloads = {
        "lookup": [f"SELECT ?p ?o WHERE {{ <{case}> ?p ?o }}" for case in cases],
        "group-by": [QueryLibrary(default_layout().queries_dir).get(GROUP_BY).bind()],
    }
    found: dict[tuple[str, str, int], dict] = {}
    served: dict[str, int] = {}
    for server in ("ekipgraph", "oxigraph"):
        port = free_port()
        with ExitStack() as stack:
            if server == "ekipgraph":
                command = [str(BIN / "ekipgraph"), "serve", "--port", str(port)]
                url = f"http://127.0.0.1:{port}/sparql"
            else:  # after ekipgraph serve: the store holds the patterns it attached
                location = stack.enter_context(store_backup(store))
                served[server] = len(ox.Store.read_only(str(location)))
                command = [
                    *(str(BIN / "oxigraph"), "serve-read-only", "--location", str(location)),
                    *("--bind", f"127.0.0.1:{port}", "--union-default-graph"),
                ]
                url = f"http://127.0.0.1:{port}/query"
            stack.enter_context(running(command, f"{url}?query=ASK%7B%7D", env=home(project)))
            for workload, queries in workloads.items():
                load(url, queries, 4, 1.0, 200)  # warm-up
                for clients in CLIENTS:
                    with console.status(f"{server}: {workload}, {clients} clients"):
                        found[(server, workload, clients)] = load(
                            url, queries, clients, args.seconds, args.limit
                        )
    table = Table(
        title=f"{args.size} ({served['oxigraph']} quads, patterns included): ekipgraph serve "
        "vs oxigraph serve-read-only on a checkpoint of the same store, loopback"
    )
    for column in ("workload", "clients", "server", "req/s", "p50 ms", "p95 ms", "p99 ms", "ok"):
        table.add_column(column, justify="right")
    table.add_column("ekip/oxigraph req/s", justify="right")
    for workload in workloads:
        for clients in CLIENTS:
            baseline = found[("oxigraph", workload, clients)]["rps"]
            for server in ("ekipgraph", "oxigraph"):
                m = found[(server, workload, clients)]
                table.add_row(
                    workload,
                    str(clients),
                    server,
                    f"{m['rps']:.0f}",
                    f"{m['p50']:.1f}",
                    f"{m['p95']:.1f}",
                    f"{m['p99']:.1f}",
                    f"{m['ok']}" + (f" ({m['failed']} failed)" if m["failed"] else ""),
                    f"{m['rps'] / baseline:.2f}" if server == "ekipgraph" and baseline else "",
                )
    console.print(table)


if __name__ == "__main__":
    main()
