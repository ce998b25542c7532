"""Build once, query many: ``build`` writes a store with a manifest of its inputs; a store that
no longer matches the inputs is never used silently (rebuilt with a note, or refused)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ekipgraph.built import (
    MANIFEST_FILE,
    StaleStoreError,
    default_store_dir,
    ensure_built,
    store_status,
)
from ekipgraph.cli import app
from ekipgraph.project import ProjectLayout

TITLES = (
    "SELECT ?t WHERE { ?c a <https://w3id.org/ekip/ontology#CityCaseDescription> ; "
    "<http://purl.org/dc/terms/title> ?t "
    'FILTER(CONTAINS(STR(?c), "case-00001")) }'
)


@pytest.fixture
def project(synthetic_home) -> ProjectLayout:
    return synthetic_home(3, seed=5)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def retitle(project: ProjectLayout, title: str) -> None:
    case = project.data_dir / "cases" / "synthetic-case-00001.yaml"
    lines = case.read_text().splitlines(keepends=True)
    lines = [f'title: {{en: "{title}"}}\n' if x.startswith("title:") else x for x in lines]
    case.write_text("".join(lines))


def test_build_writes_a_fresh_store_that_query_reads(project: ProjectLayout) -> None:
    result = run("build", "--out", "dist/dataset")
    assert result.exit_code == 0, result.output
    store = default_store_dir(project)
    assert (store / MANIFEST_FILE).is_file()
    assert store_status(project) == []
    assert (store / "ekip.nq").read_bytes() == Path("dist/dataset/ekip.nq").read_bytes()
    answer = run("query", "-e", TITLES, "--format", "csv")
    assert answer.exit_code == 0, answer.output
    assert "Synthetic case 00001" in answer.output
    assert "stale" not in answer.output


def test_a_stale_store_is_rebuilt_never_used_silently(project: ProjectLayout) -> None:
    assert run("build", "--out", "dist/dataset").exit_code == 0
    retitle(project, "A title edited after the build")
    reasons = store_status(project)
    assert reasons == ["data/cases/synthetic-case-00001.yaml changed"]
    with pytest.raises(StaleStoreError, match=r"synthetic-case-00001\.yaml changed"):
        ensure_built(project, rebuild=False)
    answer = run("query", "-e", TITLES, "--format", "csv")
    assert answer.exit_code == 0, answer.output
    assert "A title edited after the build" in answer.output
    assert "Synthetic case 00001" not in answer.output
    assert "stale" in answer.output  # said on stderr (mixed into the runner's output)
    assert store_status(project) == []


def test_the_store_option_follows_the_same_rule(project: ProjectLayout, tmp_path: Path) -> None:
    elsewhere = tmp_path / "my-store"
    assert run("build", "--out", "dist/dataset", "--store", str(elsewhere)).exit_code == 0
    retitle(project, "Edited for the other store")
    answer = run("query", "-e", TITLES, "--format", "csv", "--store", str(elsewhere))
    assert answer.exit_code == 0, answer.output
    assert "Edited for the other store" in answer.output
    assert store_status(project, elsewhere) == []


def test_a_folder_that_is_not_a_built_store_is_left_alone(
    project: ProjectLayout, tmp_path: Path
) -> None:
    foreign = tmp_path / "oxigraph-data"
    foreign.mkdir()
    (foreign / "precious").write_text("keep me")
    answer = run("query", "-e", TITLES, "--store", str(foreign))
    assert answer.exit_code == 2
    assert "did not write" in " ".join(answer.output.split())
    assert [p.name for p in foreign.iterdir()] == ["precious"]
