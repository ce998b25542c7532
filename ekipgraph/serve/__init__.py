"""``ekipgraph serve``: the SPARQL endpoint and linked-data server over the embedded store."""

from __future__ import annotations

from ekipgraph.serve.app import create_app
from ekipgraph.serve.config import ServeConfig


def run(store, config: ServeConfig | None = None) -> None:
    """Serve ``store`` with uvicorn until interrupted (what the CLI calls)."""
    import uvicorn

    config = config or ServeConfig()
    app = create_app(store, config)
    uvicorn.run(app, host=config.host, port=config.port, log_level="info", proxy_headers=False)


__all__ = ["ServeConfig", "create_app", "run"]
