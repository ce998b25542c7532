"""Any SPARQL 1.1 store over HTTP: queries by the SPARQL 1.1 Protocol, loading by the Graph
Store HTTP Protocol.

Queries go as GET when short (every store answers GET; the URL stays under
``max_get_length`` characters, which proxies and servers accept) and as a form-encoded POST
otherwise; ``method`` forces one of ``get``, ``post`` or ``direct`` (the query as the POST
body, which Virtuoso 7 never answers). Credentials for HTTP basic or digest authentication
(the server's challenge picks the scheme) come from the environment
(``EKIPGRAPH_SPARQL_USER`` and ``EKIPGRAPH_SPARQL_PASSWORD``) or from a netrc file
(``$NETRC`` or ``~/.netrc``), never from the command line, where other users of the machine
could read them. Every failure is a ``StoreError`` naming the URL and what to do.

Loading PUTs each graph of the dataset (in chunks: the first PUT, the rest POST), maps the
default graph to a named graph when the store has no default graph to PUT into (Virtuoso),
counts what each graph holds afterwards and raises ``LoadError`` naming every graph that
was and was not loaded.
"""

from __future__ import annotations

import json
import netrc
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ekipgraph.namespaces import GRAPH_BASE
from ekipgraph.store import QueryOutcome, QuerySyntaxError, StoreError, query_form

USER_VARIABLE = "EKIPGRAPH_SPARQL_USER"
PASSWORD_VARIABLE = "EKIPGRAPH_SPARQL_PASSWORD"
#: Defaults for ``method`` and ``timeout`` where no argument is given (query --endpoint).
METHOD_VARIABLE = "EKIPGRAPH_SPARQL_METHOD"
TIMEOUT_VARIABLE = "EKIPGRAPH_SPARQL_TIMEOUT"
METHODS = ("auto", "get", "post", "direct")
#: Where the dataset's default graph goes in a store that refuses a default-graph PUT.
DEFAULT_GRAPH_AS = GRAPH_BASE + "default"
DEFAULT_GRAPH = "the default graph"  # its name in reports
#: Triples per Graph Store request: bounded requests for graphs of any size.
CHUNK_TRIPLES = 50_000
#: the name of a graph of a pyoxigraph store
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
SELECT_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8"
_LINE = re.compile(r"\bline (\d+)", re.IGNORECASE)
_POSITION = re.compile(r"at (\d+):(\d+)")
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str
    source: str  # where they came from, for messages (never the password)


def credentials_for(url: str, environ: Mapping[str, str] | None = None) -> Credentials | None:
    """The user and password for ``url``: the environment first, then netrc by host."""
    environ = os.environ if environ is None else environ
    user, password = environ.get(USER_VARIABLE), environ.get(PASSWORD_VARIABLE)
    if user and password is not None:
        return Credentials(user, password, f"${USER_VARIABLE}/${PASSWORD_VARIABLE}")
    if user or password:
        raise StoreError(f"set both {USER_VARIABLE} and {PASSWORD_VARIABLE}, or neither")
    path = Path(environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    try:
        entries = netrc.netrc(str(path))
    except (netrc.NetrcParseError, OSError) as error:
        raise StoreError(f"{path}: cannot read the netrc file: {error}") from error
    host = urllib.parse.urlsplit(url).hostname or ""
    found = entries.authenticators(host)
    if not found:
        return None
    login, _, secret = found
    return Credentials(login or "", secret or "", str(path))


@dataclass
class LoadReport:
    """What ``load`` did: triples per graph loaded, the reason per graph not loaded."""

    loaded: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    default_graph_as: str | None = None  # the named graph that took the default graph
    not_tried: list[str] = field(default_factory=list)  # after an authentication failure

    @property
    def triples(self) -> int:
        return sum(self.loaded.values())

    def describe(self) -> str:
        lines = [f"loaded {len(self.loaded)} graphs ({self.triples} triples)"]
        if self.default_graph_as:
            lines.append(
                f"the default graph was loaded into <{self.default_graph_as}> "
                "(the store refused a default-graph PUT)"
            )
        if self.failed or self.not_tried:
            lines.append(f"NOT loaded: {len(self.failed) + len(self.not_tried)} graphs")
            lines += [f"  {graph}: {reason}" for graph, reason in self.failed.items()]
        if self.not_tried:
            lines.append(
                f"NOT tried after the authentication failure: {len(self.not_tried)} graphs"
            )
            lines.append("loaded: " + (", ".join(self.loaded) or "nothing"))
        return "\n".join(lines)


class LoadError(StoreError):
    """Some graphs were not loaded; ``report`` says which were and which were not."""

    def __init__(self, report: LoadReport) -> None:
        super().__init__(report.describe())
        self.report = report


class _HTTPFailure(StoreError):
    def __init__(self, message: str, status: int | None = None, body: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.body = body


class RemoteStore:
    """Any SPARQL 1.1 endpoint (and, for loading, its Graph Store Protocol URL)."""

    def __init__(
        self,
        endpoint: str,
        graph_store: str | None = None,
        timeout: float | None = None,
        method: str | None = None,
        credentials: Credentials | bool | None = True,
        max_get_length: int = 2000,
    ) -> None:
        """``credentials``: True reads them from the environment or netrc; None or False
        sends none. ``timeout`` (seconds per request) and ``method`` default to
        $EKIPGRAPH_SPARQL_TIMEOUT and $EKIPGRAPH_SPARQL_METHOD, else 60 and auto."""
        method = method or os.environ.get(METHOD_VARIABLE) or "auto"
        if timeout is None:
            try:
                timeout = float(os.environ.get(TIMEOUT_VARIABLE) or 60)
            except ValueError:
                raise StoreError(f"${TIMEOUT_VARIABLE} must be a number of seconds") from None
        if not timeout > 0:
            raise StoreError(f"the timeout must be positive, not {timeout}")
        if method not in METHODS:
            raise StoreError(f"unknown query method {method!r}: use {', '.join(METHODS)}")
        for url in (endpoint, graph_store):
            if url is not None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise StoreError(f"not an http(s) URL: {url!r}")
        self.endpoint = endpoint
        self.graph_store = graph_store
        self.timeout = timeout
        self.method = method
        self.max_get_length = max_get_length
        if credentials is True:
            credentials = credentials_for(endpoint)
        self.credentials = credentials or None
        self._opener = self._build_opener()

    def _build_opener(self) -> urllib.request.OpenerDirector:
        handlers: list[urllib.request.BaseHandler] = []
        if self.credentials:
            # The server's challenge picks basic or digest; the password never goes
            # unasked, and only to the endpoint's and graph store's hosts.
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in filter(None, (self.endpoint, self.graph_store)):
                passwords.add_password(None, url, self.credentials.user, self.credentials.password)
            handlers += [
                urllib.request.HTTPBasicAuthHandler(passwords),
                urllib.request.HTTPDigestAuthHandler(passwords),
            ]
        return urllib.request.build_opener(*handlers)

    # --- HTTP ---------------------------------------------------------------------------

    def _send(self, request: urllib.request.Request) -> tuple[bytes, str]:
        url = request.full_url.split("?")[0]
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            body = _readable(error.read())
            raise _HTTPFailure(self._explain(url, error.code, body), error.code, body) from None
        except TimeoutError:
            raise _HTTPFailure(
                f"{url}: no answer within {self.timeout:g} s (raise the timeout, or check "
                "that the URL is the store's SPARQL endpoint)"
            ) from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError | socket.timeout):
                raise _HTTPFailure(f"{url}: no answer within {self.timeout:g} s") from None
            raise _HTTPFailure(f"{url}: cannot connect: {reason}") from None
        except (OSError, ValueError) as error:  # connection reset, bad digest challenge…
            raise _HTTPFailure(f"{url}: {error}") from None

    def _explain(self, url: str, status: int, body: str) -> str:
        detail = f": {body}" if body else ""
        if status in (401, 403):
            if not self.credentials:
                return (
                    f"{url}: HTTP {status}, the store wants a user and password: set "
                    f"{USER_VARIABLE} and {PASSWORD_VARIABLE}, or add a netrc entry for "
                    f"{urllib.parse.urlsplit(url).hostname}"
                )
            return (
                f"{url}: HTTP {status}, the store refused the user {self.credentials.user!r} "
                f"(from {self.credentials.source}){detail}"
            )
        if status == 404:
            return f"{url}: HTTP 404, no such endpoint{detail}"
        return f"{url}: HTTP {status}{detail}"

    # --- queries ------------------------------------------------------------------------

    def _query_request(self, sparql: str, accept: str) -> urllib.request.Request:
        headers = {"Accept": accept}
        encoded = urllib.parse.urlencode({"query": sparql})
        method = self.method
        if method == "auto":
            long = len(self.endpoint) + 1 + len(encoded) > self.max_get_length
            method = "post" if long else "get"
        if method == "get":
            separator = "&" if "?" in self.endpoint else "?"
            return urllib.request.Request(f"{self.endpoint}{separator}{encoded}", headers=headers)
        if method == "post":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            return urllib.request.Request(self.endpoint, encoded.encode(), headers, method="POST")
        headers["Content-Type"] = "application/sparql-query; charset=utf-8"
        return urllib.request.Request(self.endpoint, sparql.encode(), headers, method="POST")

    def query(self, sparql: str) -> QueryOutcome:
        from ekipgraph.library import without_comments
        from ekipgraph.sparqltext import unknown_prefix_problem, with_prologue

        # Our own reading of the query form (past comments, strings and IRIs).
        graph_form = query_form(sparql) in ("construct", "describe")
        # A store of unknown make gets the project's prefixes the query lacks written out;
        # the positions in its errors are shifted back to the user's lines.
        text, added_lines = with_prologue(without_comments(sparql))
        request = self._query_request(text, GRAPH_ACCEPT if graph_form else SELECT_ACCEPT)
        try:
            body, content_type = self._send(request)
        except _HTTPFailure as error:
            if error.status == 400:
                unknown = unknown_prefix_problem(sparql)
                if unknown is not None:
                    raise QuerySyntaxError.of(unknown) from None
                line = _LINE.search(error.body)
                position = _POSITION.search(error.body)
                if position:
                    raise QuerySyntaxError(
                        f"the store refused the query: {error.body}",
                        int(position.group(1)) - added_lines,
                        int(position.group(2)),
                    ) from None
                raise QuerySyntaxError(
                    f"the store refused the query: {error.body}",
                    int(line.group(1)) - added_lines if line else None,
                ) from None
            raise
        if graph_form:
            return QueryOutcome("graph", _as_ntriples(body, content_type, self.endpoint))
        try:
            payload = json.loads(body)
        except ValueError:
            raise StoreError(
                f"{self.endpoint}: the answer is not SPARQL JSON results "
                f"({content_type or 'no Content-Type'}): {_readable(body)}"
            ) from None
        if not isinstance(payload, dict) or not ({"boolean", "results"} & payload.keys()):
            raise StoreError(f"{self.endpoint}: the answer is not SPARQL JSON results")
        if "boolean" in payload:
            return QueryOutcome("ask", json.dumps(payload).encode())
        _modernise_json_results(payload)
        return QueryOutcome("select", json.dumps(payload).encode())

    def triple_count(self, graphs: Iterable[str] | None = None) -> int:
        """Triples in ``graphs`` (default: all named graphs, or the default graph when the
        store keeps its triples there)."""
        if graphs is not None:
            return sum(self.graph_sizes(graphs).values())
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows()
        default = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows()
        return max(int(str(rows[0]["n"])), int(str(default[0]["n"])))

    def graph_sizes(self, graphs: Iterable[str]) -> dict[str, int]:
        """Triples held in each of ``graphs`` (0 for a graph the store does not have)."""
        names = sorted(set(graphs))
        sizes = dict.fromkeys(names, 0)
        for start in range(0, len(names), 200):  # bounded query text for any graph count
            values = " ".join(f"<{name}>" for name in names[start : start + 200])
            rows = self.query(
                f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            ).rows()
            for row in rows:
                sizes[str(row["g"])] = int(str(row["n"]))
        return sizes

    # --- loading ------------------------------------------------------------------------

    def load(
        self,
        dataset: ox.Store,
        default_graph_as: str = DEFAULT_GRAPH_AS,
        progress: Callable[[str, int], None] | None = None,
    ) -> LoadReport:
        """Replace each graph of ``dataset`` in the store (Graph Store Protocol PUT).

        Raises ``LoadError`` (after trying every graph) when any graph was not loaded, or
        holds a different number of triples afterwards.
        """
        if not self.graph_store:
            raise StoreError("loading needs the Graph Store Protocol URL (--graph-store)")
        report = LoadReport()
        graphs: list[GraphName] = [*sorted(dataset.named_graphs(), key=lambda graph: graph.value)]
        if next(dataset.quads_for_pattern(None, None, None, ox.DefaultGraph()), None):
            graphs.insert(0, ox.DefaultGraph())
        expected: dict[str, int] = {}
        for graph in graphs:
            triples = [
                ox.Triple(quad.subject, quad.predicate, quad.object)
                for quad in dataset.quads_for_pattern(None, None, None, graph)
            ]
            name = DEFAULT_GRAPH if isinstance(graph, ox.DefaultGraph) else graph.value
            try:
                target = self._put_graph(graph, triples, default_graph_as, report)
            except _HTTPFailure as error:
                report.failed[name] = str(error)
                if error.status in (401, 403):  # every other graph would fail the same way
                    rest = graphs[graphs.index(graph) + 1 :]  # the default graph comes first
                    report.not_tried = [g.value for g in rest if not isinstance(g, ox.DefaultGraph)]
                    raise LoadError(report) from None
                continue
            report.loaded[target] = len(triples)
            if target != DEFAULT_GRAPH:  # a union default graph cannot be counted apart
                expected[target] = len(triples)
            if progress:
                progress(target, len(triples))
        if expected:
            try:
                held = self.graph_sizes(expected)
            except StoreError as error:
                raise StoreError(
                    f"{report.describe()}\nbut counting the loaded triples failed: {error}"
                ) from error
            for loaded, count in expected.items():
                if held[loaded] != count:
                    report.failed[loaded] = f"the store holds {held[loaded]} of {count} triples"
                    del report.loaded[loaded]
        if report.failed:
            raise LoadError(report)
        return report

    def _put_graph(
        self,
        graph: GraphName,
        triples: list[ox.Triple],
        default_graph_as: str,
        report: LoadReport,
    ) -> str:
        """Send one graph; return the name of the graph that now holds it."""
        if isinstance(graph, ox.DefaultGraph):
            try:
                self._send_chunks("default", triples)
                return DEFAULT_GRAPH
            except _HTTPFailure as error:
                if error.status in (401, 403) or error.status is None:
                    raise
                report.default_graph_as = default_graph_as  # no default graph to PUT into
                graph = ox.NamedNode(default_graph_as)
        self._send_chunks("graph=" + urllib.parse.quote(graph.value, safe=""), triples)
        return graph.value

    def _send_chunks(self, target: str, triples: list[ox.Triple]) -> None:
        separator = "&" if "?" in (self.graph_store or "") else "?"
        url = f"{self.graph_store}{separator}{target}"
        for start in range(0, max(len(triples), 1), CHUNK_TRIPLES):
            body = ox.serialize(
                triples[start : start + CHUNK_TRIPLES], format=ox.RdfFormat.N_TRIPLES
            )
            request = urllib.request.Request(
                url,
                data=body or b"",
                # N-Triples is Turtle, and every Graph Store implementation reads Turtle.
                headers={"Content-Type": "text/turtle; charset=utf-8"},
                method="PUT" if start == 0 else "POST",
            )
            self._send(request)


def _readable(body: bytes, limit: int = 400) -> str:
    """A server's error page as one short line of text."""
    text = body.decode("utf-8", "replace")
    text = re.sub(r"(?is)<(script|style|title)\b.*?</\1>", " ", text)
    text = " ".join(_TAGS.sub(" ", text).split())
    return text[:limit] + ("…" if len(text) > limit else "")


def _modernise_json_results(payload: dict) -> None:
    """SPARQL 1.0-era ``typed-literal`` bindings (Virtuoso) as SPARQL 1.1 ``literal``."""
    for row in payload.get("results", {}).get("bindings", []):
        for value in row.values():
            if value.get("type") == "typed-literal":
                value["type"] = "literal"


def _as_ntriples(body: bytes, content_type: str, endpoint: str) -> bytes:
    media_type = content_type.split(";")[0].strip().lower()
    formats = {
        "application/n-triples": ox.RdfFormat.N_TRIPLES,
        "text/plain": ox.RdfFormat.N_TRIPLES,
        "text/turtle": ox.RdfFormat.TURTLE,
        "application/rdf+xml": ox.RdfFormat.RDF_XML,
    }
    rdf_format = formats.get(media_type)
    if rdf_format is None:
        raise StoreError(
            f"{endpoint}: a graph answer in {media_type or 'no format'}: {body[:200]!r}"
        )
    try:
        triples = list(ox.parse(body, format=rdf_format))
    except SyntaxError as error:
        raise StoreError(f"{endpoint}: the graph answer does not parse: {error}") from None
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
