"""Words with their character offsets, folded and lemmatised, and sentences and clauses.

A token is a run of letters or digits; hyphens and apostrophes separate tokens, so that
"test-bed" and "test bed", or "l'industrie" and "industrie", read alike. Folding drops case
and diacritics ("Košice" and "Kosice" fold alike); lemmas come from simplemma, in the text's
language, so inflected forms ("universitetet", "Košiciach", "financements") reach their
dictionary form.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")
# Between two words of one name only spaces, hyphens, apostrophes, "&", "/" or a dot.
_JOINER = re.compile(r"[ \t\u00a0\-\u2010\u2011\u2013'\u2019&/.]*\n?[ \t\u00a0]*")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    fold: str
    lemma: str  # folded lemma

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def acronym(self) -> bool:
        return len(self.text) >= 2 and self.text.isupper()

    def variants(self) -> frozenset[str]:
        return frozenset((self.fold, self.lemma))


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower case without diacritics."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=200_000)
def lemma(word: str, language: str | None) -> str:
    """The folded lemma of ``word`` in ``language`` (the folded word when unknown)."""
    if not language:
        return fold(word)
    import simplemma

    try:
        return fold(simplemma.lemmatize(word, lang=language))
    except ValueError:  # a language simplemma does not have
        return fold(word)


def tokenize(text: str, language: str | None) -> list[Token]:
    return [
        Token(m.start(), m.end(), m.group(), fold(m.group()), lemma(m.group(), language))
        for m in _WORD.finditer(text)
    ]


def joined(text: str, left: Token, right: Token) -> bool:
    """True when nothing but name-internal characters stands between two tokens."""
    gap = text[left.end : right.start]
    return bool(_JOINER.fullmatch(gap)) and not gap.endswith(". ")


def covered(tokens: list[Token], spans: Iterable[tuple[int, int]]) -> list[bool]:
    """For each token, whether one of ``spans`` (start, end) covers its start; linear in
    tokens plus covered tokens, since spans are found by bisection."""
    starts = [token.start for token in tokens]
    flags = [False] * len(tokens)
    for start, end in spans:
        index = bisect_left(starts, start)
        while index < len(tokens) and tokens[index].start < end:
            flags[index] = True
            index += 1
    return flags


def within(tokens: list[Token], starts: list[int], start: int, end: int) -> list[Token]:
    """The tokens that start in [start, end); ``starts`` is the tokens' start offsets."""
    return tokens[bisect_left(starts, start) : bisect_left(starts, end)]


# ---------------------------------------------------------------------------------------
# Sentences and clauses

_SENTENCE_END = re.compile(
    r"(?<=[.!?…])[\"”»')\]]*\s+(?=[\"“«(\[]?[^\W\d_])|\n\s*\n|\n(?=\s*[-*•–]\s)"
)
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def sentences(text: str) -> list[Span]:
    """Sentence spans, split at end punctuation before a capital, blank lines and bullets;
    a heading or list line without end punctuation is a sentence of its own."""
    spans: list[Span] = []
    position = 0
    for match in _SENTENCE_END.finditer(text):
        spans.extend(_lines(text, position, match.start()))
        position = match.end()
    spans.extend(_lines(text, position, len(text)))
    return [span for span in spans if text[span.start : span.end].strip()]


def _lines(text: str, start: int, end: int) -> list[Span]:
    """A block split after a line that reads as a heading: no end punctuation, at most
    twelve words, and the next line starting with a capital, a digit or a bullet (wrapped
    prose goes on in lower case)."""
    lines = [Span(start + m.start(), start + m.end()) for m in _LINE.finditer(text[start:end])]
    pieces: list[Span] = []
    first = None
    for index, line in enumerate(lines):
        first = line.start if first is None else first
        words = text[line.start : line.end].strip()
        following = (
            text[lines[index + 1].start : lines[index + 1].end].lstrip()
            if (index + 1 < len(lines))
            else ""
        )
        heading = (
            bool(words)
            and not re.search(r"[.!?;:,…\-–]$", words)
            and len(words.split()) <= 12
            and not following[:1].islower()
        )
        if heading or index + 1 == len(lines):
            pieces.append(Span(first, line.end))
            first = None
    return [_trim(text, span) for span in pieces]


def _trim(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and (text[start].isspace() or text[start] in "-*•–#>"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


# Where a sentence turns from one finding to another ("... is strong, but there is no ...").
_CLAUSE_BREAK = {
    "en": r",?\s+(?:but|while|whereas|although|yet)\s+|,\s+and\s+|;\s+",
    "sv": r",?\s+(?:men|medan|samtidigt som|fast)\s+|,\s+och\s+|;\s+",
    "nl": r",?\s+(?:maar|terwijl|hoewel|toch)\s+|,\s+en\s+|;\s+",
    "fr": r",?\s+(?:mais|tandis que|alors que|bien que|cependant)\s+|,\s+et\s+|;\s+",
    "sk": r",?\s+(?:ale|no|avšak|zatiaľ čo|hoci)\s+|,\s+a\s+|;\s+",
    "it": r",?\s+(?:ma|mentre|sebbene|però|tuttavia)\s+|,\s+e\s+|;\s+",
}


def clauses(text: str, span: Span, language: str) -> list[Span]:
    """A sentence split where it turns ("but", "men", "maar", "mais", "ale", "ma")."""
    pattern = re.compile(_CLAUSE_BREAK.get(language, _CLAUSE_BREAK["en"]), re.IGNORECASE)
    pieces: list[Span] = []
    position = span.start
    for match in pattern.finditer(text, span.start, span.end):
        pieces.append(Span(position, match.start()))
        position = match.end()
    pieces.append(Span(position, span.end))
    return [_trim(text, piece) for piece in pieces if text[piece.start : piece.end].strip()]
