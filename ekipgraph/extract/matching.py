"""Finding what the graph already knows in a text: exact, lemma and fuzzy lexicon matches.

A label matches a run of tokens when each of its tokens equals the text's token folded or
lemmatised (both sides). Names (of cities, countries, organisations, people) match in any
language and must be capitalised as the label is; acronyms ("LU", "IP") match only in
their exact case. Concept labels match in the text's language and in English (English
terms such as "living lab" are common in the other five), case-insensitively.

Of overlapping matches the longest wins ("Lund University" over "Lund" and "University").
Capitalised words left unmatched are compared with the names of the same number of words
with rapidfuzz's ``fuzz.ratio`` on folded text; at or above ``fuzzy_threshold`` (and with
the same first three letters) they are a fuzzy match. The threshold was chosen on the
annotated texts: ``make eval`` compares 75-95; at 80 and below it also finds exonyms such
as "Belgique" for Belgium (recorded only in English) with no loss of precision there, at 85
and above it finds nothing that lemmas miss.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

from ekipgraph.extract.lexicon import Entry, Lexicon
from ekipgraph.extract.tokens import Token, covered, fold, joined, lemma, tokenize

FUZZY_THRESHOLD = 80
# Kinds by precedence when two kinds claim the very same words.
_PRECEDENCE = {"organisation": 0, "person": 1, "city": 2, "country": 3, "concept": 4}


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    entry: Entry
    confidence: float
    method: str  # "exact", "lemma" or "fuzzy <score>"


@dataclass(frozen=True)
class _Pattern:
    entry: Entry
    variants: tuple[frozenset[str], ...]
    # per token: None (any case), "cap" (capitalised), or the exact text (acronyms)
    case: tuple[str | None, ...]


class Matcher:
    """The lexicon compiled for one language."""

    def __init__(
        self,
        lexicon: Lexicon,
        language: str,
        fuzzy_threshold: float | None = FUZZY_THRESHOLD,
        use_lemmas: bool = True,
        concept_languages: str = "text+en",
    ) -> None:
        """``concept_languages``: whose concept labels match: ``text+en`` (the default, as
        measured), ``text`` (the text's language only) or ``all`` (every language)."""
        self.language = language
        self.fuzzy_threshold = fuzzy_threshold
        self.use_lemmas = use_lemmas
        self.patterns: dict[str, list[_Pattern]] = defaultdict(list)
        self.names_by_length: dict[int, list[tuple[str, Entry]]] = defaultdict(list)
        self.longest = 1
        for entry in lexicon.entries:
            if not entry.is_name and not _label_applies(entry, language, concept_languages):
                continue
            pattern = self._compile(entry)
            if pattern is None:
                continue
            for variant in pattern.variants[0]:
                self.patterns[variant].append(pattern)
            self.longest = max(self.longest, len(pattern.variants))
            if entry.is_name:
                self.names_by_length[len(pattern.variants)].append((fold(entry.label), entry))

    def _compile(self, entry: Entry) -> _Pattern | None:
        # Names are not inflected in the lexicon (the text's lemmas reach them), which also
        # spares loading the dictionaries of every language a name is written in.
        label_language = (
            entry.language if entry.language in _LEMMA_LANGUAGES and not entry.is_name else None
        )
        tokens = tokenize(entry.label, label_language if self.use_lemmas else None)
        if not tokens:
            return None
        variants = tuple(
            frozenset((t.fold, t.lemma)) if self.use_lemmas else frozenset((t.fold,))
            for t in tokens
        )
        case: list[str | None] = []
        for token in tokens:
            if token.acronym and len(token.text) <= 5:
                case.append(token.text)
            elif entry.is_name and token.capitalised:
                case.append("cap")
            else:
                case.append(None)
        return _Pattern(entry, variants, tuple(case))

    def find(self, text: str, tokens: list[Token] | None = None) -> list[Mention]:
        """Every known entity and concept mentioned in ``text``."""
        if tokens is None:
            tokens = tokenize(text, self.language if self.use_lemmas else None)
        found: list[tuple[int, int, _Pattern, str]] = []
        for index, token in enumerate(tokens):
            seen: set[int] = set()
            for variant in self._variants(token):
                for pattern in self.patterns.get(variant, ()):
                    if id(pattern) in seen:
                        continue
                    seen.add(id(pattern))
                    method = self._match(text, tokens, index, pattern)
                    if method:
                        found.append((index, index + len(pattern.variants), pattern, method))
        mentions = self._resolve(text, tokens, found)
        if self.fuzzy_threshold is not None:
            mentions += self._fuzzy(text, tokens, mentions)
        return sorted(mentions, key=lambda m: (m.start, m.end, m.entry.ref))

    def _variants(self, token: Token) -> frozenset[str]:
        return token.variants() if self.use_lemmas else frozenset((token.fold,))

    def _match(self, text: str, tokens: list[Token], index: int, pattern: _Pattern) -> str:
        size = len(pattern.variants)
        if index + size > len(tokens):
            return ""
        method = "exact"
        for offset in range(size):
            token = tokens[index + offset]
            if offset and not joined(text, tokens[index + offset - 1], token):
                return ""
            case = pattern.case[offset]
            if case == "cap" and not (token.capitalised or token.text[:1].isdigit()):
                return ""
            if case not in (None, "cap") and token.text != case:
                return ""
            if token.fold in pattern.variants[offset]:
                continue
            if self.use_lemmas and token.lemma in pattern.variants[offset]:
                method = "lemma"
                continue
            return ""
        return method

    def _resolve(
        self, text: str, tokens: list[Token], found: list[tuple[int, int, _Pattern, str]]
    ) -> list[Mention]:
        """Longest first; on the very same words, the kind of highest precedence."""
        found.sort(
            key=lambda f: (
                -(f[1] - f[0]),
                _PRECEDENCE[f[2].entry.kind],
                f[2].entry.partial,
                f[0],
            )
        )
        taken = [False] * len(tokens)
        chosen: dict[tuple[int, int], tuple[str, list[tuple[_Pattern, str]]]] = {}
        for first, last, pattern, method in found:
            span = (first, last)
            if span in chosen:
                kind, patterns = chosen[span]
                # the same words as a whole label of another concept: not a second reading
                whole = any(not p.entry.partial for p, _ in patterns)
                if (
                    kind == pattern.entry.kind
                    and not (pattern.entry.partial and whole)
                    and all(p.entry.ref != pattern.entry.ref for p, _ in patterns)
                ):
                    patterns.append((pattern, method))
                continue
            if any(taken[first:last]):
                continue
            for position in range(first, last):
                taken[position] = True
            chosen[span] = (pattern.entry.kind, [(pattern, method)])
        mentions = []
        for (first, last), (_, patterns) in chosen.items():
            start, end = tokens[first].start, tokens[last - 1].end
            for pattern, method in patterns:
                confidence = _confidence(pattern, method, ambiguous=len(patterns) > 1)
                mentions.append(
                    Mention(start, end, text[start:end], pattern.entry, confidence, method)
                )
        return mentions

    def _fuzzy(self, text: str, tokens: list[Token], exact: list[Mention]) -> list[Mention]:
        from rapidfuzz import fuzz, process

        exact_spans = {(m.start, m.end) for m in exact}
        busy = covered(tokens, ((m.start, m.end) for m in exact))
        mentions: list[Mention] = []
        index = 0
        while index < len(tokens):
            best: tuple[float, int, Entry] | None = None
            for size in range(min(4, len(tokens) - index), 0, -1):
                window = tokens[index : index + size]
                if any(busy[index : index + size]) or not all(
                    t.capitalised and len(t.text) >= 3 for t in window
                ):
                    continue
                if any(not joined(text, a, b) for a, b in itertools.pairwise(window)):
                    continue
                candidates = self.names_by_length.get(size, [])
                if not candidates:
                    continue
                query = " ".join(t.fold for t in window)
                hit = process.extractOne(
                    query,
                    [name for name, _ in candidates],
                    scorer=fuzz.ratio,
                    score_cutoff=self.fuzzy_threshold,
                )
                if hit is None:
                    continue
                name, score, position = hit
                if name[:3] != query[:3] or len(min(name, query, key=len)) < 4:
                    continue
                best = (score, size, candidates[position][1])
                break
            if best is None:
                index += 1
                continue
            score, size, entry = best
            start, end = tokens[index].start, tokens[index + size - 1].end
            if (start, end) not in exact_spans:
                mentions.append(
                    Mention(
                        start,
                        end,
                        text[start:end],
                        entry,
                        round(0.9 * score / 100, 2),
                        f"fuzzy {score:.0f}",
                    )
                )
            index += size
        return mentions


def _label_applies(entry: Entry, language: str, concept_languages: str) -> bool:
    if concept_languages == "all":
        return True
    if concept_languages == "text":
        return entry.language == language
    return entry.language in (language, "en")


_LEMMA_LANGUAGES = {"en", "sv", "nl", "fr", "sk", "it"}


def _confidence(pattern: _Pattern, method: str, ambiguous: bool) -> float:
    words = len(pattern.variants)
    base = 0.95 if words > 1 else (0.9 if pattern.entry.is_name else 0.85)
    if method == "lemma":
        base -= 0.05
    if pattern.entry.partial:
        base -= 0.1
    if ambiguous:
        base -= 0.3
    return round(base, 2)


__all__ = ["FUZZY_THRESHOLD", "Matcher", "Mention", "lemma"]
