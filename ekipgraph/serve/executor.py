"""Evaluating one SPARQL operation on a pyoxigraph store, within the result-size limit.

This runs inside a query worker process (``ekipgraph.serve.workers``), never in the server
process: Oxigraph cannot cancel a running query, and a pathological one may exhaust the
stack, so the server keeps the power to kill the process that evaluates it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox

from ekipgraph.namespaces import PREFIXES
from ekipgraph.oxresults import serialized
from ekipgraph.serve.formats import GRAPH_RDF_FORMATS, ResultFormat, result_format
from ekipgraph.sparqltext import implicit_prefixes

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
#: SELECT/ASK result format names -> pyoxigraph's
RESULTS_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


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
    #: resolves relative IRIs in the operation (the endpoint's own URL)
    base_iri: str | None = None


@dataclass(frozen=True)
class Answer:
    media_type: str
    body: bytes
    result_format: ResultFormat | None = None


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


def evaluate(store: ox.Store, operation: Operation, max_results: int) -> Answer:
    """The answer to a query (updates run in the server process, see ``app``)."""
    # The project's prefixes are implicit, as in `ekipgraph query` (the query's own win).
    options: dict = {"base_iri": operation.base_iri, "prefixes": implicit_prefixes(operation.text)}
    if operation.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in operation.default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if operation.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in operation.named_graphs]
    try:
        result = store.query(operation.text, **options)
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
        if isinstance(result, ox.QueryBoolean):
            payload = json.dumps({"head": {}, "boolean": bool(result)}).encode()
            body = _results(payload, fmt)
        elif isinstance(result, ox.QuerySolutions):
            body = _solutions(result, fmt, max_results)
        else:
            body = _triples(result, fmt, max_results)
    except OSError as error:
        raise EndpointError(500, f"the query failed: {error}") from error
    return Answer(fmt.media_type, body, fmt)


def _results(payload: bytes, fmt: ResultFormat) -> bytes:
    if fmt.name == "json":
        return payload
    results = ox.parse_query_results(payload, format=ox.QueryResultsFormat.JSON)
    return serialized(results.serialize(format=RESULTS_FORMATS[fmt.name]))


def _solutions(solutions: ox.QuerySolutions, fmt: ResultFormat, max_results: int) -> bytes:
    variables = [v.value for v in solutions.variables]
    rows: list[dict[str, dict[str, str]]] = []
    for solution in solutions:
        if len(rows) >= max_results:
            raise EndpointError(
                503,
                f"the result has more than {max_results} rows, the endpoint's "
                "limit; add a LIMIT (and OFFSET to page) or narrow the query",
            )
        row = {}
        for name in variables:
            value = solution[name]
            if value is not None:
                row[name] = term_json(value)
        rows.append(row)
    payload = json.dumps({"head": {"vars": variables}, "results": {"bindings": rows}})
    return _results(payload.encode("utf-8"), fmt)


def _triples(triples: ox.QueryTriples, fmt: ResultFormat, max_results: int) -> bytes:
    collected: list[ox.Triple] = []
    for triple in triples:
        if len(collected) >= max_results:
            raise EndpointError(
                503,
                f"the result has more than {max_results} triples, the "
                "endpoint's limit; narrow the query",
            )
        collected.append(triple)
    rdf_format = GRAPH_RDF_FORMATS[fmt.name]
    prefixes = PREFIXES if rdf_format == ox.RdfFormat.TURTLE else None
    return serialized(ox.serialize(collected, format=rdf_format, prefixes=prefixes))


def _not_acceptable(form: str) -> str:
    from ekipgraph.serve.formats import GRAPH_FORMATS, SOLUTION_FORMATS

    formats = GRAPH_FORMATS if form == "graph" else SOLUTION_FORMATS
    kinds = "CONSTRUCT/DESCRIBE" if form == "graph" else "SELECT/ASK"
    offered = ", ".join(fmt.media_type for fmt in formats)
    return (
        f"none of the acceptable media types fits a {kinds} result; this endpoint offers {offered}"
    )
