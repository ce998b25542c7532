"""Adding a valid case to data/ keeps the build and the library's answers right: a copy of the
project in a temporary folder gets one more case (a copy of a real case under a new id, marked
synthetic, never written to data/), and the build and the per-city counts follow it."""

from __future__ import annotations

import shutil
from pathlib import Path

from ruamel.yaml import YAML

from ekipgraph.build import build_from_layout
from ekipgraph.library import QueryLibrary
from ekipgraph.project import ProjectLayout
from ekipgraph.store import EmbeddedStore

ID = "https://w3id.org/ekip/id/case/"
NEW_CASE = "synthetic-rotterdam-ai-copy"


def _grown_project(layout: ProjectLayout, target: Path) -> ProjectLayout:
    for folder in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(layout.root / folder, target / folder)
    text = (layout.data_dir / "cases" / "rotterdam-ai.yaml").read_text(encoding="utf-8")
    assert "\nid: rotterdam-ai\n" in text
    text = text.replace("\nid: rotterdam-ai\n", f"\nid: {NEW_CASE}\n", 1)
    text = text.replace('\ntitle: {en: "', '\ntitle: {en: "Synthetic copy of ', 1)
    (target / "data" / "cases" / f"{NEW_CASE}.yaml").write_text(text, encoding="utf-8")
    return ProjectLayout(root=target)


def test_one_more_case_is_built_and_counted(layout: ProjectLayout, tmp_path: Path) -> None:
    grown = _grown_project(layout, tmp_path / "project")
    assert not (layout.data_dir / "cases" / f"{NEW_CASE}.yaml").exists()
    store = EmbeddedStore.from_nquads(build_from_layout(grown).nquads)
    cases = [
        YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
        for path in sorted((grown.data_dir / "cases").glob("*.yaml"))
    ]
    expected: dict[tuple[str, str], set[str]] = {}
    for case in cases:
        for area in case["policy_areas"]:
            expected.setdefault((case["city"], area), set()).add(ID + case["id"])
    query = QueryLibrary(grown.queries_dir).get("cases-per-city-and-policy-area")
    got = {
        (str(row["city"]).rsplit("/", 1)[-1], str(row["policyArea"]).rsplit("/", 1)[-1]): row
        for row in store.query(query.bind({})).rows()
    }
    assert set(got) == set(expected)
    for key, row in got.items():
        assert int(row["cases"]) == len(expected[key])
        assert set(str(row["caseIris"]).split()) == expected[key]
    assert any(ID + NEW_CASE in iris for iris in expected.values())
