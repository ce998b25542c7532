"""ekipgraph: the ekip knowledge graph of policy-innovation relationships in Europe's CCIs."""

__version__ = "0.1.0"
