"""``ekipgraph query`` on the embedded store prints answers straight from Oxigraph's terms: the
same bytes and the same table as the general route (SPARQL JSON, rdflib terms), and none of
the heavy modules (rdflib, pySHACL, the authoring models) loaded to run one query."""

from __future__ import annotations

import subprocess
import sys

import pytest
from rich.console import Console

from ekipgraph import cli
from ekipgraph.results import compact, compact_oxigraph, outcome_table, oxigraph_table
from ekipgraph.store import EmbeddedStore

LUND = "<https://w3id.org/ekip/id/city/lund>"
EKIP = "https://w3id.org/ekip/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DATA = "".join(
    f"{subject} {predicate} {value} .\n"
    for subject, predicate, value in [
        (LUND, "<http://www.w3.org/2000/01/rdf-schema#label>", '"Lund"@sv'),
        (LUND, "<http://www.w3.org/2000/01/rdf-schema#label>", '"Lund"'),
        (LUND, f"<{EKIP}x>", "_:b1"),
        (LUND, f"<{EKIP}n>", f'"007"^^<{XSD}integer>'),
        (LUND, f"<{EKIP}d>", f'"2024-02-30"^^<{XSD}date>'),
        ("<https://w3id.org/ekip/id/case/a/need/x>", f"<{EKIP}m>", '"[/bold]\x1b[31m"'),
    ]
)
# Every kind of term and literal a result can hold, including forms rdflib normalises.
VALUES = """
SELECT ?s ?p ?o (1.0 AS ?decimal) (2.50 AS ?decimal2) (1e3 AS ?double) (true AS ?boolean)
       ("1"^^xsd:boolean AS ?boolean1) (STRDT("01", xsd:integer) AS ?padded) (3 / 2 AS ?ratio)
       ("2024-02-03"^^xsd:date AS ?date) ("2024"^^xsd:gYear AS ?year) (-5 AS ?negative)
       ("x"@en-GB AS ?english) ("abc"^^<http://example.org/type> AS ?custom) ?unbound
WHERE { ?s ?p ?o }
"""
QUERIES = {
    "values": VALUES,
    "ask": "ASK { ?s ?p ?o }",
    "ask-no": "ASK { ?s a ekip:Nothing }",
    "empty": "SELECT ?s WHERE { ?s a ekip:Nothing }",
    "one-empty-row": "SELECT * WHERE {}",
}


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    return EmbeddedStore.from_nquads(DATA)


def test_terms_read_the_same_from_oxigraph_as_through_rdflib(store: EmbeddedStore) -> None:
    general = store.query(VALUES)
    names = general.variables
    through_rdflib = [[compact(row.get(name)) for name in names] for row in general.rows()]
    direct = [[compact_oxigraph(row[name]) for name in names] for row in store.query_native(VALUES)]
    assert sorted(direct) == sorted(through_rdflib)
    cells = {cell for row in direct for cell in row}
    assert {"city:lund", "<https://w3id.org/ekip/id/case/a/need/x>", "Lund@sv", "1"} <= cells


@pytest.mark.parametrize("name", sorted(QUERIES))
@pytest.mark.parametrize("output_format", ["json", "csv", "tsv", "xml"])
def test_the_direct_route_writes_the_bytes_of_the_general_route(
    store: EmbeddedStore, name: str, output_format: str, capfdbinary: pytest.CaptureFixture
) -> None:
    sparql = QUERIES[name]
    expected = store.query(sparql).serialize(output_format)
    capfdbinary.readouterr()
    assert cli._print_from_oxigraph(store, sparql, output_format, None) is None
    assert capfdbinary.readouterr().out == expected


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_the_direct_table_is_the_table_of_the_general_route(
    store: EmbeddedStore, name: str
) -> None:
    sparql = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o" if name == "values" else None
    sparql = sparql or QUERIES[name]

    def shown(renderable: object) -> str:
        console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(renderable)
        return console.export_text()

    expected = shown(outcome_table(store.query(sparql), title="a [b]"))
    assert shown(oxigraph_table(store.query_native(sparql), title="a [b]")) == expected
    if name == "values":
        assert "\\x1b[31m" in expected  # the escape is shown, not sent to the terminal


def test_a_graph_answer_goes_the_general_route(store: EmbeddedStore) -> None:
    outcome = cli._print_from_oxigraph(
        store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "table", None
    )
    assert outcome is not None and outcome.form == "graph"
    assert b"city/lund" in outcome.serialize("nt")


def test_running_a_query_imports_neither_rdflib_nor_the_authoring_models() -> None:
    probe = """
import sys
from ekipgraph import cli, connect, built, results
from ekipgraph.library import library_query
from ekipgraph.project import default_layout
library_query(default_layout().queries_dir, "shared-gaps").bind({})  # an integer default
library_query(default_layout().queries_dir, "actors-in-several-cities").bind({})
heavy = [
    name for name in sys.modules
    if name.split(".")[0] in ("rdflib", "pyshacl")
    or name in ("ekipgraph.cases", "ekipgraph.remote", "ekipgraph.namespaces")
]
print(sorted(heavy))
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout
