"""``EKIPGRAPH_HOME=other ekipgraph run``, typed in the repository, replaced the repository's
own dist/ with the other project's release while the built store went to other/dist/store;
``cd /tmp && ekipgraph build`` wrote /tmp/dist/dataset. The default output folders of
``build``, ``run``, ``release`` and ``patterns`` were relative to the working folder; they
are now under the project's dist/, whatever the working folder. A typed ``--out`` still
means what was typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ekipgraph.atomic import MARKER
from ekipgraph.cli import app

RUNNER = CliRunner()
WIDE = {"COLUMNS": "1000"}  # paths printed whole, on one line


def this_folders_dist(folder: Path) -> Path:
    """``folder/dist``: an earlier release of the project the user is in."""
    dist = folder / "dist"
    (dist / "dataset").mkdir(parents=True)
    (dist / MARKER).write_text("{}")
    (dist / "dataset" / MARKER).write_text("{}")
    (dist / "dataset" / "ekip.nq").write_text("this project's dataset\n")
    return dist


def contents(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): path.read_text()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def elsewhere(synthetic_home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """(the other project, ``here/dist``) with the working folder ``here``."""
    project = synthetic_home(3, seed=7)
    here = tmp_path / "here"
    dist = this_folders_dist(here)
    monkeypatch.chdir(here)
    return project, dist


def test_build_writes_under_the_projects_dist_not_the_working_folders(elsewhere) -> None:
    project, dist = elsewhere
    before = contents(dist)
    result = RUNNER.invoke(app, ["build"], env=WIDE)
    assert result.exit_code == 0, result.output
    assert contents(dist) == before
    assert (project.root / "dist" / "dataset" / "ekip.nq").is_file()
    assert (project.root / "dist" / "store" / "ekip.nq").read_bytes() == (
        project.root / "dist" / "dataset" / "ekip.nq"
    ).read_bytes()
    assert str(project.root / "dist" / "dataset") in result.output


def test_run_replaces_the_projects_dist_not_the_working_folders(elsewhere) -> None:
    project, dist = elsewhere
    before = contents(dist)
    result = RUNNER.invoke(app, ["run", "--no-reasoner"], env=WIDE)
    assert result.exit_code == 0, result.output
    assert contents(dist) == before
    released = project.root / "dist"
    assert sorted(p.name for p in released.iterdir()) == sorted(
        [MARKER, "dataset", "ontology", "patterns", "store"]
    )  # the store went into the same swap as the rest
    assert f"everything is in {released}/" in result.output


def test_a_typed_out_is_still_relative_to_the_working_folder(elsewhere) -> None:
    project, dist = elsewhere
    result = RUNNER.invoke(app, ["release", "--out", "dist/ontology"])
    assert result.exit_code == 0, result.output
    assert (dist / "ontology" / MARKER).is_file()
    assert (dist / "dataset" / "ekip.nq").read_text() == "this project's dataset\n"
    assert not (project.root / "dist" / "ontology").exists()


@pytest.mark.parametrize(
    ("command", "default"),
    [
        ("build", "dist/dataset"),
        ("run", "dist"),
        ("release", "dist/ontology"),
        ("patterns", "dist/patterns"),
    ],
)
def test_the_help_names_the_default_folder(command: str, default: str) -> None:
    result = RUNNER.invoke(app, [command, "--help"], env=WIDE)
    assert result.exit_code == 0, result.output
    assert f"default: {default} of the project" in " ".join(result.output.split())
