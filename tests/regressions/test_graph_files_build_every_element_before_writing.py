"""Regression: the GraphML and GEXF files were written by networkx's writers, which make an
XML element for every node, edge and value (the GEXF one holds the whole document, then
indents it in a second pass and serialises it in a third): 23 s at 2.4M quads, the longest
step of writing the patterns after the plots. They are now written as text, in one pass,
with the same bytes."""

from __future__ import annotations

from pathlib import Path

import lxml.etree
import networkx as nx
import pytest
from networkx.readwrite import gexf

from ekipgraph.analyse import export, run_patterns
from ekipgraph.store import EmbeddedStore

FIXTURE = Path(__file__).parents[1] / "fixtures" / "patterns" / "dataset.trig"


def test_no_element_per_node_edge_or_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = EmbeddedStore()
    store.load_file(FIXTURE)
    result = run_patterns(store)
    graphs = export.graphs(result)
    values = sum(
        1 + len(data)
        for graph in graphs.values()
        for view in (graph.nodes(data=True), graph.edges(data=True))
        for *_, data in view
    )
    assert values > 100
    made = 0

    def counted(element):
        def make(*args, **kwargs):
            nonlocal made
            made += 1
            return element(*args, **kwargs)

        return make

    monkeypatch.setattr(gexf, "Element", counted(gexf.Element))
    monkeypatch.setattr(gexf, "SubElement", counted(gexf.SubElement))
    monkeypatch.setattr(lxml.etree, "Element", counted(lxml.etree.Element))
    export.write_into(result, tmp_path)
    assert made == 0  # before: one per node, edge and value, 1,201 on this fixture
    for stem in graphs:
        assert nx.read_graphml(tmp_path / f"{stem}.graphml").number_of_nodes() == len(graphs[stem])
        assert nx.read_gexf(tmp_path / f"{stem}.gexf").number_of_nodes() == len(graphs[stem])
