"""Evaluate ``ekipgraph extract`` on the annotated texts: precision and recall per kind and
per language, the choices behind the defaults (fuzzy threshold, lemmas, language detector).

    python benchmarks/extract_eval.py [--errors]

``dev/`` texts were used while the cue lists and rules were written; ``heldout/`` texts were
written before and only scored, so their numbers are the honest estimate.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ekipgraph.extract.evaluation import KINDS, TARGETS, evaluate, load_texts
from ekipgraph.extract.intake import Document
from ekipgraph.extract.language import detect_lingua, detect_simplemma
from ekipgraph.extract.lexicon import build_lexicon
from ekipgraph.extract.pipeline import Analyser, Settings
from ekipgraph.extract.tokens import sentences
from ekipgraph.project import default_layout

HERE = Path(__file__).parent / "extract"


def main() -> int:
    console = Console()
    show_errors = "--errors" in sys.argv
    lexicon = build_lexicon(default_layout())
    sets = {name: load_texts(HERE / name) for name in ("dev", "heldout")}
    texts = sets["dev"] + sets["heldout"]
    console.print(
        f"{len(texts)} annotated texts ({', '.join(f'{len(v)} {k}' for k, v in sets.items())}),"
        f" {sum(len(t.gold) for t in texts)} gold items; lexicon of {len(lexicon)} labels"
    )
    analyser = Analyser(lexicon)
    missed = []
    for name, group in [*sets.items(), ("all", texts)]:
        started = time.perf_counter()
        per_language, total = evaluate(group, analyser)
        seconds = time.perf_counter() - started
        table = Table(title=f"{name} texts ({seconds:.1f} s)")
        table.add_column("language")
        for kind in KINDS:
            table.add_column(kind, justify="right")
        for language, scores in [*sorted(per_language.items()), ("all", total)]:
            cells = []
            for kind in KINDS:
                s = scores[kind]
                extra = ""
                if kind == "new-entity candidates" and s.true_positives:
                    extra = f" type {s.detail_right}/{s.true_positives}"
                if kind == "needs/strengths/gaps" and s.true_positives:
                    extra = f" res {s.detail_right}/{s.true_positives}"
                cells.append(f"P {s.precision:.2f} R {s.recall:.2f} (n={s.gold}){extra}")
            table.add_row(language, *cells)
        console.print(table)
        if name == "all":
            for kind, (precision, recall) in TARGETS.items():
                s = total[kind]
                ok = s.precision >= precision and s.recall >= recall
                console.print(
                    f"target {kind}: P >= {precision}, R >= {recall}: "
                    f"P {s.precision:.2f} R {s.recall:.2f} {'met' if ok else 'NOT MET'}"
                )
                if not ok:
                    missed.append(kind)
        if show_errors:
            for kind in KINDS:
                for error in total[kind].errors:
                    console.print(f"  {error}", markup=False, highlight=False)

    choices = Table(title="Choices on all texts: known entities + concepts (micro P/R)")
    choices.add_column("setting")
    choices.add_column("precision", justify="right")
    choices.add_column("recall", justify="right")
    for label, settings in [
        ("no lemmas, no fuzzy", Settings(fuzzy_threshold=None, use_lemmas=False)),
        ("lemmas, no fuzzy", Settings(fuzzy_threshold=None)),
        *[(f"lemmas, fuzzy >= {t}", Settings(fuzzy_threshold=t)) for t in (75, 80, 85, 90, 95)],
        ("concept labels of the text's language only", Settings(concept_languages="text")),
        ("concept labels of all six languages", Settings(concept_languages="all")),
        ("concept labels of the text's language and English (default)", Settings()),
    ]:
        _, total = evaluate(texts, Analyser(lexicon, settings))
        tp = sum(total[k].true_positives for k in ("known entities", "concepts"))
        predicted = sum(total[k].predicted for k in ("known entities", "concepts"))
        gold = sum(total[k].gold for k in ("known entities", "concepts"))
        choices.add_row(label, f"{tp / predicted:.3f}", f"{tp / gold:.3f}")
    console.print(choices)

    detectors = Table(title="Language detection: whole texts and single sentences right")
    detectors.add_column("detector")
    detectors.add_column("texts", justify="right")
    detectors.add_column("sentences", justify="right")
    detectors.add_column("seconds", justify="right")
    samples = [
        (t.text[s.start : s.end], t.language)
        for t in texts
        for s in sentences(t.text)
        if len(t.text[s.start : s.end].split()) >= 4
    ]
    for name, detect in (("lingua (low accuracy)", detect_lingua), ("simplemma", detect_simplemma)):
        started = time.perf_counter()
        whole = sum(detect(t.text)[0] == t.language for t in texts)
        single = sum(detect(text)[0] == language for text, language in samples)
        detectors.add_row(
            name,
            f"{whole}/{len(texts)}",
            f"{single}/{len(samples)}",
            f"{time.perf_counter() - started:.2f}",
        )
    console.print(detectors)
    scaling = Table(title="Scaling: one language's texts repeated (time should grow linearly)")
    scaling.add_column("copies")
    scaling.add_column("characters", justify="right")
    scaling.add_column("seconds", justify="right")
    scaling.add_column("µs per character", justify="right")
    english = "\n\n".join(t.text for t in texts if t.language == "en")
    baseline = None
    for copies in (1, 8, 64):
        text = "\n\n".join([english] * copies)
        started = time.perf_counter()
        analyser.analyse(Document(Path("scaling.txt"), "text", text), "en")
        seconds = time.perf_counter() - started
        per_char = seconds / len(text) * 1e6
        baseline = baseline or per_char
        scaling.add_row(
            str(copies),
            f"{len(text):,}",
            f"{seconds:.2f}",
            f"{per_char:.1f} ({per_char / baseline:.2f}x)",
        )
    console.print(scaling)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
