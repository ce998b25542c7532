"""ROBOT ``report`` rules that apply to a non-OBO ontology, ported as SPARQL.

The queries follow ``ontodev/robot`` ``robot-core/src/main/resources/report_queries/*.rq``,
with two changes of scope: only own terms are checked (the ekip namespace in the ontology,
``skos:Concept`` in the vocabularies), and a term's definition is its ``skos:definition``
(or ``obo:IAO_0000115``) or, when it has neither, its ``rdfs:comment``: a comment beside a
definition is a note, not a second definition. Labels and definitions are compared per
language, since our labels come in several.

The same rules run over the SKOS vocabularies with ``skos:prefLabel`` as the label, the
concept scheme as the header, and duplicate labels looked for within one scheme.

The queries run on an in-memory pyoxigraph store loaded from the rdflib graph: rdflib's
own SPARQL engine took seconds for these joins on the real ontology, pyoxigraph takes
milliseconds (see the project's field notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pyoxigraph
from rdflib import Graph, Literal
from rdflib.namespace import DC, DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import BNode, Node, URIRef

from ekipgraph import oxresults
from ekipgraph.checks.context import IAO_DEFINITION, CheckedGraph
from ekipgraph.checks.model import ERROR, INFO, WARN, Family, Finding


@dataclass(frozen=True)
class Profile:
    """What "entity", "label", "definition" and "header" mean for one kind of file."""

    name: str
    entities: str  # a SPARQL pattern binding ?entity
    label: URIRef
    definitions: tuple[URIRef, ...]
    note_as_definition: URIRef | None  # counts as the definition only when there is none
    header: URIRef
    titles: tuple[URIRef, ...]
    descriptions: tuple[URIRef, ...]
    same_label_scope: str  # extra pattern relating ?entity and ?other for duplicate_label
    skip: frozenset[str] = frozenset()


def ontology_profile(namespace: str) -> Profile:
    return Profile(
        name="ontology",
        entities=(
            "?entity a ?entityType . VALUES ?entityType { owl:Class rdfs:Class "
            "owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty rdf:Property } "
            f'FILTER(STRSTARTS(STR(?entity), "{namespace}"))'
        ),
        label=RDFS.label,
        definitions=(SKOS.definition, IAO_DEFINITION),
        note_as_definition=RDFS.comment,
        header=OWL.Ontology,
        titles=(DC.title, DCTERMS.title),
        descriptions=(DC.description, DCTERMS.description),
        same_label_scope="",
    )


VOCABULARY_PROFILE = Profile(
    name="vocabulary",
    entities="?entity a skos:Concept . FILTER(isIRI(?entity))",
    label=SKOS.prefLabel,
    definitions=(SKOS.definition,),
    note_as_definition=None,
    header=SKOS.ConceptScheme,
    titles=(DC.title, DCTERMS.title, SKOS.prefLabel),
    descriptions=(DC.description, DCTERMS.description, SKOS.definition),
    same_label_scope="?entity skos:inScheme ?scheme . ?other skos:inScheme ?scheme .",
    # Class axioms and deprecation of ontology terms are not a vocabulary's business.
    skip=frozenset(
        {
            "multiple_equivalent_classes",
            "deprecated_class_reference",
            "deprecated_property_reference",
            "missing_superclass",
        }
    ),
)

NOT_DEPRECATED = (
    """FILTER NOT EXISTS { ?entity owl:deprecated ?dep . FILTER(STR(?dep) = "true") }"""
)
EDGE_WHITESPACE = r'REGEX(STR(?value), "^\\s|\\s$")'


@dataclass(frozen=True)
class Rule:
    """One ROBOT rule: its name and level, a SPARQL template and how to word a hit.

    Templates use {entities}, {label}, {definition} (binds ?property and ?value to the
    entity's definition), {other_definition} (the same for ?other), {definitions} (every
    predicate that may hold a definition), {header}, {titles}, {descriptions}, {scope} and
    {not_deprecated}. Each returns ?entity plus the variables ``detail`` names.
    """

    name: str
    level: str
    problem: str
    query: str
    detail: str = ""


RULES: tuple[Rule, ...] = (
    Rule(
        "missing_label",
        ERROR,
        "terms without a label",
        "SELECT DISTINCT ?entity WHERE { {entities} "
        "FILTER NOT EXISTS { ?entity {label} ?value } {not_deprecated} }",
    ),
    Rule(
        "multiple_labels",
        ERROR,
        "terms with more than one label in a language",
        "SELECT ?entity ?lang (COUNT(DISTINCT ?value) AS ?count) WHERE { {entities} "
        "?entity {label} ?value . BIND(LANG(?value) AS ?lang) {not_deprecated} } "
        "GROUP BY ?entity ?lang HAVING (COUNT(DISTINCT ?value) > 1)",
        "{count} labels @{lang}",
    ),
    Rule(
        "duplicate_label",
        ERROR,
        "terms sharing a label (same text and language) with another term",
        "SELECT DISTINCT ?entity ?value ?other WHERE { {entities} ?entity {label} ?value . "
        "?other {label} ?value . FILTER(?other != ?entity) {scope} }",
        '"{value}" also on {other}',
    ),
    Rule(
        "label_whitespace",
        ERROR,
        "labels with leading or trailing whitespace",
        "SELECT DISTINCT ?entity ?value WHERE { {entities} ?entity {label} ?value . "
        f"FILTER({EDGE_WHITESPACE}) }}",
        "{value!r}",
    ),
    Rule(
        "label_formatting",
        ERROR,
        "labels containing a newline or tab",
        "SELECT DISTINCT ?entity ?value WHERE { {entities} ?entity {label} ?value . "
        'FILTER(CONTAINS(STR(?value), "\\n") || CONTAINS(STR(?value), "\\t")) }',
        "{value!r}",
    ),
    Rule(
        "missing_ontology_title",
        ERROR,
        "headers without a title",
        "SELECT DISTINCT ?entity WHERE { ?entity a {header} . "
        "FILTER NOT EXISTS { ?entity ?p ?value . VALUES ?p { {titles} } } }",
    ),
    Rule(
        "missing_ontology_description",
        ERROR,
        "headers without a description",
        "SELECT DISTINCT ?entity WHERE { ?entity a {header} . "
        "FILTER NOT EXISTS { ?entity ?p ?value . VALUES ?p { {descriptions} } } }",
    ),
    Rule(
        "missing_ontology_license",
        ERROR,
        "headers without dcterms:license",
        "SELECT DISTINCT ?entity WHERE { ?entity a {header} . "
        "FILTER NOT EXISTS { ?entity dcterms:license ?value } }",
    ),
    Rule(
        "multiple_definitions",
        ERROR,
        "terms with more than one definition of a kind in a language",
        "SELECT ?entity ?property ?lang (COUNT(DISTINCT ?value) AS ?count) WHERE { {entities} "
        "{definition} BIND(LANG(?value) AS ?lang) {not_deprecated} } "
        "GROUP BY ?entity ?property ?lang HAVING (COUNT(DISTINCT ?value) > 1)",
        "{count} × {property} @{lang}",
    ),
    Rule(
        "duplicate_definition",
        ERROR,
        "terms sharing a definition with another term",
        "SELECT DISTINCT ?entity ?property ?other WHERE { {entities} "
        "{definition} {other_definition} FILTER(?other != ?entity) {not_deprecated} "
        'FILTER NOT EXISTS { ?other owl:deprecated ?dep2 . FILTER(STR(?dep2) = "true") } }',
        "same {property} as {other}",
    ),
    Rule(
        "multiple_equivalent_classes",
        ERROR,
        "classes with several equivalent-class axioms (probably meant as one)",
        "SELECT ?entity (COUNT(DISTINCT ?value) AS ?count) WHERE { {entities} "
        "?entity owl:equivalentClass ?value . FILTER NOT EXISTS { ?value owl:unionOf ?x } } "
        "GROUP BY ?entity HAVING (COUNT(DISTINCT ?value) > 1)",
        "{count} equivalent classes",
    ),
    Rule(
        "deprecated_class_reference",
        ERROR,
        "deprecated classes still used in axioms",
        "SELECT DISTINCT ?entity ?user WHERE { ?entity a ?classType . "
        "VALUES ?classType { owl:Class rdfs:Class } "
        '?entity owl:deprecated ?dep . FILTER(STR(?dep) = "true") '
        "{ ?user ?p ?entity . VALUES ?p { rdfs:subClassOf owl:equivalentClass rdfs:domain "
        "rdfs:range owl:someValuesFrom owl:allValuesFrom owl:onClass owl:disjointWith "
        "rdf:first rdf:type } FILTER(?user != ?entity) } "
        "UNION { ?entity owl:equivalentClass ?user } "
        "UNION { ?entity rdfs:subClassOf ?user . FILTER(isBlank(?user)) } }",
        "used by {user}",
    ),
    Rule(
        "deprecated_property_reference",
        ERROR,
        "deprecated properties still used",
        "SELECT DISTINCT ?entity ?user WHERE { ?entity a ?propertyType . "
        "VALUES ?propertyType { owl:ObjectProperty owl:DatatypeProperty "
        "owl:AnnotationProperty rdf:Property } "
        '?entity owl:deprecated ?dep . FILTER(STR(?dep) = "true") '
        "{ ?user ?entity ?value } UNION { ?user ?p ?entity . VALUES ?p { rdfs:subPropertyOf "
        "owl:equivalentProperty owl:inverseOf owl:onProperty rdf:first } "
        "FILTER(?user != ?entity) } }",
        "used by {user}",
    ),
    Rule(
        "misused_obsolete_label",
        ERROR,
        'terms labelled "obsolete…" but not owl:deprecated',
        "SELECT DISTINCT ?entity ?value WHERE { {entities} ?entity {label} ?value . "
        '{not_deprecated} FILTER(REGEX(STR(?value), "^obsolete", "i")) }',
        "{value!r}",
    ),
    Rule(
        "annotation_whitespace",
        WARN,
        "annotations with leading or trailing whitespace",
        "SELECT DISTINCT ?entity ?property WHERE { { {entities} } UNION { ?entity a {header} } "
        "?entity ?property ?value . FILTER(isLiteral(?value) && ?property != {label}) "
        f"FILTER({EDGE_WHITESPACE}) }}",
        "{property}",
    ),
    Rule(
        "missing_definition",
        WARN,
        "terms without a definition",
        "SELECT DISTINCT ?entity WHERE { {entities} FILTER NOT EXISTS { ?entity ?p ?value . "
        "VALUES ?p { {definitions} } } {not_deprecated} }",
    ),
    Rule(
        "missing_superclass",
        INFO,
        "classes without a superclass",
        "SELECT DISTINCT ?entity WHERE { {entities} ?entity a owl:Class . "
        "FILTER NOT EXISTS { ?entity rdfs:subClassOf ?parent } {not_deprecated} }",
    ),
    Rule(
        "lowercase_definition",
        INFO,
        "definitions starting with a lower-case letter",
        "SELECT DISTINCT ?entity ?property ?value WHERE { {entities} {definition} "
        "{not_deprecated} "
        "BIND(SUBSTR(STR(?value), 1, 1) AS ?first) "
        "FILTER(LCASE(?first) = ?first && UCASE(?first) != ?first) }",
        "{property}",
    ),
)

PREFIXES = {"owl": OWL, "rdf": RDF, "rdfs": RDFS, "skos": SKOS, "dc": DC, "dcterms": DCTERMS}
PROLOGUE = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())


def _sparql_list(terms: tuple[URIRef, ...]) -> str:
    return " ".join(f"<{t}>" for t in terms)


def _all_definitions(profile: Profile) -> tuple[URIRef, ...]:
    extra = (profile.note_as_definition,) if profile.note_as_definition else ()
    return profile.definitions + extra


def definition_pattern(profile: Profile, subject: str) -> str:
    """SPARQL binding ?property and ?value to the definition of ``subject``."""
    definitions = _sparql_list(profile.definitions)
    primary = f"{{ {subject} ?property ?value . VALUES ?property {{ {definitions} }} }}"
    note = profile.note_as_definition
    if note is None:
        return primary
    return (
        f"{{ {primary} UNION {{ {subject} <{note}> ?value . BIND(<{note}> AS ?property) "
        f"FILTER NOT EXISTS {{ {subject} ?anyDefinition ?text . "
        f"VALUES ?anyDefinition {{ {definitions} }} }} }} }}"
    )


@cache
def query_text(rule: Rule, profile: Profile) -> str:
    """The rule's SPARQL with the profile's terms filled in."""
    text = rule.query
    for placeholder, value in {
        "{entities}": profile.entities,
        "{label}": f"<{profile.label}>",
        "{definition}": definition_pattern(profile, "?entity"),
        "{other_definition}": definition_pattern(profile, "?other"),
        "{definitions}": _sparql_list(_all_definitions(profile)),
        "{header}": f"<{profile.header}>",
        "{titles}": _sparql_list(profile.titles),
        "{descriptions}": _sparql_list(profile.descriptions),
        "{scope}": profile.same_label_scope,
        "{not_deprecated}": NOT_DEPRECATED,
    }.items():
        text = text.replace(placeholder, value)
    return PROLOGUE + text


def to_store(graph: Graph) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(
        graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES
    )
    return store


def _to_rdflib(term) -> Node:
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    language = term.language
    datatype = None if language else URIRef(term.datatype.value)
    return Literal(term.value, lang=language, datatype=datatype)


def check_rule(
    ctx: CheckedGraph,
    rule: Rule,
    profile: Profile,
    where: dict[Node, str] | None = None,
    store: pyoxigraph.Store | None = None,
) -> Finding:
    """Run one rule; ``where`` maps a term to the file it came from, for messages."""
    store = store if store is not None else to_store(ctx.graph)
    solutions = oxresults.solutions(store.query(query_text(rule, profile)))
    names = [variable.value for variable in solutions.variables]
    offences: dict[Node, list[str]] = {}
    for solution in solutions:
        values = {n: _to_rdflib(solution[n]) for n in names if solution[n] is not None}
        entity = values["entity"]
        detail = rule.detail.format_map(_Readable(ctx, values)) if rule.detail else ""
        offences.setdefault(entity, [])
        if detail and detail not in offences[entity]:
            offences[entity].append(detail)
    return _finding(ctx, rule, offences, where or {})


class _Readable(dict):
    """Row values as short strings for message templates (CURIEs, plain literal text)."""

    def __init__(self, ctx: CheckedGraph, values: dict) -> None:
        super().__init__({k: _readable(ctx, v) for k, v in values.items()})


def _readable(ctx: CheckedGraph, value: Node) -> str:
    if isinstance(value, BNode):
        return "an anonymous class expression"
    if isinstance(value, URIRef):
        return ctx.show(value)
    return str(value) or "-"


def _finding(
    ctx: CheckedGraph, rule: Rule, offences: dict[Node, list[str]], where: dict[Node, str]
) -> Finding:
    if offences:
        items = sorted(offences.items(), key=lambda item: str(item[0]))
        shown = []
        for term, details in items[:12]:
            extras = details + ([where[term]] if term in where else [])
            shown.append(ctx.show(term) + (f" ({'; '.join(extras)})" if extras else ""))
        more = f" and {len(items) - 12} more" if len(items) > 12 else ""
        message = (
            f"{rule.problem[0].upper()}{rule.problem[1:]} ({len(items)}): "
            + ", ".join(shown)
            + more
        )
    else:
        message = f"No {rule.problem}"
    return Finding(
        family=Family.ROBOT,
        id=rule.name,
        title=rule.name.replace("_", " "),
        level=rule.level,
        passed=not offences,
        message=message,
        terms=tuple(sorted(str(t) for t in offences)),
        source=ctx.source,
    )


def run(ctx: CheckedGraph, profile: Profile, where: dict[Node, str] | None = None) -> list[Finding]:
    """Every rule of ``profile`` on ``ctx``."""
    store = to_store(ctx.graph)
    return [
        check_rule(ctx, rule, profile, where, store)
        for rule in RULES
        if rule.name not in profile.skip
    ]
