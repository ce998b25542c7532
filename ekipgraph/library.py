"""The SPARQL query library: ``queries/*.rq`` files with grlc-style headers, and safe parameters.

A library query starts with ``#+`` comment lines holding YAML, in the style of grlc::

    #+ summary: Cases per city and policy area
    #+ description: Which policy areas has each city tested, in how many cases?
    #+ tags: [cases, cities]
    #+ params:
    #+   - name: city
    #+     type: id:city
    #+     description: restrict to one city

Parameters are bound by a ``VALUES`` block placed first inside the query's WHERE group. A value
is checked against its declared type and serialised as one RDF term, so no value can change
the query's structure.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ekipgraph.prefixes import ID_BASE, VOCAB_BASE, XSD_NAMESPACE, is_slug
from ekipgraph.sparqltext import blank_out_literals, without_comments  # noqa: F401

if TYPE_CHECKING:
    from rdflib import Literal, URIRef

HEADER_PREFIX = "#+"
PARAM_TYPES = ("iri", "string", "integer", "date", "scheme", "id:<kind>", "concept:<scheme>")
#: A valid example value for each kind of parameter (the part of its type before ':').
EXAMPLE_VALUES = {
    "id": "lund",
    "concept": "ai-and-cci",
    "scheme": "resource-type",
    "integer": "2",
    "string": "x",
    "iri": "https://example.org/x",
    "date": "2024-09-01",
}
# Only absolute http(s) IRIs with none of the characters SPARQL forbids inside <...>.
_SAFE_IRI = re.compile(r"^https?://[^\s<>\"{}|^`\\]+$")


class QueryLibraryError(ValueError):
    """A library query, a parameter or a value is wrong; the message says which and why."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str = ""
    default: str | None = None
    required: bool = False

    def to_term(self, raw: str) -> URIRef | Literal:
        """Turn the text a user gave into one RDF term, or refuse it."""
        from rdflib import Literal, URIRef
        from rdflib.namespace import XSD

        iri = self._iri(raw)
        if iri is not None:
            return URIRef(iri)
        kind = self.type.partition(":")[0]
        try:
            if kind == "integer":
                return Literal(int(raw), datatype=XSD.integer)
            if kind == "date":
                return Literal(date.fromisoformat(raw), datatype=XSD.date)
            if kind == "string":
                return Literal(raw)
        except ValueError as error:
            raise self._invalid(raw, error) from error
        raise QueryLibraryError(f"parameter {self.name!r} has an unknown type {self.type!r}")

    def to_sparql(self, raw: str) -> str:
        """The term of :meth:`to_term` written as SPARQL; IRIs and integers without rdflib
        (the query command stays free of its import)."""
        iri = self._iri(raw)
        if iri is not None:
            return f"<{iri}>"
        if self.type == "integer":
            try:
                return f'"{int(raw)}"^^<{XSD_NAMESPACE}integer>'
            except ValueError as error:
                raise self._invalid(raw, error) from error
        return self.to_term(raw).n3()

    def _iri(self, raw: str) -> str | None:
        """The IRI a value of an IRI-valued type stands for (None for the other types)."""
        kind, _, argument = self.type.partition(":")
        try:
            if kind == "id":
                if not is_slug(raw):
                    raise ValueError(
                        f"not a valid id: {raw!r} (use lower-case words joined by hyphens)"
                    )
                return f"{ID_BASE}{argument}/{raw}"
            if kind == "concept":
                if not is_slug(raw):
                    raise ValueError("a concept id is lower-case words joined by hyphens")
                return f"{VOCAB_BASE}{argument}/{raw}"
            if kind == "scheme":
                if not is_slug(raw):
                    raise ValueError("a scheme id is lower-case words joined by hyphens")
                return VOCAB_BASE + raw
            if kind == "iri":
                if not _SAFE_IRI.match(raw):
                    raise ValueError("not an absolute http(s) IRI")
                return raw
        except ValueError as error:
            raise self._invalid(raw, error) from error
        return None

    def _invalid(self, raw: str, error: ValueError) -> QueryLibraryError:
        return QueryLibraryError(
            f"parameter {self.name!r} ({self.type}): {raw!r} is not valid: {error}"
        )


@dataclass(frozen=True)
class LibraryQuery:
    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Parameter, ...] = field(default_factory=tuple)

    def parameter(self, name: str) -> Parameter:
        for parameter in self.params:
            if parameter.name == name:
                return parameter
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryLibraryError(
            f"query {self.name!r} has no parameter {name!r}; its parameters: {known}"
        )

    def bind(self, values: dict[str, str] | None = None) -> str:
        """The query text with the given (and default) parameter values bound."""
        values = dict(values or {})
        for name in values:
            self.parameter(name)
        bindings: dict[str, str] = {}
        for parameter in self.params:
            raw = values.get(parameter.name, parameter.default)
            if raw is None:
                if parameter.required:
                    raise QueryLibraryError(
                        f"query {self.name!r} needs --param {parameter.name}=… ({parameter.type})"
                    )
                continue
            bindings[parameter.name] = parameter.to_sparql(str(raw))
        return _bind_sparql(self.text, bindings)


def bind_values(query: str, bindings: dict[str, URIRef | Literal]) -> str:
    """Insert ``VALUES ?name { term }`` for each binding at the start of the WHERE group."""
    return _bind_sparql(query, {name: term.n3() for name, term in bindings.items()})


def _bind_sparql(query: str, bindings: dict[str, str]) -> str:
    """``bind_values`` with each term already written as SPARQL."""
    if not bindings:
        return query
    block = " ".join(f"VALUES ?{name} {{ {term} }}" for name, term in bindings.items())
    position = where_group_start(query)
    return f"{query[: position + 1]} {block} {query[position + 1 :]}"


def where_group_start(query: str) -> int:
    """The index of the ``{`` that opens the query's WHERE group.

    Skips comments, strings and IRIs, and, for ``CONSTRUCT { template } WHERE {…}``,
    the template.
    """
    braces = _top_level_open_braces(query)
    if not braces:
        raise QueryLibraryError("the query has no WHERE group")
    construct = re.search(r"\bCONSTRUCT\s*\{", blank_out_literals(query), re.IGNORECASE)
    if construct and len(braces) > 1:
        return braces[1]
    return braces[0]


def _top_level_open_braces(query: str) -> list[int]:
    text = blank_out_literals(query)
    depth = 0
    starts = []
    for index, char in enumerate(text):
        if char == "{":
            if depth == 0:
                starts.append(index)
            depth += 1
        elif char == "}":
            depth -= 1
    return starts


def parse_header(path: Path, text: str) -> dict:
    lines = []
    for line in text.splitlines():
        if not line.startswith(HEADER_PREFIX):
            break
        lines.append(line[len(HEADER_PREFIX) :].removeprefix(" "))
    if not lines:
        raise QueryLibraryError(f"{path}: missing the '#+ summary:' header")
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        header = YAML(typ="safe", pure=True).load("\n".join(lines)) or {}
    except YAMLError as error:
        raise QueryLibraryError(f"{path}: the '#+' header is not valid YAML: {error}") from error
    if not isinstance(header, dict) or not header.get("summary"):
        raise QueryLibraryError(f"{path}: the '#+' header needs a summary")
    return header


def load_query(path: Path) -> LibraryQuery:
    text = path.read_text(encoding="utf-8")
    header = parse_header(path, text)
    params = []
    for entry in header.get("params") or []:
        if not isinstance(entry, dict) or "name" not in entry or "type" not in entry:
            raise QueryLibraryError(f"{path}: each '#+ params' entry needs a name and a type")
        unknown = set(entry) - {"name", "type", "description", "default", "required"}
        if unknown:
            raise QueryLibraryError(f"{path}: unknown keys in params: {sorted(unknown)}")
        default = entry.get("default")
        params.append(
            Parameter(
                name=str(entry["name"]),
                type=str(entry["type"]),
                description=str(entry.get("description", "")),
                default=None if default is None else str(default),
                required=bool(entry.get("required", False)),
            )
        )
    tags = header.get("tags") or []
    return LibraryQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=str(header["summary"]).strip(),
        description=str(header.get("description", "")).strip(),
        tags=tuple(str(tag) for tag in tags),
        params=tuple(params),
    )


class QueryLibrary:
    """All ``*.rq`` files of a folder, by name (the file name without ``.rq``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.queries = {q.name: q for q in map(load_query, sorted(folder.glob("*.rq")))}

    def __iter__(self):
        return iter(self.queries.values())

    def __len__(self) -> int:
        return len(self.queries)

    def get(self, name: str) -> LibraryQuery:
        if name in self.queries:
            return self.queries[name]
        close = difflib.get_close_matches(name, self.queries, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise QueryLibraryError(
            f"no library query {name!r}{hint} (known: {', '.join(sorted(self.queries))})"
        )


def library_query(folder: Path, name: str) -> LibraryQuery:
    """The library query ``name`` of ``folder``, reading only its own file (what one query
    needs); an unknown name gets :meth:`QueryLibrary.get`'s error with close matches."""
    path = folder / f"{name}.rq"
    plain_name = name and not name.startswith(".") and "/" not in name and "\\" not in name
    if plain_name and path.is_file():
        return load_query(path)
    return QueryLibrary(folder).get(name)
