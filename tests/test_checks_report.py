"""The result model: what fails a report, JSON output and the rich rendering."""

from __future__ import annotations

import json

import pytest
from rdflib.namespace import DCTERMS, RDFS
from rich.console import Console
from test_checks_twins import ONT, E, check, good_graph, twin

from ekipgraph.checks import render
from ekipgraph.checks.model import (
    CRITICAL,
    ERROR,
    FAIL,
    IMPORTANT,
    INFO,
    MINOR,
    PASS,
    WARN,
    CheckReport,
    Family,
    Finding,
)


def finding(family, level, passed=False, **extra):
    return Finding(family, "X1", "test", level, passed, "message", **extra)


@pytest.mark.parametrize(
    ("family", "level", "blocking"),
    [
        (Family.FOOPS, FAIL, True),
        (Family.OOPS, CRITICAL, True),
        (Family.OOPS, IMPORTANT, True),
        (Family.OOPS, MINOR, False),
        (Family.ROBOT, ERROR, True),
        (Family.ROBOT, WARN, False),
        (Family.ROBOT, INFO, False),
        (Family.REASONER, ERROR, True),
        (Family.NAMESPACE, CRITICAL, True),
    ],
)
def test_which_failures_fail_the_report(family, level, blocking):
    report = CheckReport([finding(family, level)])
    assert report.failed is blocking


def test_passed_advisory_and_skipped_findings_never_fail():
    report = CheckReport(
        [
            finding(Family.FOOPS, PASS, passed=True),
            finding(Family.OOPS, IMPORTANT, advisory=True),
            finding(Family.REASONER, ERROR, skipped=True),
        ]
    )
    assert not report.failed
    assert len(report.warnings) == 1 and len(report.skipped) == 1


def test_report_json_lists_every_finding_with_its_status():
    report = check(twin(remove=[(ONT, DCTERMS.license, None)]))
    data = json.loads(report.to_json())
    assert data["failed"] is True
    om41 = next(f for f in data["findings"] if f["id"] == "OM4.1")
    assert om41["status"] == "FAIL" and om41["family"] == "FOOPS"
    assert data["summary"].startswith("FAILED")


def test_render_groups_by_family_and_ends_with_a_summary():
    report = check(twin(remove=[(E.Place, RDFS.label, None)]))
    console = Console(record=True, width=140)
    render(report, console)
    text = console.export_text()
    positions = [text.index(f"{family} ·") for family in ("FOOPS", "OOPS", "ROBOT", "NAMESPACE")]
    assert positions == sorted(positions)
    assert "missing_label" in text and "ekip:Place" in text
    assert text.strip().splitlines()[-1].startswith("FAILED:")


def test_summary_of_the_good_twin():
    summary = check(good_graph()).summary()
    assert summary.startswith("PASSED: 76 checks, 76 passed, 0 failed, 0 warnings")


def test_get_finds_a_finding_by_id_and_source():
    report = check(good_graph())
    assert report.get("missing_label", "policy-area.ttl").source == "policy-area.ttl"
    with pytest.raises(KeyError):
        report.get("P99")
