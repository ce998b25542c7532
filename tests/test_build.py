"""Writing the dataset: every file reads back to the same data, and a failed build leaves the
target folder exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from ekipgraph import build as build_module
from ekipgraph.atomic import MARKER
from ekipgraph.build import NQUADS_FILE, TRIG_FILE, BuildResult, build_to, write_dataset
from ekipgraph.cases import AuthoringError
from ekipgraph.graph import graph_name, to_sorted_nquads
from ekipgraph.project import ProjectLayout


@pytest.fixture(scope="module")
def result(layout: ProjectLayout, kitchen_sink: Path) -> BuildResult:
    return build_module.build_from_layout(layout, kitchen_sink)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_files_written(result: BuildResult, tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    written = write_dataset(result.built, out)
    files = set(snapshot(out)) - {MARKER}  # the marker: a folder ekipgraph may replace
    assert files == {str(p) for p in written}
    assert {
        TRIG_FILE,
        NQUADS_FILE,
        "graphs/default.ttl",
        "graphs/shared.ttl",
        "graphs/ontology.ttl",
        "graphs/case/exampleton-ai.ttl",
        "graphs/case/northport-games.ttl",
        "graphs/vocab/resource-type.ttl",
    } <= files
    assert (out / NQUADS_FILE).read_text(encoding="utf-8") == result.nquads


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # inside rdflib's TriG parser
def test_every_file_reads_back_to_the_same_data(result: BuildResult, tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    write_dataset(result.built, out)
    trig = Dataset()
    trig.parse(out / TRIG_FILE, format="trig")
    assert to_sorted_nquads(trig) == result.nquads
    for graph in result.built.graphs():
        path = out / "graphs" / f"{graph_name(graph.identifier)}.ttl"
        assert isomorphic(Graph().parse(path, format="turtle"), graph), path


def test_build_to_is_deterministic(
    layout: ProjectLayout, kitchen_sink: Path, tmp_path: Path
) -> None:
    build_to(layout, tmp_path / "a", kitchen_sink)
    build_to(layout, tmp_path / "b", kitchen_sink)
    assert (tmp_path / "a" / NQUADS_FILE).read_bytes() == (
        tmp_path / "b" / NQUADS_FILE
    ).read_bytes()


def test_failed_conversion_writes_nothing(
    layout: ProjectLayout, corpus_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dataset"
    build_to(layout, out, corpus_copy)
    before = snapshot(out)
    case = corpus_copy / "cases" / "exampleton-ai.yaml"
    case.write_text(case.read_text().replace("city: exampleton", "city: nowhere"))
    with pytest.raises(AuthoringError, match="unknown city 'nowhere'"):
        build_to(layout, out, corpus_copy)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "dataset"]  # no leftovers


def test_failure_while_writing_leaves_the_target_untouched(
    result: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dataset"
    write_dataset(result.built, out)
    before = snapshot(out)

    def broken(*args: object, **kwargs: object) -> str:
        raise OSError("disk full")

    # The TriG and N-Quads files are written by then; the first graph file fails.
    monkeypatch.setattr(Graph, "serialize", broken)
    with pytest.raises(OSError, match="disk full"):
        write_dataset(result.built, out, result.nquads)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset"]


def test_failed_first_build_creates_no_folder(
    layout: ProjectLayout, corpus_copy: Path, tmp_path: Path
) -> None:
    (corpus_copy / "shared" / "cities.yaml").write_text("cities: [\n")
    with pytest.raises(AuthoringError):
        build_to(layout, tmp_path / "dataset", corpus_copy)
    assert not (tmp_path / "dataset").exists()
