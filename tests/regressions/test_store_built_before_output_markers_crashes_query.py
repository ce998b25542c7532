"""A built store written before output folders carried the ``.ekipgraph-output`` marker made
``ekipgraph query`` end in an OutputFolderError traceback when the store was stale: the
manifest shows the folder is ekipgraph's, so it is rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ekipgraph.atomic import MARKER
from ekipgraph.built import default_store_dir, store_status
from ekipgraph.cli import app
from ekipgraph.project import ProjectLayout
from ekipgraph.synth import synthesise


def test_an_unmarked_stale_store_is_rebuilt(
    tmp_path: Path, layout: ProjectLayout, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = synthesise(2, tmp_path / "project", seed=1, source=layout)
    monkeypatch.setenv("EKIPGRAPH_HOME", str(project.root))
    monkeypatch.setenv("EKIPGRAPH_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["build", "--out", "dist/dataset"]).exit_code == 0
    (default_store_dir(project) / MARKER).unlink()  # as written by an older ekipgraph
    case = project.data_dir / "cases" / "synthetic-case-00001.yaml"
    case.write_text(case.read_text().replace("Synthetic case", "Edited synthetic case", 1))
    result = runner.invoke(app, ["query", "-e", "ASK { ?s ?p ?o }"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert store_status(project) == []
