"""Settings of ``ekipgraph serve``: every limit the endpoint enforces, in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServeConfig:
    host: str = "127.0.0.1"  # loopback unless the user asks for more
    port: int = 8000
    #: Updates are refused (403) unless a token is set and the request carries it.
    update_token: str | None = None
    #: Seconds a query may run; its worker process is then killed and the client gets 503.
    timeout: float = 30.0
    #: Rows (SELECT) or triples (CONSTRUCT/DESCRIBE) a query may return.
    max_results: int = 10_000
    #: Longest query, update or request body accepted, in bytes (413 beyond).
    max_query_bytes: int = 100_000
    #: Deepest nesting of brackets and chained operators in a query (400 beyond).
    max_nesting: int = 128
    #: Query worker processes: queries evaluated at the same time.
    workers: int = 4
    #: Queries that may wait for a free worker (for at most ``timeout`` s); 503 beyond.
    queue_depth: int = 64
    #: SERVICE endpoints a query may call; none by default (SERVICE is refused with 400).
    allowed_services: frozenset[str] = frozenset()
    #: Seconds a client has to send its request line and headers.
    header_timeout: float = 10.0
    #: Largest request head (request line and headers), in bytes.
    max_header_bytes: int = 16_384

    def limits(self) -> dict[str, str]:
        """The limits as people read them (``serve --help``, the service description)."""
        services = ", ".join(sorted(self.allowed_services)) or "none"
        return {
            "time per query": f"{self.timeout:g} s (the query is stopped, 503)",
            "result size": f"{self.max_results} rows or triples (503)",
            "request body": f"{self.max_query_bytes} bytes (413)",
            "nesting depth": f"{self.max_nesting} (400)",
            "concurrent queries": f"{self.workers} worker processes",
            "queue": f"{self.queue_depth} waiting queries, then 503 with Retry-After",
            "SERVICE endpoints allowed": services,
            "request head": f"{self.header_timeout:g} s, {self.max_header_bytes} bytes",
        }
