"""uvicorn as ``ekipgraph serve`` runs it: a deadline and a size limit for the request head.

uvicorn's keep-alive timer restarts at every byte, so a client trickling its headers would
hold its connection for ever. Both HTTP/1.1 implementations get the same rule: the request
line and headers must all arrive within ``head_timeout`` seconds of the connection opening
or of the previous response ending, and be at most ``max_head_bytes`` long. httptools (C)
parses faster and is used when installed; h11 (pure Python) otherwise.
"""

from __future__ import annotations

import asyncio

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ekipgraph.serve.config import ServeConfig

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools is optional
    HttpToolsProtocol = None  # type: ignore[assignment,misc]


class _HeadDeadline:
    """The request-head timer, shared by both protocols (mixed in before them)."""

    head_timeout = 10.0
    _head_timer: asyncio.TimerHandle | None = None

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)  # type: ignore[attr-defined]

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        transport = self.transport  # type: ignore[attr-defined]
        if not transport.is_closing():
            transport.close()


class HeadTimeoutProtocol(_HeadDeadline, H11Protocol):
    """h11: a new request head starts a new cycle; none since the timer was armed means the
    client is too slow."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_cycle = self.cycle
        self._arm_head_timer()

    def _head_timed_out(self) -> None:
        if self.cycle is self._head_cycle:
            super()._head_timed_out()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._head_cycle = self.cycle
            self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)


if HttpToolsProtocol is not None:

    class HttpToolsHeadTimeoutProtocol(_HeadDeadline, HttpToolsProtocol):
        """httptools: the head is complete at ``on_headers_complete``; its size is counted
        as it arrives."""

        max_head_bytes = 16_384
        _head_bytes = 0

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._start_head()

        def _start_head(self) -> None:
            self._head_bytes = 0
            self._arm_head_timer()

        def _count_head(self, size: int) -> None:
            self._head_bytes += size
            if self._head_bytes > self.max_head_bytes:
                raise ValueError("the request head is too large")  # httptools answers 400

        def on_url(self, url: bytes) -> None:
            self._count_head(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count_head(len(name) + len(value) + 4)
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
            self._cancel_head_timer()
            super().on_headers_complete()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._start_head()

        def connection_lost(self, exc: Exception | None) -> None:
            self._cancel_head_timer()
            super().connection_lost(exc)


def protocol_class(config: ServeConfig, implementation: str = "auto") -> type:
    """The HTTP/1.1 protocol class under ``config``'s limits: httptools when installed
    (``auto``), or ``h11`` / ``httptools`` as asked."""
    use_httptools = implementation == "httptools" or (
        implementation == "auto" and HttpToolsProtocol is not None
    )
    if use_httptools:
        if HttpToolsProtocol is None:
            raise RuntimeError("httptools is not installed")
        return type(
            "HeadTimeout",
            (HttpToolsHeadTimeoutProtocol,),
            {"head_timeout": config.header_timeout, "max_head_bytes": config.max_header_bytes},
        )
    return type("HeadTimeout", (HeadTimeoutProtocol,), {"head_timeout": config.header_timeout})


def uvicorn_config(
    app, config: ServeConfig, implementation: str = "auto", **options
) -> uvicorn.Config:
    """The uvicorn configuration for ``app`` under ``config``'s limits."""
    return uvicorn.Config(
        app,
        http=protocol_class(config, implementation),
        proxy_headers=False,
        h11_max_incomplete_event_size=config.max_header_bytes,
        **options,
    )


class HeadSizeLimit:
    """ASGI middleware: 431 for a request whose line and headers exceed ``max_bytes`` (h11
    checks only what is still incomplete, so a large head sent at once gets through it)."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            size = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
            size += sum(len(name) + len(value) + 4 for name, value in scope["headers"])
            if size > self.max_bytes:
                body = f"the request line and headers exceed {self.max_bytes} bytes\n".encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 431,
                        "headers": [
                            (b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
