"""A copy of a project, built with the same cache, reported its SHACL results at the file
paths of the other copy: a compiled chunk records where its entities were written (absolute
paths), but its cache key hashed only the files' contents, so both copies shared chunks."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from ekipgraph.project import ProjectLayout
from ekipgraph.validate import validate_incremental


def test_each_copy_reports_its_own_files(
    synthetic_home: Callable[..., ProjectLayout], tmp_path: Path
) -> None:
    first = synthetic_home(2, 4)
    copy = ProjectLayout(tmp_path / "copy")
    shutil.copytree(first.root, copy.root)
    for project in (first, copy):
        report = validate_incremental(project)
        assert report.compiled is not None and report.rows  # the corpus has warnings
        files = {row.file for row in report.rows if row.file}
        assert files, "no result was located"
        inside = str(project.data_dir.resolve())
        assert all(Path(f).resolve().as_posix().startswith(inside) for f in files), files
