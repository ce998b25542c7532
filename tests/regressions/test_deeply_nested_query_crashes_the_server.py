"""One anonymous SPARQL request nested a few thousand levels deep (3,000 ``{``, deep
``FILTER((…))``, ``!!!…``, nested OPTIONAL or sub-SELECT, ``1+1+…``) killed the ``serve``
process with SIGSEGV: Oxigraph's parser recursed on a worker thread's stack. Now such a
query is refused with 400 before any parser sees it, and queries run in worker processes,
so the server keeps answering."""

from __future__ import annotations

import httpx
import pytest
from serve_support import serve_sample_process

from ekipgraph.serve.guard import nesting_depth, scan


def hostile_queries() -> dict[str, str]:
    queries = {}
    for depth in (1_000, 3_000, 10_000, 30_000):
        queries[f"braces-{depth}"] = "SELECT * WHERE " + "{" * depth + "}" * depth
        queries[f"filter-parens-{depth}"] = (
            "SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }"
        )
        queries[f"not-{depth}"] = "SELECT * WHERE { FILTER(" + "!" * depth + "true) }"
        queries[f"plus-{depth}"] = "SELECT * WHERE { FILTER(1" + "+1" * depth + ") }"
        queries[f"and-{depth}"] = "ASK { FILTER(true" + "&&true" * depth + ") }"
        queries[f"nested-optional-{depth}"] = (
            "SELECT * WHERE " + "{ ?s ?p ?o OPTIONAL " * depth + "{}" + "}" * depth
        )
        queries[f"sub-select-{depth}"] = (
            "SELECT * WHERE " + "{ SELECT * WHERE " * depth + "{}" + "}" * depth
        )
        queries[f"optional-chain-{depth}"] = (
            "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o }" * depth + "}"
        )
        queries[f"union-chain-{depth}"] = (
            "SELECT * WHERE { { ?s ?p ?o }" + " UNION { ?s ?p ?o }" * depth + "}"
        )
    return queries


HOSTILE = hostile_queries()
CASES = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?case a <https://w3id.org/ekip/ontology#CityCaseDescription> }"
)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_guard_sees_the_depth(name: str) -> None:
    assert nesting_depth(list(scan(HOSTILE[name]))) > 128


def test_deep_queries_are_refused_and_the_server_stays_up() -> None:
    with serve_sample_process(max_query_bytes=1_000_000) as server:
        statuses = {}
        with httpx.Client(base_url=server.url, timeout=60) as client:
            for name, query in HOSTILE.items():
                try:
                    response = client.post(
                        "/sparql",
                        content=query.encode(),
                        headers={"Content-Type": "application/sparql-query"},
                    )
                    statuses[name] = (response.status_code, response.text)
                except httpx.TransportError as error:
                    statuses[name] = (None, repr(error))
                assert server.alive, f"{name} killed the server"
            refused = {name: s for name, s in statuses.items() if s[0] != 400}
            assert not refused, refused
            assert all("nests" in text and "limit is 128" in text for _, text in statuses.values())
            # and it still answers
            answer = client.get("/sparql", params={"query": CASES})
        assert answer.status_code == 200
        assert answer.json()["results"]["bindings"][0]["n"]["value"] == "2"


def test_strings_iris_and_comments_do_not_count() -> None:
    deep_text = "(" * 5_000
    query = (
        f'SELECT * WHERE {{ ?s ?p "{deep_text}" . ?s ?p """{deep_text}\n{deep_text}""" .\n'
        f"# {deep_text}\n ?s ?p '{deep_text}' . ?s ?p <urn:x:{'(' * 500}> }}"
    )
    assert nesting_depth(list(scan(query))) == 1
