"""The README's examples run, so they cannot rot: every ```sh and ```python block is executed
against a synthetic project home. Convention: a block right after a line
``<!-- readme-test: skip (reason) -->`` is not run (it needs make, a server or the network);
every other block must succeed. Shell blocks run the venv's ``ekipgraph`` script."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"(<!-- readme-test: skip[^\n]*-->\n)?```(sh|python)\n(.*?)```", re.DOTALL)
BLOCKS = [(kind, code) for skip, kind, code in BLOCK.findall(README.read_text()) if not skip]


def test_the_readme_has_runnable_examples() -> None:
    assert {kind for kind, _ in BLOCKS} == {"sh", "python"}


@pytest.mark.parametrize(("kind", "code"), BLOCKS, ids=lambda v: v.split()[0] if " " in v else v)
def test_readme_example_runs(kind: str, code: str, synthetic_home, tmp_path: Path) -> None:
    synthetic_home(2, seed=4)
    bin_dir = Path(sys.executable).parent
    if kind == "python":
        command = [sys.executable, "-c", code]
    else:
        script = code.replace(".venv/bin/ekipgraph", str(bin_dir / "ekipgraph"))
        command = ["bash", "-euo", "pipefail", "-c", script]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
