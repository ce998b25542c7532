"""A built store written before output folders carried the ``.ekipgraph-output`` marker made
``ekipgraph query`` end in an OutputFolderError traceback when the store was stale: the
manifest shows the folder is ekipgraph's, so it is rebuilt."""

from __future__ import annotations

from typer.testing import CliRunner

from ekipgraph.atomic import MARKER
from ekipgraph.built import default_store_dir, store_status
from ekipgraph.cli import app


def test_an_unmarked_stale_store_is_rebuilt(synthetic_home) -> None:
    project = synthetic_home(2, seed=1)
    runner = CliRunner()
    assert runner.invoke(app, ["build", "--out", "dist/dataset"]).exit_code == 0
    (default_store_dir(project) / MARKER).unlink()  # as written by an older ekipgraph
    case = project.data_dir / "cases" / "synthetic-case-00001.yaml"
    case.write_text(case.read_text().replace("Synthetic case", "Edited synthetic case", 1))
    result = runner.invoke(app, ["query", "-e", "ASK { ?s ?p ?o }"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert store_status(project) == []
