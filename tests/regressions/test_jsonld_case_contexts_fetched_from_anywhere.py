"""A JSON-LD case with a remote or file: @context made validate/build fetch it, with no time
limit (hanging for ever on a host that never answers). Contexts are now never fetched: only
the project's own context (resolved locally) or an inline one; anything else is an error
naming the file and line."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CONTEXT = {"ekip": "https://w3id.org/ekip/ontology#", "prov": "http://www.w3.org/ns/prov#"}


def _case(context: object) -> str:
    return json.dumps(
        {
            "@context": context,
            "@graph": [
                {
                    "@id": "https://w3id.org/ekip/id/case/northport-games",
                    "@type": "https://w3id.org/ekip/ontology#CityCaseDescription",
                    "https://w3id.org/ekip/ontology#aboutCity": {
                        "@id": "https://w3id.org/ekip/id/city/northport"
                    },
                },
                {
                    "@id": "https://w3id.org/ekip/graph/case/northport-games",
                    "http://www.w3.org/ns/prov#generatedAtTime": {
                        "@value": "2026-11-28T00:00:00Z",
                        "@type": "http://www.w3.org/2001/XMLSchema#dateTime",
                    },
                },
            ],
        },
        indent=2,
    )


@pytest.fixture
def context_server() -> Iterator[tuple[str, list[str]]]:
    """A loopback server that answers with a context and records every request."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            body = json.dumps({"@context": CONTEXT}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/context.jsonld", requests
    server.shutdown()


def _write(corpus_copy: Path, context: object) -> Path:
    (corpus_copy / "cases" / "northport-games.ttl").unlink()
    path = corpus_copy / "cases" / "northport-games.jsonld"
    path.write_text(_case(context))
    return path


def test_a_remote_context_is_refused_and_never_fetched(
    corpus_copy: Path, context_server, problems_of
) -> None:
    url, requests = context_server
    _write(corpus_copy, url)
    problems = problems_of(corpus_copy)
    assert requests == []
    assert any(
        p.startswith("cases/northport-games.jsonld:2:") and "contexts are never fetched" in p
        for p in problems
    ), problems


def test_a_context_importing_a_remote_one_is_refused(
    corpus_copy: Path, context_server, problems_of
) -> None:
    url, requests = context_server
    _write(corpus_copy, [{"@import": url}])
    assert any("contexts are never fetched" in p for p in problems_of(corpus_copy))
    assert requests == []


def test_a_file_context_is_refused(corpus_copy: Path, tmp_path: Path, problems_of) -> None:
    secret = tmp_path / "context.jsonld"
    secret.write_text(json.dumps({"@context": CONTEXT}))
    _write(corpus_copy, secret.as_uri())
    problems = problems_of(corpus_copy)
    assert any(f'"{secret.as_uri()}" is not loaded' in p for p in problems), problems


def test_a_relative_context_is_refused(corpus_copy: Path, problems_of) -> None:
    (corpus_copy / "cases" / "context.jsonld").write_text(json.dumps({"@context": CONTEXT}))
    _write(corpus_copy, "context.jsonld")
    assert any('"context.jsonld" is not loaded' in p for p in problems_of(corpus_copy))


def test_the_project_context_and_inline_contexts_work(corpus_copy: Path, problems_of) -> None:
    _write(corpus_copy, ["https://w3id.org/ekip/ontology/context.jsonld", CONTEXT])
    assert problems_of(corpus_copy) == []
