"""A label with `[/bold]` ended the command in a rich MarkupError traceback, and ESC
sequences from data were printed raw to the terminal. Text from data is now printed as
plain text with control characters shown as escapes."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from ekipgraph.cli import app
from ekipgraph.validate import ResultRow, ValidationReport, render

RUNNER = CliRunner()
HOSTILE = "[/bold] [link=javascript:alert(1)]x[/link] \x1b[2J\x07"


def test_query_results_print_markup_and_escapes_as_text() -> None:
    result = RUNNER.invoke(
        app, ["query", "-e", 'SELECT ?x { VALUES ?x { "[/bold] a \\u001b[2J" } }']
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 0
    assert "[/bold] a \\x1b[2J" in result.output
    assert "\x1b" not in result.output


def test_an_error_naming_a_file_prints_its_name_as_text() -> None:
    result = RUNNER.invoke(app, ["query", "--file", "[/bold]\x1b[2J.rq"])
    assert result.exit_code == 2
    assert "[/bold]\\x1b[2J.rq: no such file" in result.output


def test_a_shacl_row_from_data_prints_as_text(tmp_path: Path) -> None:
    report = ValidationReport(tmp_path)
    report.rows.append(
        ResultRow("Violation", "cases/x.yaml", 3, "ekipid:x", HOSTILE, "rdfs:label", HOSTILE, "")
    )
    out = io.StringIO()
    render(report, Console(file=out, width=200, force_terminal=True, color_system=None))
    text = out.getvalue()
    assert "[/bold]" in text and "\\x1b[2J\\x07" in text
    assert "\x1b[2J" not in text and "\x07" not in text


def test_an_authoring_problem_prints_as_text(tmp_path: Path) -> None:
    report = ValidationReport(tmp_path, authoring_problems=[f"cases/x.yaml:1:1: {HOSTILE}"])
    out = io.StringIO()
    render(report, Console(file=out, width=200, force_terminal=True, color_system=None))
    assert "[/bold]" in out.getvalue() and "\x1b[2J" not in out.getvalue()
