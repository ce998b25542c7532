"""Symptom: `query --endpoint` sent every query as a direct POST (the query as the body),
which Virtuoso 7 never answers: the client hung until its 62 s timeout. Short queries now
go as GET and long ones as a form-encoded POST, which every SPARQL 1.1 store answers."""

from __future__ import annotations

import time

from ekipgraph.store import RemoteStore


def test_virtuoso_answers_a_query_promptly(virtuoso) -> None:
    store = RemoteStore(virtuoso.endpoint, timeout=15)
    started = time.monotonic()
    rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows()
    assert int(rows[0]["n"]) > 0  # Virtuoso's own system graphs at least
    assert time.monotonic() - started < 15
