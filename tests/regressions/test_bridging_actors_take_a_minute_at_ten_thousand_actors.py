"""Regression: betweenness was exact up to 20,000 actors, and exact costs actors × links, so
bridging actors took 4 s at a million quads and 57 s at 2.4 million. Above 2,500 nodes it is
now estimated from a fixed, seeded sample of sources, whose cost grows with the links."""

from __future__ import annotations

import networkx as nx

from ekipgraph.analyse import centrality


def test_a_graph_of_three_thousand_actors_is_sampled_and_reproducible() -> None:
    graph = nx.relabel_nodes(nx.random_regular_graph(4, 3_000, seed=1), lambda n: f"actor-{n}")
    scores, parameters = centrality.betweenness(graph)
    assert "sources" in parameters and parameters["seed"] == centrality.SEED
    assert centrality.betweenness(graph)[0] == scores
    assert len(scores) == 3_000 and any(value > 0 for value in scores.values())


def test_the_real_scale_of_a_city_network_stays_exact() -> None:
    graph = nx.relabel_nodes(nx.random_regular_graph(4, 400, seed=2), str)
    scores, parameters = centrality.betweenness(graph)
    assert "sources" not in parameters
    expected = nx.betweenness_centrality(graph, normalized=True)
    assert all(abs(scores[node] - expected[node]) < 1e-9 for node in graph)
