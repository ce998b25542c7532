"""Media types, file suffixes and format names, and which one a request gets.

Three families: *documents* (what an IRI dereferences to: HTML or an RDF serialisation),
SPARQL *results* of SELECT/ASK, and *graphs* from CONSTRUCT/DESCRIBE. Offers are listed in
the server's order of preference, which decides ties: an RDF client that also accepts HTML
at the same q gets RDF, and ``*/*`` gets Turtle.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ekipgraph.serve.accept import negotiate


@dataclass(frozen=True)
class DocumentFormat:
    suffix: str  # the document's file suffix, e.g. "ttl" in /id/city/lund.ttl
    media_type: str
    label: str
    rdf_format: ox.RdfFormat | None  # None for HTML
    aliases: tuple[str, ...] = ()


DOCUMENT_FORMATS: tuple[DocumentFormat, ...] = (
    DocumentFormat(
        "ttl", "text/turtle", "Turtle", ox.RdfFormat.TURTLE, ("application/x-turtle", "text/n3")
    ),
    DocumentFormat(
        "jsonld", "application/ld+json", "JSON-LD", ox.RdfFormat.JSON_LD, ("application/json",)
    ),
    DocumentFormat(
        "nt", "application/n-triples", "N-Triples", ox.RdfFormat.N_TRIPLES, ("text/plain",)
    ),
    DocumentFormat("rdf", "application/rdf+xml", "RDF/XML", ox.RdfFormat.RDF_XML, ()),
    DocumentFormat("html", "text/html", "HTML", None, ("application/xhtml+xml",)),
)
BY_SUFFIX = {fmt.suffix: fmt for fmt in DOCUMENT_FORMATS}
RDF_SUFFIXES = tuple(fmt.suffix for fmt in DOCUMENT_FORMATS if fmt.rdf_format is not None)

#: media type -> suffix, in the order offered: primary types first (they win ties), then
#: the aliases.
DOCUMENT_OFFERS: dict[str, str] = {fmt.media_type: fmt.suffix for fmt in DOCUMENT_FORMATS}
for _fmt in DOCUMENT_FORMATS:
    for _alias in _fmt.aliases:
        DOCUMENT_OFFERS[_alias] = _fmt.suffix


def document_suffix(accept: str | None, rdf_only: bool = False) -> str | None:
    """The document suffix (ttl, jsonld, nt, rdf, html) Accept asks for, None for 406."""
    offers = [t for t, s in DOCUMENT_OFFERS.items() if not (rdf_only and s == "html")]
    chosen = negotiate(accept, offers)
    return DOCUMENT_OFFERS[chosen] if chosen else None


@dataclass(frozen=True)
class Dump:
    """A download under ``/dumps/``: the dataset (every graph but ``graph/patterns``; the
    Turtle one is their union) or the cross-city patterns (``graph/patterns``)."""

    name: str  # the file name, e.g. "ekip.nq"
    media_type: str
    rdf_format: ox.RdfFormat
    part: str  # "dataset" or "patterns"

    @property
    def suffix(self) -> str:
        return self.name.rpartition(".")[2]


DATASET_PART = "dataset"
PATTERNS_PART = "patterns"
#: every dump, by file name, in the order listed
DUMPS: dict[str, Dump] = {
    dump.name: dump
    for dump in (
        Dump("ekip.trig", "application/trig", ox.RdfFormat.TRIG, DATASET_PART),
        Dump("ekip.nq", "application/n-quads", ox.RdfFormat.N_QUADS, DATASET_PART),
        Dump("ekip.ttl", "text/turtle", ox.RdfFormat.TURTLE, DATASET_PART),
        Dump("patterns.trig", "application/trig", ox.RdfFormat.TRIG, PATTERNS_PART),
        Dump("patterns.nq", "application/n-quads", ox.RdfFormat.N_QUADS, PATTERNS_PART),
    )
}


@dataclass(frozen=True)
class ResultFormat:
    name: str  # ekipgraph's format name, as in `ekipgraph query --format`
    media_type: str
    suffix: str
    aliases: tuple[str, ...] = ()


#: SELECT/ASK results, in order of preference.
SOLUTION_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("json", "application/sparql-results+json", "srj", ("application/json",)),
    ResultFormat("xml", "application/sparql-results+xml", "srx", ("application/xml", "text/xml")),
    ResultFormat("csv", "text/csv", "csv"),
    ResultFormat("tsv", "text/tab-separated-values", "tsv"),
)
#: CONSTRUCT/DESCRIBE results, in order of preference.
GRAPH_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("turtle", "text/turtle", "ttl", ("application/x-turtle", "text/n3")),
    ResultFormat("jsonld", "application/ld+json", "jsonld", ("application/json",)),
    ResultFormat("nt", "application/n-triples", "nt", ("text/plain",)),
    ResultFormat("xml", "application/rdf+xml", "rdf", ("application/xml", "text/xml")),
)
GRAPH_RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nt": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
}

#: Names a ``format``/``output`` request parameter may use (ours and SPARQLWrapper's),
#: per query form; unknown names fall back to Accept.
_PARAM_NAMES: dict[str, dict[str, str]] = {
    "solutions": {
        "json": "json",
        "srj": "json",
        "xml": "xml",
        "srx": "xml",
        "csv": "csv",
        "tsv": "tsv",
    },
    "graph": {
        "turtle": "turtle",
        "ttl": "turtle",
        "n3": "turtle",
        "jsonld": "jsonld",
        "json-ld": "jsonld",
        "json": "jsonld",
        "nt": "nt",
        "ntriples": "nt",
        "n-triples": "nt",
        "xml": "xml",
        "rdf": "xml",
        "rdf+xml": "xml",
        "rdfxml": "xml",
    },
}


def result_format(
    form: str, accept: str | None, requested: tuple[str, ...] | str | None = ()
) -> ResultFormat | None:
    """The result format for a query form ('select', 'ask' or 'graph'); None means 406.

    ``requested`` are ``format``/``output`` parameter values; the first known one wins
    over Accept (download links cannot set headers).
    """
    family = "graph" if form == "graph" else "solutions"
    formats = GRAPH_FORMATS if family == "graph" else SOLUTION_FORMATS
    for value in (requested,) if isinstance(requested, str) else requested or ():
        name = _PARAM_NAMES[family].get(value.strip().lower())
        if name:
            return next(fmt for fmt in formats if fmt.name == name)
    offers: dict[str, ResultFormat] = {fmt.media_type: fmt for fmt in formats}
    for fmt in formats:
        for alias in fmt.aliases:
            offers.setdefault(alias, fmt)
    chosen = negotiate(accept, list(offers))
    return offers[chosen] if chosen else None
