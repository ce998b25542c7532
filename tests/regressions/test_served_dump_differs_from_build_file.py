"""Symptom: the dump the server gave at ``/dumps/ekip.nq`` differed from the build's
``dist/dataset/ekip.nq`` in 135 of 4,500 lines: the server wrote it again from its Oxigraph
store, which keeps its own forms of literals (``xsd:positiveInteger`` came out as
``xsd:integer``, dateTimes rewritten) and labels blank nodes its own way. The served and
published dumps are now the built store's own files, byte for byte."""

from __future__ import annotations

import httpx
from serve_support import running_server

from ekipgraph.built import default_store_dir
from ekipgraph.connect import open_store
from ekipgraph.project import default_layout
from ekipgraph.serve import create_app


def test_served_dumps_are_the_build_files_of_the_real_data() -> None:
    store = open_store()  # the project's built store, fresh
    folder = default_store_dir(default_layout())
    built = (folder / "ekip.nq").read_bytes()
    # the forms the store would not give back
    assert b"<http://www.w3.org/2001/XMLSchema#positiveInteger>" in built
    with (
        running_server(create_app(store)) as base,
        httpx.Client(base_url=base, headers={"Accept-Encoding": "identity"}) as client,
    ):
        served = client.get("/dumps/ekip.nq")
        assert served.status_code == 200
        differing = set(served.content.splitlines()) ^ set(built.splitlines())
        assert not differing, f"{len(differing)} lines differ, e.g. {sorted(differing)[:3]}"
        assert served.content == built
        trig = client.get("/dumps/ekip.trig")
        assert trig.content == (folder / "ekip.trig").read_bytes()
