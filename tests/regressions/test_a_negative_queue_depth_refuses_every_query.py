"""Regression: ``serve --queue-depth -1`` was accepted, and a server whose queue can never be
short enough answers 503 to every query that finds the workers busy. It is refused at the
command line, before anything starts."""

from __future__ import annotations

from typer.testing import CliRunner

from ekipgraph.cli import app


def test_a_negative_queue_depth_is_refused() -> None:
    result = CliRunner().invoke(app, ["serve", "--queue-depth", "-1"])
    assert result.exit_code == 2
    assert "--queue-depth" in result.output and "greater than or equal to" in result.output
    assert "Traceback" not in result.output
