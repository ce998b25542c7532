"""Cross-city pattern analyses of the ekip knowledge graph, with networkx.

``run_patterns(store)`` reads the network through the library's ``network-*`` queries and
runs every analysis; ``render_report`` prints them, ``write_patterns`` writes
``dist/patterns/`` (tables, graph files, plots, RDF) and ``patterns_graph`` gives the results
as the named graph ``https://w3id.org/ekip/graph/patterns`` with PROV-O.

Modules: ``network`` (queries to graphs), ``similarity``, ``gaps`` (shared gaps, resource-type
centrality), ``actors`` (bridging actors, actors linking policy areas), ``communities``,
``coverage`` (recommendations vs gaps), ``cooccurrence`` (policy area × sector), ``report``,
``plots``, ``rdf`` and ``export``.
"""

from ekipgraph.analyse.export import write_patterns
from ekipgraph.analyse.rdf import PATTERNS_GRAPH, patterns_graph, patterns_nquads
from ekipgraph.analyse.report import render_report
from ekipgraph.analyse.run import PatternsResult, analyse_network, run_patterns

__all__ = [
    "PATTERNS_GRAPH",
    "PatternsResult",
    "analyse_network",
    "patterns_graph",
    "patterns_nquads",
    "render_report",
    "run_patterns",
    "write_patterns",
]
