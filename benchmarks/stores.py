"""Speed of the embedded stores on the query library, against rdflib as the named baseline.

The real dataset is copied N times (every ekip instance IRI gets a copy suffix, so the copies
are distinct cities, cases and actors sharing the ontology and vocabularies), loaded into
rdflib and into Oxigraph, and every library query is run on both. Prints seconds and the
ratio rdflib / Oxigraph (how many times faster the default store is).

    .venv/bin/python benchmarks/stores.py --copies 20
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

from rich.console import Console
from rich.table import Table

from ekipgraph.build import build_from_layout
from ekipgraph.library import QueryLibrary
from ekipgraph.project import default_layout
from ekipgraph.store import EmbeddedStore, RdflibStore

INSTANCE = re.compile(r"<(https://w3id\.org/ekip/(?:id|graph)/[^>]*)>")


def scaled_nquads(copies: int) -> str:
    base = build_from_layout(default_layout()).nquads
    lines = base.splitlines()
    instance_lines = [line for line in lines if INSTANCE.search(line)]
    other_lines = [line for line in lines if not INSTANCE.search(line)]
    out = list(other_lines)
    for copy in range(copies):
        suffix = f"-copy{copy}" if copy else ""
        out += [
            INSTANCE.sub(lambda m, s=suffix: f"<{m.group(1)}{s}>", line) for line in instance_lines
        ]
    return "\n".join(sorted(set(out))) + "\n"


def timed(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10, help="copies of the real dataset")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument(
        "--rdflib-timeout-queries",
        nargs="*",
        default=[],
        help="library queries to leave out on rdflib",
    )
    args = parser.parse_args()
    console = Console()
    nquads = scaled_nquads(args.copies)
    quads = nquads.count("\n")
    console.print(f"dataset: {args.copies} copies, {quads} quads; baseline: rdflib")

    table = Table(title="rdflib (baseline) vs Oxigraph, median seconds")
    for column in ("step", "rdflib s", "oxigraph s", "ratio"):
        table.add_column(column, justify="right" if column != "step" else "left")

    oxigraph, reference = EmbeddedStore(), RdflibStore()

    def load_both() -> tuple[float, float]:
        nonlocal oxigraph, reference
        rdflib_s = timed(lambda: RdflibStore().load_nquads(nquads), args.repeat)
        oxigraph_s = timed(lambda: EmbeddedStore().load_nquads(nquads), args.repeat)
        reference.load_nquads(nquads)
        oxigraph.load_nquads(nquads)
        return rdflib_s, oxigraph_s

    with console.status("loading"):
        rdflib_s, oxigraph_s = load_both()
    table.add_row(
        "load N-Quads", f"{rdflib_s:.3f}", f"{oxigraph_s:.3f}", f"{rdflib_s / oxigraph_s:.1f}x"
    )
    library = QueryLibrary(default_layout().queries_dir)
    ratios = []
    for query in library:
        if any(p.required for p in query.params) or query.name in args.rdflib_timeout_queries:
            continue
        text = query.bind({})
        with console.status(query.name):
            rdflib_s = timed(lambda t=text: reference.query(t), args.repeat)
            oxigraph_s = timed(lambda t=text: oxigraph.query(t), args.repeat)
        ratio = rdflib_s / max(oxigraph_s, 1e-6)
        ratios.append(ratio)
        table.add_row(query.name, f"{rdflib_s:.3f}", f"{oxigraph_s:.4f}", f"{ratio:.0f}x")
    console.print(table)
    console.print(
        f"geometric mean speed-up of Oxigraph over rdflib: "
        f"{statistics.geometric_mean(ratios):.0f}x over {len(ratios)} queries"
    )


if __name__ == "__main__":
    main()
