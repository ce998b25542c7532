"""``ekipgraph serve``: the SPARQL endpoint and linked-data server over the embedded store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ekipgraph.serve.config import ServeConfig

if TYPE_CHECKING:
    from ekipgraph.serve.app import create_app


def run(store, config: ServeConfig | None = None) -> None:
    """Serve ``store`` with uvicorn until interrupted (what the CLI calls)."""
    import uvicorn

    from ekipgraph.serve.app import create_app
    from ekipgraph.serve.http import uvicorn_config

    config = config or ServeConfig()
    app = create_app(store, config)
    uvicorn.Server(
        uvicorn_config(app, config, host=config.host, port=config.port, log_level="info")
    ).run()


def __getattr__(name: str):
    # the application is imported on first use: query worker processes import this package
    # and need none of it
    if name == "create_app":
        from ekipgraph.serve.app import create_app

        return create_app
    raise AttributeError(name)


__all__ = ["ServeConfig", "create_app", "run"]
