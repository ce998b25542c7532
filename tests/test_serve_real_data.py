"""The server over the real dataset built from data/: every IRI has its documents, the case
and shared-entity IRIs dereference, and every library query runs through /sparql."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from serve_support import running_server

from ekipgraph.connect import open_store
from ekipgraph.library import EXAMPLE_VALUES, QueryLibrary
from ekipgraph.project import default_layout
from ekipgraph.serve import create_app
from ekipgraph.serve.formats import DOCUMENT_FORMATS
from ekipgraph.serve.site import LinkedDataSite
from ekipgraph.store import EmbeddedStore

BASE = "https://w3id.org/ekip/"


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    built = open_store()
    assert isinstance(built, EmbeddedStore)
    return built


@pytest.fixture(scope="module")
def base(store: EmbeddedStore) -> Iterator[str]:
    with running_server(create_app(store)) as url:
        yield url


def test_every_iri_of_the_dataset_has_all_its_documents(store: EmbeddedStore) -> None:
    site = LinkedDataSite(store.store)
    listed = set(site.iris())
    slash_iris = {
        term.value
        for quad in store.store
        for term in (quad.subject, quad.object, quad.graph_name)
        if isinstance(term, ox.NamedNode) and term.value.startswith(BASE) and "#" not in term.value
    }
    assert slash_iris <= listed, sorted(slash_iris - listed)[:10]
    for iri in listed:
        for fmt in DOCUMENT_FORMATS:
            assert site.document(iri, fmt.suffix), (iri, fmt.suffix)


def test_cases_and_shared_entities_dereference(store: EmbeddedStore, base: str) -> None:
    rows = store.query(
        "SELECT DISTINCT ?s { ?s a ?c FILTER(STRSTARTS(STR(?s), 'https://w3id.org/ekip/id/')) }"
    ).rows()
    assert len(rows) > 50
    with httpx.Client(base_url=base) as client:
        for row in rows[::5]:
            path = str(row["s"])[len(BASE) - 1 :]
            for accept, suffix in (("text/turtle", "ttl"), ("text/html", "html")):
                response = client.get(path, headers={"Accept": accept})
                assert response.status_code == 303, path
                assert response.headers["location"] == f"{path}.{suffix}"
                assert client.get(f"{path}.{suffix}").status_code == 200, path


def test_every_library_query_runs_through_the_endpoint(store: EmbeddedStore, base: str) -> None:
    samples = EXAMPLE_VALUES
    cases = store.query(
        "SELECT ?c { ?c a <https://w3id.org/ekip/ontology#CityCaseDescription> } LIMIT 1"
    ).rows()
    case_id = str(cases[0]["c"]).rsplit("/", 1)[-1]
    for query in QueryLibrary(default_layout().queries_dir):
        values = {}
        for p in query.params:
            if p.required:
                values[p.name] = case_id if p.type == "id:case" else samples[p.type.split(":")[0]]
        bound = httpx.get(f"{base}/api/queries/{query.name}", params=values)
        assert bound.status_code == 200, (query.name, bound.text)
        answer = httpx.post(f"{base}/sparql", data={"query": bound.json()["query"]})
        assert answer.status_code == 200, (query.name, answer.text)
