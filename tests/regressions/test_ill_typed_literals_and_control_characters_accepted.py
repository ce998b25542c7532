"""Turtle and JSON-LD cases with "abc"^^xsd:dateTime, "2024-00"^^xsd:gYearMonth or a NUL
character were accepted (the served RDF/XML was then not well-formed). Every literal is now
checked against its XSD datatype, and control characters and lone surrogates are refused in
every kind of authoring file."""

from __future__ import annotations

from pathlib import Path

import pytest

XSD = "http://www.w3.org/2001/XMLSchema#"


def _turtle_case(corpus_copy: Path, extra: str) -> None:
    path = corpus_copy / "cases" / "northport-games.ttl"
    path.write_text(path.read_text() + extra)


@pytest.mark.parametrize(
    ("literal", "message"),
    [
        ('"abc"^^xsd:dateTime', '"abc" is not a valid xsd:dateTime'),
        ('"2024-00"^^xsd:gYearMonth', '"2024-00" is not a valid xsd:gYearMonth'),
        ('"2024-02-30"^^xsd:date', '"2024-02-30" is not a valid xsd:date'),
        ('"maybe"^^xsd:boolean', "not a valid xsd:boolean"),
        ('"-1"^^xsd:nonNegativeInteger', '"-1" is not a valid xsd:nonNegativeInteger'),
        ('"nul \\u0000 here"@en', "the control character U+0000"),
        ('"esc \\u001b[31m red"@en', "the control character U+001B"),
    ],
)
def test_a_bad_literal_in_a_turtle_case_is_refused(
    corpus_copy: Path, problems_of, literal: str, message: str
) -> None:
    _turtle_case(
        corpus_copy,
        f"\n<https://w3id.org/ekip/id/case/northport-games> rdfs:comment {literal} .\n",
    )
    problems = problems_of(corpus_copy)
    assert any(p.startswith("cases/northport-games.ttl:") and message in p for p in problems), (
        problems
    )


def test_a_lone_surrogate_in_a_turtle_case_is_refused(corpus_copy: Path, problems_of) -> None:
    _turtle_case(
        corpus_copy,
        '\n<https://w3id.org/ekip/id/case/northport-games> rdfs:comment "x \\uD800 y"@en .\n',
    )
    assert any("lone surrogate U+D800" in p for p in problems_of(corpus_copy))


def test_an_ill_typed_literal_in_a_json_ld_case_is_refused(corpus_copy: Path, problems_of) -> None:
    (corpus_copy / "cases" / "northport-games.ttl").unlink()
    (corpus_copy / "cases" / "northport-games.jsonld").write_text("""{
  "@graph": [
    {"@id": "https://w3id.org/ekip/id/case/northport-games",
     "@type": "https://w3id.org/ekip/ontology#CityCaseDescription",
     "http://www.w3.org/2000/01/rdf-schema#comment": "nul \\u0000"},
    {"@id": "https://w3id.org/ekip/graph/case/northport-games",
     "http://www.w3.org/ns/prov#generatedAtTime":
       {"@value": "abc", "@type": "http://www.w3.org/2001/XMLSchema#dateTime"}}
  ]
}
""")
    problems = "\n".join(problems_of(corpus_copy))
    assert "the control character U+0000" in problems
    assert '"abc" is not a valid xsd:dateTime' in problems


@pytest.mark.parametrize(
    ("escape", "message"),
    [
        ("\\0", "the control character U+0000"),
        ("\\e[2J", "the control character U+001B"),
        ("\\x07", "the control character U+0007"),
        ("\\ud800", "lone surrogate U+D800"),
    ],
)
def test_control_characters_in_yaml_text_are_refused(
    corpus_copy: Path, problems_of, escape: str, message: str
) -> None:
    path = corpus_copy / "cases" / "exampleton-ai.yaml"
    text = path.read_text().replace(
        'title: {en: "City Case Description: Exampleton and AI"',
        f'title: {{en: "City Case {escape} Description"',
    )
    path.write_text(text)
    problems = problems_of(corpus_copy)
    assert any(p.startswith("cases/exampleton-ai.yaml:3:") and message in p for p in problems), (
        problems
    )


def test_a_raw_control_character_in_a_file_is_refused_where_it_is(
    corpus_copy: Path, problems_of
) -> None:
    path = corpus_copy / "cases" / "northport-games.ttl"
    path.write_text(path.read_text() + "\n# a bell \x07 here\n")
    assert any(
        p.startswith("cases/northport-games.ttl:") and "control character U+0007" in p
        for p in problems_of(corpus_copy)
    )


def test_the_datatype_check_accepts_valid_forms() -> None:
    from ekipgraph.cases.literals import literal_problem

    for lexical, datatype in [
        ("2024-09-12T10:00:00Z", "dateTime"),
        ("2024-09-12T24:00:00", "dateTime"),
        ("2024-02-29", "date"),
        ("2024-12", "gYearMonth"),
        ("-0044", "gYear"),
        ("P1Y2M3DT4H5M6.5S", "duration"),
        ("+1.5E3", "double"),
        ("INF", "float"),
        ("0", "boolean"),
        ("sv-SE", "language"),
    ]:
        assert literal_problem(lexical, XSD + datatype) is None, (lexical, datatype)
    for lexical, datatype in [
        ("2023-02-29", "date"),
        ("2024-09-12T10:60:00Z", "dateTime"),
        ("2024-09-12T10:00:00+15:00", "dateTime"),
        ("2024-09-12T10:00:00", "dateTimeStamp"),
        ("P", "duration"),
        ("1.", "integer"),
        ("256", "unsignedByte"),
    ]:
        assert literal_problem(lexical, XSD + datatype) is not None, (lexical, datatype)
