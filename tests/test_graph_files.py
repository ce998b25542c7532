"""The patterns' GraphML and GEXF writers give the bytes of networkx's writers, and hand
what they do not cover to networkx."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from ekipgraph.analyse.graphfiles import _networkx_gexf, write_gexf, write_graphml

DATE = "2026-11-25"


def awkward() -> nx.Graph:
    graph = nx.Graph(name='a & <b> "c" café')
    graph.add_node("x&y", kind="city", label='Saint-Étienne <"x"> & co', score=0.5, n=3)
    graph.add_node("plain")
    graph.add_node("z", kind="case", flag=True, other=False, big=math.inf, nan=math.nan)
    graph.add_node("w", label="Only a label")
    graph.add_node("v", kind=7, score=1)  # a key met with two types gets two GraphML keys
    graph.add_edge("x&y", "z", relation="gap need", weight=2)
    graph.add_edge("z", "plain", weight=0.25, cosine=-math.inf, shared="a; b > c")
    graph.add_edge("plain", "w")
    graph.add_edge("w", "v", label="edge label", flag=False)
    return graph


def only_edges() -> nx.Graph:
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=1)
    return graph


def only_node_values() -> nx.Graph:
    graph = nx.Graph(name="nodes")
    graph.add_node("a", kind="city")
    return graph


FALLBACKS = {
    "a tab in a label": lambda: nx.Graph([("a", "b", {"relation": "x\ty"})]),
    "a newline in a node": lambda: nx.Graph([("a\nb", "c")]),
    "a numpy value": lambda: nx.Graph([("a", "b", {"weight": np.float64(0.5)})]),
    "an edge id": lambda: nx.Graph([("a", "b", {"id": "e1"})]),
    "a graph id": lambda: nx.Graph([("a", "b")], id="graph-1"),
    "directed": lambda: nx.DiGraph([("a", "b", {"weight": 1})]),
}
GRAPHS = {
    "awkward": awkward,
    "empty": nx.Graph,
    "only edges": only_edges,
    "only node values": only_node_values,
    "path": lambda: nx.path_graph(5),
    **FALLBACKS,
}


@pytest.mark.parametrize("name", GRAPHS)
def test_graphml_is_the_bytes_networkx_writes(name: str, tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours.graphml", tmp_path / "theirs.graphml"
    write_graphml(GRAPHS[name](), ours)
    nx.write_graphml(GRAPHS[name](), theirs, encoding="utf-8")
    assert ours.read_bytes() == theirs.read_bytes()


@pytest.mark.parametrize("name", GRAPHS)
def test_gexf_is_the_bytes_networkx_writes(name: str, tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours.gexf", tmp_path / "theirs.gexf"
    write_gexf(GRAPHS[name](), ours, DATE)
    _networkx_gexf(GRAPHS[name](), theirs, DATE)
    assert ours.read_bytes() == theirs.read_bytes()


def test_files_read_back(tmp_path: Path) -> None:
    write_graphml(awkward(), tmp_path / "g.graphml")
    write_gexf(awkward(), tmp_path / "g.gexf", DATE)
    graphml = nx.read_graphml(tmp_path / "g.graphml")
    gexf = nx.read_gexf(tmp_path / "g.gexf")
    for read in (graphml, gexf):
        assert read.number_of_nodes() == 5 and read.number_of_edges() == 4
        assert read.edges["x&y", "z"]["relation"] == "gap need"
    assert graphml.nodes["x&y"]["label"] == 'Saint-Étienne <"x"> & co'
    assert gexf.nodes["x&y"]["label"] == 'Saint-Étienne <"x"> & co'
    assert graphml.graph["name"] == 'a & <b> "c" café'
