"""Cost of materialising graph/inferred (ekipgraph.infer) on a synthetic project, against
the baseline of converting the same corpus to RDF in the same run.

    python benchmarks/inference.py [--cases 400]   # about 100k quads

Prints quads in, triples inferred, seconds for the conversion (baseline), seconds for the
inference, and their ratio.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from ekipgraph.cases import ConceptIndex, load_corpus
from ekipgraph.graph import ONTOLOGY_GRAPH, build_dataset, vocab_graph_iri
from ekipgraph.infer import add_inferred_graph
from ekipgraph.ontology import load_vocabularies
from ekipgraph.synth import synthesise


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        layout = synthesise(args.cases, Path(folder) / "project")
        vocabularies = load_vocabularies(layout)
        corpus = load_corpus(layout.data_dir, ConceptIndex.from_vocabularies(vocabularies))
        started = time.perf_counter()
        built = build_dataset(corpus, layout, vocabularies=vocabularies)
        convert = time.perf_counter() - started
        tbox = [ONTOLOGY_GRAPH, *(vocab_graph_iri(v.name) for v in vocabularies)]
        started = time.perf_counter()
        stats = add_inferred_graph(built.dataset, tbox)
        infer = time.perf_counter() - started
    print(
        f"{stats.input_triples} quads in, {stats.inferred_triples} triples inferred; "
        f"conversion (baseline) {convert:.2f} s, inference {infer:.2f} s, "
        f"ratio {infer / convert:.2f}"
    )


if __name__ == "__main__":
    main()
