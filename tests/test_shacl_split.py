"""SHACL per case (batched, cached) reports exactly what one whole-graph pySHACL run reports,
on a synthetic corpus with injected errors in case graphs and in the shared graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from ekipgraph import shacl_split
from ekipgraph.build import build_from_layout
from ekipgraph.cache import Cache
from ekipgraph.namespaces import EKIP
from ekipgraph.project import ProjectLayout
from ekipgraph.shapes import load_shapes, result_order, validate_data
from ekipgraph.synth import synthesise

CASE = "https://w3id.org/ekip/id/case/"
GRAPH = "https://w3id.org/ekip/graph/"


@pytest.fixture(scope="module")
def shapes(layout: ProjectLayout):
    return load_shapes(layout.shapes_dir, lint=False)


@pytest.fixture
def dataset(tmp_path_factory: pytest.TempPathFactory, layout: ProjectLayout):
    project = synthesise(6, tmp_path_factory.mktemp("split") / "p", seed=11, source=layout)
    return build_from_layout(project, infer=False).built.dataset  # as validate builds it


def inject_errors(dataset) -> None:
    case1 = dataset.graph(URIRef(GRAPH + "case/synthetic-case-00001"))
    case2 = dataset.graph(URIRef(GRAPH + "case/synthetic-case-00002"))
    shared = dataset.graph(URIRef(GRAPH + "shared"))
    c1 = URIRef(CASE + "synthetic-case-00001")
    case1.remove((c1, EKIP.aboutCity, None))  # a required value missing
    need = next(case1.subjects(RDF.type, EKIP.ResourceNeed))
    case1.add((need, EKIP.availability, URIRef("https://w3id.org/ekip/vocab/resource-type/talent")))
    involvement = next(case2.subjects(RDF.type, EKIP.ActorInvolvement))
    case2.set(
        (involvement, EKIP.involvedActor, URIRef("https://w3id.org/ekip/vocab/cci-sector/music"))
    )
    portfolio = next(case2.subjects(RDF.type, EKIP.InnovationPortfolio))
    case2.add((portfolio, RDFS.label, Literal("a label with no language")))
    city = URIRef("https://w3id.org/ekip/id/city/synthetic-city-0001")
    shared.remove((city, EKIP.inCountry, None))
    shared.add((city, RDFS.label, Literal("Second English name", lang="en")))


def ordered(outcome) -> list[tuple[str, ...]]:
    return sorted(map(result_order, outcome.results))


def test_per_case_route_reports_exactly_the_whole_graph_results(dataset, shapes) -> None:
    inject_errors(dataset)
    assert shacl_split.splittable(shapes)  # the split route is taken
    assert shacl_split._plan(dataset, shacl_split.object_targets(shapes)) is not None
    whole = validate_data(dataset, shapes)
    split = shacl_split.validate_split(dataset, shapes, workers=1)
    assert len(whole.violations) >= 5
    assert ordered(split) == ordered(whole)
    focus = {str(r.focus) for r in whole.violations}
    assert CASE + "synthetic-case-00001" in focus
    assert "https://w3id.org/ekip/id/city/synthetic-city-0001" in focus


def test_the_process_pool_gives_the_same_results(dataset, shapes, monkeypatch) -> None:
    inject_errors(dataset)
    monkeypatch.setattr(shacl_split, "PARALLEL_FROM", 0)
    monkeypatch.setattr(shacl_split, "BATCH_TRIPLES", 300)
    whole = validate_data(dataset, shapes)
    assert ordered(shacl_split.validate_split(dataset, shapes, workers=2)) == ordered(whole)


def test_a_case_speaking_of_a_shared_entity_falls_back_to_the_whole_graph(dataset, shapes) -> None:
    case1 = dataset.graph(URIRef(GRAPH + "case/synthetic-case-00001"))
    city = URIRef("https://w3id.org/ekip/id/city/synthetic-city-0001")
    case1.add((city, EKIP.inCountry, Literal("not a country")))
    assert shacl_split._plan(dataset, shacl_split.object_targets(shapes)) is None
    whole = validate_data(dataset, shapes)
    assert any(r.focus == city and r.severity == SH.Violation for r in whole.results)
    assert ordered(shacl_split.validate_split(dataset, shapes, workers=1)) == ordered(whole)


def test_unchanged_cases_are_not_validated_again(
    dataset, shapes, tmp_path: Path, monkeypatch
) -> None:
    cache = Cache(tmp_path)
    first = shacl_split.validate_split(dataset, shapes, cache=cache, workers=1)
    runs: list[int] = []
    real = shacl_split.run_shacl

    def counting(data, shapes):
        runs.append(len(data))
        return real(data, shapes)

    monkeypatch.setattr(shacl_split, "run_shacl", counting)
    again = shacl_split.validate_split(dataset, shapes, cache=cache, workers=1)
    assert runs == [] and ordered(again) == ordered(first)

    inject_errors(dataset)  # changes cases 1 and 2 and one city of the shared graph
    changed = shacl_split.validate_split(dataset, shapes, cache=cache, workers=1)
    assert len(runs) == 2  # the shared run and one batch holding only the two changed cases
    assert ordered(changed) == ordered(validate_data(dataset, shapes))
