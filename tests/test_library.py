"""The query library: headers, parameters bound safely, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.plugins.sparql import prepareQuery

from ekipgraph.library import (
    EXAMPLE_VALUES,
    LibraryQuery,
    Parameter,
    QueryLibrary,
    QueryLibraryError,
    bind_values,
    load_query,
    where_group_start,
)
from ekipgraph.project import default_layout
from ekipgraph.store import EmbeddedStore, QuerySyntaxError, RdflibStore

LIBRARY = QueryLibrary(default_layout().queries_dir)


def test_library_has_at_least_fifteen_documented_queries() -> None:
    assert len(LIBRARY) >= 15
    for query in LIBRARY:
        assert query.summary, query.name
        assert query.description.endswith(("?", ".")), query.name
        assert query.tags, query.name


@pytest.mark.parametrize("query", list(LIBRARY), ids=lambda q: q.name)
def test_every_library_query_parses_on_both_engines_with_and_without_parameters(
    query: LibraryQuery,
) -> None:
    samples = EXAMPLE_VALUES
    required = {p.name: samples[p.type.partition(":")[0]] for p in query.params if p.required}
    everything = {p.name: samples[p.type.partition(":")[0]] for p in query.params}
    for values in (required, everything):
        text = query.bind(values)
        prepareQuery(text)
        EmbeddedStore().query(text)


def test_values_block_goes_inside_the_where_group() -> None:
    query = LIBRARY.get("cases-per-city-and-policy-area")
    bound = query.bind({"city": "lund"})
    assert "VALUES ?city { <https://w3id.org/ekip/id/city/lund> }" in bound
    assert bound.index("VALUES") > bound.index("WHERE {")


def test_construct_template_is_skipped_when_binding() -> None:
    text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert text[where_group_start(text)] == "{"
    assert where_group_start(text) == text.index("WHERE {") + len("WHERE ")


def test_braces_inside_strings_iris_and_comments_are_ignored() -> None:
    text = '# a { comment\nSELECT * WHERE { ?s ?p "}{" . ?s ?q <http://x/{y}> }'
    assert where_group_start(text) == text.index("WHERE {") + len("WHERE ")


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        (Parameter("city", "id:city"), "lund> } ?s ?p ?o . { <x"),
        (Parameter("city", "id:city"), "Lund"),
        (Parameter("area", "concept:policy-area"), "ai-and-cci }"),
        (Parameter("x", "iri"), "http://example.org/a> } DROP ALL #"),
        (Parameter("x", "iri"), "javascript:alert(1)"),
        (Parameter("n", "integer"), "2) || true"),
        (Parameter("d", "date"), "2024-13-01"),
        (Parameter("s", "scheme"), "../etc"),
    ],
)
def test_values_that_would_change_the_query_are_rejected(parameter: Parameter, value: str) -> None:
    with pytest.raises(QueryLibraryError, match=parameter.name):
        parameter.to_term(value)


def test_string_values_are_escaped_into_one_literal() -> None:
    hostile = 'x" } ; DROP ALL ; SELECT * WHERE { "'
    text = bind_values(
        "SELECT ?s WHERE { ?s ?p ?label }", {"label": Parameter("label", "string").to_term(hostile)}
    )
    parsed = prepareQuery(text)
    assert parsed is not None
    assert "DROP" not in text.replace(hostile.replace('"', '\\"'), "")


def test_unknown_query_names_the_closest_ones() -> None:
    with pytest.raises(QueryLibraryError, match="did you mean shared-gaps"):
        LIBRARY.get("shared-gap")


def test_unknown_parameter_names_the_existing_ones() -> None:
    with pytest.raises(QueryLibraryError, match="its parameters: city"):
        LIBRARY.get("cases-per-city-and-policy-area").bind({"town": "lund"})


def test_required_parameter_must_be_given() -> None:
    with pytest.raises(QueryLibraryError, match="needs --param case="):
        LIBRARY.get("case-provenance").bind({})


def test_header_without_summary_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("#+ tags: [x]\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(QueryLibraryError, match="needs a summary"):
        load_query(path)


@pytest.mark.parametrize("store_class", [EmbeddedStore, RdflibStore])
def test_syntax_errors_report_line_and_column(store_class: type) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        store_class().query("SELECT ?x\nWHERE {\n  ?x ?y\n}}")
    assert caught.value.line is not None and caught.value.line >= 3
    assert caught.value.column is not None
