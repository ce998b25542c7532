"""``ekipgraph check`` checks ontology/patterns.ttl like ekip.ttl: the real file passes, and a
broken twin of it (a term without a label, terms in someone else's namespace, another
ontology IRI) fails the check with findings that name patterns.ttl."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS
from test_checks_twins import rename
from typer.testing import CliRunner

from ekipgraph.checks import CheckReport, run_all
from ekipgraph.cli import app
from ekipgraph.namespaces import EKIPP, PATTERNS_ONTOLOGY_IRI
from ekipgraph.project import ProjectLayout, default_layout

LAYOUT = default_layout()
[PATTERNS] = LAYOUT.module_files
PROV_CITY = URIRef("http://www.w3.org/ns/prov#city")


def check(module: Path) -> CheckReport:
    return run_all(LAYOUT.ontology_file, module_paths=[module], with_reasoner=False)


def broken_twin(folder: Path, change) -> Path:
    graph = Graph().parse(PATTERNS)
    changed = change(graph)
    twin = folder / "patterns.ttl"  # the file name gives the expected IRI and namespace
    (changed if changed is not None else graph).serialize(twin, format="turtle")
    return twin


def failures_naming(report: CheckReport, name: str) -> list:
    return [f for f in report.failures if Path(f.source).name == name or name in f.message]


def test_the_real_patterns_ontology_passes_and_is_checked_by_every_family() -> None:
    report = check(PATTERNS)
    assert not report.failed, [(f.id, f.source, f.message) for f in report.failures]
    families = {str(f.family) for f in report.findings if Path(f.source).name == "patterns.ttl"}
    assert {"FOOPS", "OOPS", "ROBOT"} <= families


@pytest.mark.parametrize(
    ("case", "change", "check_ids", "term"),
    [
        (
            "a term without a label",
            lambda g: g.remove((EKIPP.sharedItem, RDFS.label, None)),
            {"missing_label", "VOC3"},
            EKIPP.sharedItem,
        ),
        (
            "a term in PROV-O's namespace",
            lambda g: rename(g, EKIPP.city, PROV_CITY),
            {"P40"},
            PROV_CITY,
        ),
        (
            "another ontology IRI",
            lambda g: rename(g, PATTERNS_ONTOLOGY_IRI, URIRef("https://example.org/patterns")),
            {"URI2"},
            None,
        ),
    ],
)
def test_a_broken_twin_fails_naming_patterns_ttl(
    tmp_path: Path, case: str, change, check_ids: set[str], term: URIRef | None
) -> None:
    report = check(broken_twin(tmp_path, change))
    assert report.failed, case
    named = failures_naming(report, "patterns.ttl")
    assert {f.id for f in named} & check_ids, (case, [(f.id, f.source) for f in report.failures])
    if term is not None:
        assert any(str(term) in f.terms or str(term) in f.message for f in named), case
    # ekip.ttl itself is untouched and still passes
    assert not [f for f in report.failures if Path(f.source).name == "ekip.ttl"]


def test_ekipgraph_check_fails_on_a_broken_patterns_ttl_and_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "project"
    shutil.copytree(LAYOUT.root / "ontology", home / "ontology")
    project = ProjectLayout(home)
    [module] = project.module_files
    broken_twin(module.parent, lambda g: g.remove((EKIPP.sharedItem, RDFS.label, None)))
    monkeypatch.setenv("EKIPGRAPH_HOME", str(home))
    arguments = ["check", "--no-reasoner", "--no-owl-profile", "--format", "json"]
    outcome = CliRunner().invoke(app, arguments)
    assert outcome.exit_code == 1, outcome.output
    findings = json.loads(outcome.stdout)["findings"]
    failed = [f for f in findings if not f["passed"] and f["source"] == str(module)]
    assert failed and any(str(EKIPP.sharedItem) in " ".join(f["terms"]) for f in failed)
    # and the project's own file passes the same command
    shutil.copy(LAYOUT.module_files[0], module)
    assert CliRunner().invoke(app, arguments).exit_code == 0
