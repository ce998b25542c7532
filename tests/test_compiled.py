"""Incremental builds (``ekipgraph.compiled``): only changed files are compiled again, and the
result is byte for byte what a build from scratch writes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from typer.testing import CliRunner

from ekipgraph.build import build_from_layout
from ekipgraph.cache import Cache
from ekipgraph.cli import app
from ekipgraph.compiled import CompiledDataset, compile_data
from ekipgraph.ontology import load_tbox
from ekipgraph.project import ProjectLayout
from ekipgraph.shapes import load_shapes

runner = CliRunner()


def _compile(layout: ProjectLayout, cache_dir: Path) -> CompiledDataset:
    cache = Cache(cache_dir)
    shapes = load_shapes(layout.shapes_dir, tbox=load_tbox(layout), cache=cache)
    outcome = compile_data(layout, shapes=shapes, cache=cache)
    assert outcome.dataset is not None, outcome.authoring_error
    return outcome.dataset


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def test_the_compiled_dataset_equals_the_whole_build_on_the_real_data(
    layout: ProjectLayout, tmp_path: Path
) -> None:
    whole = build_from_layout(layout)
    compiled = _compile(layout, tmp_path / "cache")
    assert compiled.nquads() == whole.nquads
    assert compiled.summary() == whole.built.summary


def test_the_trig_and_turtle_files_hold_the_same_dataset(
    layout: ProjectLayout, tmp_path: Path
) -> None:
    compiled = _compile(layout, tmp_path / "cache")
    compiled.write(tmp_path / "out")

    def canonical(path: Path, fmt: ox.RdfFormat) -> ox.Dataset:
        dataset = ox.Dataset(ox.parse(path=str(path), format=fmt))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        return dataset

    expected = canonical(tmp_path / "out" / "ekip.nq", ox.RdfFormat.N_QUADS)
    assert canonical(tmp_path / "out" / "ekip.trig", ox.RdfFormat.TRIG) == expected
    shared = ox.Dataset(
        ox.parse(path=str(tmp_path / "out/graphs/shared.ttl"), format=ox.RdfFormat.TURTLE)
    )
    assert len(shared) == compiled.summary().triples_per_graph["shared"]


def test_editing_one_case_compiles_that_case_only_and_writes_what_a_fresh_build_writes(
    synthetic_home: Callable[..., ProjectLayout], tmp_path: Path
) -> None:
    project = synthetic_home(6, 3)
    first = _compile(project, tmp_path / "cache")
    assert len(first.compiled) == 7  # the base and six cases
    again = _compile(project, tmp_path / "cache")
    assert again.compiled == []
    assert again.nquads() == first.nquads()

    case = sorted((project.data_dir / "cases").glob("*.yaml"))[2]
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("Synthetic case", "Synthetic edited case", 1), encoding="utf-8")
    removed = sorted((project.data_dir / "cases").glob("*.yaml"))[4]
    removed.unlink()
    incremental = _compile(project, tmp_path / "cache")
    assert incremental.compiled == [case.name]
    fresh = _compile(project, tmp_path / "fresh-cache")
    assert incremental.nquads() == fresh.nquads()
    assert "Synthetic edited case" in incremental.nquads()
    assert removed.stem not in incremental.nquads()
    incremental.write(tmp_path / "a")
    fresh.write(tmp_path / "b")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_a_case_edited_into_a_violation_fails_the_build_and_writes_nothing(
    synthetic_home: Callable[..., ProjectLayout], tmp_path: Path
) -> None:
    project = synthetic_home(3, 5)
    out = tmp_path / "dataset"
    assert runner.invoke(app, ["build", "--out", str(out)]).exit_code == 0
    before = _files(out)
    case = sorted((project.data_dir / "cases").glob("*.yaml"))[0]
    text = case.read_text(encoding="utf-8")
    # an unknown city: the case no longer loads
    case.write_text(text.replace('city: "', 'city: "not-a-city-', 1), encoding="utf-8")
    result = runner.invoke(app, ["build", "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert case.name in result.output
    assert _files(out) == before


def test_an_edited_case_is_compiled_without_reading_the_shared_files_again(
    synthetic_home: Callable[..., ProjectLayout], tmp_path: Path, monkeypatch
) -> None:
    from ekipgraph.cases import corpus

    project = synthetic_home(4, 8)
    first = _compile(project, tmp_path / "cache")
    reads: list[Path] = []
    real = corpus._load_shared

    def counting(shared_dir: Path, *args: object) -> None:
        reads.append(shared_dir)
        real(shared_dir, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(corpus, "_load_shared", counting)
    case = sorted((project.data_dir / "cases").glob("*.yaml"))[1]
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("Synthetic case", "Synthetic edited case", 1), encoding="utf-8")
    incremental = _compile(project, tmp_path / "cache")
    assert incremental.compiled == [case.name] and reads == []
    fresh = _compile(project, tmp_path / "fresh-cache")
    assert len(reads) == 1  # a build from scratch reads them
    assert incremental.nquads() == fresh.nquads() != first.nquads()
    assert incremental.summary() == fresh.summary()
    assert incremental.results == fresh.results
    incremental.write(tmp_path / "a")
    fresh.write(tmp_path / "b")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
