"""A Turtle case whose property ends in a letter expat does not accept as a name character
(``rdfs:Șabel``, U+0218, found by the fuzz test) was accepted, and the RDF/XML served for it
was not well-formed: rdflib's name check follows XML 1.0 5th edition, expat the 4th."""

from __future__ import annotations

from pathlib import Path

from ekipgraph.cases.problems import ProblemList
from ekipgraph.cases.rdfcase import load_rdf_case

CASE = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix case: <https://w3id.org/ekip/id/case/> .
case:northport-games rdfs:\u0218abel "Northport"@en .
"""


def test_property_expat_cannot_name_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "northport-games.ttl"
    path.write_text(CASE, encoding="utf-8")
    problems = ProblemList()
    assert load_rdf_case(path, problems) is None
    messages = [str(problem) for problem in problems]
    assert any("cannot be a property" in message for message in messages), messages
    assert any(":3:" in message for message in messages), messages
