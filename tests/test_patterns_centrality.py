"""Betweenness through igraph gives networkx's scores, exact and sampled, on the same seed."""

from __future__ import annotations

import networkx as nx
import pytest

from ekipgraph.analyse import centrality


@pytest.fixture
def graph() -> nx.Graph:
    made = nx.gnm_random_graph(120, 300, seed=5)
    made.add_nodes_from(["isolated"])  # an isolated node has betweenness 0
    return nx.relabel_nodes(made, {n: f"n{n}" for n in made if n != "isolated"})


def test_exact_scores_are_networkx_scores(graph: nx.Graph) -> None:
    scores, parameters = centrality.betweenness(graph)
    expected = nx.betweenness_centrality(graph, normalized=True)
    assert scores.keys() == expected.keys()
    assert all(scores[n] == pytest.approx(expected[n], abs=1e-12) for n in graph)
    assert "sources" not in parameters and parameters["normalized"] is True


def test_large_graphs_are_sampled_with_a_stated_seed_as_networkx_samples(
    graph: nx.Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(centrality, "EXACT_MAX_NODES", 50)
    monkeypatch.setattr(centrality, "SAMPLED_SOURCES", 30)
    scores, parameters = centrality.betweenness(graph)
    expected = nx.betweenness_centrality(graph, k=30, normalized=True, seed=centrality.SEED)
    assert all(scores[n] == pytest.approx(expected[n], abs=1e-12) for n in graph)
    assert parameters["sources"] == "30 of 121 nodes, sampled (exact up to 50 nodes)"
    assert parameters["seed"] == centrality.SEED
    assert centrality.betweenness(graph) == (scores, parameters)  # the same every time


def test_tiny_graphs_have_no_betweenness() -> None:
    scores, _ = centrality.betweenness(nx.path_graph(["a", "b"]))
    assert scores == {"a": 0.0, "b": 0.0}
