"""Soak test of the SPARQL endpoint: many loopback clients for a while, against
``ekipgraph serve`` and, as the named baseline, the Oxigraph server on the same data.

The load mixes what users send: one-resource lookups, library queries, entity pages
(DESCRIBE on the Oxigraph server, which has no pages) and, now and then, hostile requests
(queries nested thousands of levels deep, SERVICE to a loopback address, oversized bodies,
malformed queries). Reported per server: requests, statuses, lost responses (no HTTP answer
at all), crashes, p50/p95/p99 latency, throughput, and resident memory of the server and its
worker processes at start, middle and end. The nesting bombs are left out for the Oxigraph
server, whose process aborts on them (which the report says), and SERVICE too, which it
would fetch.

    .venv/bin/python benchmarks/soak.py --clients 32 --seconds 60
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
EKIP = "https://w3id.org/ekip/"


# --- what the clients send ----------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    kind: str  # lookup, library, page, hostile
    method: str
    path: str
    params: dict | None = None
    body: bytes | None = None
    headers: dict | None = None


def hostile_calls(query_path: str, include_bombs: bool) -> list[Call]:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    direct = {"Content-Type": "application/sparql-query"}
    calls = [
        Call("hostile", "POST", query_path, body=b"query=SELEC%20oops", headers=form),
        Call("hostile", "POST", query_path, body=b"x" * 200_000, headers=direct),
        Call("hostile", "GET", query_path, params={"query": "SELECT * WHERE { ?s ?p }"}),
    ]
    if include_bombs:
        calls += [
            Call(
                "hostile",
                "POST",
                query_path,
                body=("ASK " + "{" * 3000 + "}" * 3000).encode(),
                headers=direct,
            ),
            Call(
                "hostile",
                "POST",
                query_path,
                body=("ASK { FILTER(" + "!" * 20000 + "true) }").encode(),
                headers=direct,
            ),
            Call(
                "hostile",
                "POST",
                query_path,
                body=b"SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
                headers=direct,
            ),
        ]
    return calls


def library_texts() -> list[str]:
    from ekipgraph.library import QueryLibrary, QueryLibraryError

    texts = []
    for query in QueryLibrary(ROOT / "queries"):
        try:
            texts.append(query.bind({}))
        except QueryLibraryError:
            continue
    return texts


def sample_iris(nquads: str, count: int = 200) -> list[str]:
    iris = sorted(
        {
            line.split(" ", 1)[0][1:-1]
            for line in nquads.splitlines()
            if line.startswith(f"<{EKIP}id/")
        }
    )
    random.Random(7).shuffle(iris)
    return iris[:count]


def call_mix(
    query_path: str, iris: list[str], library: list[str], pages: bool, include_bombs: bool
) -> list[Call]:
    """A deterministic mix: 50 % lookups, 25 % library queries, 20 % pages, 5 % hostile."""
    accept = {"Accept": "application/sparql-results+json"}
    lookups = [
        Call(
            "lookup",
            "GET",
            query_path,
            params={"query": f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT 200"},
            headers=accept,
        )
        for iri in iris
    ]
    libs = [
        Call(
            "library",
            "POST",
            query_path,
            body=text.encode(),
            headers={**accept, "Content-Type": "application/sparql-query"},
        )
        for text in library
    ]
    if pages:
        entity = [Call("page", "GET", iri.removeprefix(EKIP.rstrip("/")) + ".html") for iri in iris]
    else:
        entity = [
            Call(
                "page",
                "GET",
                query_path,
                params={"query": f"DESCRIBE <{iri}>"},
                headers={"Accept": "text/turtle"},
            )
            for iri in iris
        ]
    hostile = hostile_calls(query_path, include_bombs)
    rng = random.Random(11)
    mix = []
    for _ in range(2000):
        roll = rng.random()
        pool = (
            lookups if roll < 0.5 else libs if roll < 0.75 else entity if roll < 0.95 else hostile
        )
        mix.append(rng.choice(pool))
    return mix


# --- running the load -----------------------------------------------------------------------


@dataclass
class Report:
    name: str
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    lost: int = 0
    crashed: bool = False
    memory_mb: list[float] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + self.lost

    def percentile(self, q: float, kinds: tuple[str, ...] = ("lookup", "library", "page")) -> float:
        values = sorted(v for k in kinds for v in self.latencies.get(k, []))
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(q * len(values)))] * 1000

    def lines(self) -> list[str]:
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        return [
            f"{self.name}: {self.requests} requests in {self.seconds:.0f} s "
            f"({self.requests / max(self.seconds, 1e-9):.0f}/s), lost {self.lost}, "
            f"crashed {'YES' if self.crashed else 'no'}",
            f"  statuses {statuses}",
            f"  latency of lookups, library queries, pages: p50 {self.percentile(0.5):.1f} ms, "
            f"p95 {self.percentile(0.95):.1f} ms, p99 {self.percentile(0.99):.1f} ms",
            "  p50 / p99 by kind: "
            + ", ".join(
                f"{k} {self.percentile(0.5, (k,)):.1f} / {self.percentile(0.99, (k,)):.1f} ms"
                for k in ("lookup", "library", "page", "hostile")
            ),
            "  memory (server + workers) MB at start/middle/end: "
            + " / ".join(f"{m:.0f}" for m in self.memory_mb),
        ]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants, from /proc."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            # children are listed per thread that started them
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return total / 1024


def run_load(
    name: str, base: str, calls: list[Call], clients: int, seconds: float, process: subprocess.Popen
) -> Report:
    report = Report(name)
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    report.memory_mb.append(tree_rss_mb(process.pid))

    def client(offset: int) -> None:
        sequence = itertools.islice(itertools.cycle(calls), offset, None)
        with httpx.Client(base_url=base, timeout=60) as http:
            for call in sequence:
                if time.monotonic() > stop:
                    return
                started = time.perf_counter()
                try:
                    response = http.request(
                        call.method,
                        call.path,
                        params=call.params,
                        content=call.body,
                        headers=call.headers,
                    )
                    code: int | None = response.status_code
                except httpx.TransportError:
                    code = None
                elapsed = time.perf_counter() - started
                with lock:
                    if code is None:
                        report.lost += 1
                    else:
                        report.statuses[code] += 1
                        report.latencies.setdefault(call.kind, []).append(elapsed)

    threads = [threading.Thread(target=client, args=(i * 37,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(seconds / 2)
    report.memory_mb.append(tree_rss_mb(process.pid))
    for thread in threads:
        thread.join(seconds + 120)
    report.seconds = time.monotonic() - started
    report.memory_mb.append(tree_rss_mb(process.pid))
    report.crashed = process.poll() is not None
    return report


# --- the servers ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


@contextmanager
def ekipgraph_server(store_dir: Path, workers: int) -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "ekipgraph"),
            "serve",
            "--port",
            str(port),
            "--store",
            str(store_dir),
            "--workers",
            str(workers),
            "--timeout",
            "10",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", process)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def oxigraph_server(nquads_file: Path, workdir: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    binary = Path(sys.executable).parent / "oxigraph"
    oxigraph = str(binary) if binary.exists() else (shutil.which("oxigraph") or "oxigraph")
    location = workdir / "oxigraph"
    subprocess.run(
        [oxigraph, "load", "--location", str(location), "--file", str(nquads_file)],
        check=True,
        capture_output=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [
            oxigraph,
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/query?query=ASK%7B%7D", process)
        yield base, process
    finally:
        process.terminate()
        process.wait(30)


def soak_ekipgraph(
    nquads: str, workdir: Path, clients: int, seconds: float, workers: int = 4
) -> Report:
    """The load against ``ekipgraph serve`` on an on-disk store holding ``nquads``."""
    from ekipgraph.built import current_manifest, write_built_store
    from ekipgraph.project import default_layout

    # serve accepts only a store that build wrote: the same files and manifest as dist/store
    store_dir = workdir / "ekipgraph-store"
    write_built_store(store_dir, nquads, current_manifest(default_layout()))
    calls = call_mix(
        "/sparql", sample_iris(nquads), library_texts(), pages=True, include_bombs=True
    )
    with ekipgraph_server(store_dir, workers) as (base, process):
        return run_load("ekipgraph serve", base, calls, clients, seconds, process)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    from ekipgraph.connect import built_nquads

    nquads = built_nquads()
    print(f"{nquads.count(chr(10))} quads; {args.clients} clients × {args.seconds:g} s per server")
    with tempfile.TemporaryDirectory(prefix="ekipgraph-soak-") as tmp:
        workdir = Path(tmp)
        nquads_file = workdir / "ekip.nq"
        nquads_file.write_text(nquads, encoding="utf-8")
        ours = soak_ekipgraph(nquads, workdir, args.clients, args.seconds, args.workers)
        calls = call_mix(
            "/query", sample_iris(nquads), library_texts(), pages=False, include_bombs=False
        )
        with oxigraph_server(nquads_file, workdir) as (base, process):
            theirs = run_load(
                "oxigraph serve-read-only (baseline)",
                base,
                calls,
                args.clients,
                args.seconds,
                process,
            )
    for line in ours.lines() + theirs.lines():
        print(line)
    throughput = (ours.requests / ours.seconds) / (theirs.requests / theirs.seconds)
    print(
        f"p99 ratio ekipgraph / oxigraph: {ours.percentile(0.99) / theirs.percentile(0.99):.2f}; "
        f"throughput ratio: {throughput:.2f}"
    )
    print(
        "(the Oxigraph server gets no nesting bombs: its process aborts on them; "
        "nor SERVICE, which it would fetch)"
    )
    five_hundreds = sum(n for code, n in ours.statuses.items() if code >= 500)
    return 1 if ours.crashed or ours.lost or five_hundreds else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
