"""Build and validation at scale, on synthetic corpora made by ``ekipgraph synth``.

For each corpus size it measures, each in its own process (wall time and peak RSS):

- ``build`` from scratch (empty cache): parse, convert, SHACL per case, dumps, store; the
  cases compiled in batches across the cores;
- ``build`` again with nothing changed, and after editing one case (incremental: only that
  file is read, converted and validated again; the dumps and the store are rewritten);
- ``query`` on the fresh store (staleness check + one query), start-up included: the first
  computes and attaches the patterns (``build`` writes the dataset only), the second is a
  plain query;
- the baselines, on the same data in the same run: ``build`` from scratch in one process
  (``EKIPGRAPH_WORKERS=1``); ``build`` from scratch with pySHACL as the
  SHACL engine (``EKIPGRAPH_SHACL_ENGINE=pyshacl``, the reference; the default is
  pyshacl-turbo), and one whole-graph pySHACL run over the built dataset (rdflib parse of
  ``ekip.nq`` + ``pyshacl.validate``), as the build did before it validated per case.

Usage: ``python benchmarks/build.py --cases 20 300 1000`` (``--million`` adds 2,040 cases,
about 1M quads, without the pySHACL build, which takes several minutes there).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CASES_FOR_A_MILLION = 2040  # about 490 quads a case

BASELINE = """
import sys, pyshacl
from rdflib import Dataset, Graph
from ekipgraph.shapes import load_shapes
from pathlib import Path
data = Graph()
dataset = Dataset()
dataset.parse(sys.argv[1], format="nquads")
for s, p, o, _ in dataset.quads((None, None, None, None)):
    data.add((s, p, o))
shapes = load_shapes(Path(sys.argv[2]), lint=False)
pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True)
"""


def tree_pss_mb(root: int) -> float:
    """The proportional set size (MB) of a process and all its descendants, from /proc: the
    workers a build forks share pages with it, which a sum of RSS would count twice."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    total_kb = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


def timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one command in its own process: the peak of its
    process tree's PSS (sampled every second: the build's workers included), or the
    process's own peak RSS if that is higher."""
    peak = [0.0]
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=log)
        finished = threading.Event()

        def sample() -> None:
            # once a second: reading smaps_rollup walks the page tables of the process it
            # measures and holds its memory map's lock; five times a second slowed a
            # 1,000-case build from 55 s to 86 s
            while not finished.wait(1.0):
                peak[0] = max(peak[0], tree_pss_mb(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        finished.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            raise SystemExit(f"{' '.join(command)} failed:\n{log.read().decode()[-2000:]}")
    return wall, max(peak[0], usage.ru_maxrss / 1024)


def measure(cases: int, work: Path, reference: bool) -> dict[str, object]:
    home = work / f"synth-{cases}"
    ekipgraph = [PYTHON, "-m", "ekipgraph"]
    env = {
        **os.environ,
        "EKIPGRAPH_HOME": str(home),
        "EKIPGRAPH_CACHE": str(work / f"cache-{cases}"),
    }
    subprocess.run(
        [*ekipgraph, "synth", str(cases), "--out", str(home)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    out = work / f"dist-{cases}"
    build = [*ekipgraph, "build", "--out", str(out)]
    scratch, scratch_rss = timed(build, env, work)
    one_process_env = {
        **env,
        "EKIPGRAPH_WORKERS": "1",
        "EKIPGRAPH_CACHE": str(work / f"cache-{cases}-one-process"),
    }
    one_process_build = [*ekipgraph, "build", "--out", str(work / f"dist-{cases}-one-process")]
    one_process, one_process_rss = timed(one_process_build, one_process_env, work)
    reference_scratch = reference_rss = None
    if reference:
        reference_env = {
            **env,
            "EKIPGRAPH_SHACL_ENGINE": "pyshacl",
            "EKIPGRAPH_CACHE": str(work / f"cache-{cases}-pyshacl"),
        }
        reference_build = [*ekipgraph, "build", "--out", str(work / f"dist-{cases}-pyshacl")]
        reference_scratch, reference_rss = timed(reference_build, reference_env, work)
    quads = sum(1 for _ in (out / "ekip.nq").open())
    unchanged, _ = timed(build, env, work)
    case_file = home / "data" / "cases" / "synthetic-case-00001.yaml"
    case_file.write_text(
        case_file.read_text().replace("Synthetic case", "Synthetic case (edited)", 1)
    )
    incremental, _ = timed(build, env, work)
    ask = [*ekipgraph, "query", "-e", "ASK { ?s ?p ?o }"]
    first_query, _ = timed(ask, env, work)
    query, _ = timed(ask, env, work)
    baseline, baseline_rss = timed(
        [PYTHON, "-c", BASELINE, str(out / "ekip.nq"), str(home / "shapes")], env, work
    )
    return {
        "cases": cases,
        "quads": quads,
        "scratch": scratch,
        "scratch_rss": scratch_rss,
        "one_process": one_process,
        "one_process_rss": one_process_rss,
        "reference": reference_scratch,
        "reference_rss": reference_rss,
        "incremental": incremental,
        "unchanged": unchanged,
        "first_query": first_query,
        "query": query,
        "baseline": baseline,
        "baseline_rss": baseline_rss,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[20, 300])
    parser.add_argument("--million", action="store_true", help=f"add {CASES_FOR_A_MILLION} cases")
    args = parser.parse_args()
    sizes = args.cases + ([CASES_FOR_A_MILLION] if args.million else [])
    print(
        "| cases | quads | build from scratch | baseline: from scratch, one process "
        "(EKIPGRAPH_WORKERS=1) | ratio | baseline: build from scratch, pySHACL engine "
        "| ratio | nothing changed | one case edited | first query (patterns attached) | query "
        "(start-up incl.) | baseline: whole-graph pySHACL only | ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|", flush=True)
    with tempfile.TemporaryDirectory(prefix="ekipgraph-bench-") as folder:
        for cases in sizes:
            r = measure(cases, Path(folder), reference=cases < CASES_FOR_A_MILLION)
            if r["reference"] is None:
                reference = "– (not run) | –"
            else:
                reference = (
                    f"{r['reference']:.1f} s, {r['reference_rss']:.0f} MB "
                    f"| {r['reference'] / r['scratch']:.1f}x (pySHACL / turbo)"
                )
            print(
                f"| {r['cases']} | {r['quads']:,} | {r['scratch']:.1f} s, "
                f"{r['scratch_rss']:.0f} MB | {r['one_process']:.1f} s, "
                f"{r['one_process_rss']:.0f} MB | {r['one_process'] / r['scratch']:.1f}x "
                f"(one process / {os.cpu_count()} cores) | {reference} "
                f"| {r['unchanged']:.1f} s | {r['incremental']:.1f} s | {r['first_query']:.2f} s "
                f"| {r['query']:.2f} s "
                f"| {r['baseline']:.1f} s, "
                f"{r['baseline_rss']:.0f} MB | {r['baseline'] / r['incremental']:.1f}x "
                "(baseline / incremental) |",
                flush=True,
            )


if __name__ == "__main__":
    main()
