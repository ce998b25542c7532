"""OOPS! P40: terms used from standard namespaces must be defined there."""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from test_checks_twins import (
    GOOD_VOCAB,
    IMPORTS,
    ONT,
    VOCAB,
    E,
    assert_fails,
    check,
    good_graph,
    twin,
)

from ekipgraph.checks import namespace
from ekipgraph.checks.model import CRITICAL, Family

FOAF = Namespace("http://xmlns.com/foaf/0.1/")
PROV = Namespace("http://www.w3.org/ns/prov#")
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
# rdflib refuses unknown names on its strict namespaces, so typos are spelt out in full.
SKOS_TYPO_LABEL = URIRef(str(SKOS) + "prefLabl")


def hijacking(**graphs: Graph):
    return namespace.check_namespace_hijacking(
        {f"{name}.ttl": graph for name, graph in graphs.items()}, IMPORTS
    )


def test_good_files_use_only_defined_terms():
    finding = hijacking(ekip=good_graph(), vocab=good_graph(GOOD_VOCAB))
    assert finding.passed, finding.message
    assert (finding.family, finding.id, finding.level) == (Family.NAMESPACE, "P40", CRITICAL)


def test_misspelt_class_is_caught_with_a_suggestion():
    graph = twin(add=[(E.Actor, RDFS.subClassOf, FOAF.Agentt)])
    finding = hijacking(ekip=graph)
    assert_fails(finding, "foaf:Agentt (in ekip.ttl; did you mean foaf:Agent?)", FOAF.Agentt)
    assert finding.blocking


def test_misspelt_property_is_caught():
    graph = twin(add=[(E.basedIn, RDFS.subPropertyOf, PROV.wasGeneratedByy)])
    assert_fails(hijacking(ekip=graph), "prov:wasGeneratedByy", PROV.wasGeneratedByy)


def test_misspelt_predicate_in_a_vocabulary_names_its_file():
    vocab = twin(
        base=GOOD_VOCAB,
        add=[(VOCAB.skills, SKOS_TYPO_LABEL, Literal("Skills", lang="en"))],
    )
    finding = hijacking(ekip=good_graph(), vocab=vocab)
    assert_fails(finding, "skos:prefLabl (in vocab.ttl; did you mean skos:prefLabel?)")


def test_misspelt_datatype_of_a_literal_is_caught():
    graph = twin(add=[(ONT, URIRef("http://purl.org/dc/terms/created"),
                       Literal("2025", datatype=URIRef(XSD_NS + "gYeer")))])  # fmt: skip
    assert_fails(hijacking(ekip=graph), "xsd:gYeer", URIRef(XSD_NS + "gYeer"))


def test_invented_owl_term_is_caught():
    assert_fails(
        hijacking(ekip=twin(add=[(E.Actor, RDF.type, URIRef(str(OWL) + "Klass"))])), "owl:Klass"
    )


def test_namespace_iris_and_container_membership_are_allowed():
    graph = twin(
        add=[
            (ONT, OWL.imports, URIRef(str(PROV))),
            (E.Actor, RDF["_1"], E.Place),
        ]
    )
    assert hijacking(ekip=graph).passed


def test_terms_of_other_namespaces_are_not_judged():
    graph = twin(add=[(E.Actor, RDFS.seeAlso, URIRef("http://example.org/whatever#Nope"))])
    assert hijacking(ekip=graph).passed


def test_the_check_reports_a_missing_copy_instead_of_passing(tmp_path):
    finding = namespace.check_namespace_hijacking({"ekip.ttl": good_graph()}, tmp_path)
    assert_fails(finding, "cannot check the standard namespaces")
    assert "write_import_copies" in finding.message


def test_run_all_includes_p40_over_ontology_and_vocabularies():
    vocab = twin(
        base=GOOD_VOCAB,
        add=[(VOCAB.skills, URIRef(str(SKOS) + "brodr"), VOCAB["access-to-finance"])],
    )
    report = check(good_graph(), {"policy-area.ttl": vocab})
    assert_fails(report.get("P40"), "skos:brodr (in policy-area.ttl")
    assert report.failed


# -- the copies under ontology/imports ---------------------------------------------------


def test_there_is_a_copy_for_every_standard_namespace():
    copies = {path.stem for path in IMPORTS.glob("*.ttl")}
    assert set(namespace.STANDARD_NAMESPACES) <= copies
    assert (IMPORTS / "README.md").exists()


def test_copies_list_the_terms_with_types_and_defining_namespace():
    terms = namespace.defined_terms(["foaf", "prov", "sh", "bibo", "dcat", "xsd"], IMPORTS)
    assert terms[FOAF.Agent] == "class"
    assert terms[PROV.wasGeneratedBy] == "property"
    assert terms[URIRef("http://www.w3.org/ns/shacl#minLength")] == "property"
    assert terms[URIRef("http://purl.org/ontology/bibo/status/draft")] == "other"
    assert terms[URIRef("http://www.w3.org/ns/dcat#DatasetSeries")] == "class"
    assert terms[URIRef(XSD_NS + "gYear")] == "class"  # a datatype
    graph = Graph().parse(IMPORTS / "foaf.ttl")
    assert (FOAF.Agent, RDFS.isDefinedBy, URIRef(str(FOAF))) in graph


def test_regeneration_writes_the_same_terms(tmp_path):
    for prefix in ("vann", "skos", "bibo"):
        namespace.write_import_copies(tmp_path, [prefix])
        fresh = namespace.load_import_copy(tmp_path / f"{prefix}.ttl")
        kept = namespace.load_import_copy(IMPORTS / f"{prefix}.ttl")
        assert fresh == kept, f"ontology/imports/{prefix}.ttl is out of date; regenerate it"


def test_generated_copies_say_where_they_came_from(tmp_path):
    (path,) = namespace.write_import_copies(tmp_path, ["skos"])
    header = path.read_text(encoding="utf-8").splitlines()[:6]
    assert any("rdflib.namespace.SKOS" in line for line in header)
    assert any("pylode" in line for line in header)
