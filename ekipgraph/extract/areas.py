"""Policy areas a whole text is about, when it does not name one by its label.

Policy-area labels are long ("Artificial intelligence and the cultural and creative
industries") and prose seldom repeats them; it does use their distinctive words. A label's
distinctive words are its words minus those that several labels of the same language share
("cultural", "creative", "industries", "and"), a stop list that follows the scheme as it
grows. When every distinctive word of a label occurs in the text (as a word or a lemma),
the area is proposed, with each word's first occurrence as evidence (a label needs two
distinctive words or more: one, such as "ecosystem", is too little to tell a topic).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from ekipgraph.extract.lexicon import Entry, Lexicon
from ekipgraph.extract.tokens import Token, tokenize

# A word in at least this many labels of a language is not distinctive.
_SHARED_BY = 2


@dataclass(frozen=True)
class AreaEvidence:
    entry: Entry  # the label whose words were found
    spans: tuple[tuple[int, int], ...]


def find_areas(lexicon: Lexicon, tokens: list[Token], language: str) -> list[AreaEvidence]:
    """Policy areas whose distinctive label words all occur in ``tokens``."""
    labels = [
        e
        for e in lexicon.entries
        if e.scheme == "policy-area" and e.language in (language, "en") and not e.partial
    ]
    words_of = {e: {t.lemma for t in tokenize(e.label, e.language)} for e in labels}
    # in how many areas' labels (not labels: an area's labels share words) a word occurs
    concepts_with: dict[tuple[str | None, str], set[str]] = defaultdict(set)
    for entry, words in words_of.items():
        for word in words:
            concepts_with[(entry.language, word)].add(entry.key)
    shared: dict[str | None, Counter[str]] = defaultdict(Counter)
    for (label_language, word), keys in concepts_with.items():
        shared[label_language][word] = len(keys)
    first: dict[str, tuple[int, int]] = {}
    for token in tokens:
        for form in (token.fold, token.lemma):
            first.setdefault(form, (token.start, token.end))
    found: dict[str, AreaEvidence] = {}
    for entry, words in words_of.items():
        distinctive = {w for w in words if shared[entry.language][w] < _SHARED_BY and len(w) > 2}
        # one distinctive word ("ecosystem") is too little to tell a topic
        if len(distinctive) < 2 or not all(w in first for w in distinctive):
            continue
        spans = tuple(sorted(first[w] for w in distinctive))
        best = found.get(entry.key)
        if best is None or len(spans) > len(best.spans):
            found[entry.key] = AreaEvidence(entry, spans)
    return list(found.values())
