"""The query page for researchers: YASGUI (editor, results table) plus the query library as
one-click examples with their parameters, and download links in every result format."""

from __future__ import annotations

import pyoxigraph as ox

from ekipgraph.library import LibraryQuery, QueryLibrary
from ekipgraph.namespaces import ID_BASE, PREFIXES, VOCAB_BASE
from ekipgraph.serve.formats import GRAPH_FORMATS, SOLUTION_FORMATS
from ekipgraph.serve.render import render

MAX_SUGGESTIONS = 500


def library_json(library: QueryLibrary) -> list[dict]:
    return [
        {
            "name": query.name,
            "summary": query.summary,
            "description": query.description,
            "tags": list(query.tags),
            "params": [
                {
                    "name": p.name,
                    "type": p.type,
                    "description": p.description,
                    "default": p.default,
                    "required": p.required,
                }
                for p in query.params
            ],
        }
        for query in library
    ]


def suggestions(store: ox.Store, param_type: str) -> list[str]:
    """Known values for a parameter type: ids of a kind, concepts of a scheme, schemes."""
    kind, _, argument = param_type.partition(":")
    if kind == "id":
        prefix = f"{ID_BASE}{argument}/"
    elif kind == "concept":
        prefix = f"{VOCAB_BASE}{argument}/"
    elif kind == "scheme":
        prefix = VOCAB_BASE
    else:
        return []
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    values = set()
    for quad in store.quads_for_pattern(None, rdf_type, None, None):
        iri = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else ""
        rest = iri[len(prefix) :] if iri.startswith(prefix) else ""
        if rest and "/" not in rest:
            values.add(rest)
    return sorted(values)[:MAX_SUGGESTIONS]


def query_page(library: QueryLibrary | None, store: ox.Store) -> str:
    queries: list[LibraryQuery] = list(library) if library else []
    lists = {p.type: suggestions(store, p.type) for q in queries for p in q.params}
    return render(
        "query.html",
        queries=queries,
        suggestions={t: v for t, v in lists.items() if v},
        solution_formats=SOLUTION_FORMATS,
        graph_formats=GRAPH_FORMATS,
        endpoint=True,
        prefixes=PREFIXES,
    )
