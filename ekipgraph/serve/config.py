"""Settings of ``ekipgraph serve``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServeConfig:
    host: str = "127.0.0.1"  # loopback unless the user asks for more
    port: int = 8000
    #: Updates are refused (403) unless a token is set and the request carries it.
    update_token: str | None = None
    #: Seconds a query may run before the client gets 503.
    timeout: float = 30.0
    #: Rows (SELECT) or triples (CONSTRUCT/DESCRIBE) a query may return.
    max_results: int = 10_000
    #: Longest query, update or request body accepted, in bytes (413 beyond).
    max_query_bytes: int = 100_000
    #: Queries evaluated at the same time; more get 503 "busy".
    workers: int = 4
