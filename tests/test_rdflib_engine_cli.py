"""``ekipgraph query NAME --engine rdflib`` for every library query: each one runs and gives
the rows the default engine gives, or is refused with a message naming the query and the
reason and a non-zero exit; never a traceback."""

from __future__ import annotations

import json

import pytest
from rdflib import Literal
from typer.testing import CliRunner

from ekipgraph.cli import app
from ekipgraph.library import EXAMPLE_VALUES, QueryLibrary
from ekipgraph.store import query_form


def _answer(output: str) -> object:
    """A JSON result or N-Triples as something comparable across engines. GROUP_CONCAT lists
    are compared as sorted parts (their order is free) and language tags are left out:
    Oxigraph keeps the tag that every part of a GROUP_CONCAT shares, rdflib gives a plain
    literal as SPARQL 1.1 says."""
    text = output.strip()
    if not text.startswith("{"):
        return sorted(line for line in text.splitlines() if line and not line.startswith("_:"))
    payload = json.loads(text)
    if "boolean" in payload:
        return payload["boolean"]

    def cell(term: dict) -> tuple:
        value = term["value"]
        for separator in ("; ", ", ", " "):
            if separator in value:
                value = separator.join(sorted(value.split(separator)))
                break
        if term.get("datatype"):  # typed literals by value: "…Z" and "…+00:00" are one time
            return (term["type"], str(Literal(value, datatype=term["datatype"]).toPython()))
        return (term["type"], value)

    return sorted(
        tuple(sorted((name, cell(term)) for name, term in row.items()))
        for row in payload["results"]["bindings"]
    )


@pytest.mark.slow  # rdflib's engine takes minutes over the whole library
def test_every_library_query_runs_on_rdflib_or_is_refused_cleanly(synthetic_home) -> None:
    project = synthetic_home(3, seed=11)
    runner = CliRunner()
    library = QueryLibrary(project.queries_dir)
    assert len(library) > 0
    for query in library:
        every = {p.name: EXAMPLE_VALUES[p.type.partition(":")[0]] for p in query.params}
        required = {p.name: every[p.name] for p in query.params if p.required}
        for values in (required, every):
            form = "nt" if query_form(query.text) in ("construct", "describe") else "json"
            arguments = ["query", query.name, "-f", form]
            arguments += [f"--param={name}={value}" for name, value in values.items()]
            on_rdflib = runner.invoke(app, [*arguments, "--engine", "rdflib"])
            assert "Traceback" not in on_rdflib.output, (query.name, on_rdflib.output)
            assert not isinstance(on_rdflib.exception, Exception) or isinstance(
                on_rdflib.exception, SystemExit
            ), (query.name, on_rdflib.exception)
            if on_rdflib.exit_code != 0:
                assert query.name in on_rdflib.stderr and "rdflib" in on_rdflib.stderr
                continue
            on_oxigraph = runner.invoke(app, arguments)
            assert on_oxigraph.exit_code == 0, (query.name, on_oxigraph.output)
            assert _answer(on_rdflib.stdout) == _answer(on_oxigraph.stdout), (query.name, values)
