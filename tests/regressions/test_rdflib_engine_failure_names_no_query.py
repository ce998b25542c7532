"""``ekipgraph query partners-per-country --param project=<no such project> --engine rdflib``
printed "SPARQL error (rdflib engine): Variable partnerLabel is not bound", as if the query
were wrong, without naming the query: rdflib answers the grouped subquery over no solutions
with one empty row and then fails on it. The refusal now names the query and says that the
rdflib engine, not the query, failed, and that the default engine runs it."""

from __future__ import annotations

from typer.testing import CliRunner

from ekipgraph.cli import app


def test_rdflib_refusal_names_the_query_and_the_reason(synthetic_home) -> None:
    synthetic_home(2, seed=3)
    arguments = ["query", "partners-per-country", "--param", "project=no-such-project"]
    refused = CliRunner().invoke(app, [*arguments, "--engine", "rdflib", "-f", "json"])
    assert refused.exit_code != 0
    assert "Traceback" not in refused.output
    message = refused.stderr
    assert "partners-per-country" in message and "rdflib engine" in message
    assert "oxigraph" in message
    answered = CliRunner().invoke(app, [*arguments, "-f", "json"])
    assert answered.exit_code == 0 and '"bindings"' in answered.stdout
