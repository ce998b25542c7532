"""Symptom: a FIFO in ``data/cases`` made ``ekipgraph build`` wait for ever.

Hashing the inputs (for the store's manifest and the per-file cache) opened every file,
and opening a FIFO blocks until something writes to it. Only plain files are hashed now;
anything else goes to the input checks, which refuse it with its name.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from ekipgraph.project import ProjectLayout


def test_a_fifo_in_the_cases_is_refused_by_build_not_waited_for(
    synthetic_home: Callable[..., ProjectLayout], tmp_path: Path
) -> None:
    project = synthetic_home(2, 7)
    os.mkfifo(project.data_dir / "cases" / "waiting.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "ekipgraph", "build", "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ.copy(),
    )
    assert result.returncode != 0
    assert "waiting.yaml" in result.stdout + result.stderr
    assert not (tmp_path / "out").exists()
