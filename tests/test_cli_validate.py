"""``ekipgraph validate`` and ``build`` on the command line: exit codes, file:line, atomicity."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ekipgraph.atomic import MARKER
from ekipgraph.cli import app

RUNNER = CliRunner()


def test_real_data_validates_with_exit_code_zero() -> None:
    result = RUNNER.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "0 violations" in result.output


def test_kitchen_sink_validates_and_reports_json(kitchen_sink: Path) -> None:
    result = RUNNER.invoke(app, ["validate", str(kitchen_sink), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["conforms"] is True
    assert report["authoring_problems"] == []


def test_broken_case_names_file_line_and_field(corpus_copy: Path) -> None:
    case = next((corpus_copy / "cases").glob("*.yaml"))
    lines = case.read_text().splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("city:"))
    lines[number] = "city: atlantis"
    case.write_text("\n".join(lines) + "\n")
    result = RUNNER.invoke(app, ["validate", str(case)])
    assert result.exit_code == 1, result.output
    assert f"{case.name}:{number + 1}:" in result.output.replace("\n", "")
    assert "atlantis" in result.output


def test_a_folder_that_is_not_data_cannot_be_loaded(tmp_path: Path) -> None:
    result = RUNNER.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a data folder" in result.output


def test_build_writes_nothing_when_the_data_is_broken(corpus_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    out.mkdir()
    (out / MARKER).write_text("{}")  # an earlier build's output
    (out / "keep.txt").write_text("previous release")
    case = next((corpus_copy / "cases").glob("*.yaml"))
    case.write_text(case.read_text() + "unknown_key: 1\n")
    result = RUNNER.invoke(app, ["build", "--out", str(out), "--data", str(corpus_copy)])
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "keep.txt"]


def test_build_writes_the_dataset(kitchen_sink: Path, tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    result = RUNNER.invoke(app, ["build", "--out", str(out), "--data", str(kitchen_sink)])
    assert result.exit_code == 0, result.output
    assert (out / "ekip.nq").read_text().count("\n") > 100
    assert (out / "ekip.trig").exists()


def test_malformed_yaml_cannot_be_loaded_exit_two(corpus_copy: Path) -> None:
    case = next((corpus_copy / "cases").glob("*.yaml"))
    case.write_text(case.read_text() + "broken: [unclosed\n")
    result = RUNNER.invoke(app, ["validate", str(corpus_copy)])
    assert result.exit_code == 2, result.output
    assert "malformed YAML" in result.output
    assert case.name in result.output.replace("\n", "")
