"""``ekipgraph build`` wrote the store and the dumps from the dataset it had validated, which
has no ``graph/inferred``, while a store rebuilt because it was stale had it: after
``make run``, ``?x a prov:Entity`` found no portfolio. Every route now stores the same
graphs."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ekipgraph.build import build_from_layout
from ekipgraph.built import NQUADS_FILE, default_store_dir
from ekipgraph.cli import app
from ekipgraph.infer import INFERRED_GRAPH


def test_build_stores_what_a_stale_rebuild_stores(tmp_path: Path, synthetic_home) -> None:
    project = synthetic_home(2, seed=3)
    outcome = CliRunner().invoke(app, ["build", "--out", str(tmp_path / "dataset")])
    assert outcome.exit_code == 0, outcome.output
    stored = (default_store_dir(project) / NQUADS_FILE).read_text(encoding="utf-8")
    assert f"<{INFERRED_GRAPH}> ." in stored
    assert stored == build_from_layout(project).nquads
    assert (tmp_path / "dataset" / "ekip.nq").read_text(encoding="utf-8") == stored
