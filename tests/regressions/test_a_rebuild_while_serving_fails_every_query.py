"""``ekipgraph build`` while ``ekipgraph serve`` ran made every SPARQL query fail (500, "No
such file or directory: …/dist/store/.ekipgraph-serve-…/snapshot-1/CURRENT") until the server
was restarted: the server kept its snapshots inside the store folder, and the build, which
replaces that folder whole, removed them with the old folder.

The server's folder now lies outside every folder ekipgraph replaces, the server reads its
own snapshot rather than the build's folder, and it follows the build: the first request
after the store folder was replaced starts opening the new store, and answers come from the
new build once it is open.
"""

from __future__ import annotations

import time

import httpx
from serve_support import running_server
from typer.testing import CliRunner

from ekipgraph.built import default_store_dir
from ekipgraph.cli import app
from ekipgraph.connect import open_store
from ekipgraph.serve import create_app

EDITED = (
    'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), "rebuilt while served")) }'
)


def count(base: str) -> tuple[int, str]:
    response = httpx.get(
        f"{base}/sparql", params={"query": EDITED}, headers={"Accept": "text/csv"}, timeout=30
    )
    return response.status_code, response.text.split()[-1]


def test_queries_answer_through_a_rebuild_and_then_from_the_new_build(synthetic_home) -> None:
    project = synthetic_home(3, seed=5)
    runner = CliRunner()
    assert runner.invoke(app, ["build"]).exit_code == 0
    store_folder = default_store_dir(project)
    with running_server(create_app(open_store(), layout=project)) as base:
        assert count(base) == (200, "0")
        served = next(project.root.rglob(".ekipgraph-serve-*"))

        case = sorted((project.data_dir / "cases").glob("*.yaml"))[0]
        text = case.read_text(encoding="utf-8")
        case.write_text(
            text.replace('summary: {en: "', 'summary: {en: "rebuilt while served: ', 1),
            encoding="utf-8",
        )
        built = runner.invoke(app, ["build"])
        assert built.exit_code == 0, built.output

        answers = [count(base)]
        deadline = time.monotonic() + 120
        while answers[-1] != (200, "1") and time.monotonic() < deadline:
            time.sleep(0.2)
            answers.append(count(base))
        assert all(status == 200 for status, _ in answers), answers
        assert answers[-1] == (200, "1"), answers
        document = httpx.get(f"{base}/id/case/{case.stem}.ttl", timeout=30)
        assert document.status_code == 200
        assert "rebuilt while served" in document.text
        assert not served.resolve().is_relative_to(store_folder.resolve())
        assert served.is_dir()  # the build left the server's folder alone
    assert not served.exists()  # and the server removed it when it stopped
