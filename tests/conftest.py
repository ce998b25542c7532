"""Shared fixtures: the real concept schemes and the kitchen-sink corpus of the authoring format."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from ekipgraph.cases import ConceptIndex
from ekipgraph.project import ProjectLayout, default_layout

KITCHEN_SINK = Path(__file__).parent / "fixtures" / "cases" / "kitchen-sink"


@pytest.fixture(scope="session")
def layout() -> ProjectLayout:
    return default_layout()


@pytest.fixture(scope="session")
def concepts(layout: ProjectLayout) -> ConceptIndex:
    """The concept ids of the real schemes in ontology/vocab/."""
    return ConceptIndex.from_layout(layout)


@pytest.fixture(scope="session")
def kitchen_sink() -> Path:
    """The kitchen-sink data folder (read only: copy it with ``corpus_copy`` to change it)."""
    return KITCHEN_SINK


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the kitchen-sink data folder."""
    target = tmp_path / "data"
    shutil.copytree(KITCHEN_SINK, target)
    return target


@pytest.fixture(scope="session")
def virtuoso():
    """Virtuoso open source on 127.0.0.1 (started once per run; see virtuoso_support)."""
    from virtuoso_support import running_virtuoso, virtuoso_installed

    if not virtuoso_installed():
        print("Virtuoso tests skipped: apt-get install virtuoso-opensource")
        pytest.skip("Virtuoso is not installed (Debian: apt-get install virtuoso-opensource)")
    with running_virtuoso() as server:
        yield server


@pytest.fixture
def synthetic_home(
    tmp_path: Path, layout: ProjectLayout, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., ProjectLayout]:
    """``synthetic_home(cases, seed)``: a synthetic project as ``EKIPGRAPH_HOME``, with a cache
    of its own and the working folder in ``tmp_path``, as a user of a fork would run it."""
    from ekipgraph.synth import synthesise

    def make(cases: int, seed: int) -> ProjectLayout:
        project = synthesise(cases, tmp_path / "project", seed=seed, source=layout)
        monkeypatch.setenv("EKIPGRAPH_HOME", str(project.root))
        monkeypatch.setenv("EKIPGRAPH_CACHE", str(tmp_path / "cache"))
        monkeypatch.chdir(tmp_path)
        return project

    return make
