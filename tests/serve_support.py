"""Shared by the linked-data tests: a small ekip dataset, a real uvicorn server on a free
loopback port, the content-negotiation matrix, and Chromium for the browser test."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import uvicorn
from rdflib import Graph, URIRef

from ekipgraph.project import default_layout
from ekipgraph.serve import ServeConfig, create_app
from ekipgraph.serve.http import uvicorn_config
from ekipgraph.store import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "linked-data" / "sample.trig"
GRAPH = "https://w3id.org/ekip/graph/"


def sample_store() -> EmbeddedStore:
    """The ontology, every concept scheme and the sample data, in their named graphs (as
    the builder lays them out)."""
    layout = default_layout()
    store = EmbeddedStore()
    store.store.load(
        path=str(layout.ontology_file),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode(GRAPH + "ontology"),
    )
    for path in layout.vocab_files():
        store.store.load(
            path=str(path),
            format=ox.RdfFormat.TURTLE,
            to_graph=ox.NamedNode(f"{GRAPH}vocab/{path.stem}"),
        )
    store.store.load(path=str(SAMPLE), format=ox.RdfFormat.TRIG)
    return store


@contextmanager
def running_server(app, implementation: str = "auto") -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread on 127.0.0.1 and a free port; yield its URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = app.state.handlers.config
    server = uvicorn.Server(
        uvicorn_config(app, config, implementation, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


_SERVER_SCRIPT = """
import json, socket, sys
import uvicorn
from serve_support import sample_store
from ekipgraph.serve import ServeConfig, create_app
from ekipgraph.serve.http import uvicorn_config
from ekipgraph.serve.http import uvicorn_config

options = json.loads(sys.argv[1])
options["allowed_services"] = frozenset(options.get("allowed_services", ()))
config = ServeConfig(**options)
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.bind(("127.0.0.1", 0))
print(sock.getsockname()[1], flush=True)
app = create_app(sample_store(), config)
uvicorn.Server(uvicorn_config(app, config, log_level="warning")).run(sockets=[sock])
"""


@dataclass
class ServerProcess:
    url: str
    process: subprocess.Popen

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


@contextmanager
def serve_sample_process(**options) -> Iterator[ServerProcess]:
    """The sample served by ``ekipgraph.serve`` in a process of its own (a crash there does
    not take the tests down); ``options`` are ServeConfig fields."""
    import json
    import sys

    process = subprocess.Popen(
        [sys.executable, "-c", _SERVER_SCRIPT, json.dumps(options)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT / "tests",
        env={**os.environ, "PYTHONPATH": str(ROOT / "tests")},
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url + "/", timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the server process did not start") from None
                time.sleep(0.1)
        yield ServerProcess(url, process)
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def serve_sample(
    config: ServeConfig | None = None, store: EmbeddedStore | None = None
) -> Iterator[str]:
    app = create_app(store or sample_store(), config or ServeConfig())
    with running_server(app) as url:
        yield url


# --- the content-negotiation matrix ---------------------------------------------------------

BROWSER = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)
#: Accept name -> (header, expected document suffix)
ACCEPTS: dict[str, tuple[str | None, str]] = {
    "html": (BROWSER, "html"),
    "turtle": ("text/turtle", "ttl"),
    "jsonld": ("application/ld+json", "jsonld"),
    "ntriples": ("application/n-triples", "nt"),
    "rdfxml": ("application/rdf+xml", "rdf"),
    "any": ("*/*", "ttl"),
    "q-mix": ("text/html;q=0.5, application/ld+json;q=0.9, text/turtle;q=0.8, */*;q=0.1", "jsonld"),
    "rdf-over-html": ("text/html;q=0.9, application/rdf+xml", "rdf"),
    "none": (None, "ttl"),
}
MEDIA_TYPES = {
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}
RDFLIB_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}


@dataclass(frozen=True)
class MatrixIri:
    name: str
    iri: str  # what a client dereferences (a hash IRI keeps its fragment)

    @property
    def request_path(self) -> str:
        return self.iri.removeprefix("https://w3id.org/ekip").split("#")[0]

    @property
    def fragment(self) -> str:
        return self.iri.partition("#")[2]


IRIS = (
    MatrixIri("ontology", "https://w3id.org/ekip/ontology"),
    MatrixIri("versioned-ontology", "https://w3id.org/ekip/ontology/0.1.0"),
    MatrixIri("term", "https://w3id.org/ekip/ontology#Actor"),
    MatrixIri("concept", "https://w3id.org/ekip/vocab/policy-area/ai-and-cci"),
    MatrixIri("scheme", "https://w3id.org/ekip/vocab/policy-area"),
    MatrixIri("city", "https://w3id.org/ekip/id/city/lund"),
    MatrixIri("case", "https://w3id.org/ekip/id/case/lund-ai"),
    MatrixIri("case-part", "https://w3id.org/ekip/id/case/lund-ai/gap/talent-drain"),
    MatrixIri("actor", "https://w3id.org/ekip/id/organisation/lund-university"),
    MatrixIri("graph", "https://w3id.org/ekip/graph/case/lund-ai"),
    MatrixIri("dataset", "https://w3id.org/ekip/dataset"),
)


def check_matrix_row(base: str, iri: MatrixIri, accept_name: str) -> None:
    """Dereference ``iri`` like a client sending ``accept``: 303 to the right document,
    which answers 200 with the right Content-Type and a body that parses."""
    header, suffix = ACCEPTS[accept_name]
    headers = {"Accept": header} if header is not None else {}
    with httpx.Client(base_url=base, timeout=30, headers={"Accept-Encoding": "identity"}) as client:
        if header is None:
            client.headers.pop("Accept", None)
        first = client.get(iri.request_path, headers=headers)
        assert first.status_code == 303, (iri.name, accept_name, first.status_code, first.text)
        location = httpx.URL(first.headers["location"]).path
        assert location == f"{iri.request_path}.{suffix}", (iri.name, accept_name, location)
        assert "accept" in first.headers.get("vary", "").lower()
        document = client.get(location, headers=headers)
    assert document.status_code == 200, (iri.name, accept_name, document.status_code)
    media_type = document.headers["content-type"].split(";")[0].strip()
    assert media_type == MEDIA_TYPES[suffix], (iri.name, accept_name, media_type)
    if suffix == "html":
        text = document.text
        assert text.lstrip().lower().startswith("<!doctype html"), iri.name
        if iri.fragment:
            assert f'id="{iri.fragment}"' in text, "the ontology docs have an anchor per term"
        elif iri.name not in ("ontology", "versioned-ontology"):
            assert iri.iri in text
        return
    graph = Graph().parse(
        data=document.content, format=RDFLIB_FORMATS[suffix], publicID=base + location
    )
    assert len(graph) > 0, (iri.name, accept_name)
    node = URIRef(iri.iri)
    assert (node, None, None) in graph or (None, None, node) in graph, (iri.name, accept_name)


# --- Chromium --------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def ensure_chromium() -> tuple[Path | None, str]:
    """Debian's chromium: found, or installed with apt-get when we are root; else why not."""
    if CHROMIUM.exists():
        return CHROMIUM, ""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return None, "Debian's chromium is not installed and installing it needs root and apt-get"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
        if result.returncode != 0:
            return None, f"{' '.join(command)} failed: {result.stderr.strip()[-300:]}"
    return (CHROMIUM, "") if CHROMIUM.exists() else (None, "apt-get installed no /usr/bin/chromium")
