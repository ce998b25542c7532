"""Opening the knowledge graph: the built dataset in a store of the user's choice."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ekipgraph.project import ProjectLayout, default_layout
from ekipgraph.store import EmbeddedStore, RdflibStore, Store

if TYPE_CHECKING:
    from rdflib import Dataset


class StoreSetupError(RuntimeError):
    """The dataset could not be built or the store could not be opened."""


def built_nquads(layout: ProjectLayout | None = None, store_dir: Path | None = None) -> str:
    """What the built store holds (data, ontology, vocabularies, inferred statements and the
    cross-city patterns) as N-Quads, from the built store (rebuilt first when stale, its
    patterns computed when missing, see ``ekipgraph.built``)."""
    return _built_text(layout or default_layout(), store_dir)[0]


def _built_text(layout: ProjectLayout, store_dir: Path | None) -> tuple[str, Path]:
    """The built store's N-Quads text and its folder, fresh."""
    from ekipgraph.built import NotABuiltStoreError, StaleStoreError, ensure_store, stored_nquads

    try:
        folder = ensure_store(layout, store_dir)
        return stored_nquads(folder), folder
    except (NotABuiltStoreError, StaleStoreError) as error:
        raise StoreSetupError(str(error)) from error
    except Exception as error:
        _reraise_authoring(error)
        raise


def _reraise_authoring(error: Exception) -> None:
    # The authoring models (pydantic) load only when a stale store is rebuilt: a fresh
    # store is opened without them.
    from ekipgraph.cases.problems import AuthoringError

    if isinstance(error, AuthoringError):
        raise StoreSetupError(f"the data does not load:\n{error}") from error


def built_dataset(layout: ProjectLayout | None = None) -> Dataset:
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    dataset.parse(data=built_nquads(layout), format="nquads")
    return dataset


def open_store(
    store_dir: Path | None = None,
    endpoint: str | None = None,
    engine: str = "oxigraph",
    layout: ProjectLayout | None = None,
    nquads: str | None = None,
    writable: bool = False,
) -> Store:
    """A store holding the ekip dataset.

    ``endpoint`` queries a remote SPARQL endpoint (loaded beforehand with ``ekipgraph load``).
    Otherwise the built store (``store_dir``, by default ``dist/store`` of the project) is
    opened read-only; when it is stale it is rebuilt first, and when its cross-city
    patterns (the graph ``graph/patterns``) are missing or belong to another dataset they
    are computed and attached first: it is never used as is. ``nquads`` (already built)
    gives an in-memory store; so does ``writable`` (updates then stay in memory and never
    change the built store); ``engine="rdflib"`` loads rdflib instead.
    """
    from ekipgraph.built import dump_files

    if endpoint:
        from ekipgraph.remote import RemoteStore

        return RemoteStore(endpoint)
    layout = layout or default_layout()
    if engine not in ("oxigraph", "rdflib"):
        raise StoreSetupError(f"unknown engine {engine!r}; use oxigraph or rdflib")
    if engine == "rdflib":
        if store_dir:
            raise StoreSetupError("--store holds an Oxigraph store; it cannot be read by rdflib")
        store = RdflibStore()
        store.load_nquads(nquads if nquads is not None else built_nquads(layout))
        return store
    if nquads is not None:
        return EmbeddedStore.from_nquads(nquads)
    if writable:
        text, folder = _built_text(layout, store_dir)
        copy = EmbeddedStore.from_nquads(text)
        copy.dump_files = dump_files(folder)  # the same content until an update
        return copy
    return open_built_store(layout, store_dir)


def open_built_store(
    layout: ProjectLayout | None = None, store_dir: Path | None = None
) -> EmbeddedStore:
    """The built store (``store_dir``, by default ``dist/store`` of the project), read-only:
    what ``open_store`` opens when given no endpoint, engine, N-Quads or ``writable``."""
    from ekipgraph.built import (
        OXIGRAPH_DIR,
        NotABuiltStoreError,
        StaleStoreError,
        dump_files,
        ensure_store,
    )

    layout = layout or default_layout()
    try:
        folder = ensure_store(layout, store_dir)
    except (NotABuiltStoreError, StaleStoreError) as error:
        raise StoreSetupError(str(error)) from error
    except Exception as error:
        _reraise_authoring(error)
        raise
    opened = EmbeddedStore.read_only(folder / OXIGRAPH_DIR)
    opened.dump_files = dump_files(folder)
    opened.built_folder = folder
    return opened
