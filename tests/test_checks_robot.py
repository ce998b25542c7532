"""Each ROBOT report rule catches a twin that breaks it, in the ontology and in a vocabulary."""

from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import DCTERMS, OWL, RDFS, SKOS
from test_checks_twins import (
    GOOD_VOCAB,
    ONT,
    SCHEME,
    VOCAB,
    E,
    assert_fails,
    context,
    good_graph,
    twin,
)

from ekipgraph.checks import robot
from ekipgraph.checks.context import CheckedGraph
from ekipgraph.checks.model import ERROR, INFO, WARN
from ekipgraph.namespaces import EKIP

ONTOLOGY = robot.ontology_profile(str(EKIP))


def run_ontology_rules(graph):
    return {f.id: f for f in robot.run(context(graph), ONTOLOGY)}


def run_vocabulary_rules(graph, where=None):
    ctx = CheckedGraph(graph, "policy-area.ttl")
    return {f.id: f for f in robot.run(ctx, robot.VOCABULARY_PROFILE, where)}


def relabel(term, label, predicate=RDFS.label):
    return {"remove": [(term, predicate, None)], "add": [(term, predicate, label)]}


def test_rules_and_levels():
    levels = {f.id: f.level for f in run_ontology_rules(good_graph()).values()}
    assert levels == {
        "missing_label": ERROR, "multiple_labels": ERROR, "duplicate_label": ERROR,
        "label_whitespace": ERROR, "label_formatting": ERROR, "missing_ontology_title": ERROR,
        "missing_ontology_description": ERROR, "missing_ontology_license": ERROR,
        "multiple_definitions": ERROR, "duplicate_definition": ERROR,
        "multiple_equivalent_classes": ERROR, "deprecated_class_reference": ERROR,
        "deprecated_property_reference": ERROR, "misused_obsolete_label": ERROR,
        "annotation_whitespace": WARN, "missing_definition": WARN,
        "missing_superclass": INFO, "lowercase_definition": INFO,
    }  # fmt: skip


ONTOLOGY_CASES = [
    (
        "missing_label",
        dict(remove=[(E.Place, RDFS.label, None)]),
        "Terms without a label (1)",
        E.Place,
    ),
    (
        "multiple_labels",
        dict(add=[(E.Place, RDFS.label, Literal("Location", lang="en"))]),
        "ekip:Place (2 labels @en)",
        E.Place,
    ),
    (
        "duplicate_label",
        relabel(E.Place, Literal("City", lang="en")),
        '"City" also on ekip:City',
        E.Place,
    ),
    ("label_whitespace", relabel(E.Place, Literal("Place ", lang="en")), "'Place '", E.Place),
    (
        "label_formatting",
        relabel(E.Place, Literal("Pla\tce", lang="en")),
        "newline or tab",
        E.Place,
    ),
    (
        "missing_ontology_title",
        dict(remove=[(ONT, DCTERMS.title, None)]),
        "Headers without a title",
        ONT,
    ),
    (
        "missing_ontology_description",
        dict(remove=[(ONT, DCTERMS.description, None)]),
        "Headers without a description",
        ONT,
    ),
    (
        "missing_ontology_license",
        dict(remove=[(ONT, DCTERMS.license, None)]),
        "Headers without dcterms:license",
        ONT,
    ),
    (
        "multiple_definitions",
        dict(add=[(E.Place, SKOS.definition, Literal("Somewhere.", lang="en"))]),
        "2 × skos:definition @en",
        E.Place,
    ),
    (
        "duplicate_definition",
        relabel(E.City, Literal("A place on Earth.", lang="en"), SKOS.definition),
        "same skos:definition as ekip:Place",
        E.City,
    ),
    (
        "multiple_equivalent_classes",
        dict(
            turtle="ekip:Town a owl:Class . ekip:Municipality a owl:Class . "
            "ekip:City owl:equivalentClass ekip:Town , ekip:Municipality ."
        ),
        "2 equivalent classes",
        E.City,
    ),
    (
        "deprecated_class_reference",
        dict(add=[(E.Place, OWL.deprecated, Literal(True))]),
        "used by ekip:City",
        E.Place,
    ),
    (
        "deprecated_property_reference",
        dict(add=[(E.hostsOrganisation, OWL.deprecated, Literal(True))]),
        "used by ekip:basedIn",
        E.hostsOrganisation,
    ),
    (
        "misused_obsolete_label",
        relabel(E.Place, Literal("obsolete place", lang="en")),
        "'obsolete place'",
        E.Place,
    ),
    (
        "annotation_whitespace",
        relabel(E.Place, Literal("A place on Earth. ", lang="en"), SKOS.definition),
        "ekip:Place (skos:definition)",
        E.Place,
    ),
    (
        "missing_definition",
        dict(remove=[(E.Place, SKOS.definition, None)]),
        "Terms without a definition (1)",
        E.Place,
    ),
    (
        "missing_superclass",
        dict(remove=[(E.Place, RDFS.subClassOf, None)]),
        "Classes without a superclass (1)",
        E.Place,
    ),
    (
        "lowercase_definition",
        relabel(E.Place, Literal("a place on Earth.", lang="en"), SKOS.definition),
        "ekip:Place (skos:definition)",
        E.Place,
    ),
]


@pytest.mark.parametrize(("rule", "change", "fragment", "term"), ONTOLOGY_CASES)
def test_rule_catches_broken_ontology(rule, change, fragment, term):
    finding = run_ontology_rules(twin(**change))[rule]
    assert_fails(finding, fragment, term)
    assert finding.blocking == (finding.level == ERROR)


def test_labels_in_different_languages_are_not_multiple_labels():
    graph = twin(add=[(E.Place, RDFS.label, Literal("Plats", lang="sv"))])
    assert run_ontology_rules(graph)["multiple_labels"].passed


def test_same_label_in_different_languages_is_not_a_duplicate():
    # ekip:Organisation has "Organisation"@en and "Organisation"@sv: one term, two languages.
    graph = twin(add=[(E.Actor, RDFS.label, Literal("Organisation", lang="de"))])
    assert run_ontology_rules(graph)["duplicate_label"].passed


def test_a_comment_beside_a_definition_is_not_multiple_definitions():
    graph = twin(add=[(E.Place, RDFS.comment, Literal("Used for seats.", lang="en"))])
    assert run_ontology_rules(graph)["multiple_definitions"].passed


def test_a_deprecated_class_may_lose_its_label_checks():
    graph = twin(
        remove=[(E.Place, RDFS.label, None)], add=[(E.Place, OWL.deprecated, Literal(True))]
    )
    assert run_ontology_rules(graph)["missing_label"].passed


def test_only_own_terms_are_checked():
    graph = twin(turtle="schema:Place a owl:Class .")  # a reused class, declared, no label
    assert run_ontology_rules(graph)["missing_label"].passed


def test_uppercase_non_ascii_definitions_are_fine():
    graph = twin(**relabel(E.Place, Literal("Övrig plats.", lang="sv"), SKOS.definition))
    assert run_ontology_rules(graph)["lowercase_definition"].passed


# -- the same rules over a SKOS vocabulary ---------------------------------------------

FINANCE = VOCAB["access-to-finance"]
SKILLS = VOCAB["skills"]

VOCABULARY_CASES = [
    (
        "missing_label",
        dict(remove=[(FINANCE, SKOS.prefLabel, None)]),
        "Terms without a label (1)",
        FINANCE,
    ),
    (
        "multiple_labels",
        dict(add=[(FINANCE, SKOS.prefLabel, Literal("Finance", lang="en"))]),
        "2 labels @en",
        FINANCE,
    ),
    (
        "duplicate_label",
        relabel(FINANCE, Literal("Skills", lang="en"), SKOS.prefLabel),
        '"Skills" also on',
        FINANCE,
    ),
    (
        "label_whitespace",
        relabel(SKILLS, Literal(" Skills", lang="en"), SKOS.prefLabel),
        "' Skills'",
        SKILLS,
    ),
    (
        "missing_ontology_title",
        dict(remove=[(SCHEME, DCTERMS.title, None), (SCHEME, SKOS.prefLabel, None)]),
        "Headers without a title",
        SCHEME,
    ),
    (
        "missing_ontology_license",
        dict(remove=[(SCHEME, DCTERMS.license, None)]),
        "Headers without dcterms:license",
        SCHEME,
    ),
    (
        "multiple_definitions",
        dict(add=[(SKILLS, SKOS.definition, Literal("Know-how.", lang="en"))]),
        "2 × skos:definition @en",
        SKILLS,
    ),
    (
        "missing_definition",
        dict(remove=[(SKILLS, SKOS.definition, None)]),
        "Terms without a definition (1)",
        SKILLS,
    ),
    (
        "lowercase_definition",
        relabel(SKILLS, Literal("policies that build skills.", lang="en"), SKOS.definition),
        "skos:definition",
        SKILLS,
    ),
]


@pytest.mark.parametrize(("rule", "change", "fragment", "term"), VOCABULARY_CASES)
def test_rule_catches_broken_vocabulary(rule, change, fragment, term):
    finding = run_vocabulary_rules(twin(base=GOOD_VOCAB, **change))[rule]
    assert_fails(finding, fragment, term)


def test_vocabulary_rules_skip_class_axioms():
    rules = set(run_vocabulary_rules(good_graph(GOOD_VOCAB)))
    assert "missing_superclass" not in rules and "deprecated_class_reference" not in rules
    assert len(rules) == 14


def test_same_label_in_two_schemes_is_not_a_duplicate():
    graph = good_graph(GOOD_VOCAB)
    graph.parse(
        data="""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://w3id.org/ekip/vocab/resource-type/skills> a skos:Concept ;
            skos:prefLabel "Skills"@en ; skos:definition "People's know-how."@en ;
            skos:inScheme <https://w3id.org/ekip/vocab/resource-type> .""",
        format="turtle",
    )
    assert run_vocabulary_rules(graph)["duplicate_label"].passed


def test_vocabulary_messages_name_the_file_of_each_term():
    graph = twin(base=GOOD_VOCAB, remove=[(SKILLS, SKOS.definition, None)])
    where = {SKILLS: "policy-area.ttl"}
    finding = run_vocabulary_rules(graph, where)["missing_definition"]
    assert "(policy-area.ttl)" in finding.message


NOTE = Literal("Dates may be given as a year only.", lang="en")


def test_identical_notes_beside_distinct_definitions_are_not_duplicate_definitions():
    graph = twin(add=[(E.Place, RDFS.comment, NOTE), (E.City, RDFS.comment, NOTE)])
    assert run_ontology_rules(graph)["duplicate_definition"].passed


def test_a_comment_is_the_definition_of_a_term_that_has_no_other():
    graph = twin(
        remove=[(E.Place, SKOS.definition, None), (E.City, SKOS.definition, None)],
        add=[(E.Place, RDFS.comment, NOTE), (E.City, RDFS.comment, NOTE)],
    )
    findings = run_ontology_rules(graph)
    assert findings["missing_definition"].passed
    assert_fails(findings["duplicate_definition"], "same rdfs:comment as ekip:City", E.Place)
