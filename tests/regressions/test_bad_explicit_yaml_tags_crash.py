"""`!!bool maybe` (and other explicitly tagged scalars the tag does not fit) ended in a
traceback from the YAML constructor. It is now kept as text, and the field's own check says
what is wrong, with its line."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.parametrize("value", ["!!bool maybe", "!!int 0xZZ", "!!float abc", "!!timestamp nope"])
def test_a_tagged_scalar_that_is_not_its_tag(corpus_copy: Path, problems_of, value: str) -> None:
    path = corpus_copy / "cases" / "exampleton-ai.yaml"
    path.write_text(path.read_text().replace("year: 2025", f"year: {value}"))
    problems = problems_of(corpus_copy)
    assert any(p.startswith("cases/exampleton-ai.yaml:7:") for p in problems), problems
