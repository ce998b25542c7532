"""The ten example queries of docs/model.md run, as written, on the built real data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ekipgraph.build import build_from_layout
from ekipgraph.project import default_layout
from ekipgraph.store import EmbeddedStore

DOC = Path(__file__).parents[1] / "docs" / "model.md"
#: the numbered questions of the guide ("# 1. ..."), in order
QUERIES = re.findall(r"```sparql\n(# \d+\. .*?)```", DOC.read_text(encoding="utf-8"), re.S)
#: the questions the current data is sure to answer with at least one row
ANSWERED = {1, 2, 3, 8, 9}


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    return EmbeddedStore.from_nquads(build_from_layout(default_layout()).nquads)


def test_the_guide_has_ten_questions() -> None:
    assert len(QUERIES) == 10
    assert [int(q.split(".")[0].lstrip("# ")) for q in QUERIES] == list(range(1, 11))


@pytest.mark.parametrize("number", range(1, 11))
def test_example_query_runs_as_written(store: EmbeddedStore, number: int) -> None:
    outcome = store.query(QUERIES[number - 1])
    rows = outcome.rows()
    if number in ANSWERED:
        assert rows, f"question {number} found nothing"
