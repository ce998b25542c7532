"""How many processes a build uses (``ekipgraph.parallel``): every core by default, or
``EKIPGRAPH_WORKERS``; a bad value is a clear error before any work."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from ekipgraph.cli import app
from ekipgraph.parallel import WORKERS_VARIABLE, WorkerCountError, worker_count


def test_the_default_is_every_core_this_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(WORKERS_VARIABLE, raising=False)
    assert worker_count() == len(os.sched_getaffinity(0))
    monkeypatch.setenv(WORKERS_VARIABLE, " 3 ")
    assert worker_count() == 3


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5", "9" * 30 + "x"])
def test_a_worker_count_that_is_not_a_positive_number_is_refused(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, value)
    with pytest.raises(WorkerCountError, match=WORKERS_VARIABLE):
        worker_count()


def test_a_bad_worker_count_exits_3_with_a_message_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, "many")
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 3, result.output
    assert "EKIPGRAPH_WORKERS='many'" in result.output
    assert "Traceback" not in result.output
