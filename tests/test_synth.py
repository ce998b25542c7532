"""``ekipgraph synth``: a valid, deterministic synthetic project, labelled synthetic everywhere,
that never overwrites a folder it did not write."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from ekipgraph.cli import app
from ekipgraph.graph import to_sorted_nquads
from ekipgraph.project import ProjectLayout
from ekipgraph.serve.catalog import dataset_description, is_synthetic
from ekipgraph.synth import MARKER_FILE, SOURCE_BASE, SynthError, synthesise
from ekipgraph.validate import validate_data_dir

CASES = 12


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory, layout: ProjectLayout) -> ProjectLayout:
    return synthesise(CASES, tmp_path_factory.mktemp("synth") / "project", seed=7, source=layout)


@pytest.fixture(scope="module")
def report(synthetic: ProjectLayout):
    return validate_data_dir(synthetic)


def test_the_project_validates_with_no_violation(report) -> None:
    assert report.authoring_problems == []
    assert report.load_error is None
    assert report.count("Violation") == 0
    assert report.exit_code() == 0
    counts = report.build.built.summary.counts
    assert counts["cases"] == CASES
    for kind in ("portfolios", "items", "needs", "strengths", "gaps", "involvements"):
        assert counts[kind] >= CASES, kind
    assert counts["cities"] >= 5 and counts["recommendations"] > 0 and counts["stimuli"] > 0


def test_cases_spread_over_several_cities_and_policy_areas(synthetic: ProjectLayout) -> None:
    texts = [p.read_text() for p in (synthetic.data_dir / "cases").glob("*.yaml")]
    cities = {re.search(r"(?m)^city: \"(.+)\"", t).group(1) for t in texts}
    areas = {re.search(r"(?m)^policy_areas: \[\"([^\"]+)\"", t).group(1) for t in texts}
    assert len(cities) >= 3 and len(areas) >= 3


def test_labelled_synthetic_everywhere(synthetic: ProjectLayout, report) -> None:
    dataset = report.build.built.dataset
    data_graphs = ("https://w3id.org/ekip/graph/case/", "https://w3id.org/ekip/graph/shared")
    instance_subjects = {
        str(s)
        for s, _, _, g in dataset.quads()
        if str(g).startswith(data_graphs) and str(s).startswith("https://w3id.org/ekip/id/")
    }
    assert instance_subjects
    assert all("/synthetic-" in iri for iri in instance_subjects), sorted(instance_subjects)[:5]
    sources = {
        str(o)
        for _, p, o, g in dataset.quads()
        if str(g).startswith(data_graphs) and str(p).endswith("/terms/source")
    }
    assert sources and all(s.startswith(SOURCE_BASE) for s in sources)
    assert (synthetic.root / MARKER_FILE).read_text().startswith("# Synthetic")
    store = ox.Store()
    store.load(to_sorted_nquads(dataset).encode(), format=ox.RdfFormat.N_QUADS)
    assert is_synthetic(store)
    description = dataset_description(store).serialize(format="nt")
    assert "SYNTHETIC test data" in description


def test_the_real_data_is_not_called_synthetic(layout: ProjectLayout) -> None:
    built = validate_data_dir(layout).build
    store = ox.Store()
    store.load(to_sorted_nquads(built.built.dataset).encode(), format=ox.RdfFormat.N_QUADS)
    assert not is_synthetic(store)


def test_same_seed_same_bytes_other_seed_other_data(layout: ProjectLayout, tmp_path: Path) -> None:
    first = snapshot(synthesise(5, tmp_path / "a", seed=3, source=layout).root)
    second = snapshot(synthesise(5, tmp_path / "b", seed=3, source=layout).root)
    other = snapshot(synthesise(5, tmp_path / "c", seed=4, source=layout).root)
    assert first == second
    assert (
        first["data/cases/synthetic-case-00001.yaml"]
        != (other["data/cases/synthetic-case-00001.yaml"])
    )


def test_refuses_a_folder_it_did_not_write(layout: ProjectLayout, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SynthError, match="not empty"):
        synthesise(3, tmp_path, source=layout)
    assert snapshot(tmp_path) == {"notes.txt": b"mine"}
    result = CliRunner().invoke(app, ["synth", "3", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "not empty" in " ".join(result.output.split())
    assert snapshot(tmp_path) == {"notes.txt": b"mine"}


def test_replaces_an_earlier_synthetic_folder(layout: ProjectLayout, tmp_path: Path) -> None:
    out = tmp_path / "project"
    synthesise(4, out, source=layout)
    synthesise(2, out, source=layout)
    assert sorted(p.name for p in (out / "data" / "cases").iterdir()) == [
        "synthetic-case-00001.yaml",
        "synthetic-case-00002.yaml",
    ]
