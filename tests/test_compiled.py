"""Incremental builds (``ekipgraph.compiled``): only changed files are compiled again, and the
result is byte for byte what a build from scratch writes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from folders import folder_bytes
from typer.testing import CliRunner

from ekipgraph import compiled as compiled_module
from ekipgraph.build import build_from_layout
from ekipgraph.cache import Cache
from ekipgraph.cli import app
from ekipgraph.compiled import CompiledDataset, CompileOutcome, compile_data
from ekipgraph.ontology import load_tbox
from ekipgraph.project import ProjectLayout
from ekipgraph.shapes import load_shapes

runner = CliRunner()


def _outcome(layout: ProjectLayout, cache_dir: Path, workers: int | None = None) -> CompileOutcome:
    cache = Cache(cache_dir)
    shapes = load_shapes(layout.shapes_dir, tbox=load_tbox(layout), cache=cache)
    return compile_data(layout, shapes=shapes, cache=cache, workers=workers)


def _compile(layout: ProjectLayout, cache_dir: Path, workers: int | None = None) -> CompiledDataset:
    outcome = _outcome(layout, cache_dir, workers)
    assert outcome.dataset is not None, outcome.authoring_error
    return outcome.dataset


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
    assert folder_bytes(tmp_path / "a") == folder_bytes(tmp_path / "b")


def test_a_case_edited_into_a_violation_fails_the_build_and_writes_nothing(
    synthetic_home: Callable[..., ProjectLayout], tmp_path: Path
) -> None:
    project = synthetic_home(3, 5)
    out = tmp_path / "dataset"
    assert runner.invoke(app, ["build", "--out", str(out)]).exit_code == 0
    before = folder_bytes(out)
    case = sorted((project.data_dir / "cases").glob("*.yaml"))[0]
    text = case.read_text(encoding="utf-8")
    # an unknown city: the case no longer loads
    case.write_text(text.replace('city: "', 'city: "not-a-city-', 1), encoding="utf-8")
    result = runner.invoke(app, ["build", "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert case.name in result.output
    assert folder_bytes(out) == before


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
    assert folder_bytes(tmp_path / "a") == folder_bytes(tmp_path / "b")


def _small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of three cases from six cases on: the pool's route on a corpus a test builds."""
    monkeypatch.setattr(compiled_module, "PARALLEL_CASES", 6)
    monkeypatch.setattr(compiled_module, "CASES_PER_BATCH", 3)


def test_cases_compiled_in_batches_across_processes_give_what_one_process_gives(
    synthetic_home: Callable[..., ProjectLayout], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = synthetic_home(11, 4)  # its cases have SHACL warnings and infos
    serial = _outcome(project, tmp_path / "serial", workers=1)
    _small_batches(monkeypatch)
    progress: list[tuple[int, int]] = []
    cache = Cache(tmp_path / "batched")
    shapes = load_shapes(project.shapes_dir, tbox=load_tbox(project), cache=cache)
    batched = compile_data(
        project, shapes=shapes, cache=cache, workers=2, progress=lambda *p: progress.append(p)
    )
    assert serial.dataset is not None and batched.dataset is not None
    assert batched.dataset.compiled == serial.dataset.compiled  # the base and eleven cases
    assert batched.dataset.nquads() == serial.dataset.nquads()
    assert batched.dataset.summary() == serial.dataset.summary()
    assert batched.dataset.results == serial.dataset.results != ()
    for result in serial.dataset.results:
        assert batched.dataset.location(result.focus) == serial.dataset.location(result.focus)
    assert progress[-1] == (11, 11) and len(progress) >= 4  # per batch, not once at the end
    batched.dataset.write(tmp_path / "a")
    serial.dataset.write(tmp_path / "b")
    assert folder_bytes(tmp_path / "a") == folder_bytes(tmp_path / "b")
    again = _compile(project, tmp_path / "batched", workers=2)
    assert again.compiled == [] and again.nquads() == serial.dataset.nquads()


def test_authoring_problems_of_every_batch_are_reported_together_once(
    synthetic_home: Callable[..., ProjectLayout], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = synthetic_home(11, 6)
    cases = sorted((project.data_dir / "cases").glob("*.yaml"))
    for case in (cases[0], cases[9]):  # the first batch and the last
        text = case.read_text(encoding="utf-8")
        case.write_text(text.replace('city: "', 'city: "not-a-city-', 1), encoding="utf-8")
    (project.data_dir / "cases" / "misnamed.yml").write_text("id: misnamed\n", encoding="utf-8")
    serial = _outcome(project, tmp_path / "serial", workers=1)
    _small_batches(monkeypatch)
    batched = _outcome(project, tmp_path / "batched", workers=2)
    assert serial.authoring_error is not None and batched.authoring_error is not None
    assert batched.authoring_error.problems == serial.authoring_error.problems
    files = {p.path.name for p in batched.authoring_error.problems}
    assert files == {cases[0].name, cases[9].name, "misnamed.yml"}
    # the name check runs in every batch; it is reported once
    assert sum(p.path.name == "misnamed.yml" for p in batched.authoring_error.problems) == 1
