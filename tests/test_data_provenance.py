"""Where each finding of the real data comes from: every need, strength and gap of a case
rests on at least one source that speaks for the case (its City Case Description page, a
report of the workshop behind it, or an ekip/partner page), never on context pages alone.
Facts about a city's ecosystem that no ekip source states are context, not case findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from ekipgraph.project import default_layout

DATA = default_layout().data_dir
CASE_SOURCES = {"case-page", "workshop-report", "project-page"}


def _load(path: Path) -> dict:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def source_kinds() -> dict[str, str]:
    return {s["url"]: s["kind"] for s in _load(DATA / "shared" / "sources.yaml")["sources"]}


CASES = sorted((DATA / "cases").glob("*.yaml"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_finding_rests_on_a_source_that_speaks_for_the_case(path: Path) -> None:
    kinds = source_kinds()
    case = _load(path)
    for part in ("needs", "strengths", "gaps"):
        for finding in case.get(part, []):
            cited = {kinds[url] for url in finding["sources"]}
            assert cited & CASE_SOURCES, (path.name, part, finding["id"], cited)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_actor_of_a_case_rests_on_a_source_that_speaks_for_the_case(path: Path) -> None:
    # the actors named at case level; portfolio actors are related actors of the portfolios
    kinds = source_kinds()
    for involvement in _load(path).get("actors", []):
        cited = {kinds[url] for url in involvement["sources"]}
        assert cited & CASE_SOURCES, (path.name, involvement["actor"], cited)


def test_the_provenance_rule_can_fail() -> None:
    kinds = {"https://example.org/context": "context-page"}
    finding = {"sources": ["https://example.org/context"]}
    assert not {kinds[url] for url in finding["sources"]} & CASE_SOURCES
