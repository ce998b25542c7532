"""Files the data folder holds but never reads (a notes.txt in cases/, a readme.md in
shared/) are reported as warnings by validate and build, on every run: also when every case
is cached and the corpus is not loaded at all. They never change the exit code."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ekipgraph.cli import app
from ekipgraph.project import ProjectLayout

runner = CliRunner()

CASE_WARNING = (
    "project/data/cases/notes.txt:1:1: warning: ignored: a case is a .yaml, .ttl or .jsonld file"
)
SHARED_WARNING = "project/data/shared/readme.md:1:1: warning: ignored: not a YAML file"


@pytest.fixture
def project(synthetic_home: Callable[..., ProjectLayout]) -> ProjectLayout:
    """A synthetic project (the working folder holds it as project/) with two stray files."""
    layout = synthetic_home(2, 11)
    (layout.data_dir / "cases" / "notes.txt").write_text("hi\n", encoding="utf-8")
    (layout.data_dir / "shared" / "readme.md").write_text("# about\n", encoding="utf-8")
    return layout


def _without_loading_the_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make a run that loads the corpus fail: the next run must be served from the cache."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("load_corpus was called; the run was not served from the cache")

    monkeypatch.setattr("ekipgraph.compiled.load_corpus", refuse)


def _lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines()]


@pytest.mark.parametrize(
    "command", [["validate"], ["build", "--out", "dataset"]], ids=["validate", "build"]
)
def test_ignored_files_are_reported_on_the_first_and_the_cached_run(
    project: ProjectLayout, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    first = runner.invoke(app, command)
    assert first.exit_code == 0, first.output
    assert CASE_WARNING in _lines(first.output)
    assert SHARED_WARNING in _lines(first.output)

    _without_loading_the_corpus(monkeypatch)
    again = runner.invoke(app, command)
    assert again.exit_code == 0, again.output
    assert CASE_WARNING in _lines(again.output)
    assert SHARED_WARNING in _lines(again.output)


def test_a_stray_file_in_cases_does_not_make_a_run_load_the_corpus(
    synthetic_home: Callable[..., ProjectLayout], monkeypatch: pytest.MonkeyPatch
) -> None:
    layout = synthetic_home(2, 12)
    assert runner.invoke(app, ["validate"]).exit_code == 0
    # shared/ is part of every chunk's key, cases/ only through the case files themselves
    (layout.data_dir / "cases" / "notes.txt").write_text("hi\n", encoding="utf-8")
    _without_loading_the_corpus(monkeypatch)
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert CASE_WARNING in _lines(result.output)


def test_ignored_files_are_in_the_json_report(project: ProjectLayout) -> None:
    for _ in range(2):  # first run and cached run
        result = runner.invoke(app, ["validate", "--format", "json"])
        assert result.exit_code == 0, result.output
        report = json.loads(result.output)
        assert report["authoring_warnings"] == [CASE_WARNING, SHARED_WARNING]
        assert report["conforms"] is True
        assert report["authoring_problems"] == []


def test_ignored_files_are_reported_with_the_authoring_errors(project: ProjectLayout) -> None:
    case = sorted((project.data_dir / "cases").glob("*.yaml"))[0]
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace('city: "', 'city: "not-a-city-', 1), encoding="utf-8")
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 1, result.output
    lines = _lines(result.output)
    assert CASE_WARNING in lines and SHARED_WARNING in lines
    assert case.name in result.output


def test_a_file_name_with_markup_is_printed_as_it_is(project: ProjectLayout) -> None:
    # a closing tag ([/]) cannot be in a file name; an opening one is markup all the same
    (project.data_dir / "cases" / "[bold red]x.txt").write_text("hi\n", encoding="utf-8")
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert (
        "project/data/cases/[bold red]x.txt:1:1: warning: ignored: a case is a .yaml, .ttl "
        "or .jsonld file" in _lines(result.output)
    )


def test_ignored_files_never_change_the_exit_code(tmp_path: Path) -> None:
    from ekipgraph.validate import CONFORMS, ValidationReport

    report = ValidationReport(tmp_path, authoring_warnings=[CASE_WARNING])
    assert report.exit_code() == CONFORMS
    assert report.exit_code(strict=True) == CONFORMS


def test_ignored_files_come_from_the_listing_alone(tmp_path: Path) -> None:
    from ekipgraph.cases.corpus import ignored_files

    for name in ("cases/a.yaml", "cases/b.ttl", "cases/c.jsonld", "cases/d.yml", "cases/.e"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"\xff not even text")
    (tmp_path / "cases" / "notes.txt").write_text("hi\n", encoding="utf-8")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "cities.yaml").write_text("cities: [", encoding="utf-8")
    (tmp_path / "shared" / "other.yml").write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "shared" / "readme.md").write_text("# about\n", encoding="utf-8")
    found = [str(p.relative_to(tmp_path)) for p in ignored_files(tmp_path)]
    assert found == [
        "cases/notes.txt:1:1: warning: ignored: a case is a .yaml, .ttl or .jsonld file",
        "shared/readme.md:1:1: warning: ignored: not a YAML file",
    ]
    assert ignored_files(tmp_path / "nowhere") == []
