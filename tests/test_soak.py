"""A bounded soak of ``ekipgraph serve`` on loopback (the long run against the Oxigraph
server is ``make bench``: benchmarks/soak.py): many clients mixing lookups, library
queries, entity pages and hostile requests. No crash, no lost response, no 5xx, memory
flat; the p99 is printed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from soak import soak_ekipgraph

from ekipgraph.connect import built_nquads

CLIENTS, SECONDS = 16, 15


def test_soak(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = soak_ekipgraph(built_nquads(), tmp_path, CLIENTS, SECONDS, workers=2)
    with capsys.disabled():
        print("\n" + "\n".join(report.lines()))
    assert not report.crashed
    assert report.lost == 0
    assert report.requests > 100
    assert not [code for code in report.statuses if code >= 500], report.statuses
    assert report.statuses[200] > 0.8 * report.requests
    # hostile requests were in the mix and were all refused with 4xx
    assert report.statuses[400] > 0 and report.statuses[413] > 0
    _start, middle, end = report.memory_mb
    assert end < middle * 1.3 + 50, report.memory_mb
