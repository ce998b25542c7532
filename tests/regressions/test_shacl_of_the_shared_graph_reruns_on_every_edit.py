"""Editing one case re-ran pySHACL over the TBox and the whole shared graph on every build
(35 s of a 55 s incremental build at 300 cases): the cache key of the SHACL results hashed
the shapes and the TBox statement by statement, blank-node labels included, and rdflib gives
blank nodes new labels on every parse, so no key ever matched a previous run's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ekipgraph import shacl_split
from ekipgraph.build import build_from_layout
from ekipgraph.cache import Cache
from ekipgraph.compiled import compile_data
from ekipgraph.ontology import load_tbox
from ekipgraph.project import ProjectLayout
from ekipgraph.shapes import load_shapes


def _entries(cache_dir: Path, namespace: str) -> int:
    return sum(1 for _ in (cache_dir / namespace).rglob("*.pickle"))


def test_the_shapes_and_tbox_hash_the_same_on_every_parse(layout: ProjectLayout) -> None:
    first, second = load_tbox(layout), load_tbox(layout)
    assert {t for t in first} != {t for t in second}  # new blank-node labels each parse
    assert shacl_split.graph_digest(first) == shacl_split.graph_digest(second)
    shapes = [load_shapes(layout.shapes_dir, lint=False) for _ in range(2)]
    assert shacl_split.graph_digest(shapes[0]) == shacl_split.graph_digest(shapes[1])
    # and a real change is still a new hash
    changed = load_tbox(layout)
    changed.remove(next(iter(changed)))
    assert shacl_split.graph_digest(changed) != shacl_split.graph_digest(first)


def test_validating_again_with_freshly_parsed_shapes_reuses_every_result(
    synthetic_home: Callable[..., ProjectLayout], tmp_path: Path
) -> None:
    project = synthetic_home(3, 2)
    cache_dir = tmp_path / "split-cache"
    for _ in range(2):  # each round parses everything anew, as each build does
        dataset = build_from_layout(project, infer=False).built.dataset
        shapes = load_shapes(project.shapes_dir, lint=False)
        shacl_split.validate_split(dataset, shapes, cache=Cache(cache_dir), workers=1)
        assert _entries(cache_dir, "shacl-shared") == 1
        assert _entries(cache_dir, "shacl-case") == 3


def test_an_edited_case_does_not_validate_the_shared_graph_again(
    synthetic_home: Callable[..., ProjectLayout], tmp_path: Path
) -> None:
    project = synthetic_home(4, 3)
    cache_dir = tmp_path / "build-cache"

    def compile_once() -> None:
        cache = Cache(cache_dir)
        shapes = load_shapes(project.shapes_dir, tbox=load_tbox(project), cache=cache)
        assert compile_data(project, shapes=shapes, cache=cache).dataset is not None

    compile_once()
    case = sorted((project.data_dir / "cases").glob("*.yaml"))[1]
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("Synthetic case", "Synthetic edited case", 1), encoding="utf-8")
    compile_once()
    assert _entries(cache_dir, "shacl-shared") == 1  # the shared run of the first build
    assert _entries(cache_dir, "shacl-case") == 5  # four cases, then the edited one
