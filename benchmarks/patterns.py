"""``ekipgraph patterns`` at scale: wall time and peak memory of the whole command.

On synthetic corpora (10k and 100k quads; 1M with ``--large``), the command reads the built
store of the synthetic project (``EKIPGRAPH_HOME``), runs every analysis and writes
its output; printed
against the targets (at 1M quads: under 60 s and 1.5 GB) and, as a baseline in the same run,
the time raw pyoxigraph takes to bulk-load the same dump in its own process.

    .venv/bin/python benchmarks/patterns.py --large
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import SIZES, built_project, corpus_dump, home, quad_count

BIN = Path(sys.executable).parent
LOAD = (
    "import sys, pyoxigraph as ox; ox.Store().load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)"
)


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one child process."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"{command[:3]} failed: {done.stderr[-2000:]}")
    # ru_maxrss of children is the largest of any child so far: run the biggest last
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also 1M quads (2,040 cases)")
    parser.add_argument("--sizes", nargs="*", choices=list(SIZES), help="only these sizes")
    args = parser.parse_args()
    sizes = args.sizes or [size for size in SIZES if size != "1M" or args.large]
    console = Console()
    table = Table(title="ekipgraph patterns (whole command), and raw pyoxigraph loading the dump")
    for column in ("corpus", "quads", "load s (raw)", "patterns s", "peak MB", "target"):
        table.add_column(column, justify="right")
    for size in sizes:
        with console.status(f"making the {size} corpus"):
            dump = corpus_dump(SIZES[size])
            project = built_project(SIZES[size])
        out = Path(tempfile.mkdtemp(prefix="ekip-patterns-bench-")) / "patterns"
        try:
            with console.status(f"{size}: raw load"):
                load, _ = timed([sys.executable, "-c", LOAD, str(dump)])
            with console.status(f"{size}: ekipgraph patterns"):
                command = [str(BIN / "ekipgraph"), "patterns", "--out", str(out)]
                wall, peak = timed(command, env=home(project))
        finally:
            shutil.rmtree(out.parent, ignore_errors=True)
        target = "< 60 s, < 1.5 GB" if size == "1M" else ""
        table.add_row(
            size, str(quad_count(dump)), f"{load:.1f}", f"{wall:.1f}", f"{peak:.0f}", target
        )
    console.print(table)


if __name__ == "__main__":
    main()
