"""A FIFO in data/cases made validate hang for ever; a symbolic link that loops, or one that
leads out of the data folder, was followed. Every input that is not a regular file inside the
data folder is now refused with a clear error, at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _validate(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ekipgraph", "validate", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=data_dir.parent,
    )


def test_a_fifo_is_refused_not_waited_for(corpus_copy: Path) -> None:
    os.mkfifo(corpus_copy / "cases" / "waiting.yaml")
    result = _validate(corpus_copy)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert (
        "cases/waiting.yaml:1:1: cannot read the file: it is a named pipe (FIFO)"
        in (result.stdout.replace("\n", " ").replace("  ", " "))
        or "named pipe (FIFO)" in result.stdout
    )


def test_a_fifo_among_the_shared_files_is_refused(corpus_copy: Path, problems_of) -> None:
    (corpus_copy / "shared" / "projects.yaml").unlink()
    os.mkfifo(corpus_copy / "shared" / "projects.yaml")
    assert any(
        "shared/projects.yaml:1:1: cannot read the file" in p for p in problems_of(corpus_copy)
    )


def test_a_symbolic_link_loop_is_refused(corpus_copy: Path, problems_of) -> None:
    loop = corpus_copy / "cases" / "loop.yaml"
    loop.symlink_to(loop)
    assert "cases/loop.yaml:1:1: cannot read the file: a symbolic link that loops" in (
        problems_of(corpus_copy)
    )


def test_a_symbolic_link_out_of_the_data_folder_is_refused(
    corpus_copy: Path, tmp_path: Path, problems_of
) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text((corpus_copy / "cases" / "exampleton-ai.yaml").read_text())
    (corpus_copy / "cases" / "exampleton-ai.yaml").unlink()
    (corpus_copy / "cases" / "exampleton-ai.yaml").symlink_to(outside)
    assert any(
        "cases/exampleton-ai.yaml:1:1: cannot read the file: a symbolic link to a file outside" in p
        for p in problems_of(corpus_copy)
    )


def test_a_folder_named_like_a_case_is_refused(corpus_copy: Path, problems_of) -> None:
    (corpus_copy / "cases" / "folder.yaml").mkdir()
    assert (
        "cases/folder.yaml:1:1: cannot read the file: it is a folder, not a regular file"
        in problems_of(corpus_copy)
    )
