"""Cases written directly in RDF (``data/cases/<id>.ttl`` or ``<id>.jsonld``).

They use the IRIs and properties the converter produces. Statements whose subject is the
case's graph IRI (``…/graph/case/<id>``) are its provenance and go to the default graph; the
rest is the case graph. The checks mirror those of YAML cases where RDF allows: the case IRI
matches the file name, shared entities and concepts it points to exist, cited sources are
registered, and the graph says when it was recorded.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, split_uri

from ekipgraph.cases.fields import iri_syntax_problem, is_language_tag, is_valid_id
from ekipgraph.cases.index import EntityIndex, kind_label
from ekipgraph.cases.inputs import CASE_FILE_LIMITS, read_input_text, text_problem
from ekipgraph.cases.literals import XSD as XSD_NS
from ekipgraph.cases.literals import literal_problem
from ekipgraph.cases.models import SHARED_KINDS
from ekipgraph.cases.problems import ProblemList
from ekipgraph.cases.references import concept_problem, suggest
from ekipgraph.cases.vocab import ConceptIndex
from ekipgraph.cases.yamlload import Position
from ekipgraph.namespaces import BASE, EKIP, ID_BASE, VOCAB_BASE, graph_iri, instance_iri

#: file suffix -> rdflib parser
RDF_CASE_FORMATS: dict[str, str] = {".ttl": "turtle", ".jsonld": "json-ld"}


@dataclass
class RdfCase:
    """One RDF-authored case: its triples, its provenance statements and its source text."""

    case_id: str
    path: Path
    graph: Graph
    provenance: Graph
    text: str = field(repr=False)
    #: the prefixes the file declares, to find where an IRI is written
    prefixes: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def case_iri(self) -> URIRef:
        return instance_iri("case", self.case_id)

    @property
    def graph_iri(self) -> URIRef:
        return graph_iri(f"case/{self.case_id}")

    def position_of(self, iri: URIRef) -> Position:
        """Where ``iri`` is first written in the file (line 1 if it cannot be found)."""
        spellings = [re.escape(f"<{iri}>"), re.escape(f'"{iri}"')]
        for prefix, namespace in self.prefixes:
            local = str(iri)[len(namespace) :]
            if str(iri).startswith(namespace) and local and re.fullmatch(r"[\w.-]+", local):
                # a prefixed name, not followed by more of a longer name
                spellings.append(
                    rf"(?<![\w:-]){re.escape(prefix)}:{re.escape(local)}"
                    r"(?![\w-]|\.[\w-])"
                )
        alternatives = "|".join(spellings)
        # Where it is written as a subject (at the start of a line), else its first mention.
        match = re.search(rf"(?m)^[ \t]*({alternatives})", self.text) or re.search(
            f"({alternatives})", self.text
        )
        if not match:
            return Position(1, 1)
        return _position_in(self.text, match.start(1))

    def subjects(self) -> set[URIRef]:
        return {s for s in self.graph.subjects() if isinstance(s, URIRef)}


def _position_in(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    return Position(line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def load_rdf_case(path: Path, problems: ProblemList, root: Path | None = None) -> RdfCase | None:
    """Parse one RDF case file; a parse error becomes a problem with its line when known."""
    text = read_input_text(path, problems, CASE_FILE_LIMITS, root)
    if text is None:
        return None
    with _quiet_rdflib():
        return _read_rdf_case(path, text, problems)


def _read_rdf_case(path: Path, text: str, problems: ProblemList) -> RdfCase | None:
    parsed = Graph()
    data = text
    if RDF_CASE_FORMATS[path.suffix] == "json-ld":
        try:
            data = _with_local_contexts(text)
        except _RefusedContext as refused:
            where = _position_of_text(text, refused.written)
            problems.add(path, where.line, where.column, "", str(refused))
            return None
        except ValueError as error:  # JSON syntax (json.JSONDecodeError)
            where, message = _parse_error(error, text)
            problems.add(path, where.line, where.column, "", f"cannot parse: {message}")
            return None
        except RecursionError:
            problems.add(path, 1, 1, "", "cannot parse: the JSON is nested too deeply")
            return None
    try:
        parsed.parse(
            data=data, format=RDF_CASE_FORMATS[path.suffix], publicID=path.resolve().as_uri()
        )
    except Exception as error:  # rdflib raises many unrelated types for bad syntax
        where, message = _parse_error(error, text)
        problems.add(path, where.line, where.column, "", f"cannot parse: {message}")
        return None
    case_id = path.stem
    if not is_valid_id(case_id):
        problems.add(
            path,
            1,
            1,
            "",
            f"the file name '{case_id}' is not a valid case id: use "
            "lower-case letters and digits in words joined by hyphens",
        )
        return None
    own_graph = graph_iri(f"case/{case_id}")
    graph, provenance = Graph(), Graph()
    for triple in parsed:
        (provenance if triple[0] == own_graph else graph).add(triple)
    prefixes = tuple((prefix, str(namespace)) for prefix, namespace in parsed.namespaces())
    case = RdfCase(case_id, path, graph, provenance, text, prefixes)
    # rdflib accepts IRIs and language tags that other RDF tools refuse; such a case could
    # not be loaded into a store, so it is a problem here, with the line where it is written.
    syntax = sorted(set(_syntax_problems(parsed)))
    for anchor, message in syntax:
        where = case.position_of(anchor) if anchor is not None else Position(1, 1)
        problems.add(path, where.line, where.column, "", message)
    return None if syntax else case


@cache
def _writable_as_rdfxml_property(iri: str) -> bool:
    """Whether RDF/XML can name this property as an element that XML parsers accept.

    rdflib splits by Unicode categories (XML 1.0 5th edition), but expat, the parser most
    RDF/XML readers use, keeps the 4th edition's name characters (e.g. it refuses U+0218),
    so the local name is tried on expat itself."""
    try:
        _namespace, local = split_uri(iri)
        ElementTree.fromstring(f"<{local}/>")
    except (ValueError, ElementTree.ParseError):
        return False
    return True


def _syntax_problems(graph: Graph) -> Iterator[tuple[URIRef | None, str]]:
    """(where, message) for every IRI, datatype, language tag and literal RDF does not allow."""
    for subject, predicate, obj in graph:
        anchor = subject if isinstance(subject, URIRef) else None
        for term in (subject, predicate, obj):
            if isinstance(term, URIRef):
                message = _bad_iri(term)
                if message and str(term).startswith("file:"):
                    yield URIRef(term.rsplit("/", 1)[-1]), message  # found as written
                elif message:
                    yield term, message
        if (
            isinstance(predicate, URIRef)
            and not _bad_iri(predicate)
            and not _writable_as_rdfxml_property(str(predicate))
        ):
            yield (
                anchor,
                (
                    f"<{predicate}> cannot be a property: RDF/XML needs a property IRI "
                    "that ends in a name (letters, digits, '-', '_' or '.')"
                ),
            )
        if isinstance(obj, Literal):
            if obj.datatype is not None and (message := _bad_iri(obj.datatype)):
                yield anchor, message
            if obj.language is not None and not is_language_tag(obj.language):
                yield anchor, f"'{obj.language}' is not a language tag (BCP 47, e.g. en, sv)"
            datatype = str(obj.datatype) if obj.datatype is not None else None
            message = text_problem(str(obj)) or literal_problem(str(obj), datatype)
            # rdflib normalised the text ("maybe"); only a typed literal is ill-typed
            if message is None and obj.ill_typed and datatype is not None:
                message = f"not a valid {datatype.replace(XSD_NS, 'xsd:')} value"
            if message:
                yield anchor, f"<{predicate}>: {message}"


# ---------------------------------------------------------------------------------------
# JSON-LD contexts: never fetched. A context is written inline or is the project's own,
# which is built from ontology/ekip.ttl; any other reference (remote, file:, relative) is
# refused, so validate and build never reach the network or files outside the project.

#: the context IRIs that resolve locally (as published by ``ekipgraph release``)
LOCAL_CONTEXTS = (f"{BASE}ontology/context.jsonld", f"http://{BASE[8:]}ontology/context.jsonld")


class _RefusedContext(ValueError):
    def __init__(self, written: str, message: str) -> None:
        super().__init__(message)
        self.written = written


@cache
def _project_context() -> dict[str, Any]:
    from ekipgraph.ontology import load_ontology
    from ekipgraph.project import default_layout
    from ekipgraph.release import jsonld_context

    return jsonld_context(load_ontology(default_layout()))["@context"]


def _with_local_contexts(text: str) -> str:
    """The JSON-LD document with every context reference replaced by the context itself."""
    document = json.loads(text)
    return json.dumps(_resolve_contexts(document))


def _resolve_contexts(node: Any) -> Any:
    if isinstance(node, list):
        return [_resolve_contexts(item) for item in node]
    if not isinstance(node, dict):
        return node
    resolved = {}
    for key, value in node.items():
        if key == "@context":
            resolved[key] = _local_context(value)
        elif key == "@import":
            resolved[key] = value  # refused by _local_context when inside a context
        else:
            resolved[key] = _resolve_contexts(value)
    return resolved


def _local_context(value: Any) -> Any:
    if isinstance(value, list):
        return [_local_context(item) for item in value]
    if value is None:
        return None
    if isinstance(value, str):
        if value in LOCAL_CONTEXTS:
            return _project_context()
        allowed = " or ".join(f'"{iri}"' for iri in LOCAL_CONTEXTS[:1])
        raise _RefusedContext(
            value,
            f'the JSON-LD context "{value}" is not loaded: contexts are never fetched; '
            f"write the context inline or use {allowed}",
        )
    if isinstance(value, dict):
        if "@import" in value:
            imported = value["@import"]
            if not (isinstance(imported, str) and imported in LOCAL_CONTEXTS):
                raise _RefusedContext(
                    str(imported),
                    f'the JSON-LD context imports "{imported}": contexts are never fetched; '
                    "write the context inline",
                )
            rest = {k: v for k, v in value.items() if k != "@import"}
            return {**_project_context(), **_resolve_contexts(rest)}
        return _resolve_contexts(value)  # scoped contexts inside term definitions
    return value


def _position_of_text(text: str, written: str) -> Position:
    offset = text.find(json.dumps(written)[1:-1]) if written else -1
    return _position_in(text, offset) if offset >= 0 else Position(1, 1)


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    # rdflib logs a warning for each odd IRI it reads; check_rdf_case reports them as
    # problems with a line, so the log would only repeat them without one.
    logger = logging.getLogger("rdflib")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # also its "failed to convert" for ill-typed literals
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Parsing weird boolean": reported as a problem
            yield
    finally:
        logger.setLevel(level)


def _parse_error(error: Exception, text: str) -> tuple[Position, str]:
    lineno, colno = getattr(error, "lineno", None), getattr(error, "colno", None)
    if isinstance(lineno, int) and isinstance(colno, int):  # JSON syntax
        return Position(lineno, colno), getattr(error, "msg", str(error))
    lines, offset = getattr(error, "lines", None), getattr(error, "_i", None)
    if isinstance(lines, int):  # Turtle syntax (rdflib's BadSyntax)
        why = getattr(error, "_why", None) or str(error)
        if isinstance(offset, int) and 0 <= offset <= len(text):
            return _position_in(text, offset), why
        return Position(lines + 1, 1), why
    return Position(1, 1), str(error).strip().splitlines()[0] if str(error).strip() else repr(error)


def check_rdf_case(
    case: RdfCase, index: EntityIndex, concepts: ConceptIndex, problems: ProblemList
) -> None:
    """The checks of meaning that RDF allows (see the module docstring)."""

    def report(iri: URIRef | None, message: str) -> None:
        where = case.position_of(iri) if iri is not None else Position(1, 1)
        problems.add(case.path, where.line, where.column, "", message)

    case_iri = case.case_iri
    cases = sorted(
        s for s in case.graph.subjects(RDF.type, EKIP.CityCaseDescription) if isinstance(s, URIRef)
    )
    others = [other for other in cases if other != case_iri]
    if case_iri not in cases:
        named = f", not <{others[0]}>" if len(others) == 1 else ""
        report(
            others[0] if len(others) == 1 else None,
            f"the case must be <{case_iri}> a ekip:CityCaseDescription "
            f"(its IRI is made from the file name){named}",
        )
    elif others:
        for other in others:
            report(other, f"<{other}> is another case; write one case per file")
    recorded = case.provenance.value(case.graph_iri, PROV.generatedAtTime)
    if not isinstance(recorded, Literal):
        report(
            None,
            f"say when the case was recorded: <{case.graph_iri}> "
            'prov:generatedAtTime "YYYY-MM-DDT00:00:00Z"^^xsd:dateTime',
        )
    mentioned = {
        t for triple in case.graph for t in (triple[0], triple[2]) if isinstance(t, URIRef)
    }
    for term in sorted(mentioned - set(others)):
        message = _unknown_iri(term, case_iri, index, concepts)
        if message:
            report(term, message)
    cited = {s for s in case.graph.objects(None, DCTERMS.source) if isinstance(s, URIRef)}
    for source in sorted(cited):
        if str(source) not in index.entities["source"]:
            report(source, f"source {source} is not registered in shared/sources.yaml")


def _bad_iri(term: URIRef) -> str | None:
    if message := text_problem(str(term)):
        return f"not a valid IRI: {message}"
    if str(term).startswith("file:"):  # resolved against the file's own location
        return f"<{term.rsplit('/', 1)[-1]}> is a relative IRI; write IRIs in full"
    problem = iri_syntax_problem(str(term))
    return f"<{term}> is not a valid IRI: {problem}" if problem else None


def _unknown_iri(
    term: URIRef, case_iri: URIRef, index: EntityIndex, concepts: ConceptIndex
) -> str | None:
    iri = str(term)
    if iri == str(case_iri) or iri.startswith(f"{case_iri}/"):
        return None
    if iri.startswith(VOCAB_BASE):
        if concepts.is_known_iri(iri):
            return None
        scheme, _, key = iri[len(VOCAB_BASE) :].partition("/")
        if scheme not in concepts.schemes or not key:
            return f"<{iri}> is not a concept scheme or concept of ontology/vocab/"
        return f"{concept_problem(concepts, scheme, key)} (<{iri}>)"
    if not iri.startswith(ID_BASE):
        return None
    kind, _, key = iri[len(ID_BASE) :].partition("/")
    if kind not in SHARED_KINDS:
        return f"<{iri}> is neither a shared entity nor a part of this case"
    if index.has(kind, key) or index.is_broken(key, (kind,)):
        return None
    return f"unknown {kind_label((kind,))} '{key}' (<{iri}>); {suggest(key, index.ids((kind,)))}"
