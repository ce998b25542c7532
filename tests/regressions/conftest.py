"""Helpers of the regression tests: load a data folder and see its problems as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from ekipgraph.cases import AuthoringError, ConceptIndex, load_corpus


@pytest.fixture
def problems_of(concepts: ConceptIndex):
    """``problems_of(data_dir)``: every authoring problem as ``file:line:col: message`` lines
    (an empty list when the folder loads)."""

    def load(data_dir: Path) -> list[str]:
        try:
            load_corpus(data_dir, concepts)
        except AuthoringError as error:
            return [str(problem.relative_to(data_dir)) for problem in error.problems]
        return []

    return load
