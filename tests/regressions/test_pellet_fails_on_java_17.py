"""Symptom: Pellet through owlready2 failed on Debian 12's Java 17 (a class-version error:
the owlready2 versions `>=0.47` resolved to ship a Pellet built for a newer Java), so only
HermiT could check the ontology."""

from __future__ import annotations

import shutil

import pytest

from ekipgraph.checks import run_all
from ekipgraph.checks.model import Family
from ekipgraph.project import default_layout


@pytest.mark.java
@pytest.mark.skipif(shutil.which("java") is None, reason="no `java` on PATH")
def test_pellet_checks_the_real_ontology_and_vocabularies() -> None:
    layout = default_layout()
    report = run_all(
        layout.ontology_file, layout.vocab_files(), with_reasoner=True, reasoner_engine="pellet"
    )
    findings = report.by_family(Family.REASONER)
    assert [f.id for f in findings] == ["consistency", "unsatisfiable_classes"]
    for finding in findings:
        assert finding.passed, finding.message
        assert "Pellet" in finding.message
