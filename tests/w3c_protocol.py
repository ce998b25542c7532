"""The W3C SPARQL 1.1 Protocol tests, read from their manifest and run over HTTP.

Each test is a list of HTTP requests (method, path under ``/sparql/``, headers, body in a
stated character encoding) with what the response must be: a status class, a result
format (``boolean``, ``tabular``, ``RDF``) and for ASK the boolean. Tests with
``ut:graphData`` need those graphs in the store first (``reset`` puts them there).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rdflib import RDF, Graph, Namespace
from rdflib.collection import Collection

SUITE = Path(__file__).parent / "fixtures" / "w3c-sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"

BOOLEAN_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR_TYPES = (*BOOLEAN_TYPES, "text/csv", "text/tab-separated-values")
RDF_TYPES = (
    "text/turtle",
    "application/rdf+xml",
    "application/n-triples",
    "application/ld+json",
    "application/n-quads",
    "application/trig",
)


@dataclass(frozen=True)
class ProtocolRequest:
    method: str
    path: str  # starts with /sparql/
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: frozenset[str]  # "2", "3", "4", "5"
    result_format: str | None
    boolean: bool | None

    @property
    def is_update(self) -> bool:
        content_type = dict(self.headers).get("content-type", "")
        body = (self.body or b"").lstrip()
        return "sparql-update" in content_type or body.startswith(b"update=")


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    graphs: tuple[tuple[Path, str], ...]  # data file, graph IRI
    requests: tuple[ProtocolRequest, ...] = field(default_factory=tuple)

    @property
    def updates(self) -> bool:
        return any(request.is_update for request in self.requests)


def load_manifest(path: Path = SUITE / "manifest.ttl") -> list[ProtocolTest]:
    graph = Graph().parse(path, format="turtle", publicID=path.resolve().as_uri())
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        graphs = tuple(
            (
                Path(str(graph.value(data, UT.graph)).removeprefix("file://")),
                str(graph.value(data, RDFS.label)),
            )
            for data in graph.objects(entry, UT.graphData)
        )
        action = graph.value(entry, MF.action)
        requests = []
        for request in Collection(graph, graph.value(action, HT.requests)):
            headers = []
            header_list = graph.value(request, HT.headers)
            if header_list is not None:
                for header in Collection(graph, header_list):
                    headers.append(
                        (
                            str(graph.value(header, HT.fieldName)).lower(),
                            str(graph.value(header, HT.fieldValue)),
                        )
                    )
            body = graph.value(request, HT.body)
            content = None
            if body is not None:
                encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
                content = str(graph.value(body, CNT.chars)).encode(encoding)
            response = graph.value(request, HT.resp)
            statuses = frozenset(
                str(status).removeprefix(HTS)[0]
                for status in graph.objects(response, MF.expectedStatus)
            )
            result_format = graph.value(response, MF.expectedFormat)
            boolean = graph.value(response, MF.expectedBoolean)
            requests.append(
                ProtocolRequest(
                    method=str(graph.value(request, HT.methodName)),
                    path=str(graph.value(request, HT.absolutePath)),
                    headers=tuple(headers),
                    body=content,
                    statuses=statuses,
                    result_format=str(result_format) if result_format is not None else None,
                    boolean=boolean.toPython() if boolean is not None else None,
                )
            )
        tests.append(
            ProtocolTest(
                name=str(entry).rpartition("#")[2],
                title=str(graph.value(entry, MF.name)),
                graphs=graphs,
                requests=tuple(requests),
            )
        )
    return tests


def _boolean(response: httpx.Response) -> bool | None:
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    if media_type == "application/sparql-results+json":
        return bool(json.loads(response.content)["boolean"])
    if media_type == "application/sparql-results+xml":
        root = ET.fromstring(response.content)
        node = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
        return None if node is None else node.text.strip() == "true"
    return None


def check_response(request: ProtocolRequest, response: httpx.Response) -> str | None:
    """Why ``response`` does not meet the test's expectations (None when it does)."""
    status = str(response.status_code)[0]
    if request.statuses and status not in request.statuses:
        expected = "/".join(f"{s}xx" for s in sorted(request.statuses))
        return (
            f"{request.method} {request.path}: status {response.status_code}, "
            f"expected {expected}: {response.text[:200]}"
        )
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    allowed = {"boolean": BOOLEAN_TYPES, "tabular": TABULAR_TYPES, "RDF": RDF_TYPES}.get(
        request.result_format or ""
    )
    if allowed and media_type not in allowed:
        return (
            f"{request.method} {request.path}: {media_type} is not a {request.result_format} result"
        )
    if request.boolean is not None and _boolean(response) != request.boolean:
        answer = _boolean(response)
        return f"{request.method} {request.path}: answer {answer}, expected {request.boolean}"
    return None


def run_test(
    client: httpx.Client,
    endpoint: str,
    test: ProtocolTest,
    token: str | None = None,
    reset: Callable[[ProtocolTest], None] | None = None,
) -> str | None:
    """Run ``test`` against ``endpoint`` (the URL standing for ``/sparql/``); the failure,
    or None."""
    if reset is not None and test.graphs:
        reset(test)
    for request in test.requests:
        url = endpoint + request.path.removeprefix("/sparql/").removeprefix("/sparql")
        headers = dict(request.headers)
        if token:
            headers["authorization"] = f"Bearer {token}"
        response = client.request(request.method, url, headers=headers, content=request.body)
        failure = check_response(request, response)
        if failure:
            return failure
    return None


def reset_with_update(
    client: httpx.Client, endpoint: str, token: str
) -> Callable[[ProtocolTest], None]:
    """A ``reset`` that empties the store and loads the test's graphs with one update."""

    def reset(test: ProtocolTest) -> None:
        inserts = " ".join(
            f"GRAPH <{label}> {{ {path.read_text(encoding='utf-8')} }}"
            for path, label in test.graphs
        )
        response = client.post(
            endpoint,
            content=f"CLEAR ALL ; INSERT DATA {{ {inserts} }}".encode(),
            headers={
                "content-type": "application/sparql-update",
                "authorization": f"Bearer {token}",
            },
        )
        response.raise_for_status()

    return reset


def all_graphs(tests: list[ProtocolTest]) -> dict[str, Path]:
    return {label: path for test in tests for path, label in test.graphs}
