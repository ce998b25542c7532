"""Remote stores got every project prefix written before the query (over 40 lines), so even
the README's one-line query was longer than a GET URL may be and went as POST, which some
endpoints do not accept (HTTP 501). Only the prefixes a query uses are written now."""

from __future__ import annotations

from urllib.parse import urlencode

from ekipgraph.sparqltext import with_prologue

README_QUERY = "SELECT ?case ?city WHERE { ?case ekip:aboutCity ?city }"


def test_only_the_prefixes_a_query_uses_are_declared() -> None:
    text, added = with_prologue(README_QUERY)
    assert added == 1
    assert text.splitlines()[0] == "PREFIX ekip: <https://w3id.org/ekip/ontology#>"


def test_a_prefix_inside_a_string_or_an_iri_is_not_declared() -> None:
    text, added = with_prologue('SELECT * { ?s <http://ex.org/a:b> "skos:x" }')
    assert added == 0 and text.startswith("SELECT")


def test_the_readme_query_fits_a_get_url() -> None:
    text, _ = with_prologue(README_QUERY)
    url = "http://127.0.0.1:8890/sparql?" + urlencode({"query": text})
    assert len(url) < 2000
