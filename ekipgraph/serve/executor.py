"""Running SPARQL for the endpoint: worker threads, a deadline and a result-size limit.

pyoxigraph releases the GIL while it evaluates, so queries run in a small thread pool and
the event loop keeps serving pages meanwhile. Oxigraph cannot cancel a running query: when
the deadline passes the client gets a clear 503 at once, and the worker stops at the next
solution it produces (a query stuck before its first solution finishes in the background,
holding one worker; when every worker is taken, new queries get 503 "busy" rather than
queueing without end).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pyoxigraph as ox

from ekipgraph.namespaces import PREFIXES
from ekipgraph.serve.formats import GRAPH_RDF_FORMATS, ResultFormat, result_format
from ekipgraph.store import QueryOutcome

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class EndpointError(Exception):
    """A request the endpoint answers with an error status and a plain-text message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass(frozen=True)
class Operation:
    """One SPARQL protocol operation, already validated."""

    kind: str  # "query" or "update"
    text: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    accept: str | None = None
    requested_formats: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    media_type: str
    body: bytes
    result_format: ResultFormat | None = None


@dataclass
class _Job:
    deadline: float
    cancelled: threading.Event = field(default_factory=threading.Event)

    def check(self, timeout: float) -> None:
        if self.cancelled.is_set() or time.monotonic() > self.deadline:
            raise EndpointError(503, f"the query ran longer than the limit of {timeout:g} s")


def term_json(term: object) -> dict:
    """A pyoxigraph term in the SPARQL 1.1 JSON results format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        value: dict = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            value["datatype"] = term.datatype.value
        return value
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": term_json(term.subject),
                "predicate": term_json(term.predicate),
                "object": term_json(term.object),
            },
        }
    raise TypeError(f"unexpected term {term!r}")


class QueryRunner:
    """Executes operations on a pyoxigraph store within the configured limits."""

    def __init__(
        self,
        store: ox.Store,
        timeout: float = 30.0,
        max_results: int = 10_000,
        workers: int = 4,
        on_update=None,
    ) -> None:
        self.store = store
        self.timeout = timeout
        self.max_results = max_results
        self.workers = workers
        self.on_update = on_update
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sparql")
        self._busy = 0
        self._lock = threading.Lock()

    async def run(self, operation: Operation) -> Answer:
        with self._lock:
            if self._busy >= self.workers:
                raise EndpointError(
                    503,
                    "the endpoint is busy with other queries; try again shortly",
                    {"Retry-After": "5"},
                )
            self._busy += 1
        job = _Job(deadline=time.monotonic() + self.timeout)
        future = self._pool.submit(self._execute, operation, job)
        future.add_done_callback(lambda _: self._release())
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except TimeoutError:
            job.cancelled.set()
            raise EndpointError(
                503, f"the query ran longer than the limit of {self.timeout:g} s"
            ) from None

    def _release(self) -> None:
        with self._lock:
            self._busy -= 1

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    # --- in the worker thread ---------------------------------------------------------

    def _execute(self, operation: Operation, job: _Job) -> Answer:
        # pyoxigraph results may only be dropped in the thread that made them: an exception
        # carried to the event loop must not keep _evaluate's frames (and so the results)
        # alive, hence a fresh exception raised once the old one and its traceback are gone.
        try:
            return self._evaluate(operation, job)
        except EndpointError as error:
            failure = (error.status, error.message, error.headers)
        except Exception as error:  # a bug or a store failure: 500, and the server stays up
            failure = (500, f"the query failed: {type(error).__name__}: {error}", {})
        raise EndpointError(*failure)

    def _evaluate(self, operation: Operation, job: _Job) -> Answer:
        if operation.kind == "update":
            return self._update(operation)
        options: dict = {}
        if operation.default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in operation.default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if operation.named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in operation.named_graphs]
        try:
            result = self.store.query(operation.text, **options)
        except SyntaxError as error:
            raise EndpointError(400, f"SPARQL syntax error: {error}") from error
        except (OSError, ValueError) as error:
            raise EndpointError(400, f"the query cannot be evaluated: {error}") from error
        if isinstance(result, ox.QueryBoolean):
            form = "ask"
        elif isinstance(result, ox.QuerySolutions):
            form = "select"
        else:
            form = "graph"
        fmt = result_format(form, operation.accept, operation.requested_formats)
        if fmt is None:
            raise EndpointError(406, _not_acceptable(form))
        try:
            if form == "ask":
                payload = json.dumps({"head": {}, "boolean": bool(result)}).encode()
                body = QueryOutcome("ask", payload).serialize(fmt.name)
            elif form == "select":
                body = self._solutions(result, fmt, job)
            else:
                body = self._triples(result, fmt, job)
        except OSError as error:
            raise EndpointError(500, f"the query failed: {error}") from error
        return Answer(fmt.media_type, body, fmt)

    def _solutions(self, solutions: ox.QuerySolutions, fmt: ResultFormat, job: _Job) -> bytes:
        variables = [v.value for v in solutions.variables]
        rows = []
        for solution in solutions:
            job.check(self.timeout)
            if len(rows) >= self.max_results:
                raise EndpointError(
                    503,
                    f"the result has more than {self.max_results} rows, the endpoint's "
                    "limit; add a LIMIT (and OFFSET to page) or narrow the query",
                )
            row = {}
            for name in variables:
                value = solution[name]
                if value is not None:
                    row[name] = term_json(value)
            rows.append(row)
        payload = json.dumps({"head": {"vars": variables}, "results": {"bindings": rows}})
        if fmt.name == "json":
            return payload.encode("utf-8")
        return QueryOutcome("select", payload.encode("utf-8")).serialize(fmt.name)

    def _triples(self, triples: ox.QueryTriples, fmt: ResultFormat, job: _Job) -> bytes:
        collected = []
        for triple in triples:
            job.check(self.timeout)
            if len(collected) >= self.max_results:
                raise EndpointError(
                    503,
                    f"the result has more than {self.max_results} triples, the "
                    "endpoint's limit; narrow the query",
                )
            collected.append(triple)
        rdf_format = GRAPH_RDF_FORMATS[fmt.name]
        prefixes = PREFIXES if rdf_format == ox.RdfFormat.TURTLE else None
        return ox.serialize(collected, format=rdf_format, prefixes=prefixes)

    def _update(self, operation: Operation) -> Answer:
        try:
            self.store.update(operation.text)
        except SyntaxError as error:
            raise EndpointError(400, f"SPARQL syntax error: {error}") from error
        except (OSError, ValueError) as error:
            raise EndpointError(400, f"the update failed: {error}") from error
        if self.on_update:
            self.on_update()
        return Answer("text/plain", b"update done\n")


def _not_acceptable(form: str) -> str:
    from ekipgraph.serve.formats import GRAPH_FORMATS, SOLUTION_FORMATS

    formats = GRAPH_FORMATS if form == "graph" else SOLUTION_FORMATS
    kinds = "CONSTRUCT/DESCRIBE" if form == "graph" else "SELECT/ASK"
    offered = ", ".join(fmt.media_type for fmt in formats)
    return (
        f"none of the acceptable media types fits a {kinds} result; this endpoint offers {offered}"
    )
