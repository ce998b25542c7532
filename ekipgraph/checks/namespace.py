"""OOPS! P40 "namespace hijacking": every term we use from a standard namespace must exist there.

A typo such as ``foaf:Agentt`` or ``prov:wasGeneratedByy`` parses fine and silently
creates a new, meaningless term in someone else's namespace. This check compares every
IRI used in our files (as subject, predicate, object or literal datatype) that falls in
a standard namespace against a copy of that vocabulary's term list kept under
``ontology/imports/`` (one Turtle file per namespace).

The copies are generated, never hand-edited: :func:`write_import_copies` rebuilds them
from sources installed with ekipgraph's dependencies (rdflib's DefinedNamespace term
lists; typed vocabulary files shipped by pyLODE, owlready2 and pySHACL) plus two term
lists verified against the vocabularies' own repositories (BIBO; DCAT 3 additions).
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import rdflib
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import (
    DC,
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    VANN,
    VOID,
    XSD,
    DefinedNamespace,
)

from ekipgraph.checks.model import CRITICAL, Family, Finding
from ekipgraph.namespaces import BIBO


def words(text: str) -> tuple[str, ...]:
    """Whitespace-separated names, so long term lists read as text."""
    return tuple(text.split())


#: The standard namespaces whose terms we check, by the prefix ekipgraph binds them to.
STANDARD_NAMESPACES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "org": str(ORG),
    "foaf": str(FOAF),
    "dcterms": str(DCTERMS),
    "dc": str(DC),
    "dcat": str(DCAT),
    "schema": str(SDO),
    "vann": str(VANN),
    "bibo": str(BIBO),
    "sh": str(SH),
    "void": str(VOID),
}

DEFINED_NAMESPACES: dict[str, type[DefinedNamespace]] = {
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "org": ORG,
    "foaf": FOAF,
    "dcterms": DCTERMS,
    "dc": DC,
    "dcat": DCAT,
    "schema": SDO,
    "vann": VANN,
    "sh": SH,
    "void": VOID,
}


@dataclass(frozen=True)
class TypedSource:
    """A vocabulary file shipped inside an installed package, read for its rdf:type triples."""

    package: str
    path: str
    format: str = "turtle"
    # The namespace the file uses when it differs from ours (pySHACL's schema.org is http).
    namespace_in_file: str | None = None
    # Whether the file's subjects may add terms (False: it also holds non-terms, e.g. shapes).
    adds_terms: bool = True

    def describe(self) -> str:
        version = _package_version(self.package)
        return f"{self.package} {version}: {self.path}"


TYPED_SOURCES: dict[str, TypedSource] = {
    "rdf": TypedSource("pylode", "rdf/rdf.ttl"),
    "rdfs": TypedSource("pylode", "rdf/rdfs-mod.ttl"),
    "owl": TypedSource("pylode", "rdf/owl.ttl"),
    "prov": TypedSource("pylode", "rdf/prov.ttl"),
    "skos": TypedSource("pylode", "rdf/skos.ttl"),
    "void": TypedSource("pylode", "rdf/void.ttl"),
    "dcterms": TypedSource("owlready2", "ontos/dcterms.owl", "xml"),
    "dc": TypedSource("owlready2", "ontos/dc.owl", "xml"),
    "sh": TypedSource("pyshacl", "assets/shacl.ttl"),
    "schema": TypedSource(
        "pyshacl", "assets/schema.ttl", namespace_in_file="http://schema.org/", adds_terms=False
    ),
}

# BIBO 1.3, every term of the namespace as declared in structureddynamics/
# Bibliographic-Ontology-BIBO bibo.n3.owl (commit 500e82c3), read through the search tool.
BIBO_SOURCE = "structureddynamics/Bibliographic-Ontology-BIBO bibo.n3.owl@500e82c3"
BIBO_TERMS: dict[str, tuple[str, ...]] = {
    str(OWL.Class): words(
        "AcademicArticle Article AudioDocument AudioVisualDocument Bill Book BookSection "
        "Brief Chapter Code CollectedDocument Collection Conference CourtReporter "
        "Document DocumentPart DocumentStatus EditedBook Email Event Excerpt Film Hearing "
        "Image Interview Issue Journal LegalCaseDocument LegalDecision LegalDocument "
        "Legislation Letter Magazine Manual Manuscript Map MultiVolumeBook Newspaper Note "
        "Patent Performance Periodical PersonalCommunication "
        "PersonalCommunicationDocument Proceedings Quote ReferenceSource Report Series "
        "Slide Slideshow Standard Statute Thesis ThesisDegree Webpage Website Workshop"
    ),
    str(OWL.ObjectProperty): words(
        "affirmedBy annotates authorList citedBy cites contributorList court degree "
        "director distributor editor editorList interviewee interviewer issuer organizer "
        "owner performer presentedAt presents producer recipient reproducedIn reversedBy "
        "reviewOf status subsequentLegalDecision transcriptOf translationOf translator"
    ),
    str(OWL.DatatypeProperty): words(
        "abstract argued asin chapter coden content doi eanucc13 edition eissn gtin14 "
        "handle identifier isbn isbn10 isbn13 issn issue lccn locator numPages numVolumes "
        "number oclcnum pageEnd pageStart pages pmid prefixName section shortDescription "
        "shortTitle sici suffixName upc uri volume"
    ),
    str(BIBO.ThesisDegree): words("degrees/ma degrees/ms degrees/phd"),
    str(BIBO.DocumentStatus): words(
        "status/accepted status/draft status/forthcoming status/legal "
        "status/nonPeerReviewed status/peerReviewed status/published status/rejected "
        "status/unpublished"
    ),
    str(FOAF.Person): words("bdarcus fgiasson"),
}

# DCAT 3 terms missing from rdflib's DCAT (which is DCAT 2), as declared in w3c/dxwg
# dcat/rdf/dcat3.ttl (commit 7c8eeb5b), read through the search tool.
DCAT3_SOURCE = "w3c/dxwg dcat/rdf/dcat3.ttl@7c8eeb5b"
DCAT3_TERMS: dict[str, tuple[str, ...]] = {
    str(OWL.Class): ("DatasetSeries",),
    str(OWL.ObjectProperty): words(
        "first last prev next previousVersion nextVersion hasCurrentVersion hasVersion "
        "isVersionOf inSeries seriesMember resource inCatalog isDistributionOf"
    ),
    str(OWL.DatatypeProperty): ("version",),
}
VERIFIED_LISTS: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {
    "bibo": (BIBO_SOURCE, BIBO_TERMS),
    "dcat": (DCAT3_SOURCE, DCAT3_TERMS),
}

CLASS_TYPES = frozenset({RDFS.Class, OWL.Class, RDFS.Datatype})
PROPERTY_TYPES = frozenset(
    {
        RDF.Property,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.OntologyProperty,
    }
)
# Types that mark a subject as an artefact of the file rather than a term of the vocabulary.
NOT_TERM_TYPES = frozenset({OWL.Ontology, OWL.Axiom, OWL.Restriction})
# XSD names rdflib lists that are facets or value-space components, not datatypes.
XSD_NON_DATATYPES = frozenset(
    words(
        "Assertions bounded cardinality enumeration explicitTimezone fractionDigits "
        "length maxExclusive maxInclusive maxLength minExclusive minInclusive minLength "
        "numeric ordered pattern totalDigits whiteSpace year month day hour minute second "
        "timezoneOffset"
    )
)
CONTAINER_MEMBERSHIP = re.compile(re.escape(str(RDF)) + r"_[1-9][0-9]*$")

HEADER = """\
# Term list of {title} ({namespace}), a small local copy for ekipgraph's
# namespace-hijacking check (OOPS! P40). Generated by
# ekipgraph.checks.namespace.write_import_copies(); do not edit by hand.
# Terms: {terms_from}.
# Types: {types_from}.
"""


def _package_version(package: str) -> str:
    try:
        from importlib.metadata import version

        return version(package)
    except Exception:
        return "(not installed)"


def _defined_namespace_terms(prefix: str) -> set[URIRef]:
    namespace = DEFINED_NAMESPACES[prefix]
    names = set(getattr(namespace, "__annotations__", {})) | set(namespace._extras)
    return {URIRef(str(namespace._NS) + name) for name in names}


def _read_typed_source(prefix: str) -> tuple[dict[URIRef, set[URIRef]], str] | None:
    source = TYPED_SOURCES.get(prefix)
    if source is None:
        return None
    try:
        file = resources.files(source.package) / source.path
        graph = Graph().parse(str(file), format=source.format)
    except (ModuleNotFoundError, FileNotFoundError):
        return None
    in_file = source.namespace_in_file or STANDARD_NAMESPACES[prefix]
    types: dict[URIRef, set[URIRef]] = defaultdict(set)
    for subject, rdf_type in graph.subject_objects(RDF.type):
        if isinstance(subject, URIRef) and str(subject).startswith(in_file):
            term = URIRef(STANDARD_NAMESPACES[prefix] + str(subject)[len(in_file) :])
            types[term].add(rdf_type)  # type: ignore[arg-type]
    return types, source.describe()


def _guessed_type(prefix: str, term: URIRef) -> URIRef:
    name = str(term)[len(STANDARD_NAMESPACES[prefix]) :]
    if prefix == "xsd":
        return RDF.Property if name in XSD_NON_DATATYPES else RDFS.Datatype
    return RDFS.Class if name[:1].isupper() else RDF.Property


def build_import_copy(prefix: str) -> tuple[Graph, str]:
    """The term list of one standard namespace as a graph, and the header for its file."""
    namespace = STANDARD_NAMESPACES[prefix]
    terms_from, types_from = [], []
    types: dict[URIRef, set[URIRef]] = defaultdict(set)

    if prefix in DEFINED_NAMESPACES:
        for term in _defined_namespace_terms(prefix):
            types[term]
        terms_from.append(f"rdflib {rdflib.__version__} rdflib.namespace.{prefix.upper()}")
    if prefix in VERIFIED_LISTS:
        source, lists = VERIFIED_LISTS[prefix]
        for rdf_type, names in lists.items():
            for name in names:
                types[URIRef(namespace + name)].add(URIRef(rdf_type))
        terms_from.append(source)
        types_from.append(source)
    typed = _read_typed_source(prefix)
    if typed is not None:
        typed_terms, description = typed
        adds = TYPED_SOURCES[prefix].adds_terms
        for term, term_types in typed_terms.items():
            if term_types & NOT_TERM_TYPES or str(term) == namespace:
                continue
            if adds or term in types:
                types[term].update(term_types)
        if adds:
            terms_from.append(description)
        types_from.append(description)
    if any(not term_types for term_types in types.values()):
        rule = (
            "datatype, except facets"
            if prefix == "xsd"
            else "Upper-case name: rdfs:Class, lower-case: rdf:Property"
        )
        types_from.append(("otherwise " if types_from else "") + f"guessed from the name ({rule})")

    graph = Graph()
    graph.bind(prefix, namespace)
    for p, ns in (("rdf", RDF), ("rdfs", RDFS), ("owl", OWL)):
        graph.bind(p, ns)
    for term, term_types in types.items():
        for rdf_type in term_types or {_guessed_type(prefix, term)}:
            graph.add((term, RDF.type, rdf_type))
        graph.add((term, RDFS.isDefinedBy, URIRef(namespace)))
    header = HEADER.format(
        title=prefix,
        namespace=namespace,
        terms_from="; ".join(terms_from),
        types_from="; ".join(types_from),
    )
    return graph, header


def write_import_copies(directory: Path, prefixes: Iterable[str] | None = None) -> list[Path]:
    """(Re)generate ``<prefix>.ttl`` under ``directory`` for every standard namespace."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for prefix in prefixes or STANDARD_NAMESPACES:
        graph, header = build_import_copy(prefix)
        path = directory / f"{prefix}.ttl"
        path.write_text(header + graph.serialize(format="turtle"), encoding="utf-8")
        written.append(path)
    load_import_copy.cache_clear()
    return written


def default_imports_dir() -> Path:
    from ekipgraph.project import default_layout

    return default_layout().imports_dir


@cache
def load_import_copy(path: Path) -> dict[URIRef, str]:
    """The terms of one import copy, each mapped to "class", "property" or "other"."""
    graph = Graph().parse(path, format="turtle")
    kinds: dict[URIRef, str] = {}
    for term in graph.subjects(RDFS.isDefinedBy, None):
        term_types = set(graph.objects(term, RDF.type))
        if term_types & CLASS_TYPES:
            kinds[term] = "class"  # type: ignore[index]
        elif term_types & PROPERTY_TYPES:
            kinds[term] = "property"  # type: ignore[index]
        else:
            kinds[term] = "other"  # type: ignore[index]
    return kinds


def defined_terms(
    prefixes: Iterable[str] | None = None, imports_dir: Path | None = None
) -> dict[URIRef, str]:
    """The terms of the given standard namespaces (default: all), read from the copies."""
    directory = imports_dir or default_imports_dir()
    terms: dict[URIRef, str] = {}
    for prefix in prefixes or STANDARD_NAMESPACES:
        path = directory / f"{prefix}.ttl"
        if not path.exists():
            raise FileNotFoundError(
                f"{path} is missing; regenerate it with "
                "ekipgraph.checks.namespace.write_import_copies()"
            )
        terms.update(load_import_copy(path))
    return terms


def standard_prefix_of(term: str) -> str | None:
    for prefix, namespace in STANDARD_NAMESPACES.items():
        if term.startswith(namespace):
            return prefix
    return None


def used_terms(graph: Graph) -> set[URIRef]:
    """Every IRI of ``graph``: subjects, predicates, objects and literal datatypes."""
    used: set[URIRef] = set()
    for triple in graph:
        for node in triple:
            if isinstance(node, URIRef):
                used.add(node)
            elif isinstance(node, Literal) and node.datatype is not None:
                used.add(node.datatype)
    return used


def curie(term: str) -> str:
    prefix = standard_prefix_of(term)
    return f"{prefix}:{term[len(STANDARD_NAMESPACES[prefix]) :]}" if prefix else f"<{term}>"


def check_namespace_hijacking(
    graphs: Mapping[str, Graph], imports_dir: Path | None = None
) -> Finding:
    """P40 over several graphs (e.g. ontology, vocabularies, shapes, data), keyed by source."""
    used_in: dict[URIRef, set[str]] = defaultdict(set)
    for source, graph in graphs.items():
        for term in used_terms(graph):
            if standard_prefix_of(str(term)):
                used_in[term].add(source)
    prefixes = sorted({p for t in used_in if (p := standard_prefix_of(str(t))) is not None})
    sources = ", ".join(graphs)
    try:
        known = defined_terms(prefixes, imports_dir)
    except FileNotFoundError as error:
        return _finding(False, f"cannot check the standard namespaces: {error}", (), sources)

    hijacked = sorted(t for t in used_in if not _is_defined(t, known))
    if not hijacked:
        return _finding(
            True,
            f"All {len(used_in)} terms used from {len(prefixes)} standard namespaces "
            f"({', '.join(prefixes)}) are defined there",
            (),
            sources,
        )
    by_namespace: dict[str, list[str]] = defaultdict(list)
    for term in known:
        by_namespace[standard_prefix_of(str(term)) or ""].append(str(term))
    described = []
    for term in hijacked:
        where = ", ".join(sorted(Path(s).name for s in used_in[term]))
        close = difflib.get_close_matches(
            str(term), by_namespace[standard_prefix_of(str(term)) or ""], n=1, cutoff=0.85
        )
        hint = f"; did you mean {curie(close[0])}?" if close else ""
        described.append(f"{curie(term)} (in {where}{hint})")
    message = (
        f"Terms used in standard namespaces but not defined there ({len(hijacked)}): "
        + "; ".join(described)
    )
    return _finding(False, message, tuple(str(t) for t in hijacked), sources)


def _is_defined(term: URIRef, known: Mapping[URIRef, str]) -> bool:
    text = str(term)
    return (
        term in known
        or text in STANDARD_NAMESPACES.values()  # the namespace itself, e.g. in owl:imports
        or bool(CONTAINER_MEMBERSHIP.match(text))  # rdf:_1, rdf:_2, ...
    )


def _finding(passed: bool, message: str, terms: tuple[str, ...], source: str) -> Finding:
    return Finding(
        family=Family.NAMESPACE,
        id="P40",
        title="Namespace hijacking",
        level=CRITICAL,
        passed=passed,
        message=message,
        terms=terms,
        source=source,
    )
