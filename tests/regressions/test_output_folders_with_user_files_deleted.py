"""`build -o DIR` and `publish DIR` on a folder holding user files deleted it and exited 0;
`build -o .` ended in a traceback. Commands now replace only folders they wrote (marked by
.ekipgraph-output), never the project, its data/ or the working folder, and exit 3 at once
(before any work) naming the folder; stale staging folders are removed by the next run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ekipgraph.atomic import MARKER, OutputFolderError, check_output_folder, replace_directory
from ekipgraph.cli import app
from ekipgraph.project import default_layout

RUNNER = CliRunner()


@pytest.fixture
def user_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "thesis"
    folder.mkdir()
    (folder / "chapter-1.md").write_text("months of work")
    return folder


@pytest.mark.parametrize(
    "command",
    [
        ["build", "-o", "{folder}"],
        ["publish", "{folder}"],
        ["run", "-o", "{folder}", "--no-reasoner"],
        ["release", "-o", "{folder}"],
        ["patterns", "-o", "{folder}"],
    ],
)
def test_a_folder_with_user_files_is_left_alone(user_folder: Path, command: list[str]) -> None:
    result = RUNNER.invoke(app, [part.format(folder=user_folder) for part in command])
    assert result.exit_code == 3, result.output
    assert "not a folder ekipgraph wrote" in " ".join(result.output.split())
    assert (user_folder / "chapter-1.md").read_text() == "months of work"


def test_the_working_folder_is_refused(user_folder: Path, monkeypatch) -> None:
    monkeypatch.chdir(user_folder)
    result = RUNNER.invoke(app, ["build", "-o", "."])
    assert (result.exit_code == 3 and result.exception is None) or isinstance(
        result.exception, SystemExit
    )
    assert "refusing to replace the working folder" in " ".join(result.output.split())
    assert (user_folder / "chapter-1.md").exists()


@pytest.mark.parametrize("where", [".", "data", "data/cases", "ontology", ".."])
def test_the_project_and_its_sources_are_refused(where: str) -> None:
    root = default_layout().root
    with pytest.raises(OutputFolderError, match="refusing"):
        check_output_folder(root / where)
    result = subprocess.run(
        [sys.executable, "-m", "ekipgraph", "build", "-o", str(root / where)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3 and "Traceback" not in result.stderr, result.stderr


def test_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("a file")
    result = RUNNER.invoke(app, ["build", "-o", str(target)])
    assert result.exit_code == 3 and "is a file" in result.output
    assert target.read_text() == "a file"


def test_own_output_is_replaced_in_one_step(tmp_path: Path) -> None:
    target = tmp_path / "dist" / "dataset"
    with replace_directory(target) as staging:
        (staging / "a.txt").write_text("old")
    assert (target / MARKER).is_file()
    with replace_directory(target) as staging:
        (staging / "a.txt").write_text("new")
    assert (target / "a.txt").read_text() == "new"
    # a folder holding only ekipgraph outputs (dist/ after `build`) may be replaced whole
    check_output_folder(tmp_path / "dist")
    assert sorted(p.name for p in target.parent.iterdir()) == ["dataset"]


def test_stale_staging_and_an_interrupted_swap_are_cleaned_up(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = int(finished.stdout)
    target = tmp_path / "dataset"
    stale = tmp_path / f".dataset.staging-{dead}-abc123"
    stale.mkdir()
    (stale / "half.nq").write_text("half")
    previous = tmp_path / ".dataset.previous"  # killed between the two renames of a swap
    previous.mkdir()
    (previous / MARKER).write_text("{}")
    (previous / "a.txt").write_text("old")
    check_output_folder(target)
    with replace_directory(target) as staging:
        assert (target / "a.txt").read_text() == "old"  # put back before anything else
        (staging / "a.txt").write_text("new")
    assert (target / "a.txt").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset"]


def test_run_replaces_its_whole_folder_in_one_step(tmp_path: Path) -> None:
    """`run` swapped dataset/, ontology/ and patterns/ one by one; it now swaps OUT whole."""
    out = tmp_path / "dist"
    out.mkdir()
    (out / MARKER).write_text("{}")  # an earlier run's output
    (out / "from-an-earlier-run.txt").write_text("old")
    inode = out.stat().st_ino
    result = subprocess.run(
        [sys.executable, "-m", "ekipgraph", "run", "--no-reasoner", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "dataset", "ontology", "patterns"]
    assert out.stat().st_ino != inode  # a new folder took the old one's place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]  # no staging left
