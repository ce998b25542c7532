"""The default SHACL engine (pyshacl-turbo) reports exactly what pySHACL, the reference, reports:
every result with its focus, path, value, severity, message, source shape and component, on
every broken twin of the shapes fixture, on a synthetic corpus with injected errors and on
the real data."""

from __future__ import annotations

import pytest
from rdflib import Graph
from test_shacl_split import inject_errors
from test_shapes_data import CASES, copy_of
from typer.testing import CliRunner

from ekipgraph.build import build_from_layout
from ekipgraph.cli import app
from ekipgraph.project import ProjectLayout
from ekipgraph.shapes import (
    SHACL_ENGINE_VARIABLE,
    ShaclEngineError,
    ValidationResult,
    result_order,
    run_shacl,
    shacl_engine,
    shacl_engine_version,
)
from ekipgraph.synth import synthesise


def full(result: ValidationResult) -> tuple[str, ...]:
    return (*result_order(result), str(result.severity), str(result.path))


def both(data: Graph, shapes: Graph) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    turbo = sorted(map(full, run_shacl(data, shapes, engine="turbo")))
    reference = sorted(map(full, run_shacl(data, shapes, engine="pyshacl")))
    return turbo, reference


def union(dataset) -> Graph:
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o, _ in dataset.quads((None, None, None, None)))
    return graph


@pytest.fixture(scope="module")
def shapes(layout: ProjectLayout) -> Graph:
    from ekipgraph.shapes import load_shapes

    return load_shapes(layout.shapes_dir, lint=False)


@pytest.fixture(scope="module")
def valid(shapes: Graph) -> Graph:
    from test_shapes_data import FIXTURE, LAYOUT

    from ekipgraph.ontology import parse_rdf_file
    from ekipgraph.validate import load_tbox

    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in load_tbox(LAYOUT))
    return parse_rdf_file(FIXTURE, graph)


@pytest.mark.parametrize("name", list(CASES))
def test_engines_agree_on_the_broken_twin(name: str, valid: Graph, shapes: Graph) -> None:
    change, expected = CASES[name]
    graph = copy_of(valid)
    change(graph)
    turbo, reference = both(graph, shapes)
    assert turbo == reference
    assert len(reference) == len(expected)


def test_engines_agree_on_a_synthetic_corpus_with_injected_errors(
    tmp_path_factory: pytest.TempPathFactory, layout: ProjectLayout, shapes: Graph
) -> None:
    project = synthesise(8, tmp_path_factory.mktemp("engines") / "p", seed=5, source=layout)
    dataset = build_from_layout(project, infer=False).built.dataset
    inject_errors(dataset)
    turbo, reference = both(union(dataset), shapes)
    assert len([r for r in reference if r[-2].endswith("#Violation")]) >= 5
    assert turbo == reference


def test_engines_agree_on_the_real_data(layout: ProjectLayout, shapes: Graph) -> None:
    dataset = build_from_layout(layout, infer=False).built.dataset
    turbo, reference = both(union(dataset), shapes)
    assert turbo == reference


def test_the_engine_is_chosen_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SHACL_ENGINE_VARIABLE, raising=False)
    assert shacl_engine() == "turbo"
    monkeypatch.setenv(SHACL_ENGINE_VARIABLE, "pyshacl")
    assert shacl_engine() == "pyshacl"
    assert shacl_engine_version().startswith("pyshacl ")
    monkeypatch.setenv(SHACL_ENGINE_VARIABLE, "jena")
    with pytest.raises(ShaclEngineError, match="one of turbo, pyshacl"):
        shacl_engine()


def test_an_unknown_engine_is_a_clear_error_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(SHACL_ENGINE_VARIABLE, "jena")
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code != 0
    assert "EKIPGRAPH_SHACL_ENGINE='jena'" in result.output
    assert "Traceback" not in result.output
