"""The README's first query, `ekipgraph query -e 'SELECT ?case ?city WHERE { ?case
ekip:aboutCity ?city }'`, ended in a raw parser dump because no prefix was declared; a syntax
error showed Oxigraph's list of Unicode character classes instead of the place in the query."""

from __future__ import annotations

from typer.testing import CliRunner

from ekipgraph.cli import app


def test_readme_first_query_answers() -> None:
    result = CliRunner().invoke(
        app, ["query", "-e", "SELECT ?case ?city WHERE { ?case ekip:aboutCity ?city }"]
    )
    assert result.exit_code == 0, result.output
    assert "case:lund-ai" in result.output and "city:lund" in result.output


def test_a_syntax_error_is_not_a_parser_dump() -> None:
    result = CliRunner().invoke(app, ["query", "-e", "SELECT ?x WHERE {\n  ?x a foo:Bar }"])
    assert result.exit_code == 1
    assert "line 2, column 8: unknown prefix 'foo:'" in result.output
    assert "\\u{" not in result.output and "Traceback" not in result.output
