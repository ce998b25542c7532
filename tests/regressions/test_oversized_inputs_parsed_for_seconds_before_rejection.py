"""An 8 MB string took 9 s and a 120,000-item list 36 s to reject: both were parsed first.
The size limits of authoring files (ekipgraph.cases.inputs) are now checked on the raw bytes,
before any parser runs, and the message states the limit."""

from __future__ import annotations

from pathlib import Path

MAX_BYTES, MAX_LINES = 4 * 1024 * 1024, 50_000  # ekipgraph.cases.inputs.CASE_FILE_LIMITS


def _case(corpus_copy: Path) -> Path:
    return corpus_copy / "cases" / "exampleton-ai.yaml"


def test_an_8_mb_string_is_refused_by_its_size(corpus_copy: Path, problems_of) -> None:
    case = _case(corpus_copy)
    case.write_text(case.read_text() + "notes: " + "a" * 8_000_000 + "\n")
    (problem,) = [p for p in problems_of(corpus_copy) if "exampleton-ai" in p]
    assert problem.startswith("cases/exampleton-ai.yaml:1:1: cannot read the file: ")
    assert f"more than the limit of {MAX_BYTES:,} bytes" in problem


def test_a_120k_item_list_is_refused_by_its_lines(corpus_copy: Path, problems_of) -> None:
    case = _case(corpus_copy)
    case.write_text(case.read_text() + "extra:\n" + "  - a\n" * 120_000)
    (problem,) = [p for p in problems_of(corpus_copy) if "exampleton-ai" in p]
    assert f"more than the limit of {MAX_LINES:,} lines" in problem


def test_a_120k_item_flow_list_is_refused_by_its_line_length(
    corpus_copy: Path, problems_of
) -> None:
    case = _case(corpus_copy)
    case.write_text(case.read_text() + "extra: [" + "a, " * 120_000 + "]\n")
    (problem,) = [p for p in problems_of(corpus_copy) if "exampleton-ai" in p]
    assert "is longer than the limit of 65,536 characters" in problem


def test_deep_nesting_is_refused_with_a_position(corpus_copy: Path, problems_of) -> None:
    case = _case(corpus_copy)
    case.write_text(case.read_text() + "extra: " + "[" * 100 + "]" * 100 + "\n")
    (problem,) = [p for p in problems_of(corpus_copy) if "exampleton-ai" in p]
    assert "the YAML is nested too deeply" in problem
