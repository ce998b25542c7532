"""After one case of many was edited, ``build`` read every case's chunk back from the cache
(10,000 unpickled at 10,000 cases) and assembled every dump again from all of them, sorting
every line: 37 s and 8 GB for one edit. Now the chunks of the cases that did not change are
not read, and the dumps are the previous ones with the edited case's pieces replaced."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ekipgraph.cache import Cache
from ekipgraph.cli import app
from ekipgraph.compiled import CHUNK_NAMESPACE
from ekipgraph.project import ProjectLayout

runner = CliRunner()


def test_an_edit_reads_only_the_edited_cases_chunks(
    synthetic_home: Callable[..., ProjectLayout], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = synthetic_home(12, 2)
    assert runner.invoke(app, ["build", "--out", "dist/dataset"]).exit_code == 0
    case = sorted((project.data_dir / "cases").glob("*.yaml"))[3]
    case.write_text(case.read_text().replace("Synthetic case", "Synthetic edited case", 1))
    read: list[str] = []
    original = Cache.get

    def counting(self: Cache, namespace: str, key: str) -> Any:
        if namespace == CHUNK_NAMESPACE:
            read.append(key)
        return original(self, namespace, key)

    monkeypatch.setattr(Cache, "get", counting)
    nquads = Path("dist/dataset/ekip.nq")
    before = nquads.stat().st_ino
    result = runner.invoke(app, ["build", "--out", "dist/dataset"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "patched: 1 case(s) changed" in result.output
    # the edited case's new chunk (looked up before it is compiled) and its previous one
    assert len(read) == 2, read
    assert nquads.stat().st_ino != before  # a new file, not the old one changed
