"""The good twin passes every check; helpers to derive broken twins from it.

Other ``test_checks_*`` modules import the helpers below: a broken twin is the good
fixture with a triple or two removed or added, so each test shows exactly what breaks.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.term import Node

from ekipgraph.checks import CheckReport, check_graphs, run_all
from ekipgraph.checks.context import CheckedGraph
from ekipgraph.checks.model import Finding

FIXTURES = Path(__file__).parent / "fixtures" / "ontologies"
GOOD = FIXTURES / "good.ttl"
GOOD_VOCAB = FIXTURES / "vocab" / "policy-area.ttl"
IMPORTS = Path(__file__).resolve().parents[1] / "ontology" / "imports"

E = Namespace("https://w3id.org/ekip/ontology#")
ONT = URIRef("https://w3id.org/ekip/ontology")
VOCAB = Namespace("https://w3id.org/ekip/vocab/policy-area/")
SCHEME = URIRef("https://w3id.org/ekip/vocab/policy-area")

PREFIXES = """
@prefix ekip: <https://w3id.org/ekip/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

Pattern = tuple[Node | None, Node | None, Node | None]


@cache
def _good_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def good_graph(path: Path = GOOD) -> Graph:
    """A fresh copy of a good fixture (tests may change it freely)."""
    return Graph().parse(data=_good_text(path), format="turtle")


def twin(
    remove: Iterable[Pattern] = (),
    add: Iterable[tuple[Node, Node, Node]] = (),
    turtle: str = "",
    base: Path = GOOD,
) -> Graph:
    """The good fixture with triples removed (patterns may use None), then added."""
    graph = good_graph(base)
    for pattern in remove:
        assert next(iter(graph.triples(pattern)), None) is not None, (
            f"the good twin has no triple matching {pattern}"
        )
        graph.remove(pattern)
    for triple in add:
        graph.add(triple)
    if turtle:
        graph.parse(data=PREFIXES + turtle, format="turtle")
    return graph


def rename(graph: Graph, old: Node, new: Node) -> Graph:
    """Replace a node everywhere (e.g. give the ontology another IRI)."""
    renamed = Graph()
    for triple in graph:
        renamed.add(tuple(new if node == old else node for node in triple))  # type: ignore[arg-type]
    return renamed


def context(graph: Graph) -> CheckedGraph:
    return CheckedGraph(graph, "twin.ttl")


def check(graph: Graph, vocabularies: dict[str, Graph] | None = None) -> CheckReport:
    """Every check except the reasoner, on graphs in memory."""
    return check_graphs(
        graph,
        vocabularies if vocabularies is not None else {"policy-area.ttl": good_graph(GOOD_VOCAB)},
        ontology_source="twin.ttl",
        with_reasoner=False,
        imports_dir=IMPORTS,
    )


def only(findings: Iterable[Finding], check_id: str) -> Finding:
    matches = [f for f in findings if f.id == check_id]
    assert len(matches) == 1, f"expected one {check_id} finding, got {matches}"
    return matches[0]


def assert_fails(finding: Finding, fragment: str, *terms: Node) -> None:
    assert not finding.passed, f"{finding.id} passed: {finding.message}"
    assert fragment in finding.message, f"{fragment!r} not in {finding.message!r}"
    for term in terms:
        assert str(term) in finding.terms, f"{term} not among {finding.terms}"


def blank_header(graph: Graph) -> Graph:
    return rename(graph, ONT, BNode())


# -- the good twin ------------------------------------------------------------------


def test_good_twin_passes_every_check_without_a_single_warning():
    report = check(good_graph())
    problems = [f"{f.family} {f.id}: {f.message}" for f in report if not f.passed]
    assert problems == []
    assert not report.failed


def test_good_twin_files_pass_run_all_quickly():
    started = time.perf_counter()
    report = run_all(GOOD, [GOOD_VOCAB], with_reasoner=False, imports_dir=IMPORTS)
    elapsed = time.perf_counter() - started
    assert not report.failed, report.summary()
    assert elapsed < 2.0, f"checks without the reasoner took {elapsed:.2f} s"


def test_every_family_and_check_is_reported():
    report = check(good_graph())
    counts = {family: len(report.by_family(family)) for family in ("FOOPS", "OOPS", "NAMESPACE")}
    assert counts == {"FOOPS": 16, "OOPS": 27, "NAMESPACE": 1}
    ontology_rules = [f for f in report.by_family("ROBOT") if f.source == "twin.ttl"]
    vocabulary_rules = [f for f in report.by_family("ROBOT") if f.source == "policy-area.ttl"]
    assert len(ontology_rules) == 18
    assert len(vocabulary_rules) == 14


def test_helpers_refuse_to_remove_what_is_not_there():
    import pytest

    with pytest.raises(AssertionError, match="no triple matching"):
        twin(remove=[(E.Nowhere, None, None)])
