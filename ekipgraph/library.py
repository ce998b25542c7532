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

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ekipgraph.namespaces import concept_iri, instance_iri, is_slug, scheme_iri

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
        kind, _, argument = self.type.partition(":")
        try:
            if kind == "id":
                return instance_iri(argument, raw)
            if kind == "concept":
                if not is_slug(raw):
                    raise ValueError("a concept id is lower-case words joined by hyphens")
                return concept_iri(argument, raw)
            if kind == "scheme":
                if not is_slug(raw):
                    raise ValueError("a scheme id is lower-case words joined by hyphens")
                return scheme_iri(raw)
            if kind == "iri":
                if not _SAFE_IRI.match(raw):
                    raise ValueError("not an absolute http(s) IRI")
                return URIRef(raw)
            if kind == "integer":
                return Literal(int(raw), datatype=XSD.integer)
            if kind == "date":
                return Literal(date.fromisoformat(raw), datatype=XSD.date)
            if kind == "string":
                return Literal(raw)
        except ValueError as error:
            raise QueryLibraryError(
                f"parameter {self.name!r} ({self.type}): {raw!r} is not valid: {error}"
            ) from error
        raise QueryLibraryError(f"parameter {self.name!r} has an unknown type {self.type!r}")


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
        bindings: dict[str, URIRef | Literal] = {}
        for parameter in self.params:
            raw = values.get(parameter.name, parameter.default)
            if raw is None:
                if parameter.required:
                    raise QueryLibraryError(
                        f"query {self.name!r} needs --param {parameter.name}=… ({parameter.type})"
                    )
                continue
            bindings[parameter.name] = parameter.to_term(str(raw))
        return bind_values(self.text, bindings)


def bind_values(query: str, bindings: dict[str, URIRef | Literal]) -> str:
    """Insert ``VALUES ?name { term }`` for each binding at the start of the WHERE group."""
    if not bindings:
        return query
    block = " ".join(f"VALUES ?{name} {{ {term.n3()} }}" for name, term in bindings.items())
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


_TOKENS_WITH_TEXT = re.compile(
    r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\''
    r"|<[^<>\s\"{}|^`\\]*>|#[^\n]*"
)


def blank_out_literals(query: str) -> str:
    """The query with comments, strings and IRIs replaced by spaces (same length)."""
    return _TOKENS_WITH_TEXT.sub(lambda match: " " * len(match.group(0)), query)


def without_comments(query: str) -> str:
    """The query with its comments blanked out, strings and IRIs kept."""
    return _TOKENS_WITH_TEXT.sub(
        lambda match: " " * len(match.group(0)) if match.group(0)[0] == "#" else match.group(0),
        query,
    )


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
