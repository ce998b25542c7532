"""Each OOPS! pitfall check catches a twin that shows exactly that pitfall."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from test_checks_twins import (
    IMPORTS,
    ONT,
    E,
    assert_fails,
    blank_header,
    context,
    good_graph,
    rename,
    twin,
)

from ekipgraph.checks import namespace, oops
from ekipgraph.checks.model import CRITICAL, IMPORTANT, MINOR


def run_oops(graph):
    reference = namespace.defined_terms(imports_dir=IMPORTS)
    return {f.id: f for f in oops.run(context(graph), reference)}


def test_good_twin_shows_no_pitfall():
    assert [f.id for f in run_oops(good_graph()).values() if not f.passed] == []


def test_pitfall_codes_and_levels_follow_the_catalogue_table():
    levels = {f.id: f.level for f in run_oops(good_graph()).values()}
    assert levels == {
        "P02": MINOR, "P03": CRITICAL, "P04": MINOR, "P05": CRITICAL, "P06": CRITICAL,
        "P07": MINOR, "P08": MINOR, "P10": IMPORTANT, "P11": IMPORTANT, "P12": IMPORTANT,
        "P13": MINOR, "P19": CRITICAL, "P20": MINOR, "P21": MINOR, "P22": MINOR,
        "P24": IMPORTANT, "P25": IMPORTANT, "P26": IMPORTANT, "P30": IMPORTANT,
        "P32": MINOR, "P33": MINOR, "P34": IMPORTANT, "P35": IMPORTANT, "P36": MINOR,
        "P38": IMPORTANT, "P39": CRITICAL, "P41": IMPORTANT,
    }  # fmt: skip


# (code, broken twin, message fragment, offending term or None)
CASES = [
    (
        "P02",
        lambda: twin(add=[(E.City, OWL.equivalentClass, E.Place)]),
        "equivalent to ekip:Place",
        E.City,
    ),
    (
        "P03",
        lambda: twin(turtle='ekip:is a owl:ObjectProperty ; rdfs:label "is"@en .'),
        "use rdfs:subClassOf",
        E["is"],
    ),
    (
        "P04",
        lambda: twin(turtle='ekip:Orphan a owl:Class ; rdfs:label "Orphan"@en .'),
        "class used in no axiom",
        E.Orphan,
    ),
    (
        "P05",
        lambda: twin(
            remove=[(E.hostsOrganisation, RDFS.range, None)],
            add=[(E.hostsOrganisation, RDFS.range, E.Actor)],
        ),
        "is not the range of its inverse",
        E.hostsOrganisation,
    ),
    (
        "P06",
        lambda: twin(add=[(E.Place, RDFS.subClassOf, E.City)]),
        "is its own (indirect) superclass",
        E.City,
    ),
    (
        "P07",
        lambda: twin(
            turtle="ekip:CityOrRegion a owl:Class ; rdfs:subClassOf ekip:Place ; "
            'rdfs:label "City or region"@en .'
        ),
        "joins two concepts",
        E.CityOrRegion,
    ),
    ("P08", lambda: twin(remove=[(E.Place, RDFS.label, None)]), "ekip:Place (no label)", E.Place),
    (
        "P10",
        lambda: twin(turtle="ekip:Funding a owl:Class ; rdfs:subClassOf prov:Entity ."),
        "not disjoint with ekip:Actor, ekip:Place, ekip:PolicyArea",
        E.Funding,
    ),
    (
        "P11",
        lambda: twin(remove=[(E.foundingYear, RDFS.range, None)]),
        "ekip:foundingYear (no range)",
        E.foundingYear,
    ),
    (
        "P19",
        lambda: twin(add=[(E.basedIn, RDFS.domain, E.Actor)]),
        "2 domains; use one owl:unionOf",
        E.basedIn,
    ),
    (
        "P20",
        lambda: twin(
            remove=[(E.Place, RDFS.label, None)],
            add=[
                (
                    E.Place,
                    RDFS.label,
                    Literal("A place on Earth where people live and work together", lang="en"),
                )
            ],
        ),
        "label of more than 8 words",
        E.Place,
    ),
    (
        "P20",
        lambda: twin(
            remove=[(E.Place, SKOS.definition, None)],
            add=[(E.Place, SKOS.definition, Literal("Place", lang="en"))],
        ),
        "description repeats the label",
        E.Place,
    ),
    (
        "P21",
        lambda: twin(turtle="ekip:OtherActor a owl:Class ; rdfs:subClassOf ekip:Actor ."),
        "starts with Other/Misc",
        E.OtherActor,
    ),
    (
        "P22",
        lambda: twin(turtle="ekip:city a owl:Class ; rdfs:subClassOf ekip:Place ."),
        "class name is not UpperCamelCase",
        E.city,
    ),
    (
        "P22",
        lambda: twin(turtle="ekip:Based_In a owl:ObjectProperty ; rdfs:domain ekip:Actor ."),
        "property name is not lowerCamelCase",
        E.Based_In,
    ),
    (
        "P24",
        lambda: twin(
            turtle="ekip:LocalActor a owl:Class ; owl:equivalentClass [ "
            "owl:intersectionOf ( ekip:Actor [ a owl:Restriction ; "
            "owl:onProperty ekip:worksOnPolicyArea ; "
            "owl:someValuesFrom ekip:LocalActor ] ) ] ."
        ),
        "appears in its own owl:equivalentClass expression",
        E.LocalActor,
    ),
    ("P25", lambda: twin(add=[(E.basedIn, OWL.inverseOf, E.basedIn)]), "", E.basedIn),
    (
        "P26",
        lambda: twin(add=[(E.worksOnPolicyArea, RDF.type, OWL.SymmetricProperty)]),
        "symmetric",
        E.worksOnPolicyArea,
    ),
    (
        "P32",
        lambda: twin(
            turtle='ekip:Town a owl:Class ; rdfs:subClassOf ekip:Place ; rdfs:label "City"@en .'
        ),
        'label "City"@en also on ekip:City',
        E.Town,
    ),
    (
        "P33",
        lambda: twin(
            turtle="ekip:seatedIn a owl:ObjectProperty ; owl:propertyChainAxiom ( ekip:basedIn ) ."
        ),
        "lists a single property",
        E.seatedIn,
    ),
    (
        "P34",
        lambda: twin(add=[(E.Organisation, RDFS.subClassOf, E.LegalEntity)]),
        "ekip:LegalEntity (not declared owl:Class)",
        E.LegalEntity,
    ),
    (
        "P35",
        lambda: twin(add=[(E.basedIn, RDFS.subPropertyOf, E.locatedIn)]),
        "ekip:locatedIn (not declared",
        E.locatedIn,
    ),
    (
        "P36",
        lambda: rename(good_graph(), ONT, URIRef("https://w3id.org/ekip/ontology.ttl")),
        "drop the extension",
        None,
    ),
    ("P38", lambda: twin(remove=[(ONT, RDF.type, OWL.Ontology)]), "declare an owl:Ontology", None),
    ("P39", lambda: blank_header(good_graph()), "has no IRI", None),
    ("P41", lambda: twin(remove=[(ONT, DCTERMS.license, None)]), "add dcterms:license", ONT),
]


@pytest.mark.parametrize(("code", "broken", "fragment", "term"), CASES)
def test_pitfall_is_detected(code, broken, fragment, term):
    finding = run_oops(broken())[code]
    assert_fails(finding, fragment, *([term] if term is not None else []))


@pytest.mark.parametrize("code", ["P03", "P05", "P06", "P10", "P11", "P19", "P24", "P34", "P41"])
def test_critical_and_important_pitfalls_fail_the_report(code):
    broken = next(case[1] for case in CASES if case[0] == code)
    assert run_oops(broken())[code].blocking


@pytest.mark.parametrize("code", ["P02", "P04", "P07", "P08", "P20", "P21", "P22", "P32"])
def test_minor_pitfalls_are_reported_but_do_not_fail(code):
    broken = next(case[1] for case in CASES if case[0] == code)
    finding = run_oops(broken())[code]
    assert not finding.passed and not finding.blocking


def test_p11_accepts_a_domain_given_by_the_inverse():
    graph = twin(remove=[(E.hostsOrganisation, RDFS.domain, None)])
    assert run_oops(graph)["P11"].passed


def test_p13_missing_inverse_is_advisory():
    graph = twin(turtle='ekip:knows a owl:ObjectProperty ; rdfs:domain ekip:Actor ; '
                        'rdfs:range ekip:Actor .')  # fmt: skip
    finding = run_oops(graph)["P13"]
    assert_fails(finding, "Object properties without owl:inverseOf (1)", E.knows)
    assert finding.advisory and not finding.blocking


def test_p30_class_named_like_a_standard_class_is_advisory():
    graph = twin(turtle="ekip:Person a owl:Class ; rdfs:subClassOf ekip:Actor .")
    finding = run_oops(graph)["P30"]
    assert_fails(finding, "same name as", E.Person)
    assert "foaf:Person" in finding.message or "Person" in finding.message
    assert finding.advisory and not finding.blocking


def test_p30_is_satisfied_by_a_subclass_link_to_a_namesake():
    graph = twin(turtle="ekip:Person a owl:Class ; rdfs:subClassOf ekip:Actor, foaf:Person .")
    assert run_oops(graph)["P30"].passed


def test_p12_property_named_like_a_standard_property_is_advisory():
    graph = twin(turtle='ekip:location a owl:ObjectProperty ; rdfs:domain ekip:Actor ; '
                        'rdfs:range ekip:Place .')  # fmt: skip
    finding = run_oops(graph)["P12"]
    assert_fails(finding, "same name as", E.location)
    assert finding.advisory


def test_p30_and_p12_are_skipped_without_reference_vocabularies():
    findings = {f.id: f for f in oops.run(context(good_graph()), None)}
    assert findings["P30"].skipped and findings["P12"].skipped
    assert not findings["P30"].blocking


def test_p10_accepts_pairwise_disjoint_with_and_disjoint_union():
    graph = twin(
        turtle="""
        ekip:Funding a owl:Class ; rdfs:subClassOf prov:Entity ;
            owl:disjointWith ekip:Actor , ekip:Place .
        ekip:PolicyArea owl:disjointWith ekip:Funding ."""
    )
    assert run_oops(graph)["P10"].passed


def test_p06_ignores_a_class_declared_its_own_subclass():
    assert run_oops(twin(add=[(E.City, RDFS.subClassOf, E.City)]))["P06"].passed


def test_p07_allows_listed_compound_concepts():
    graph = twin(turtle='ekip:ResearchAndDevelopment a owl:Class ; rdfs:subClassOf ekip:Actor ; '
                        'rdfs:label "Research and development"@en .')  # fmt: skip
    assert run_oops(graph)["P07"].passed


def test_p39_blank_ontology_node_also_has_no_license_owner():
    findings = run_oops(blank_header(good_graph()))
    assert not findings["P39"].passed
    assert findings["P38"].passed  # there is an owl:Ontology, only without an IRI


def test_findings_list_terms_as_iris():
    finding = run_oops(twin(add=[(E.basedIn, RDFS.domain, E.Actor)]))["P19"]
    assert finding.terms == (str(E.basedIn),)
