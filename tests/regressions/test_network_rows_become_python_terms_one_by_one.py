"""Regression: reading the network made a Python term of every value of every row, and the
282,000 rows of ``network-edges`` at 2.4M quads took longer to convert than the query took
to run; ``network-nodes`` was also sorted by the engine, for a reader that sorts nothing.
The links and the broader concepts are now cut out of Oxigraph's tab-separated results."""

from __future__ import annotations

from pathlib import Path

from ekipgraph.analyse.network import library_rows, read_network
from ekipgraph.library import QueryLibrary
from ekipgraph.project import default_layout
from ekipgraph.store import EmbeddedStore

FIXTURE = Path(__file__).parents[1] / "fixtures" / "patterns" / "dataset.trig"


class Counted:
    """A pyoxigraph store that counts the solutions handed to Python one by one."""

    def __init__(self, store) -> None:
        self.inner, self.rows = store, 0

    def query(self, *args, **kwargs):
        return Solutions(self.inner.query(*args, **kwargs), self)


class Solutions:
    def __init__(self, solutions, counter: Counted) -> None:
        self.solutions, self.counter = solutions, counter
        self.variables = solutions.variables

    def serialize(self, *args, **kwargs):
        return self.solutions.serialize(*args, **kwargs)

    def __iter__(self):
        for solution in self.solutions:
            self.counter.rows += 1
            yield solution


def test_links_are_not_made_into_terms() -> None:
    library = QueryLibrary(default_layout().queries_dir)
    store = EmbeddedStore()
    store.load_file(FIXTURE)
    expected = read_network(store, library)
    small = sum(
        len(library_rows(store, library, name)) for name in ("network-nodes", "network-case-graphs")
    )
    counted = Counted(store.store)
    store.store = counted
    assert read_network(store, library) == expected
    assert len(expected.links) > 50
    assert counted.rows == small  # before: every row of the four queries


def test_the_nodes_are_not_sorted_by_the_engine() -> None:
    query = QueryLibrary(default_layout().queries_dir).get("network-nodes")
    assert "ORDER BY" not in query.text
    assert "unsorted" in query.description
