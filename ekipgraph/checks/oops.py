"""The OOPS! pitfalls that a program can detect in our TBox, with OOPS! codes and levels.

Codes, titles and levels follow the OOPS! catalogue (https://oops.linkeddata.es/catalogue.jsp)
as summarised in the project's anchors (A2). Each check looks at own terms only (IRIs in the
ekip namespace) and returns the offending terms with a short reason. P13 and P30/P12 are
advisory: reported, never failing. P40 (namespace hijacking) lives in ``namespace.py``.
Pitfalls that need human judgement (P01, P09, P14-P18, P23, P27-P29, P31) are left to review.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from urllib.parse import urlparse

from rdflib import BNode, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from ekipgraph.checks.context import CheckedGraph, lang_of, local_name
from ekipgraph.checks.foops import DESCRIPTION_PROPERTIES, LABEL_PROPERTIES, METADATA_PROPERTIES
from ekipgraph.checks.model import CRITICAL, IMPORTANT, MINOR, Family, Finding

#: Offending terms, each with a short reason (may be empty).
Offences = dict[Node, str]

#: Labels longer than this many words look like descriptions put in the wrong place (P20).
MAX_LABEL_WORDS = 8
#: Real compound concepts whose names contain "and"/"or" (P07), compared case-insensitively.
MERGED_CONCEPT_ALLOWLIST = frozenset({"research and development", "research and innovation"})
FILE_EXTENSIONS = (".owl", ".rdf", ".ttl", ".n3", ".nt", ".xml", ".jsonld", ".json", ".trig")
UPPER_CAMEL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
LOWER_CAMEL = re.compile(r"^[a-z][A-Za-z0-9]*$")
MISCELLANEOUS_NAME = re.compile(r"^(Other|Misc|Miscellaneous)(?=[A-Z0-9_]|$)")
MISCELLANEOUS_LABEL = re.compile(r"^(other|misc\.?|miscellaneous)(\s|$)", re.IGNORECASE)
CAMEL_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
MERGING_WORDS = frozenset({"and", "or"})


@dataclass(frozen=True)
class Pitfall:
    id: str
    title: str
    level: str
    problem: str  # what the offending terms have in common, for the message
    advisory: bool = False
    ok: str = ""  # the message when nothing is found, if "No <problem>" reads badly


CHECKS: list[tuple[Pitfall, Callable[..., Offences]]] = []


def pitfall(
    code: str, title: str, level: str, problem: str, *, advisory: bool = False, ok: str = ""
) -> Callable[[Callable[..., Offences]], Callable[..., Offences]]:
    def register(check: Callable[..., Offences]) -> Callable[..., Offences]:
        CHECKS.append((Pitfall(code, title, level, problem, advisory, ok), check))
        return check

    return register


# -- helpers shared by several pitfalls ----------------------------------------------


def english_labels(ctx: CheckedGraph, term: Node) -> list[str]:
    return [str(v) for v in ctx.literals(term, [RDFS.label]) if lang_of(v) in ("", "en")]


def class_expression_key(ctx: CheckedGraph, node: Node) -> object:
    """A comparable form of a class expression: the IRI, or the set of union members."""
    if isinstance(node, BNode):
        for predicate in (OWL.unionOf, OWL.intersectionOf):
            for head in ctx.graph.objects(node, predicate):
                return (predicate, frozenset(ctx.list_items(head)))
    return node


def inverse_pairs(ctx: CheckedGraph) -> set[tuple[URIRef, URIRef]]:
    return {
        (p, q)
        for p, q in ctx.graph.subject_objects(OWL.inverseOf)
        if isinstance(p, URIRef) and isinstance(q, URIRef)
    }


def has_inverse(ctx: CheckedGraph, prop: Node) -> bool:
    return (prop, OWL.inverseOf, None) in ctx.graph or (None, OWL.inverseOf, prop) in ctx.graph


def disjoint_pairs(ctx: CheckedGraph) -> set[frozenset[Node]]:
    """Every pair of classes declared disjoint, however the axiom was written."""
    pairs = {frozenset(pair) for pair in ctx.graph.subject_objects(OWL.disjointWith)}
    groups = [ctx.list_items(h) for h in ctx.graph.objects(None, OWL.disjointUnionOf)]
    for axiom in ctx.graph.subjects(RDF.type, OWL.AllDisjointClasses):
        groups.extend(ctx.list_items(h) for h in ctx.graph.objects(axiom, OWL.members))
    for members in groups:
        pairs.update(frozenset(pair) for pair in combinations(members, 2))
    return pairs


def nodes_inside(ctx: CheckedGraph, node: Node) -> set[Node]:
    """All nodes reachable from ``node`` through blank nodes (an anonymous expression)."""
    seen: set[Node] = set()
    todo = [node]
    while todo:
        current = todo.pop()
        for _, value in ctx.graph.predicate_objects(current):
            if value not in seen:
                seen.add(value)
                if isinstance(value, BNode):
                    todo.append(value)
    return seen


# -- the pitfalls --------------------------------------------------------------------


@pitfall("P02", "Creating synonyms as classes", MINOR, "own classes declared equivalent")
def synonyms_as_classes(ctx: CheckedGraph) -> Offences:
    return {
        a: f"equivalent to {ctx.show(b)}"
        for a, b in ctx.graph.subject_objects(OWL.equivalentClass)
        if a in ctx.classes and b in ctx.classes and a != b
    }


@pitfall("P03", 'Creating the relationship "is"', CRITICAL, 'properties named "is"')
def is_relationship(ctx: CheckedGraph) -> Offences:
    names = {"is", "isa", "is_a", "is-a"}
    return {
        p: "use rdfs:subClassOf, rdf:type or owl:sameAs"
        for p in ctx.properties
        if local_name(p).lower() in names
    }


@pitfall("P04", "Creating unconnected ontology elements", MINOR, "unconnected terms")
def unconnected_elements(ctx: CheckedGraph) -> Offences:
    offences: Offences = {}
    for cls in ctx.classes - ctx.used_as_class:
        offences[cls] = "class used in no axiom"
    for prop in ctx.object_properties | ctx.datatype_properties:
        connected = (
            prop in ctx.axiom_properties
            or (prop, RDFS.domain, None) in ctx.graph
            or (prop, RDFS.range, None) in ctx.graph
        )
        if not connected:
            offences[prop] = "property with no domain, range or relation to other properties"
    return offences


@pitfall(
    "P05", "Defining wrong inverse relationships", CRITICAL, "inverse pairs that do not mirror"
)
def wrong_inverses(ctx: CheckedGraph) -> Offences:
    offences: Offences = {}

    def key(prop: Node, axis: URIRef) -> frozenset:
        return frozenset(class_expression_key(ctx, v) for v in ctx.graph.objects(prop, axis))

    for p, q in inverse_pairs(ctx):
        if p == q or not (ctx.is_own(p) or ctx.is_own(q)):
            continue
        for here, there in ((RDFS.domain, RDFS.range), (RDFS.range, RDFS.domain)):
            mine, theirs = key(p, here), key(q, there)
            if mine and theirs and mine != theirs:
                mismatch = (
                    f"{local_name(here)} of {ctx.show(p)} is not the {local_name(there)} "
                    f"of its inverse {ctx.show(q)}"
                )
                offences[p] = offences[q] = mismatch
    return offences


@pitfall(
    "P25",
    "Defining a relationship as inverse to itself",
    IMPORTANT,
    "properties declared their own inverse",
)
def inverse_of_itself(ctx: CheckedGraph) -> Offences:
    return {
        p: "owl:inverseOf itself; declare it owl:SymmetricProperty instead"
        for p, q in inverse_pairs(ctx)
        if p == q and ctx.is_own(p)
    }


@pitfall(
    "P26",
    "Defining inverse relationships for a symmetric one",
    IMPORTANT,
    "symmetric properties that also declare an inverse",
)
def inverse_of_symmetric(ctx: CheckedGraph) -> Offences:
    offences: Offences = {}
    for p, q in inverse_pairs(ctx):
        for prop, other in ((p, q), (q, p)):
            symmetric = (prop, RDF.type, OWL.SymmetricProperty) in ctx.graph
            if symmetric and prop != other and ctx.is_own(prop):
                offences[prop] = f"symmetric, yet declared inverse of {ctx.show(other)}"
    return offences


@pitfall("P06", "Including cycles in a class hierarchy", CRITICAL, "classes in a subclass cycle")
def class_cycles(ctx: CheckedGraph) -> Offences:
    parents: dict[Node, set[Node]] = defaultdict(set)
    for child, parent in ctx.graph.subject_objects(RDFS.subClassOf):
        if isinstance(child, URIRef) and isinstance(parent, URIRef) and child != parent:
            parents[child].add(parent)
    offences: Offences = {}
    for start in ctx.classes:
        seen: set[Node] = set()
        todo = list(parents[start])
        while todo:
            current = todo.pop()
            if current == start:
                offences[start] = "is its own (indirect) superclass"
                break
            if current not in seen:
                seen.add(current)
                todo.extend(parents[current])
    return offences


@pitfall("P07", "Merging different concepts in the same class", MINOR, 'classes named "A and/or B"')
def merged_concepts(ctx: CheckedGraph) -> Offences:
    offences: Offences = {}
    for cls in ctx.classes:
        names = [" ".join(CAMEL_WORDS.findall(local_name(cls))), *english_labels(ctx, cls)]
        for name in names:
            words = set(name.lower().split())
            if words & MERGING_WORDS and name.lower().strip() not in MERGED_CONCEPT_ALLOWLIST:
                offences[cls] = f'"{name}" joins two concepts'
                break
    return offences


@pitfall("P08", "Missing annotations", MINOR, "terms without a label or a definition")
def missing_annotations(ctx: CheckedGraph) -> Offences:
    offences: Offences = {}
    for term in ctx.vocabulary_terms | ctx.properties:
        lacks = [
            what
            for what, predicates in (
                ("label", LABEL_PROPERTIES),
                ("definition", DESCRIPTION_PROPERTIES),
            )
            if not ctx.has_literal(term, predicates)
        ]
        if lacks:
            offences[term] = "no " + " and no ".join(lacks)
    return offences


@pitfall("P10", "Missing disjointness", IMPORTANT, "top classes not declared disjoint")
def missing_disjointness(ctx: CheckedGraph) -> Offences:
    top = sorted(
        (
            c
            for c in ctx.classes
            if not ctx.is_deprecated(c)
            and not any(ctx.is_own(p) for p in ctx.named_superclasses(c))
        ),
        key=str,
    )
    declared = disjoint_pairs(ctx)
    lacking: dict[Node, list[Node]] = defaultdict(list)
    for a, b in combinations(top, 2):
        if frozenset((a, b)) not in declared:
            lacking[a].append(b)
            lacking[b].append(a)
    return {cls: "not disjoint with " + ctx.show_all(others, 5) for cls, others in lacking.items()}


@pitfall(
    "P11", "Missing domain or range in properties", IMPORTANT, "properties without domain or range"
)
def missing_domain_or_range(ctx: CheckedGraph) -> Offences:
    # An inverse's range is this property's domain (and vice versa), as OOPS! accepts.
    inverses: dict[Node, set[Node]] = defaultdict(set)
    for p, q in inverse_pairs(ctx):
        inverses[p].add(q)
        inverses[q].add(p)

    def has(prop: Node, axis: URIRef, mirror: URIRef) -> bool:
        return (prop, axis, None) in ctx.graph or any(
            (q, mirror, None) in ctx.graph for q in inverses[prop]
        )

    offences: Offences = {}
    for prop in ctx.object_properties | ctx.datatype_properties:
        lacks = [
            name
            for name, axis, mirror in (
                ("domain", RDFS.domain, RDFS.range),
                ("range", RDFS.range, RDFS.domain),
            )
            if not has(prop, axis, mirror)
        ]
        if lacks:
            offences[prop] = "no " + " and no ".join(lacks)
    return offences


@pitfall(
    "P13",
    "Inverse relationships not explicitly declared",
    MINOR,
    "object properties without owl:inverseOf",
    advisory=True,
)
def inverses_not_declared(ctx: CheckedGraph) -> Offences:
    return {
        p: ""
        for p in ctx.object_properties
        if not has_inverse(ctx, p) and (p, RDF.type, OWL.SymmetricProperty) not in ctx.graph
    }


@pitfall(
    "P19",
    "Defining multiple domains or ranges in properties",
    CRITICAL,
    "properties with several rdfs:domain or rdfs:range (read as an intersection)",
)
def multiple_domains_or_ranges(ctx: CheckedGraph) -> Offences:
    offences: Offences = {}
    for prop in ctx.properties:
        many = [
            f"{len(values)} {name}s"
            for name, axis in (("domain", RDFS.domain), ("range", RDFS.range))
            if len(values := set(ctx.graph.objects(prop, axis))) > 1
        ]
        if many:
            offences[prop] = " and ".join(many) + "; use one owl:unionOf"
    return offences


@pitfall("P20", "Misusing ontology annotations", MINOR, "labels that look like descriptions")
def misused_annotations(ctx: CheckedGraph) -> Offences:
    offences: Offences = {}
    for term in ctx.vocabulary_terms | ctx.properties:
        labels = ctx.literals(term, LABEL_PROPERTIES)
        descriptions = ctx.literals(term, DESCRIPTION_PROPERTIES)
        long = [str(v) for v in labels if len(str(v).split()) > MAX_LABEL_WORDS]
        label_texts = {(str(v).strip().lower(), lang_of(v)) for v in labels}
        copied = [v for v in descriptions if (str(v).strip().lower(), lang_of(v)) in label_texts]
        if long:
            offences[term] = f"label of more than {MAX_LABEL_WORDS} words: {long[0][:60]!r}"
        elif copied:
            offences[term] = f"description repeats the label {str(copied[0])!r}"
    return offences


@pitfall("P21", "Using a miscellaneous class", MINOR, "catch-all classes (Other..., Misc...)")
def miscellaneous_class(ctx: CheckedGraph) -> Offences:
    return {
        cls: "name or label starts with Other/Misc"
        for cls in ctx.classes
        if MISCELLANEOUS_NAME.match(local_name(cls))
        or any(MISCELLANEOUS_LABEL.match(label) for label in english_labels(ctx, cls))
    }


@pitfall(
    "P22",
    "Using different naming conventions in the ontology",
    MINOR,
    "names breaking the convention (classes UpperCamelCase, properties lowerCamelCase)",
)
def mixed_naming(ctx: CheckedGraph) -> Offences:
    offences: Offences = {}
    for cls in ctx.classes:
        if not UPPER_CAMEL.match(local_name(cls)):
            offences[cls] = "class name is not UpperCamelCase"
    for prop in ctx.properties:
        if not LOWER_CAMEL.match(local_name(prop)):
            offences[prop] = "property name is not lowerCamelCase"
    return offences


@pitfall("P24", "Using recursive definitions", IMPORTANT, "classes used in their own definition")
def recursive_definitions(ctx: CheckedGraph) -> Offences:
    return {
        cls: "appears in its own owl:equivalentClass expression"
        for cls in ctx.classes
        for expression in ctx.graph.objects(cls, OWL.equivalentClass)
        if isinstance(expression, BNode) and cls in nodes_inside(ctx, expression)
    }


def _unlinked_namesakes(
    ctx: CheckedGraph,
    terms: Iterable[URIRef],
    reference: Mapping[URIRef, str],
    kind: str,
    links: tuple[URIRef, ...],
) -> Offences:
    by_name: dict[str, list[URIRef]] = defaultdict(list)
    for iri, term_kind in reference.items():
        if term_kind == kind:
            by_name[local_name(iri).lower()].append(iri)
    offences: Offences = {}
    for term in terms:
        namesakes = by_name.get(local_name(term).lower(), [])
        linked = {o for p in links for o in ctx.graph.objects(term, p)}
        linked |= {s for p in links for s in ctx.graph.subjects(p, term)}
        if namesakes and not linked & set(namesakes):
            offences[term] = "same name as " + ctx.show_all(namesakes, 4)
    return offences


@pitfall(
    "P30",
    "Equivalent classes not explicitly declared",
    IMPORTANT,
    "classes named like a standard class they are not linked to",
    advisory=True,
)
def equivalent_classes_not_declared(ctx: CheckedGraph, reference: Mapping[URIRef, str]) -> Offences:
    links = (OWL.equivalentClass, RDFS.subClassOf)
    return _unlinked_namesakes(ctx, ctx.classes, reference, "class", links)


@pitfall(
    "P12",
    "Equivalent properties not explicitly declared",
    IMPORTANT,
    "properties named like a standard property they are not linked to",
    advisory=True,
)
def equivalent_properties_not_declared(
    ctx: CheckedGraph, reference: Mapping[URIRef, str]
) -> Offences:
    links = (OWL.equivalentProperty, RDFS.subPropertyOf)
    return _unlinked_namesakes(ctx, ctx.properties, reference, "property", links)


@pitfall("P32", "Several classes with the same label", MINOR, "classes sharing a label")
def same_label_classes(ctx: CheckedGraph) -> Offences:
    owners: dict[tuple[str, str], list[URIRef]] = defaultdict(list)
    for cls in ctx.classes:
        for label in ctx.literals(cls, [RDFS.label]):
            owners[(str(label), lang_of(label))].append(cls)
    offences: Offences = {}
    for (text, lang), classes in owners.items():
        if len(classes) > 1:
            for cls in classes:
                offences[cls] = f'label "{text}"@{lang or "-"} also on ' + ctx.show_all(
                    [c for c in classes if c != cls], 3
                )
    return offences


@pitfall(
    "P33", "Creating a property chain with just one property", MINOR, "one-link property chains"
)
def one_property_chain(ctx: CheckedGraph) -> Offences:
    return {
        prop: "owl:propertyChainAxiom lists a single property"
        for prop, head in ctx.graph.subject_objects(OWL.propertyChainAxiom)
        if len(ctx.list_items(head)) == 1
    }


@pitfall("P34", "Untyped class", IMPORTANT, "terms used as classes but not declared owl:Class")
def untyped_class(ctx: CheckedGraph) -> Offences:
    return {
        t: "not declared owl:Class"
        for t in ctx.used_as_class
        if ctx.is_own(t) and t not in ctx.classes
    }


@pitfall("P35", "Untyped property", IMPORTANT, "terms used as properties but not declared")
def untyped_property(ctx: CheckedGraph) -> Offences:
    return {
        t: "not declared as an object, datatype or annotation property"
        for t in ctx.used_as_property
        if ctx.is_own(t) and t not in ctx.properties
    }


@pitfall(
    "P36",
    "URI contains file extension",
    MINOR,
    "ontology IRI ends in a file extension",
    ok="The ontology IRI has no file extension",
)
def file_extension_in_uri(ctx: CheckedGraph) -> Offences:
    iri = ctx.ontology_iri
    if iri is not None and urlparse(str(iri)).path.lower().endswith(FILE_EXTENSIONS):
        return {iri: "drop the extension; serve formats by content negotiation"}
    return {}


@pitfall(
    "P38",
    "No OWL ontology declaration",
    IMPORTANT,
    "file without owl:Ontology",
    ok="The file declares an owl:Ontology",
)
def no_ontology_declaration(ctx: CheckedGraph) -> Offences:
    return {} if ctx.ontology_nodes else {URIRef(ctx.source): "declare an owl:Ontology header"}


@pitfall(
    "P39",
    "Ambiguous namespace",
    CRITICAL,
    "ontology without an IRI",
    ok="The ontology has an IRI",
)
def ambiguous_namespace(ctx: CheckedGraph) -> Offences:
    if ctx.ontology_iri is not None:
        return {}
    return {URIRef(ctx.source): "the owl:Ontology has no IRI, so its namespace is ambiguous"}


@pitfall(
    "P41",
    "No license declared",
    IMPORTANT,
    "ontology header without a license",
    ok="The ontology declares a license",
)
def no_license(ctx: CheckedGraph) -> Offences:
    licence_props = METADATA_PROPERTIES["license"] + METADATA_PROPERTIES["rights"]
    if ctx.header_values(licence_props):
        return {}
    return {ctx.ontology_iri or URIRef(ctx.source): "add dcterms:license with the licence IRI"}


REFERENCE_CHECKS = {equivalent_classes_not_declared, equivalent_properties_not_declared}


def run(ctx: CheckedGraph, reference: Mapping[URIRef, str] | None = None) -> list[Finding]:
    """Every pitfall check on ``ctx``; ``reference`` maps standard terms to "class"/"property"
    (from ``ontology/imports``) and enables P30/P12."""
    findings = []
    for spec, check in CHECKS:
        if check in REFERENCE_CHECKS:
            if reference is None:
                findings.append(_skipped(ctx, spec, "no reference vocabularies given"))
                continue
            offences = check(ctx, reference)
        else:
            offences = check(ctx)
        findings.append(_finding(ctx, spec, offences))
    return sorted(findings, key=lambda f: int(f.id[1:]))


def _finding(ctx: CheckedGraph, spec: Pitfall, offences: Offences) -> Finding:
    if offences:
        items = sorted(offences.items(), key=lambda item: str(item[0]))
        shown = [f"{ctx.show(t)} ({why})" if why else ctx.show(t) for t, why in items[:12]]
        more = f" and {len(items) - 12} more" if len(items) > 12 else ""
        message = (
            f"{spec.problem[0].upper()}{spec.problem[1:]} ({len(items)}): "
            + "; ".join(shown)
            + more
        )
    else:
        message = spec.ok or f"No {spec.problem}"
    return Finding(
        family=Family.OOPS,
        id=spec.id,
        title=spec.title,
        level=spec.level,
        passed=not offences,
        message=message,
        terms=tuple(sorted(str(t) for t in offences)),
        source=ctx.source,
        advisory=spec.advisory,
    )


def _skipped(ctx: CheckedGraph, spec: Pitfall, reason: str) -> Finding:
    return Finding(
        Family.OOPS,
        spec.id,
        spec.title,
        spec.level,
        False,
        f"skipped: {reason}",
        source=ctx.source,
        advisory=spec.advisory,
        skipped=True,
    )
