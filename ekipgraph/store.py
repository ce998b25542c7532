"""Triple stores behind one small interface: embedded Oxigraph (default), rdflib, a remote endpoint.

Every store answers SPARQL over the *union* of the dataset's graphs as its default graph, so
the same library query returns the same rows everywhere. Results travel in one currency: SPARQL
JSON results for SELECT/ASK and N-Triples for CONSTRUCT/DESCRIBE, which ``QueryOutcome``
turns into rows, files in any format, or an rdflib graph.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

from ekipgraph.oxresults import QueryResult, serialized
from ekipgraph.prefixes import PREFIXES
from ekipgraph.sparqltext import (
    SyntaxProblem,
    blank_out_literals,
    implicit_prefixes,
    rdflib_syntax_problem,
    syntax_problem,
    unknown_prefix_problem,
)

if TYPE_CHECKING:  # rdflib is imported where it is used: a query on Oxigraph needs none
    import pandas
    from rdflib import Dataset, Graph
    from rdflib.term import Node

#: SELECT/ASK output formats -> pyoxigraph result format
RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
#: CONSTRUCT/DESCRIBE output formats -> rdflib serialiser
GRAPH_FORMATS = {"turtle": "turtle", "jsonld": "json-ld", "nt": "nt", "xml": "xml"}


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class StoreError(RuntimeError):
    """A store could not be reached, loaded or queried."""


class RdflibEngineError(StoreError):
    """rdflib's engine failed on a query that parses (a limitation of rdflib, not the query)."""


class QuerySyntaxError(StoreError):
    """The query does not parse; ``line`` and ``column`` say where (1-based) when known.
    Its message names them and shows the line with a caret."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column

    @classmethod
    def of(cls, problem: SyntaxProblem) -> QuerySyntaxError:
        return cls(str(problem), problem.line, problem.column)


@dataclass(frozen=True)
class QueryOutcome:
    """The answer to one query: ``form`` is 'select', 'ask' or 'graph'."""

    form: str
    payload: bytes  # SPARQL JSON results (select/ask) or N-Triples (graph)

    @property
    def variables(self) -> list[str]:
        return (
            list(json.loads(self.payload)["head"].get("vars", [])) if self.form != "graph" else []
        )

    @property
    def boolean(self) -> bool:
        if self.form != "ask":
            raise StoreError("only an ASK query has a boolean answer")
        return bool(json.loads(self.payload)["boolean"])

    def rows(self) -> list[dict[str, Node]]:
        """SELECT rows as rdflib terms, one dict per solution (unbound variables left out)."""
        if self.form != "select":
            raise StoreError(f"a {self.form} query has no rows")
        bindings = json.loads(self.payload)["results"]["bindings"]
        return [{name: _term_from_json(value) for name, value in row.items()} for row in bindings]

    def dataframe(self) -> pandas.DataFrame:
        """SELECT rows as a pandas DataFrame (``pip install 'ekipgraph[notebook]'``).

        Each variable's column holds Python values: IRIs and blank nodes as strings, literals
        as rdflib converts them (``int``, ``Decimal``, ``float``, ``bool``, ``datetime.date``,
        ``str``), unbound as ``None``. What a Python value loses stays in companion columns,
        added only when some value needs them: ``<var>@lang`` holds the language tag of each
        tagged literal and ``<var>^^datatype`` the datatype IRI of each typed literal (other
        than ``xsd:string``), so ``df[df["label@lang"] == "en"]`` picks the English labels.
        """
        try:
            import pandas
        except ImportError as error:
            raise StoreError(
                "dataframe() needs pandas: pip install 'ekipgraph[notebook]'"
            ) from error
        from rdflib.term import IdentifiedNode, Literal

        rows = self.rows()
        columns: dict[str, list] = {}
        for name in self.variables:
            terms = [row.get(name) for row in rows]
            # (every term is an IRI, a blank node or a literal: what the JSON results hold)
            columns[name] = [
                t.toPython() if isinstance(t, IdentifiedNode | Literal) else None for t in terms
            ]
            if any(isinstance(t, Literal) and t.language for t in terms):
                columns[f"{name}@lang"] = [
                    t.language if isinstance(t, Literal) else None for t in terms
                ]
            datatypes = [
                str(t.datatype)
                if isinstance(t, Literal) and t.datatype and str(t.datatype) != _XSD_STRING
                else None
                for t in terms
            ]
            if any(datatypes):
                columns[f"{name}^^datatype"] = datatypes
        return pandas.DataFrame(columns, columns=list(columns))

    def graph(self) -> Graph:
        """A CONSTRUCT/DESCRIBE result, with the project's prefixes bound for output."""
        if self.form != "graph":
            raise StoreError(f"a {self.form} query has no graph")
        from rdflib import Graph

        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True, replace=True)
        return graph.parse(data=self.payload.decode("utf-8"), format="nt")

    def serialize(self, output_format: str) -> bytes:
        if self.form == "graph":
            if output_format not in GRAPH_FORMATS:
                raise StoreError(
                    f"a CONSTRUCT/DESCRIBE result can be {', '.join(GRAPH_FORMATS)}, "
                    f"not {output_format!r}"
                )
            graph = self.graph()
            if output_format == "jsonld":
                # A JSON-LD context of the prefixes the result uses, not ns1/ns2 or none.
                used = {
                    prefix: namespace
                    for prefix, namespace in PREFIXES.items()
                    if any(str(t).startswith(namespace) for triple in graph for t in triple)
                }
                return graph.serialize(format="json-ld", context=used, encoding="utf-8")
            return graph.serialize(format=GRAPH_FORMATS[output_format], encoding="utf-8")
        if output_format not in RESULT_FORMATS:
            raise StoreError(
                f"a SELECT/ASK result can be {', '.join(RESULT_FORMATS)}, not {output_format!r}"
            )
        results = ox.parse_query_results(self.payload, format=ox.QueryResultsFormat.JSON)
        return serialized(results.serialize(format=RESULT_FORMATS[output_format]))


def _term_from_json(value: dict) -> Node:
    from rdflib import BNode, Literal, URIRef

    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    return Literal(value["value"], lang=value.get("xml:lang"), datatype=value.get("datatype"))


def outcome_from_oxigraph(result: QueryResult) -> QueryOutcome:
    if isinstance(result, ox.QueryBoolean):
        return QueryOutcome("ask", json.dumps({"head": {}, "boolean": bool(result)}).encode())
    if isinstance(result, ox.QuerySolutions):
        payload = result.serialize(format=ox.QueryResultsFormat.JSON)
        return QueryOutcome("select", serialized(payload))
    return QueryOutcome("graph", serialized(result.serialize(format=ox.RdfFormat.N_TRIPLES)))


_GROUP_BY = re.compile(r"\bGROUP\s+BY\b", re.IGNORECASE)
_QUERY_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(sparql: str) -> str:
    """'select', 'ask', 'construct' or 'describe', read past comments, strings and IRIs."""
    match = _QUERY_FORM.search(blank_out_literals(sparql))
    if not match:
        raise QuerySyntaxError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return match.group(1).lower()


class Store(Protocol):
    def query(self, sparql: str) -> QueryOutcome: ...

    def triple_count(self) -> int: ...


class EmbeddedStore:
    """Oxigraph through pyoxigraph, in memory or persisted in a folder."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        #: dump name -> a file holding exactly this store's content in that form (the
        #: built store's own files), until the store is changed; empty when none is known
        self.dump_files: dict[str, Path] = {}
        #: the built store folder this store was opened from, read-only (``open_store``)
        self.built_folder: Path | None = None
        self._opened = None
        if directory:
            from ekipgraph.storedir import open_store_folder  # marker, lock, clear refusals

            self._opened = open_store_folder(directory)
            self.store = self._opened.store
        else:
            self.store = ox.Store()

    @classmethod
    def read_only(cls, directory: Path) -> EmbeddedStore:
        """An Oxigraph store on disk, opened for reading only (other readers may share it)."""
        store = cls.__new__(cls)
        store.directory = directory
        store.dump_files = {}
        store.built_folder = None
        try:
            store.store = ox.Store.read_only(str(directory))
        except OSError as error:
            raise StoreError(f"{directory}: cannot open the store: {error}") from error
        return store

    @classmethod
    def from_nquads(cls, text: str) -> EmbeddedStore:
        """An in-memory store holding ``text``."""
        store = cls()
        store.load_nquads(text)
        return store

    def load_file(self, path: Path) -> None:
        """Load a TriG or N-Quads file (format from the suffix), replacing nothing."""
        rdf_format = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        if rdf_format is None:
            raise StoreError(f"{path}: unknown RDF file type")
        try:
            if self.directory:
                self.store.bulk_load(path=str(path), format=rdf_format)
            else:
                self.store.load(path=str(path), format=rdf_format)
        except (SyntaxError, OSError) as error:
            raise StoreError(f"{path}: cannot load: {error}") from error

    def load_nquads(self, text: str) -> None:
        self.store.load(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)

    def clear(self) -> None:
        self.store.clear()

    def query(self, sparql: str) -> QueryOutcome:
        return outcome_from_oxigraph(self.query_native(sparql))

    def query_native(self, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """The answer as pyoxigraph gives it (solutions are read once, as they come), for
        output written straight from Oxigraph terms."""
        try:
            return self.store.query(
                sparql, prefixes=implicit_prefixes(sparql), use_default_graph_as_union=True
            )
        except SyntaxError as error:
            raise QuerySyntaxError.of(syntax_problem(sparql, str(error))) from None
        except OSError as error:
            raise StoreError(f"query failed: {error}") from error

    def triple_count(self) -> int:
        return len(self.store)


class RdflibStore:
    """rdflib's own engine over an rdflib Dataset: slow, but the reference implementation."""

    def __init__(self, dataset: Dataset | None = None) -> None:
        from rdflib import Dataset

        self.dataset = dataset if dataset is not None else Dataset(default_union=True)
        self.dataset.default_union = True

    def load_file(self, path: Path) -> None:
        self.dataset.parse(path)

    def load_nquads(self, text: str) -> None:
        self.dataset.parse(data=text, format="nquads")

    def query(self, sparql: str) -> QueryOutcome:
        from pyparsing import ParseException

        try:
            result = self.dataset.query(sparql, initNs=implicit_prefixes(sparql))
        except ParseException as error:
            raise QuerySyntaxError.of(rdflib_syntax_problem(sparql, error)) from None
        except Exception as error:  # rdflib raises plain Exceptions ("Unknown namespace prefix")
            unknown = unknown_prefix_problem(sparql)
            if unknown is not None:
                raise QuerySyntaxError.of(unknown) from None
            raise RdflibEngineError(
                f"the rdflib engine could not evaluate the query ({error}); rdflib fails on "
                "some valid queries, the default engine (oxigraph) runs it"
            ) from None
        if result.type == "ASK":
            return QueryOutcome("ask", json.dumps({"head": {}, "boolean": bool(result)}).encode())
        if result.type == "SELECT":
            payload = json.loads(serialized(result.serialize(format="json")))
            bindings = payload["results"]["bindings"]
            # rdflib answers a grouped query over no solutions with one empty row; SPARQL
            # (and Oxigraph) give no row at all.
            if bindings == [{}] and _GROUP_BY.search(sparql):
                payload["results"]["bindings"] = []
            return QueryOutcome("select", json.dumps(payload).encode())
        assert result.graph is not None  # the result of a CONSTRUCT or DESCRIBE query
        return QueryOutcome("graph", result.graph.serialize(format="nt", encoding="utf-8"))

    def triple_count(self) -> int:
        return sum(1 for _ in self.dataset.quads((None, None, None, None)))


def __getattr__(name: str) -> object:
    # Any SPARQL 1.1 store over HTTP (its own module: protocol, authentication, loading),
    # imported when first asked for.
    if name == "RemoteStore":
        from ekipgraph.remote import RemoteStore

        return RemoteStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
