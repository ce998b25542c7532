"""After one case of many was edited, ``build`` still did Python work for every case that
had not changed: a path object and a stat per case file, input file and graph file (three
times over: to check the record, to link, to record the link), a JSON entry converted one
by one in the build record, the dumps index and the store's manifest (written by the
json module's Python encoder, for their indentation), a cache lookup per kept chunk and a
sort of every piece of the dumps. 11.1 s at 10,000 cases for one edit, most of it that.

Now what grows with the cases is a stat and a link per file, checks of whole columns of
the JSON files (in C), and a few calls per case. Counted, not timed: the Python function
calls of an edit build, at two sizes of the same corpus."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from types import FrameType

import pytest
from typer.testing import CliRunner

from ekipgraph.cli import app
from ekipgraph.project import ProjectLayout
from ekipgraph.synth import synthesise

runner = CliRunner()
SMALL, LARGE = 8, 40
#: Python calls per case that did not change, at most (the old code made 448, this one 40)
PER_CASE = 100


def _edit_build_calls(project: ProjectLayout, work: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """The Python function calls of a build after one case was edited (the folder and the
    store built before, and once after the edit, so that both builds are alike)."""
    monkeypatch.setenv("EKIPGRAPH_HOME", str(project.root))
    work.mkdir()
    monkeypatch.chdir(work)
    case = sorted((project.data_dir / "cases").glob("*.yaml"))[1]
    text = case.read_text(encoding="utf-8")
    for round, ending in enumerate(("once", "twice")):
        if round:
            case.write_text(text.replace("Synthetic case", f"Synthetic case, {ending}", 1))
        result = runner.invoke(app, ["build", "--out", "dist/dataset"])
        assert result.exit_code == 0, result.output
    case.write_text(text.replace("Synthetic case", "Synthetic case, edited", 1))
    calls = 0

    def count(_frame: FrameType, event: str, _arg: object) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        result = runner.invoke(app, ["build", "--out", "dist/dataset"])
    finally:
        sys.setprofile(None)
    assert result.exit_code == 0, result.output
    assert "patched: 1 case(s) changed" in result.output
    return calls


def test_an_edit_build_does_little_per_case_that_did_not_change(
    tmp_path: Path, layout: ProjectLayout, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EKIPGRAPH_CACHE", str(tmp_path / "cache"))
    # the same project, with the same shared files and the same edit, twice: with all its
    # cases, and with the first few only
    large = synthesise(LARGE, tmp_path / "large", seed=3, source=layout)
    shutil.copytree(large.root, tmp_path / "small")
    for extra in sorted((tmp_path / "small" / "data" / "cases").glob("*.yaml"))[SMALL:]:
        extra.unlink()
    small = ProjectLayout(tmp_path / "small")
    counts = [
        _edit_build_calls(project, tmp_path / f"work-{name}", monkeypatch)
        for name, project in (("small", small), ("large", large))
    ]
    per_case = (counts[1] - counts[0]) / (LARGE - SMALL)
    assert per_case <= PER_CASE, f"{per_case:.0f} Python calls per case ({counts})"
