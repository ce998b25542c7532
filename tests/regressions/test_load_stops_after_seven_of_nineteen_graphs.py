"""Symptom: `ekipgraph load` into Virtuoso had no authentication and no place for the
default graph (Virtuoso refuses a default-graph PUT): it stopped part-way (after 7 of 19
graphs) with one terse error. Now every graph is loaded, with credentials from the
environment, the default graph mapped to a named graph and reported."""

from __future__ import annotations

from typer.testing import CliRunner

from ekipgraph.cli import app
from ekipgraph.connect import built_nquads
from ekipgraph.store import EmbeddedStore, RemoteStore


def test_load_into_virtuoso_loads_every_graph(virtuoso) -> None:
    result = CliRunner().invoke(
        app,
        ["load", "--endpoint", virtuoso.endpoint, "--graph-store", virtuoso.graph_store],
        env={
            "EKIPGRAPH_SPARQL_USER": virtuoso.user,
            "EKIPGRAPH_SPARQL_PASSWORD": virtuoso.password,
        },
    )
    output = " ".join(result.output.split())
    assert result.exit_code == 0, output
    dataset = EmbeddedStore.from_nquads(built_nquads()).store
    named = sum(1 for _ in dataset.named_graphs())
    assert f"loaded {named + 1} graphs ({len(dataset)} triples)" in output
    assert "the default graph was loaded into <https://w3id.org/ekip/graph/default>" in output
    graphs = RemoteStore(virtuoso.endpoint, credentials=None).query(
        "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/ekip/graph/')) }"
    )
    assert int(graphs.rows()[0]["n"]) == named + 1
