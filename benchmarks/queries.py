"""The query library at scale: ``ekipgraph query`` against raw pyoxigraph and rdflib.

On synthetic corpora (``ekipgraph synth``) of about 10k and 100k quads (and 1M with
``--large``), every library query runs, with the same bound values, three ways:

- the limit: raw pyoxigraph in its own process, opening the same built on-disk store
  (``ekipgraph build`` of the synthetic project) read-only, running the same query text and
  serialising SPARQL JSON; the time is measured inside that process (no start-up);
- ``ekipgraph query NAME -f json`` (``-f nt`` for a graph; ``EKIPGRAPH_HOME`` = the
  project), wall time of the whole command. Its fixed start-up (the same command on the
  library ASK ``case-exists``: interpreter, imports, freshness check, opening the store,
  reading and binding a library query) is printed apart,
  beside the start-up of raw pyoxigraph (``python -c`` importing pyoxigraph, opening the
  store, ``ASK {}``); it is also run in turns with every query and taken off before the ratio
  ``(ekipgraph - start-up) / raw``, given where raw takes at least 50 ms (below, the query is
  lost in the start-up's own spread);
- the peer: rdflib in memory on the same dump (10k only unless ``--rdflib-all``: rdflib needs
  minutes per query at 100k); each query runs in a forked child stopped after
  ``--rdflib-limit`` seconds a run (default 20), shown as "> 20 (stopped)".

Prints medians (``--repeat`` runs) and the ratios ``ekipgraph / raw`` (target: at most 1.2)
and ``rdflib / raw``.

    .venv/bin/python benchmarks/queries.py            # 10k and 100k
    .venv/bin/python benchmarks/queries.py --large    # and 1M (builds a 2,040-case corpus)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import BENCH_DIR, SIZES, built_project, corpus_dump, home, quad_count

from ekipgraph.library import EXAMPLE_VALUES, LibraryQuery, QueryLibrary
from ekipgraph.project import default_layout
from ekipgraph.store import query_form

EKIPGRAPH = str(Path(sys.executable).parent / "ekipgraph")
#: The raw baseline: the store opened, the query run and serialised, timed in its own process.
RAW = """
import sys, time, json, statistics
import pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
query = sys.stdin.read()
times = []
for _ in range(int(sys.argv[2])):
    started = time.perf_counter()
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        payload = str(bool(result)).encode()
    elif isinstance(result, ox.QuerySolutions):
        payload = result.serialize(format=ox.QueryResultsFormat.JSON)
    else:
        payload = result.serialize(format=ox.RdfFormat.N_TRIPLES)
    times.append(time.perf_counter() - started)
print(json.dumps({"seconds": statistics.median(times), "bytes": len(payload)}))
"""


#: The raw baseline's start-up: interpreter, pyoxigraph, the store opened, a trivial query.
RAW_STARTUP = """
import sys
import pyoxigraph as ox
ox.Store.read_only(sys.argv[1]).query("ASK {}")
"""


def raw_startup_seconds(location: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", RAW_STARTUP, str(location)], check=True, capture_output=True
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def values_for(query: LibraryQuery) -> dict[str, str]:
    """Example values for the required parameters (the same for every engine)."""
    return {p.name: EXAMPLE_VALUES[p.type.partition(":")[0]] for p in query.params if p.required}


def raw_seconds(location: Path, sparql: str, repeat: int) -> float:
    done = subprocess.run(
        [sys.executable, "-c", RAW, str(location), str(repeat)],
        input=sparql,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)["seconds"]


#: The command whose wall time is ekipgraph's fixed start-up: a library ASK (so the library
#: file, its header and a bound parameter are counted) that the engine answers at once.
STARTUP_QUERY = ["case-exists", "--param=city=lund"]
#: Below this raw time the query is lost in the start-up's own spread: no ratio is given.
RATIO_FROM_SECONDS = 0.05


def ekipgraph_run(project: Path, arguments: list[str], output_format: str = "json") -> float:
    started = time.perf_counter()
    subprocess.run(
        [EKIPGRAPH, "query", *arguments, "-f", output_format],
        env=home(project),
        cwd=project,
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - started


def ekipgraph_seconds(
    project: Path, arguments: list[str], repeat: int, output_format: str = "json"
) -> tuple[float, float]:
    """Median wall times of the query command and of the start-up command, run in turns,
    so that a change in the machine's load moves both alike."""
    times, startups = [], []
    for _ in range(repeat):
        startups.append(ekipgraph_run(project, STARTUP_QUERY))
        times.append(ekipgraph_run(project, arguments, output_format))
    return statistics.median(times), statistics.median(startups)


def _rdflib_child(store, text: str, repeat: int, sender) -> None:
    times = []
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            store.query(text)
            times.append(time.perf_counter() - started)
    except Exception as error:  # rdflib's own limits (e.g. unbound GROUP_CONCAT): noted
        sender.send(f"fails: {type(error).__name__}")
        return
    sender.send(statistics.median(times))


def rdflib_seconds(
    dump: Path, texts: dict[str, str], repeat: int, limit: float
) -> dict[str, float | str]:
    """Each query on rdflib in memory, in a forked child that shares the parsed dump and is
    stopped after ``limit`` seconds: one query that takes an hour leaves the others their
    column, and says "> limit" instead."""
    import multiprocessing

    from ekipgraph.store import RdflibStore

    store = RdflibStore()
    store.load_file(dump)
    context = multiprocessing.get_context("fork")
    found: dict[str, float | str] = {}
    for name, text in texts.items():
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_rdflib_child, args=(store, text, repeat, sender))
        child.start()
        sender.close()
        if receiver.poll(limit * repeat):
            found[name] = receiver.recv()
        else:
            found[name] = f"> {limit:.0f} (stopped)"
        child.kill()
        child.join()
        receiver.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also 1M quads (2,040 cases)")
    parser.add_argument("--sizes", nargs="*", choices=list(SIZES), help="only these sizes")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--rdflib-all", action="store_true", help="rdflib at 100k too")
    parser.add_argument("--no-rdflib", action="store_true", help="leave the rdflib peer out")
    parser.add_argument(
        "--rdflib-limit",
        type=float,
        default=20.0,
        help="seconds one rdflib query may take (per run) before it is stopped",
    )
    args = parser.parse_args()
    console = Console()
    library = QueryLibrary(default_layout().queries_dir)
    sizes = args.sizes or [size for size in SIZES if size != "1M" or args.large]
    summary: dict[str, dict] = {}
    for size in sizes:
        with console.status(f"making the {size} corpus ({SIZES[size]} synthetic cases)"):
            dump = corpus_dump(SIZES[size])
            project = built_project(SIZES[size])
            location = project / "dist" / "store" / "oxigraph"
        quads = quad_count(dump)
        texts = {q.name: q.bind(values_for(q)) for q in library}
        with console.status("start-up: ekipgraph and raw pyoxigraph"):
            # once untimed: a store made stale by an edited checkout is rebuilt here
            ekipgraph_run(project, STARTUP_QUERY)
            startup = statistics.median(
                ekipgraph_run(project, STARTUP_QUERY) for _ in range(args.repeat)
            )
            raw_startup = raw_startup_seconds(location, args.repeat)
        peer = {}
        if (size == "10k" or args.rdflib_all) and not args.no_rdflib:
            with console.status(f"rdflib on {quads} quads"):
                peer = rdflib_seconds(dump, texts, args.repeat, args.rdflib_limit)
        load = os.getloadavg()[0]
        console.print(
            f"{size}: start-up (library ASK case-exists, median of {args.repeat}): ekipgraph query "
            f"{startup:.3f} s, raw pyoxigraph (python -c, open store, ASK) {raw_startup:.3f} s; "
            f"load average {load:.2f}"
        )
        table = Table(
            title=f"{size}: {quads} quads, {SIZES[size]} synthetic cases; median seconds; "
            f"baseline: raw pyoxigraph in its own process (query + JSON, timed inside); "
            f"ekip net = ekipgraph query - its start-up (library ASK, run in turns with it); "
            f"net/raw only where raw >= {RATIO_FROM_SECONDS} s"
        )
        columns = (
            "query",
            "raw s",
            "ekipgraph s",
            "start-up s",
            "ekip net s",
            "net/raw",
            "rdflib s",
        )
        for column in (*columns, "rdflib/raw"):
            table.add_column(column, justify="left" if column == "query" else "right")
        rows = {}
        for query in library:
            with console.status(f"{size}: {query.name}"):
                raw = raw_seconds(location, texts[query.name], args.repeat)
                bound = [f"--param={k}={v}" for k, v in values_for(query).items()]
                arguments = [query.name, *bound]
                # the raw side writes SPARQL JSON, or N-Triples for a graph
                graph = query_form(texts[query.name]) in ("construct", "describe")
                wall, beside = ekipgraph_seconds(
                    project, arguments, args.repeat, "nt" if graph else "json"
                )
            net = max(wall - beside, 0.0)
            ratio = net / raw if raw >= RATIO_FROM_SECONDS else None
            rdflib = peer.get(query.name)
            rows[query.name] = {
                "raw": raw,
                "ekipgraph": wall,
                "startup": beside,
                "net": net,
                "rdflib": rdflib,
            }
            table.add_row(
                query.name,
                f"{raw:.3f}",
                f"{wall:.3f}",
                f"{beside:.3f}",
                f"{net:.3f}",
                f"{ratio:.2f}" if ratio is not None else "–",
                rdflib if isinstance(rdflib, str) else f"{rdflib:.3f}" if rdflib else "–",
                f"{rdflib / raw:.0f}x" if isinstance(rdflib, float) and raw > 0.001 else "–",
            )
        console.print(table)
        ratios = {n: r["net"] / r["raw"] for n, r in rows.items() if r["raw"] >= RATIO_FROM_SECONDS}
        if ratios:
            worst = max(ratios, key=ratios.get)
            console.print(
                f"{size}: (ekipgraph - start-up) / raw, {len(ratios)} queries with raw >= "
                f"{RATIO_FROM_SECONDS} s: median {statistics.median(ratios.values()):.2f}, "
                f"highest {ratios[worst]:.2f} ({worst}); target <= 1.2"
            )
        slowest = max(rows, key=lambda name: rows[name]["raw"])
        console.print(
            f"{size}: slowest library query on raw pyoxigraph: {slowest} "
            f"{rows[slowest]['raw']:.3f} s (target < 1 s at 1M)"
        )
        summary[size] = {
            "quads": quads,
            "startup": startup,
            "raw_startup": raw_startup,
            "load_average": load,
            "queries": rows,
        }
    (BENCH_DIR / "queries.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
