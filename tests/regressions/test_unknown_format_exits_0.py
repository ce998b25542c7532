"""`--format bogus` exited 0. Every command with --format now refuses an unknown value with
exit code 3 (pySHACL's code for invalid arguments) and the list of valid values."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ekipgraph.cli import app

RUNNER = CliRunner()


@pytest.mark.parametrize(
    ("command", "valid"),
    [
        (["check"], "table, json"),
        (["validate"], "table, json, turtle"),
        (["query", "-e", "ASK {}"], "table, csv, tsv, json, xml, turtle, jsonld, nt"),
    ],
)
def test_an_unknown_format_exits_3_with_the_valid_ones(command: list[str], valid: str) -> None:
    result = RUNNER.invoke(app, [*command, "--format", "bogus"])
    assert result.exit_code == 3
    assert "unknown --format 'bogus'" in result.output
    assert " ".join(result.output.split()).endswith(f"use one of: {valid}")
