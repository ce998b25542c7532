"""Symptom: every build spent seconds re-running SHACL-for-SHACL over unchanged shapes.

The lint's cache key hashed the TBox's statements including blank nodes, whose labels are new
on every parse, so the key never repeated and the cached lint was never found.
"""

from __future__ import annotations

from pathlib import Path

from ekipgraph.cache import Cache
from ekipgraph.ontology import load_tbox
from ekipgraph.project import default_layout
from ekipgraph.shapes import load_shapes


def _lint_entries(folder: Path) -> list[Path]:
    return sorted((folder / "shapes-lint").rglob("*.pickle"))


def test_the_shapes_lint_is_found_in_the_cache_after_a_fresh_parse(tmp_path: Path) -> None:
    layout = default_layout()
    cache = Cache(tmp_path)
    load_shapes(layout.shapes_dir, tbox=load_tbox(layout), cache=cache)
    first = _lint_entries(tmp_path)
    assert len(first) == 1
    # a new parse of the same files: new blank-node labels, the same key
    load_shapes(layout.shapes_dir, tbox=load_tbox(layout), cache=cache)
    assert _lint_entries(tmp_path) == first
