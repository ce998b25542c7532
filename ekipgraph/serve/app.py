"""The ASGI application of ``ekipgraph serve``: the SPARQL endpoint, linked data, pages.

Routes:
  /                       home page
  /sparql                 SPARQL 1.1 Protocol; without a query: the query page (browsers)
                          or the service description (RDF clients)
  /api/queries[/NAME]     the query library as JSON, NAME bound with ?param=value
  /.well-known/void       303 to the dataset description
  /dumps/ekip.{trig,nq,ttl}, /dumps/patterns.{trig,nq}
                          the dataset and the cross-city patterns; a built store's own
                          files (streamed) until an update, then generated
  /ontology/context.jsonld
  /static/...             CSS, JavaScript, the vendored YASGUI
  /<iri path>[.suffix]    every ekip IRI: 303 to its document, or the document itself
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ekipgraph.library import QueryLibrary, QueryLibraryError
from ekipgraph.project import ProjectLayout, default_layout
from ekipgraph.serve.catalog import service_description
from ekipgraph.serve.config import ServeConfig
from ekipgraph.serve.executor import Answer, EndpointError, Operation
from ekipgraph.serve.formats import BY_SUFFIX, DUMPS, document_suffix
from ekipgraph.serve.guard import add_using, check_operation
from ekipgraph.serve.http import HeadSizeLimit
from ekipgraph.serve.paths import resolve
from ekipgraph.serve.protocol import authorised, parse_operation
from ekipgraph.serve.querypage import library_json, query_page
from ekipgraph.serve.site import LinkedDataSite, rdflib_to_triples, serialize
from ekipgraph.serve.storefiles import StoreFiles
from ekipgraph.serve.workers import WorkerPool
from ekipgraph.store import EmbeddedStore

STATIC = Path(__file__).parent / "static"
CORS = {"Access-Control-Allow-Origin": "*"}
#: Scripts and styles from this server only (the pages have no inline script; YASGUI sets
#: inline styles); no plug-ins, no framing, forms post here only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
log = logging.getLogger("ekipgraph.serve")


def text_error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message.rstrip() + "\n", status_code=status, headers=headers)


def see_other(location: str) -> Response:
    return RedirectResponse(location, status_code=303, headers={"Vary": "Accept", **CORS})


def not_acceptable(what: str) -> Response:
    offered = ", ".join(fmt.media_type for fmt in BY_SUFFIX.values())
    return text_error(406, f"{what} is available as {offered}; the Accept header allows none")


def folder_identity(folder: Path) -> tuple[int, int] | None:
    """What tells one build of a store folder from the next: every build replaces the folder
    whole (a new directory at the same path)."""
    try:
        status = os.stat(folder)
    except OSError:
        return None
    return status.st_dev, status.st_ino


class EndpointApp:
    """Holds the store, the site and the query runner; its methods are the route handlers."""

    def __init__(
        self,
        store: ox.Store,
        config: ServeConfig,
        layout: ProjectLayout,
        directory: Path | None = None,
        dump_files: dict[str, Path] | None = None,
        built_folder: Path | None = None,
    ) -> None:
        """``built_folder``: the built store folder ``store`` was opened from, read-only; the
        server follows it (see :meth:`follow_rebuild`)."""
        self.files = StoreFiles(store, directory, read_only=built_folder is not None)
        self.store = self.files.primary
        self.config = config
        self.layout = layout
        self.site = LinkedDataSite(self.store, layout, dump_files=self.files.keep(dump_files or {}))
        self.built_folder = built_folder
        self.serving = folder_identity(built_folder) if built_folder is not None else None
        self.reloading = threading.Lock()
        self.pool = WorkerPool(
            size=config.workers,
            queue_depth=config.queue_depth,
            timeout=config.timeout,
            max_results=config.max_results,
        )
        self.update_lock = asyncio.Lock()
        try:
            self.library: QueryLibrary | None = QueryLibrary(layout.queries_dir)
        except (QueryLibraryError, OSError) as error:
            log.warning("no query library: %s", error)
            self.library = None

    def follow_rebuild(self) -> None:
        """When the built store folder was replaced (``ekipgraph build`` ran), open the new
        store in the background; requests are answered from the old one until it is ready.
        Called before every request: one ``stat``."""
        if self.built_folder is None or folder_identity(self.built_folder) == self.serving:
            return
        if not self.reloading.acquire(blocking=False):
            return  # already switching
        threading.Thread(target=self._switch, name="ekipgraph-follow", daemon=True).start()

    def _switch(self) -> None:
        from ekipgraph.built import OXIGRAPH_DIR, dump_files, ensure_store

        assert self.built_folder is not None
        seen = folder_identity(self.built_folder)
        try:
            # the same rule as at start: fresh, with its patterns, or rebuilt first
            folder = ensure_store(self.layout, self.built_folder)
            seen = folder_identity(folder)
            opened = ox.Store.read_only(str(folder / OXIGRAPH_DIR))
            files = dump_files(folder)
            snapshot = self.files.replace(opened)
            site = LinkedDataSite(
                self.files.primary, self.layout, dump_files=self.files.keep(files)
            )
        except Exception as error:  # any failure: the old store goes on being served
            log.warning(
                "the store in %s changed, but cannot be served (%s); still serving the "
                "previous build",
                self.built_folder,
                error,
            )
        else:
            self.store, self.site, self.pool.snapshot = self.files.primary, site, snapshot
            log.info("the store in %s was rebuilt: now serving the new build", self.built_folder)
        finally:
            self.serving = seen
            self.reloading.release()

    async def home(self, request: Request) -> Response:
        html = await run_in_threadpool(self.site.index_html)
        return Response(html, media_type="text/html")

    async def sparql(self, request: Request) -> Response:
        try:
            operation = await parse_operation(request, self.config.max_query_bytes)
            if operation is None:
                return await self.describe_service(request)
            if operation.kind == "update" and not authorised(request, self.config.update_token):
                reason = (
                    "this endpoint is read-only"
                    if not self.config.update_token
                    else "updates need the server's token (Authorization: Bearer …)"
                )
                raise EndpointError(403, reason)
            tokens = check_operation(
                operation.text, self.config.max_nesting, self.config.allowed_services
            )
            # relative IRIs resolve against the endpoint ("which MAY be the service endpoint")
            operation = dataclasses.replace(operation, base_iri=self.endpoint_iri(request))
            if operation.kind == "update":
                if operation.default_graphs or operation.named_graphs:
                    text = add_using(
                        operation.text, tokens, operation.default_graphs, operation.named_graphs
                    )
                    operation = dataclasses.replace(operation, text=text)
                answer = await self.update(operation)
            else:
                answer = await self.pool.run(operation)
        except EndpointError as error:
            return text_error(error.status, error.message, error.headers)
        headers = {"Vary": "Accept", **CORS}
        if operation.requested_formats and answer.result_format:
            # a download link from the query page: save under a sensible name
            headers["Content-Disposition"] = (
                f'attachment; filename="ekip-results.{answer.result_format.suffix}"'
            )
        return Response(answer.body, media_type=answer.media_type, headers=headers)

    @staticmethod
    def endpoint_iri(request: Request) -> str | None:
        endpoint = str(request.url.replace(query="", fragment=""))
        try:
            ox.NamedNode(endpoint)
        except ValueError:
            return None
        return endpoint

    async def update(self, operation: Operation) -> Answer:
        """Apply an update to the primary store (token holders only: it runs here, after the
        nesting check), then give the workers a new snapshot."""
        async with self.update_lock:
            try:
                await run_in_threadpool(
                    self.store.update, operation.text, base_iri=operation.base_iri
                )
            except SyntaxError as error:
                raise EndpointError(400, f"SPARQL syntax error: {error}") from error
            except (OSError, ValueError) as error:
                raise EndpointError(400, f"the update failed: {error}") from error
            self.pool.snapshot = await run_in_threadpool(self.files.refresh)
            self.site.invalidate()
        return Answer("text/plain", b"update done\n")

    async def preflight(self, request: Request) -> Response:
        """CORS preflight (OPTIONS) for the endpoint: any origin may query it."""
        return Response(
            status_code=204,
            headers={
                **CORS,
                "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Accept, Authorization, Content-Type",
                "Access-Control-Max-Age": "86400",
                "Allow": "GET, HEAD, POST, OPTIONS",
            },
        )

    async def describe_service(self, request: Request) -> Response:
        suffix = document_suffix(request.headers.get("accept"))
        if suffix is None:
            return not_acceptable("The service description")
        if suffix == "html":
            html = await run_in_threadpool(query_page, self.library, self.store)
            return Response(html, media_type="text/html", headers={"Vary": "Accept"})
        endpoint = self.endpoint_iri(request) or "https://w3id.org/ekip/sparql"
        graph = await run_in_threadpool(
            service_description,
            self.store,
            endpoint,
            bool(self.config.update_token),
            self.config.limits(),
        )
        body = serialize(rdflib_to_triples(graph), suffix)
        return Response(
            body, media_type=BY_SUFFIX[suffix].media_type, headers={"Vary": "Accept", **CORS}
        )

    async def queries(self, request: Request) -> Response:
        if self.library is None:
            return JSONResponse([])
        return JSONResponse(library_json(self.library))

    async def bound_query(self, request: Request) -> Response:
        if self.library is None:
            return text_error(404, "no query library")
        name = request.path_params["name"]
        try:
            query = self.library.get(name)
            values = {k: v for k, v in request.query_params.items() if v.strip()}
            text = query.bind(values)
        except QueryLibraryError as error:
            status = 404 if name not in self.library.queries else 400
            return JSONResponse({"error": str(error)}, status_code=status)
        return JSONResponse({"name": name, "query": text})

    async def well_known_void(self, request: Request) -> Response:
        suffix = document_suffix(request.headers.get("accept"), rdf_only=False)
        if suffix is None:
            return not_acceptable("The VoID description")
        return see_other(f"/dataset.{suffix}")

    async def dump(self, request: Request) -> Response:
        name = request.path_params["name"]
        spec = DUMPS.get(name)
        if spec is None:
            return text_error(404, f"dumps: {', '.join(DUMPS)}")
        path = self.site.dump_path(name)
        if path is not None:  # the build's own file, sent as it is (not read into memory)
            return FileResponse(path, media_type=spec.media_type, headers=CORS)
        body = await run_in_threadpool(self.site.dump, name)
        if body is None:
            return text_error(404, f"{name}: this store holds no cross-city patterns")
        return Response(body, media_type=spec.media_type, headers=CORS)

    async def context(self, request: Request) -> Response:
        body = await run_in_threadpool(self.site.context)
        return Response(body, media_type="application/ld+json", headers=CORS)

    async def linked_data(self, request: Request) -> Response:
        target = resolve(request.url.path)
        if target is None:
            return text_error(404, f"nothing is published at {request.url.path}")
        if target.suffix is None:
            kind = await run_in_threadpool(self.site.kind, target.iri)
            if kind is None:
                return text_error(404, f"no resource {target.iri} in this dataset")
            suffix = document_suffix(request.headers.get("accept"))
            if suffix is None:
                return not_acceptable(target.iri)
            return see_other(target.document_path + "." + suffix)
        body = await run_in_threadpool(self.site.document, target.iri, target.suffix)
        if body is None:
            return text_error(404, f"no resource {target.iri} in this dataset")
        fmt = BY_SUFFIX[target.suffix]
        return Response(body, media_type=fmt.media_type, headers=CORS)


class FollowRebuild:
    """ASGI middleware: before each request, notice a rebuilt store (``follow_rebuild``)."""

    def __init__(self, app, handlers: EndpointApp) -> None:
        self.app = app
        self.handlers = handlers

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            self.handlers.follow_rebuild()
        await self.app(scope, receive, send)


class SecurityHeaders:
    """ASGI middleware adding the security headers to every response."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(
    store: EmbeddedStore | ox.Store,
    config: ServeConfig | None = None,
    layout: ProjectLayout | None = None,
) -> Starlette:
    """The Starlette application serving ``store`` (an embedded Oxigraph store)."""
    raw = store.store if isinstance(store, EmbeddedStore) else store
    directory = store.directory if isinstance(store, EmbeddedStore) else None
    files = store.dump_files if isinstance(store, EmbeddedStore) else {}
    built = store.built_folder if isinstance(store, EmbeddedStore) else None
    if not isinstance(raw, ox.Store):
        raise TypeError("ekipgraph serve needs the embedded Oxigraph store")
    handlers = EndpointApp(
        raw, config or ServeConfig(), layout or default_layout(), directory, files, built
    )
    routes = [
        Route("/", handlers.home),
        Route("/sparql", handlers.sparql, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/sparql", handlers.preflight, methods=["OPTIONS"]),
        Route("/api/queries", handlers.queries),
        Route("/api/queries/{name}", handlers.bound_query),
        Route("/.well-known/void", handlers.well_known_void),
        Route("/dumps/{name}", handlers.dump),
        Route("/ontology/context.jsonld", handlers.context),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        Route("/{path:path}", handlers.linked_data),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await handlers.pool.start(handlers.files.current)
        try:
            yield
        finally:
            handlers.pool.close()
            handlers.files.close()

    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(FollowRebuild, handlers=handlers),
            Middleware(SecurityHeaders),
            Middleware(HeadSizeLimit, max_bytes=handlers.config.max_header_bytes),
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                allow_headers=["Accept", "Authorization", "Content-Type"],
                max_age=86400,
            ),
        ],
    )
    app.state.handlers = handlers
    return app
