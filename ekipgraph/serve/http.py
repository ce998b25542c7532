"""uvicorn as ``ekipgraph serve`` runs it: a deadline for the request head (slow clients)."""

from __future__ import annotations

import asyncio

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ekipgraph.serve.config import ServeConfig


class HeadTimeoutProtocol(H11Protocol):
    """HTTP/1.1 that closes a connection whose next request line and headers have not all
    arrived ``head_timeout`` seconds after it opened or its last response ended: uvicorn's
    keep-alive timer restarts at every byte, so a client trickling its headers would hold
    the connection for ever."""

    head_timeout = 10.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def _arm_head_timer(self) -> None:
        self._head_cycle = self.cycle
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        timer = getattr(self, "_head_timer", None)
        if timer is not None:
            timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        # a new request head starts a new cycle; none since the timer was armed: too slow
        if self.cycle is self._head_cycle and not self.transport.is_closing():
            self.transport.close()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._cancel_head_timer()
        if not self.transport.is_closing():
            self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)


def uvicorn_config(app, config: ServeConfig, **options) -> uvicorn.Config:
    """The uvicorn configuration for ``app`` under ``config``'s limits."""
    protocol = type("HeadTimeout", (HeadTimeoutProtocol,), {"head_timeout": config.header_timeout})
    return uvicorn.Config(
        app,
        http=protocol,
        proxy_headers=False,
        h11_max_incomplete_event_size=config.max_header_bytes,
        **options,
    )
