"""Opening the knowledge graph: the built dataset in a store of the user's choice."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

from ekipgraph.project import ProjectLayout, default_layout
from ekipgraph.store import EmbeddedStore, RdflibStore, RemoteStore, Store

DATASET_FILE = Path("dist") / "dataset" / "ekip.nq"


class StoreSetupError(RuntimeError):
    """The dataset could not be built or the store could not be opened."""


def built_nquads(layout: ProjectLayout | None = None) -> str:
    """The whole dataset (data, ontology, vocabularies) as sorted N-Quads, built from ``data/``."""
    from ekipgraph.build import build_from_layout
    from ekipgraph.cases.problems import AuthoringError

    try:
        return build_from_layout(layout or default_layout()).nquads
    except AuthoringError as error:
        raise StoreSetupError(f"the data does not load:\n{error}") from error


def built_dataset(layout: ProjectLayout | None = None) -> Dataset:
    dataset = Dataset(default_union=True)
    dataset.parse(data=built_nquads(layout), format="nquads")
    return dataset


def open_store(
    store_dir: Path | None = None,
    endpoint: str | None = None,
    engine: str = "oxigraph",
    layout: ProjectLayout | None = None,
    nquads: str | None = None,
) -> Store:
    """A store holding the ekip dataset.

    ``endpoint`` queries a remote SPARQL endpoint (loaded beforehand with ``ekipgraph load``).
    Otherwise the dataset (``nquads`` when given, else built from ``data/``) is loaded into an
    embedded store: Oxigraph in memory, Oxigraph persisted in ``store_dir`` (loaded once,
    reused afterwards), or rdflib.
    """
    if endpoint:
        return RemoteStore(endpoint)

    def dataset() -> str:
        return nquads if nquads is not None else built_nquads(layout)

    if engine == "rdflib":
        if store_dir:
            raise StoreSetupError("--store persists Oxigraph stores only")
        store = RdflibStore()
        store.load_nquads(dataset())
        return store
    if engine != "oxigraph":
        raise StoreSetupError(f"unknown engine {engine!r}; use oxigraph or rdflib")
    if store_dir:
        store = EmbeddedStore(store_dir)  # creates the folder; refuses files, junk, locks
        if store.triple_count() == 0:
            store.load_nquads(dataset())
        return store
    return EmbeddedStore.from_nquads(dataset())
