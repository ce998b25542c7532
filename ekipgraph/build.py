"""Writing a built dataset to a folder, all or nothing.

The folder gets the whole dataset as TriG (``ekip.trig``) and as sorted N-Quads
(``ekip.nq``, byte-identical for the same input), and every graph as Turtle under
``graphs/`` (``graphs/case/lund-ai.ttl``, ``graphs/shared.ttl``, ``graphs/default.ttl`` for
the provenance in the default graph). It is written into a staging folder that replaces the
target only when everything has been written, so a failure leaves the target untouched.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ekipgraph.atomic import replace_directory
from ekipgraph.cases.corpus import Corpus, load_corpus
from ekipgraph.cases.vocab import ConceptIndex
from ekipgraph.graph import (
    BuiltDataset,
    build_dataset,
    graph_name,
    is_tbox_graph,
    summarise,
    to_sorted_nquads,
)
from ekipgraph.infer import add_inferred_graph
from ekipgraph.ontology import load_vocabularies
from ekipgraph.project import ProjectLayout

TRIG_FILE = "ekip.trig"
NQUADS_FILE = "ekip.nq"
GRAPHS_DIR = "graphs"


def write_dataset(built: BuiltDataset, out_dir: Path, nquads: str | None = None) -> list[Path]:
    """Replace ``out_dir`` with the dataset's files; return their paths relative to it.

    ``nquads`` may be given when ``to_sorted_nquads`` has been computed already."""
    written: list[Path] = []
    with replace_directory(Path(out_dir)) as staging:

        def write(relative: str, text: str) -> None:
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
            written.append(Path(relative))

        # rdflib writes TriG and Turtle, not Oxigraph: pyoxigraph 0.5.13 writes a literal
        # typed xsd:positiveInteger (or any integer subtype) as a bare number, which reads
        # back as xsd:integer.
        with warnings.catch_warnings():
            # rdflib's own TriG writer uses an API rdflib has deprecated; nothing to act on.
            warnings.simplefilter("ignore", DeprecationWarning)
            write(TRIG_FILE, built.dataset.serialize(format="trig"))
        write(NQUADS_FILE, nquads if nquads is not None else to_sorted_nquads(built.dataset))
        for graph in built.graphs():
            write(
                f"{GRAPHS_DIR}/{graph_name(graph.identifier)}.ttl", graph.serialize(format="turtle")
            )
    return written


@dataclass(frozen=True)
class BuildResult:
    """A corpus loaded from a project and converted: what ``ekipgraph build`` produces."""

    corpus: Corpus
    built: BuiltDataset

    @cached_property
    def nquads(self) -> str:
        return to_sorted_nquads(self.built.dataset)


def build_from_layout(
    layout: ProjectLayout, data_dir: Path | None = None, *, infer: bool = True
) -> BuildResult:
    """Load ``data/`` (or ``data_dir``) of a project and convert it, parsing the TBox once.

    With ``infer`` the entailments go into their own graph, ``graph/inferred``
    (``ekipgraph.infer``); validation asks without, to check only what was written.
    Raises ``AuthoringError`` (every problem of every file) when the data does not load.
    """
    vocabularies = load_vocabularies(layout)
    corpus = load_corpus(data_dir or layout.data_dir, ConceptIndex.from_vocabularies(vocabularies))
    result = BuildResult(corpus, build_dataset(corpus, layout, vocabularies=vocabularies))
    return with_inferences(result) if infer else result


def with_inferences(result: BuildResult) -> BuildResult:
    """``result`` with the entailments in ``graph/inferred`` (``ekipgraph.infer``).

    The build validates what was written, then adds these before anything is stored, so
    every store and dump holds the same graphs."""
    dataset = result.built.dataset
    tbox = sorted(g.identifier for g in dataset.graphs() if is_tbox_graph(g.identifier))
    add_inferred_graph(dataset, tbox)
    built = BuiltDataset(dataset, result.built.source_index, summarise(dataset))
    return BuildResult(result.corpus, built)


def build_to(layout: ProjectLayout, out_dir: Path, data_dir: Path | None = None) -> BuildResult:
    """``ekipgraph build``: load, convert and write ``out_dir``, all or nothing.

    On ``AuthoringError`` (or any other failure) ``out_dir`` is left exactly as it was.
    """
    result = build_from_layout(layout, data_dir)
    write_dataset(result.built, out_dir, result.nquads)
    return result
