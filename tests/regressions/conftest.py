"""Helpers of the regression tests: load a data folder and see its problems as text; the
sample dataset published as a static release."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_support import sample_store
from webservers import public_temp_folder

from ekipgraph.cases import AuthoringError, ConceptIndex, load_corpus
from ekipgraph.publish import publish


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


@pytest.fixture(scope="session")
def published_sample() -> Iterator[Path]:
    """The sample dataset published under a strict umask (077), in a folder others may
    enter: the modes of the release must not depend on the umask."""
    parent = public_temp_folder("ekip-regression-publish-")
    out = parent / "site"
    previous = os.umask(0o077)
    try:
        publish(out, sample_store(), site_url="https://ekip.example.org")
    finally:
        os.umask(previous)
    yield out
    shutil.rmtree(parent, ignore_errors=True)
