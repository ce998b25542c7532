"""A build from scratch grew quadratically with the cases: at 1,000 cases 146 of its 265 s
(profiled) went to two lookups, the sources of each case graph (``provenance``) and the typed
subjects of each graph (``summarise``), asked of rdflib as ``(None, predicate, None)``
patterns, which rdflib's in-memory store answers by scanning that predicate in every graph of
the dataset.

Not a timed test: it counts the stored triples rdflib examines while converting a corpus and
one eight times larger, without the TBox (whose graphs the scans also walked, which hides the
growth on small corpora). A linear conversion examines at most about eight times as many; the
quadratic one examined 27 times as many (3,198 and 86,911).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.plugins.stores.memory import Memory

from ekipgraph.cases.corpus import load_corpus
from ekipgraph.cases.vocab import ConceptIndex
from ekipgraph.graph import build_dataset
from ekipgraph.ontology import load_vocabularies
from ekipgraph.project import ProjectLayout
from ekipgraph.synth import synthesise

SMALL, LARGE = 4, 32
#: a linear conversion examines about LARGE / SMALL times as many triples; some slack
MAX_GROWTH = 1.5 * LARGE / SMALL


def _examined(layout: ProjectLayout, cases: int, folder: Path, monkeypatch) -> int:
    project = synthesise(cases, folder / f"p{cases}", seed=3, source=layout)
    corpus = load_corpus(
        project.data_dir, ConceptIndex.from_vocabularies(load_vocabularies(layout))
    )
    count = 0
    check = Memory._Memory__triple_has_context  # type: ignore[attr-defined]

    def counting(self, triple, context):  # the check rdflib makes for every triple it visits
        nonlocal count
        count += 1
        return check(self, triple, context)

    with monkeypatch.context() as patch:
        patch.setattr(Memory, "_Memory__triple_has_context", counting)
        build_dataset(corpus, project, ontology=Graph(), vocabularies=[], modules=[])
    return count


def test_conversion_examines_triples_in_proportion_to_the_corpus(
    layout: ProjectLayout, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = _examined(layout, SMALL, tmp_path, monkeypatch)
    large = _examined(layout, LARGE, tmp_path, monkeypatch)
    assert large <= MAX_GROWTH * max(small, 1), f"{small} -> {large} triples examined"
