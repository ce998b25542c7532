"""pyoxigraph's results as the types the caller knows they have.

``Store.query`` returns solutions, a boolean or triples, whichever the query's form asks
for, and every ``serialize`` returns bytes when it is given no output (``None`` only when it
writes to one; rdflib's ``Result.serialize`` alike); their annotations say the union. These
narrow them, and fail loudly on a result of another form (anything else passes as the
solutions: a wrapper around them, say).
"""

from __future__ import annotations

import pyoxigraph as ox

#: what ``Store.query`` returns
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def solutions(result: QueryResult) -> ox.QuerySolutions:
    """The solutions of a SELECT query."""
    if isinstance(result, ox.QueryBoolean | ox.QueryTriples):
        raise TypeError(f"expected the solutions of a SELECT query, got {type(result).__name__}")
    return result


def serialized(data: bytes | None) -> bytes:
    """What a ``serialize`` given no output returned: its bytes."""
    if data is None:
        raise TypeError("serialize wrote to an output and returned no bytes")
    return data
