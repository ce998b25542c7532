"""The SPARQL 1.1 Protocol's request side: which operation an HTTP request carries.

GET with ``query=``; POST as an HTML form (``query=`` or ``update=``) or with the operation
as the body (``application/sparql-query``, ``application/sparql-update``). Dataset
parameters (``default-graph-uri``, ``named-graph-uri``; for updates ``using-graph-uri``,
``using-named-graph-uri``) may repeat. Everything that breaks
the protocol is refused with a 4xx and a message that says why.
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.requests import Request

from ekipgraph.serve.executor import EndpointError, Operation

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
#: parameters a form POST may also carry in its URL
URL_PARAMETERS = (
    "format",
    "output",
    "default-graph-uri",
    "named-graph-uri",
    "using-graph-uri",
    "using-named-graph-uri",
)


def parse_params(raw: bytes) -> list[tuple[str, str]]:
    """Form or query-string parameters; bad percent-encoding or UTF-8 is a 400."""
    try:
        return parse_qsl(
            raw.decode("ascii"), keep_blank_values=True, encoding="utf-8", errors="strict"
        )
    except (UnicodeDecodeError, ValueError) as error:
        raise EndpointError(
            400, f"the parameters are not valid percent-encoded UTF-8: {error}"
        ) from error


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 past ``limit`` bytes (checked while reading)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise EndpointError(413, f"the request body is larger than the limit of {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise EndpointError(413, f"the request body is larger than the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _media_type(request: Request) -> tuple[str, str | None]:
    header = request.headers.get("content-type", "")
    media_type, *params = (part.strip() for part in header.split(";"))
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.lower(), charset


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise EndpointError(400, f"the {what} is not valid UTF-8") from error


def _single(params: list[tuple[str, str]], name: str) -> str | None:
    values = [value for key, value in params if key == name]
    if len(values) > 1:
        raise EndpointError(400, f"the request has {len(values)} '{name}' parameters; send one")
    return values[0] if values else None


def _graphs(params: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    graphs = []
    for key, value in params:
        if key == name:
            try:
                ox.NamedNode(value)
            except ValueError as error:
                raise EndpointError(400, f"{name} {value!r} is not an absolute IRI") from error
            graphs.append(value)
    return tuple(graphs)


def authorised(request: Request, token: str | None) -> bool:
    """True when the server takes updates and the request carries its bearer token."""
    if not token:
        return False
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


async def parse_operation(request: Request, max_bytes: int) -> Operation | None:
    """The operation a request carries; None for a GET without one (service description)."""
    url_params = parse_params(request.scope.get("query_string", b""))
    accept = request.headers.get("accept")
    if request.method in ("GET", "HEAD"):
        if any(
            key in ("update", "using-graph-uri", "using-named-graph-uri") for key, _ in url_params
        ):
            raise EndpointError(400, "SPARQL updates must be sent with POST, not GET")
        query = _single(url_params, "query")
        if query is None:
            return None
        params = url_params
        kind, text = "query", query
    elif request.method == "POST":
        media_type, charset = _media_type(request)
        if charset not in (None, "utf-8", "utf8"):
            raise EndpointError(415, f"charset {charset} is not supported; send UTF-8")
        body = await read_body(request, max_bytes)
        if media_type == FORM:
            params = parse_params(body)
            query, update = _single(params, "query"), _single(params, "update")
            if query is not None and update is not None:
                raise EndpointError(400, "a request carries either a query or an update, not both")
            if query is not None:
                kind, text = "query", query
            elif update is not None:
                kind, text = "update", update
            else:
                raise EndpointError(400, "the form has neither a 'query' nor an 'update' field")
            params = params + [p for p in url_params if p[0] in URL_PARAMETERS]
        elif media_type in (QUERY_BODY, UPDATE_BODY):
            if any(key in ("query", "update") for key, _ in url_params):
                raise EndpointError(
                    400,
                    f"with {media_type} the operation is the body; do not also send it in the URL",
                )
            params = url_params
            kind = "query" if media_type == QUERY_BODY else "update"
            text = _decode(body, kind)
        elif not media_type:
            raise EndpointError(
                415, f"a POST needs a Content-Type: {FORM}, {QUERY_BODY} or {UPDATE_BODY}"
            )
        else:
            raise EndpointError(
                415,
                f"{media_type} is not a SPARQL protocol request; "
                f"use {FORM}, {QUERY_BODY} or {UPDATE_BODY}",
            )
    else:
        raise EndpointError(
            405, "the SPARQL endpoint takes GET and POST", {"Allow": "GET, HEAD, POST"}
        )
    assert text is not None
    if len(text.encode("utf-8")) > max_bytes:
        raise EndpointError(413, f"the {kind} is longer than the limit of {max_bytes} bytes")
    if not text.strip():
        raise EndpointError(400, f"the {kind} is empty")
    if kind == "update":
        # using-graph-uri/using-named-graph-uri: the update's USING / USING NAMED
        default_graphs = _graphs(params, "using-graph-uri")
        named_graphs = _graphs(params, "using-named-graph-uri")
    else:
        default_graphs = _graphs(params, "default-graph-uri")
        named_graphs = _graphs(params, "named-graph-uri")
    return Operation(
        kind=kind,
        text=text,
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        accept=accept,
        # SPARQLWrapper may send several (format=, output=): the first one we know wins
        requested_formats=tuple(v for k, v in params if k in ("format", "output")),
    )
