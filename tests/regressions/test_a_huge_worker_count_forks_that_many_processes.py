"""``EKIPGRAPH_WORKERS=1000`` made a build fork a thousand processes at once (a process pool
starts all of them up front), and a pool for two jobs started one process per worker. Now
the variable is refused above a few processes per core, and a pool never starts more
processes than it has jobs."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ekipgraph.cli import app
from ekipgraph.parallel import (
    WORKERS_VARIABLE,
    WorkerCountError,
    cores,
    most_workers,
    pool_size,
    worker_count,
)


def test_a_worker_count_far_above_the_cores_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, str(most_workers() + 1))
    with pytest.raises(WorkerCountError, match=f"at most {most_workers()}"):
        worker_count()
    monkeypatch.setenv(WORKERS_VARIABLE, str(most_workers()))
    assert worker_count() == most_workers() >= cores()


def test_a_thousand_workers_exits_3_before_any_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, "1000")
    result = CliRunner().invoke(app, ["build"])
    assert result.exit_code == 3, result.output
    assert "EKIPGRAPH_WORKERS=1000" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("workers", "jobs", "size"), [(8, 2, 2), (2, 50, 2), (4, 0, 1), (1, 9, 1)])
def test_a_pool_starts_no_more_processes_than_it_has_jobs(
    workers: int, jobs: int, size: int
) -> None:
    assert pool_size(workers, jobs) == size
