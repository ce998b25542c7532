"""The built store is patched, not bulk-loaded again: a build after an edit makes the new
store from the previous one (a hard-linked checkpoint) by removing and adding the quads that
changed, and the result holds exactly the quads of ``ekip.nq``, as a bulk load would."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from ekipgraph.built import (
    MANIFEST_FILE,
    NQUADS_FILE,
    OXIGRAPH_DIR,
    Manifest,
    default_store_dir,
    store_status,
    write_built_store,
)
from ekipgraph.cli import app
from ekipgraph.project import ProjectLayout


def canonical(quads: Iterable[ox.Quad]) -> set[str]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(quad) for quad in dataset}


def store_quads(store_dir: Path) -> set[str]:
    store = ox.Store.read_only(str(store_dir / OXIGRAPH_DIR))
    return canonical(store)


def text_quads(nquads: str) -> set[str]:
    """The quads of ``nquads`` as a store holds them (it writes some typed literals in their
    canonical form, e.g. ``"01"^^xsd:integer`` as ``"1"``)."""
    store = ox.Store()
    store.extend(ox.parse(input=nquads, format=ox.RdfFormat.N_QUADS))
    return canonical(store)


@pytest.fixture
def built(synthetic_home) -> Path:
    synthetic_home(3, seed=7)
    result = CliRunner().invoke(app, ["build", "--out", "dist/dataset"])
    assert result.exit_code == 0, result.output
    return default_store_dir(ProjectLayout(Path.cwd() / "project"))


def rewrite(store_dir: Path, nquads: str) -> str:
    said: list[str] = []
    manifest = Manifest.read(store_dir / MANIFEST_FILE)
    assert manifest is not None
    write_built_store(store_dir, nquads, manifest, progress=said.append)
    assert (store_dir / NQUADS_FILE).read_text(encoding="utf-8") == nquads
    assert store_quads(store_dir) == text_quads(nquads)
    return said[0]


def test_a_small_change_patches_the_previous_store_to_exactly_the_new_quads(built: Path) -> None:
    lines = (built / NQUADS_FILE).read_text(encoding="utf-8").splitlines()
    title = next(i for i, line in enumerate(lines) if "/title>" in line and "case-00002" in line)
    lines[title] = lines[title].replace('"Synthetic case', '"Synthetic patched case', 1)
    lines.append('<https://example.org/new> <https://example.org/p> "added" .')
    dropped = lines.pop(0)
    assert "_:" not in dropped + lines[title]
    said = rewrite(built, "\n".join(sorted(lines)) + "\n")
    assert said.endswith("2 removed and 2 added to the previous store"), said
    assert rewrite(built, "\n".join(sorted(lines)) + "\n").endswith(
        "0 removed and 0 added to the previous store"
    )


def test_a_change_to_blank_nodes_or_to_most_quads_is_loaded_whole(built: Path) -> None:
    lines = (built / NQUADS_FILE).read_text(encoding="utf-8").splitlines()
    blank = next(i for i, line in enumerate(lines) if line.startswith("_:"))
    changed = lines[:blank] + lines[blank + 1 :]
    assert rewrite(built, "\n".join(changed) + "\n").endswith("bulk loaded")
    fewer = "\n".join(changed[: len(changed) // 3]) + "\n"
    assert rewrite(built, fewer).endswith("bulk loaded")


def test_an_edited_case_builds_a_store_equal_to_its_dump(built: Path) -> None:
    project = ProjectLayout(Path.cwd() / "project")
    case = project.data_dir / "cases" / "synthetic-case-00001.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("Synthetic case", "Synthetic edited case", 1), encoding="utf-8")
    (project.data_dir / "cases" / "synthetic-case-00003.yaml").unlink()
    result = CliRunner().invoke(app, ["build", "--out", "dist/dataset"])
    assert result.exit_code == 0, result.output
    dump = Path("dist/dataset/ekip.nq").read_text(encoding="utf-8")
    assert "Synthetic edited case" in dump and "synthetic-case-00003" not in dump
    assert (built / NQUADS_FILE).read_text(encoding="utf-8") == dump
    assert store_quads(built) == text_quads(dump)
    assert store_status(project) == []
