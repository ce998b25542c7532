"""SPARQL as researchers write it: the project's prefixes are implicit everywhere, a query's
own declarations win, output names IRIs only in forms that paste back into a query, and a
syntax error points at its line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef
from typer.testing import CliRunner

from ekipgraph.cases import ConceptIndex, load_corpus
from ekipgraph.cli import app
from ekipgraph.graph import build_dataset, to_sorted_nquads
from ekipgraph.namespaces import PREFIXES, is_local_name, prefixed_name
from ekipgraph.project import ProjectLayout
from ekipgraph.results import compact
from ekipgraph.sparqltext import syntax_problem, with_prologue
from ekipgraph.store import EmbeddedStore, QuerySyntaxError, RdflibStore

README_FIRST_QUERY = "SELECT ?case ?city WHERE { ?case ekip:aboutCity ?city }"


@pytest.fixture(scope="module")
def nquads(kitchen_sink: Path, concepts: ConceptIndex, layout: ProjectLayout) -> str:
    return to_sorted_nquads(build_dataset(load_corpus(kitchen_sink, concepts), layout).dataset)


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def store(request: pytest.FixtureRequest, nquads: str) -> EmbeddedStore | RdflibStore:
    if request.param == "oxigraph":
        return EmbeddedStore.from_nquads(nquads)
    reference = RdflibStore()
    reference.load_nquads(nquads)
    return reference


def test_readme_first_query_works_without_declarations(store) -> None:
    rows = store.query(README_FIRST_QUERY).rows()
    assert {(str(r["case"]), str(r["city"])) for r in rows} >= {
        ("https://w3id.org/ekip/id/case/exampleton-ai", "https://w3id.org/ekip/id/city/exampleton")
    }


def test_instance_and_concept_prefixes(store) -> None:
    rows = store.query(
        "SELECT ?need WHERE { ?need ekip:needsResourceType resource-type:seed-funding ; "
        "ekip:availability availability-status:missing }"
    ).rows()
    assert [str(r["need"]) for r in rows] == [
        "https://w3id.org/ekip/id/case/exampleton-ai/need/early-funding"
    ]
    ask = store.query("ASK { case:exampleton-ai ekip:aboutCity city:exampleton }")
    assert ask.boolean is True


def test_a_query_own_prefix_wins(store) -> None:
    # ekip: rebound to another namespace: nothing of ours matches it any more.
    rows = store.query(
        "PREFIX ekip: <http://example.org/other#>\nSELECT ?s WHERE { ?s ekip:aboutCity ?c }"
    ).rows()
    assert rows == []


def test_syntax_error_names_line_and_column_with_a_caret(store) -> None:
    query = "SELECT ?case WHERE {\n  ?case ekip:aboutCity ?city ;\n  ekip:title }"
    with pytest.raises(QuerySyntaxError) as caught:
        store.query(query)
    message = str(caught.value)
    first, shown, caret = message.splitlines()
    assert first.startswith("SPARQL syntax error at line 3, column ")
    assert shown == "    ekip:title }"
    assert caret.strip() == "^" and caught.value.line == 3
    assert "\\u{" not in message and "'0' ..= '9'" not in message  # no parser dump


def test_an_unknown_prefix_is_named(store) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        store.query("SELECT ?x WHERE {\n  ?x foo:bar ?y }")
    message = str(caught.value)
    assert message.startswith("SPARQL syntax error at line 2, column 6: unknown prefix 'foo:'")
    assert message.splitlines()[2] == "  " + " " * 5 + "^"


def test_prologue_for_remote_endpoints_and_its_line_numbers() -> None:
    query = "PREFIX ekip: <http://x/>\nSELECT * { ?s ekip:p ?o ; skos:prefLabel ?p }"
    text, added = with_prologue(query)
    # only the prefixes it uses and does not declare: skos, not its own ekip
    assert "PREFIX ekip: <https://w3id.org" not in text and added == 1
    assert text == f"PREFIX skos: <{PREFIXES['skos']}>\n" + query
    # An endpoint reports positions in the text it received: shifted back to the user's.
    problem = syntax_problem(
        "PREFIX ekip: <http://x/>\nSELECT * { ?s ?p }",
        f"error at {added + 2}:18: expected one of LATERAL",
        line_offset=added,
    )
    assert (problem.line, problem.column) == (2, 18)


def test_output_uses_prefixed_names_only_where_valid() -> None:
    assert prefixed_name("https://w3id.org/ekip/id/case/lund-ai") == "case:lund-ai"
    assert compact(URIRef("https://w3id.org/ekip/id/case/lund-ai/need/x")) == (
        "<https://w3id.org/ekip/id/case/lund-ai/need/x>"
    )
    assert compact(URIRef("https://w3id.org/ekip/ontology#City")) == "ekip:City"
    assert not is_local_name("lund-ai/need/x") and is_local_name("saint-étienne")
    assert not is_local_name("trailing.")


def test_construct_output_uses_the_project_prefixes(nquads: str) -> None:
    outcome = EmbeddedStore.from_nquads(nquads).query(
        "CONSTRUCT { ?c ekip:aboutCity ?city } WHERE { ?c ekip:aboutCity ?city }"
    )
    turtle = outcome.serialize("turtle").decode()
    assert "@prefix ekip: <https://w3id.org/ekip/ontology#> ." in turtle
    assert "ns1:" not in turtle and "case:exampleton-ai ekip:aboutCity city:exampleton" in turtle
    jsonld = outcome.serialize("jsonld").decode()
    assert '"ekip": "https://w3id.org/ekip/ontology#"' in jsonld and "ns1" not in jsonld


def test_cli_runs_the_readme_query_and_reports_errors_without_a_traceback() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["query", "-e", README_FIRST_QUERY, "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert "https://w3id.org/ekip/id/case/lund-ai" in result.output
    broken = runner.invoke(app, ["query", "-e", "SELECT * WHERE { ?s ?p }"])
    assert broken.exit_code == 1
    assert "line 1, column" in broken.output and "^" in broken.output
    assert "Traceback" not in broken.output
