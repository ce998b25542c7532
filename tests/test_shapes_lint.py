"""The lint of the SHACL shapes: the real shapes pass, broken twins fail with precise messages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from ekipgraph.namespaces import EKIP, scheme_iri
from ekipgraph.ontology import load_tbox
from ekipgraph.project import default_layout
from ekipgraph.shapes import (
    EKIPSH,
    ShapesError,
    lint_shapes,
    load_shapes,
    shacl_vocabulary_terms,
    shape_counts,
)

LAYOUT = default_layout()

# Typos SHACL itself would silently ignore (pySHACL issue #12); not in rdflib's SH namespace,
# so they are built from the namespace string.
SH_MINLENGTH = URIRef(str(SH) + "minlength")
SH_MAXCOUNT_TYPO = URIRef(str(SH) + "maxcount")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(LAYOUT.shapes_dir, lint=False)


@pytest.fixture(scope="module")
def tbox() -> Graph:
    return load_tbox(LAYOUT)


def twin(shapes: Graph, change: Callable[[Graph], object]) -> Graph:
    """A copy of the real shapes with one change, so each test breaks exactly one thing."""
    copy = Graph()
    for prefix, namespace in shapes.namespaces():
        copy.bind(prefix, namespace)
    for triple in shapes:
        copy.add(triple)
    change(copy)
    return copy


# --- the real shapes --------------------------------------------------------------------


def test_real_shapes_pass_the_lint(shapes: Graph, tbox: Graph) -> None:
    assert lint_shapes(shapes, tbox=tbox) == []


def test_load_shapes_lints_by_default(tbox: Graph) -> None:
    graph = load_shapes(LAYOUT.shapes_dir, tbox=tbox)
    assert (EKIPSH.CityCaseDescriptionShape, RDF.type, SH.NodeShape) in graph


def test_shape_counts(shapes: Graph) -> None:
    counts = shape_counts(shapes)
    assert counts["node shapes"] >= 30
    assert counts["sh:Violation"] > counts["sh:Warning"] > counts["sh:Info"] > 0


# Every class the instance data uses has a shape that targets it directly (no inference).
@pytest.mark.parametrize(
    "cls",
    [
        "CityCaseDescription", "City", "Country", "Organisation", "Person", "FundedProject",
        "PolicyLab", "PolicyAssessmentWorkshop", "PolicyRecommendation", "InnovationPortfolio",
        "PortfolioItem", "InnovationProject", "Idea", "Initiative", "ActorInvolvement",
        "ResourceNeed", "SupportSystemFinding", "Strength", "Gap", "LocalStimulus",
    ],
)  # fmt: skip
def test_every_instance_class_is_targeted(shapes: Graph, cls: str) -> None:
    assert list(shapes.subjects(SH.targetClass, EKIP[cls])), f"no shape targets ekip:{cls}"


def test_no_shape_is_closed_on_a_class_with_subclasses(shapes: Graph, tbox: Graph) -> None:
    for shape in shapes.subjects(SH.closed, Literal(True)):
        ignored = list(shapes.items(shapes.value(shape, SH.ignoredProperties)))
        assert RDF.type in ignored, f"{shape} is closed but does not ignore rdf:type"
        for cls in shapes.objects(shape, SH.targetClass):
            assert not list(tbox.subjects(RDFS.subClassOf, cls)), f"{shape} closes {cls}"


def test_schemes_used_by_the_shapes_exist(shapes: Graph, tbox: Graph) -> None:
    for scheme in shapes.objects(None, SH.hasValue):
        if str(scheme).startswith("https://w3id.org/ekip/vocab/"):
            assert (scheme, RDF.type, None) in tbox, f"scheme {scheme} missing"
    assert (scheme_iri("resource-type"), None, None) in tbox


# --- (a) unknown sh: terms, from the vocabulary pySHACL ships --------------------------


def test_vocabulary_comes_from_the_shacl_turtle() -> None:
    terms = shacl_vocabulary_terms()
    assert {SH.minLength, SH.maxCount, SH.qualifiedValueShape, SH.ignoredProperties} <= terms
    assert SH_MINLENGTH not in terms and SH_MAXCOUNT_TYPO not in terms
    assert len(terms) > 150


def test_minlength_typo_is_caught(shapes: Graph) -> None:
    broken = twin(shapes, lambda g: g.add((EKIPSH["Entity-label-text"], SH_MINLENGTH, Literal(1))))
    problems = lint_shapes(broken)
    assert problems == [
        "ekipsh:Entity-label-text: sh:minlength is not a term of the SHACL vocabulary "
        "(a typo? SHACL silently ignores unknown terms)"
    ]


def test_unknown_term_in_object_position_is_caught(shapes: Graph) -> None:
    # e.g. a misspelt severity: meta-SHACL only checks that it is an IRI.
    def change(g: Graph) -> None:
        g.set((EKIPSH["Case-city-count"], SH.severity, URIRef(str(SH) + "Error")))

    problems = lint_shapes(twin(shapes, change), meta_shacl=False)
    assert (
        "ekipsh:Case-city-count: sh:Error is not a term of the SHACL vocabulary "
        "(a typo? SHACL silently ignores unknown terms)"
    ) in problems
    assert (
        "ekipsh:Case-city-count: sh:severity sh:Error is not sh:Violation, sh:Warning or sh:Info"
    ) in problems


def test_shapes_error_lists_every_problem(shapes: Graph, tmp_path: Path) -> None:
    def change(g: Graph) -> None:
        g.add((EKIPSH["Entity-label-text"], SH_MINLENGTH, Literal(1)))
        g.add((EKIPSH["Case-city-count"], SH_MAXCOUNT_TYPO, Literal(1)))

    twin(shapes, change).serialize(tmp_path / "twin.ttl", format="turtle")
    with pytest.raises(ShapesError) as raised:
        load_shapes(tmp_path)
    assert len(raised.value.problems) == 2
    assert "sh:minlength" in str(raised.value) and "sh:maxcount" in str(raised.value)
    assert "ekipsh:Entity-label-text" in str(raised.value)


def test_parse_error_is_a_shapes_error(tmp_path: Path) -> None:
    (tmp_path / "bad.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\nsh:x sh:y", "utf-8"
    )
    with pytest.raises(ShapesError, match=r"bad\.ttl: cannot parse"):
        load_shapes(tmp_path)


def test_empty_folder_is_a_shapes_error(tmp_path: Path) -> None:
    with pytest.raises(ShapesError, match=r"no \*\.ttl shapes files"):
        load_shapes(tmp_path)


# --- (b) SHACL-for-SHACL --------------------------------------------------------------


def test_meta_shacl_catches_a_malformed_min_count(shapes: Graph) -> None:
    broken = twin(shapes, lambda g: g.set((EKIPSH["Case-city-count"], SH.minCount, Literal("one"))))
    problems = lint_shapes(broken)
    assert len(problems) == 1
    assert problems[0].startswith(
        'ekipsh:Case-city-count: sh:minCount value "one": not a well-formed'
    )
    assert "SHACL-for-SHACL" in problems[0]


def test_meta_shacl_catches_a_literal_class(shapes: Graph) -> None:
    broken = twin(
        shapes, lambda g: g.set((EKIPSH["Case-city-class"], SH["class"], Literal("City")))
    )
    problems = [p for p in lint_shapes(broken) if "SHACL-for-SHACL" in p]
    assert len(problems) == 1
    assert problems[0].startswith('ekipsh:Case-city-class: sh:class value "City"')


# --- (c) documentation and severities ----------------------------------------------------


def test_missing_message_is_caught(shapes: Graph) -> None:
    broken = twin(shapes, lambda g: g.remove((EKIPSH["Case-viewpoint-count"], SH.message, None)))
    assert lint_shapes(broken) == ["ekipsh:Case-viewpoint-count: property shape has no sh:message"]


def test_message_without_english_is_caught(shapes: Graph) -> None:
    def change(g: Graph) -> None:
        g.set((EKIPSH["Case-viewpoint-count"], SH.message, Literal("Ett fall måste…", lang="sv")))

    assert lint_shapes(twin(shapes, change), meta_shacl=False) == [
        "ekipsh:Case-viewpoint-count: property shape has no sh:message in English (@en)"
    ]


def test_missing_severity_is_caught(shapes: Graph) -> None:
    broken = twin(shapes, lambda g: g.remove((EKIPSH["Need-neededFor-class"], SH.severity, None)))
    assert lint_shapes(broken, meta_shacl=False) == [
        "ekipsh:Need-neededFor-class: property shape has no sh:severity"
    ]


def test_missing_node_shape_label_is_caught(shapes: Graph) -> None:
    broken = twin(shapes, lambda g: g.remove((EKIPSH.CityShape, RDFS.label, None)))
    assert lint_shapes(broken, meta_shacl=False) == [
        "ekipsh:CityShape: node shape has no rdfs:label"
    ]


def test_blank_property_shape_is_named_after_its_node_shape(shapes: Graph) -> None:
    def change(g: Graph) -> None:
        blank = BNode()
        g.add((EKIPSH.CityShape, SH.property, blank))
        g.add((blank, SH.path, RDFS.comment))
        g.add((blank, SH.maxCount, Literal(1)))
        g.add((blank, SH.name, Literal("comment", lang="en")))
        g.add((blank, SH.severity, SH.Violation))

    assert lint_shapes(twin(shapes, change), meta_shacl=False) == [
        "ekipsh:CityShape (sh:property []): property shape has no sh:message"
    ]


# --- dead shapes and unknown model terms ------------------------------------------------
# Tests beyond the four core cases (sh:minlength, missing sh:message, meta-SHACL, real shapes)
# skip SHACL-for-SHACL, the one slow check (~1 s per run); the core cases run the full lint.


def test_unused_property_shape_is_caught(shapes: Graph) -> None:
    broken = twin(
        shapes, lambda g: g.remove((EKIPSH.CityShape, SH.property, EKIPSH["City-country-class"]))
    )
    assert lint_shapes(broken, meta_shacl=False) == [
        "ekipsh:City-country-class: property shape is not used by any sh:property"
    ]


def test_untargeted_node_shape_is_caught(shapes: Graph) -> None:
    broken = twin(shapes, lambda g: g.remove((EKIPSH.CityShape, SH.targetClass, None)))
    assert lint_shapes(broken, meta_shacl=False) == [
        "ekipsh:CityShape: node shape has no target and no shape uses it"
    ]


def test_misspelt_ontology_term_is_caught_with_the_tbox(shapes: Graph, tbox: Graph) -> None:
    broken = twin(shapes, lambda g: g.set((EKIPSH["Case-city-count"], SH.path, EKIP.aboutcity)))
    # Without the ontology this typo is invisible: SHACL would just never find the property.
    assert lint_shapes(broken, meta_shacl=False) == []
    assert lint_shapes(broken, tbox=tbox, meta_shacl=False) == [
        "ekipsh:Case-city-count: ekip:aboutcity is not declared in the ontology or the "
        "concept schemes"
    ]
