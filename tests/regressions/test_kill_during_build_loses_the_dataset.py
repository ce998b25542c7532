"""A kill -9 during `build` could leave dist/dataset missing (killed between its two
renames) and left staging folders behind for good. The output is now swapped in one step:
after a kill at any moment the folder holds the old or the new dataset, complete, and the
next run removes what the killed one left.

Bounded: EKIPGRAPH_KILL_TRIALS trials (10 by default; `make fuzz` runs more), seeded."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from ekipgraph.atomic import MARKER

TRIALS = int(os.environ.get("EKIPGRAPH_KILL_TRIALS", "10"))
KITCHEN_SINK = Path(__file__).parents[1] / "fixtures" / "cases" / "kitchen-sink"


def _build(out: Path, data: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ekipgraph", "build", "-o", str(out), "--data", str(data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _digest(folder: Path) -> str:
    """One hash of the files under ``folder`` (each present and not empty) and of the
    sorted N-Quads (the one byte-identical dump: the TriG's graph order varies)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        assert path.stat().st_size > 0, f"{path} is empty"
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
    digest.update((folder / "ekip.nq").read_bytes())
    return digest.hexdigest()


def test_kill_9_at_any_moment_leaves_old_or_new(tmp_path: Path) -> None:
    old_data, new_data = tmp_path / "old", tmp_path / "new"
    shutil.copytree(KITCHEN_SINK, old_data)
    shutil.copytree(KITCHEN_SINK, new_data)
    cities = new_data / "shared" / "cities.yaml"
    cities.write_text(cities.read_text().replace("Exampleton", "Exampleton-on-Sea", 1))
    out = tmp_path / "dist" / "dataset"

    started = time.perf_counter()
    assert _build(out, new_data).wait(timeout=300) == 0
    duration = time.perf_counter() - started
    new = _digest(out)
    assert _build(out, old_data).wait(timeout=300) == 0
    old = _digest(out)
    assert old != new and (out / MARKER).is_file()

    rng = random.Random(13)
    seen = {"old": 0, "new": 0}
    state = old
    for trial in range(TRIALS):
        before = state
        process = _build(out, new_data if state == old else old_data)
        if trial % 3 == 2:  # aim at the write and swap: soon after staging appears
            deadline = time.monotonic() + 2 * duration + 30
            while not list(out.parent.glob(".dataset.staging-*")) and process.poll() is None:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 1.5))
        else:
            time.sleep(rng.uniform(0.3, 1.4) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert out.is_dir(), f"trial {trial}: the dataset folder is missing"
        state = _digest(out)
        assert state in (old, new), f"trial {trial}: the dataset is neither old nor new"
        seen["old" if state == before else "new"] += 1

    assert _build(out, new_data).wait(timeout=300) == 0
    assert _digest(out) == new
    assert sorted(p.name for p in out.parent.iterdir()) == ["dataset"], "staging left behind"
    print(f"{TRIALS} kill trials: {seen['old']} left the old output, {seen['new']} the new")
