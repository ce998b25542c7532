"""`EKIPGRAPH_HOME=DIR ekipgraph synth N --out DIR` (the home set before the folder exists)
ended in a KeyError traceback: synth read the vocabularies from the empty target folder
instead of the project that ships with ekipgraph."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ekipgraph.cli import app


def test_synth_reads_the_shipped_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "home"
    monkeypatch.setenv("EKIPGRAPH_HOME", str(out))
    result = CliRunner().invoke(app, ["synth", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "data" / "cases" / "synthetic-case-00002.yaml").is_file()
    assert (out / "ontology" / "vocab" / "policy-area.ttl").is_file()
