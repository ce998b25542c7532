"""Candidates for organisations and people the graph does not know yet.

A candidate is a run of capitalised words (with the small words names contain: "of",
"för", "van", "de", "di", ...) that no known name covers. Its type comes from cue words:
inside the name ("... University", "... Festival", "Lunds kommun", "Nadácia ..."), or just
before it for people ("researcher Anna Berg", "enligt Karin Ek", "selon Marie Dupont").
Runs made only of ordinary words of the language with no cue ("Digital Product Passport")
are left out, as are single words and title-case headings: precision matters more than
recall, since every candidate costs a reviewer's attention.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ekipgraph.extract.matching import Mention
from ekipgraph.extract.tokens import Span, Token, covered, fold, joined, within


# Folded words that name what kind of organisation something is, by actor-type concept.
def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ORGANISATION_CUES: dict[str, tuple[str, ...]] = {
    "university": _words(
        """
        university universitet universitetet universiteit universite univerzita universita
        politecnico polytechnic hogskola hogskolan
        """
    ),
    "university-of-applied-sciences": _words(
        """
        hogeschool fachhochschule
        """
    ),
    "municipality": _words(
        """
        municipality council kommun kommunen stad gemeente commune mairie ville mesto obec
        comune citta
        """
    ),
    "regional-authority": _words(
        """
        region regionen county lan provincie province departement kraj regione provincia
        """
    ),
    "research-group": _words(
        """
        lab labs laboratory labb laboratorium laboratoire laboratorio laboratorij institute
        institut instituut istituto institutet center centre centrum centro
        """
    ),
    "company": _words(
        """
        firm firma company foretag foretaget bedrijf entreprise societe spolocnost azienda
        impresa forlag forlaget uitgeverij vydavatelstvo vydavatelstva editeur editore atelje
        ateljen
        studio studios studion ab ltd inc gmbh bv nv sas sarl sro spa srl oy agency byra byran
        bureau agence agentura agenzia productions interactive entertainment games spel software
        media
        """
    ),
    "cultural-organisation": _words(
        """
        collective collectif kollektiv collectief kolektiv collettivo compagnie poppodium
        festival festivalen biennale museum museet musee muzeum museo theatre theater teater
        teatern divadlo teatro opera operan gallery galleri galerie galeria galleria library
        bibliotek biblioteket bibliotheek bibliotheque kniznica biblioteca orchestra orkester
        orkest orchestre orchester cinema kulturhus konsthall kunsthal philharmonic filharmonie
        """
    ),
    "network-organisation": _words(
        """
        association forening foreningen forbund vereniging asociacia zdruzenie associazione
        network natverk natverket netwerk reseau siet rete cluster klaster alliance federation
        guild
        """
    ),
    "non-profit-organisation": _words(
        """
        foundation stiftelse stiftelsen stichting fondation nadacia fondazione fonden ngo
        """
    ),
    "intermediary": _words(
        """
        hub incubator accelerator inkubator incubateur incubatore coworking park forskningspark
        sciencepark
        """
    ),
}
_CUE_TYPE = {word: actor for actor, words in ORGANISATION_CUES.items() for word in words}

# Folded words that announce a person's name just before it (or right after it, "X said").
PERSON_CUES = frozenset(
    _words(
        """
        adjoint adjointe artist artista artiste assessore ceo chair chef chefen chercheur
        chercheuse cofounder composer coordinator curator designer developer directeur director
        directrice direttore direttrice dr enligt explained explains explique fondateur
        fondatore fondatrice forskare forskaren founder grundare grundaren head hovori konstnar
        konstnaren kunstenaar maire manager onderzoeker oprichter podla primator primatorka
        producer prof professor projectleider projektledare projektledaren researcher riaditel
        riaditelka ricercatore ricercatrice sager said says secondo selon sindaco spiega umelec
        umelkyna verksamhetschef volgens vyskumnicka vyskumnik wethouder zakladatel zakladatelka
        zegt
        """
    )
)

# Small words inside names, by language (folded).
CONNECTORS: dict[str, frozenset[str]] = {
    "en": frozenset(_words("and de for in of on the")),
    "sv": frozenset(_words("av for i och pa")),
    "nl": frozenset(_words("de den der en het in van voor")),
    "fr": frozenset(_words("d de des du en et l la le les pour")),
    "sk": frozenset(_words("a na pre v")),
    "it": frozenset(_words("d degli dei del della delle di e il l la per")),
}
# Parts of a person's name written in lower case.
NAME_PARTICLES = frozenset(_words("af da de den der di du la le van von"))
# Capitalised words that stand for something generic, never a name on their own.
_GENERIC = frozenset(_words("ai ar cci ccis dpp ekip eu ia ict it kkn neb sme smes umela vr xr"))


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    text: str
    kind: str  # "organisation" or "person"
    actor_type: str | None  # an actor-type concept id, for organisations
    confidence: float
    evidence: str  # why: the cue word, or "capitalised name"


def find_candidates(
    text: str,
    tokens: list[Token],
    mentions: list[Mention],
    sentence_spans: list[Span],
    language: str,
) -> list[Candidate]:
    """New-organisation and new-person candidates in ``text``."""
    names = [m for m in mentions if m.entry.kind in ("organisation", "person")]
    places = [m for m in mentions if m.entry.kind in ("city", "country")]
    connectors = CONNECTORS.get(language, CONNECTORS["en"])
    sentence_starts = {span.start for span in sentence_spans}
    starts = [token.start for token in tokens]
    skip = [
        _title_case_heading(text, span, within(tokens, starts, span.start, span.end))
        for span in sentence_spans
    ]
    skipped = [span for span, flag in zip(sentence_spans, skip, strict=True) if flag]

    position = {token.start: index for index, token in enumerate(tokens)}
    named = covered(tokens, ((m.start, m.end) for m in names))
    placed = covered(tokens, ((m.start, m.end) for m in places))

    def in_name(token: Token) -> bool:
        return named[position[token.start]]

    def in_place(token: Token) -> bool:
        return placed[position[token.start]]

    candidates: list[Candidate] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if not _name_word(token) or in_name(token):
            index += 1
            continue
        run = [index]
        cursor = index + 1
        while cursor < len(tokens):
            word = tokens[cursor]
            if not joined(text, tokens[run[-1]], word) and not _spaced(text, tokens, run, cursor):
                break
            if in_name(word):
                break
            if (
                _name_word(word)
                or word.fold in connectors
                or word.fold in NAME_PARTICLES
                or _lower_cue(word)
            ):
                run.append(cursor)
            else:
                break
            cursor += 1
        candidate = _judge(text, tokens, run, language, sentence_starts, in_place, position)
        if candidate is not None and not _inside(skipped, candidate.start):
            candidates.append(candidate)
        index = max(cursor, index + 1)
    return candidates


def _name_word(token: Token) -> bool:
    return token.capitalised and not token.text.isdigit()


def _lower_cue(token: Token) -> bool:
    """A lower-case organisation word that belongs to a name ("Lunds kommun")."""
    return token.text.islower() and _CUE_TYPE.get(token.fold) in (
        "municipality",
        "regional-authority",
    )


def _spaced(text: str, tokens: list[Token], run: list[int], cursor: int) -> bool:
    gap = text[tokens[cursor - 1].end : tokens[cursor].start]
    return gap in (" ", "\u00a0")


def _judge(
    text: str,
    tokens: list[Token],
    run: list[int],
    language: str,
    sentence_starts: set[int],
    in_place: Callable[[Token], bool],
    position: dict[int, int],
) -> Candidate | None:
    connectors = CONNECTORS.get(language, CONNECTORS["en"])
    words = [tokens[i] for i in run]
    # No connector at either end ("of", "de" ...).
    while words and not _name_word(words[-1]) and not _lower_cue(words[-1]):
        words.pop()
    while words and not _name_word(words[0]):
        words.pop(0)
    if not words:
        return None
    at_start = _starts_sentence(text, words[0], sentence_starts)
    # "The", "In", "Our": capitalised only because a sentence starts there
    if (
        at_start
        and len(words) > 1
        and words[0].fold not in _CUE_TYPE
        and (words[0].fold in connectors or _common_word(words[0].text, language))
    ):
        words = words[1:]
    capitals = [w for w in words if _name_word(w)]
    if not capitals or all(w.fold in _GENERIC for w in capitals):
        return None
    cue = next((w for w in words if w.fold in _CUE_TYPE or w.lemma in _CUE_TYPE), None)
    first, last = position[words[0].start], position[words[-1].start]
    previous = tokens[first - 1] if first > 0 else None
    following = tokens[last + 1] if last + 1 < len(tokens) else None
    if previous is not None and _person_cue(previous, language) and len(words) > 3:
        # "la directrice Claire Moulin du Collectif Lumen": the person ends at the connector
        cut = next((i for i, w in enumerate(words) if not _name_word(w)), len(words))
        if 2 <= cut <= 3:
            words = words[:cut]
            cue = None
            capitals = words
    if (
        cue is None
        and previous is not None
        and previous.text.islower()
        and text[previous.end : words[0].start] == " "
    ):
        lead = _CUE_TYPE.get(previous.fold) or _CUE_TYPE.get(previous.lemma)
        if lead is not None and len(capitals) >= 1 and not any(in_place(w) for w in words):
            # "the studio Pixel Forge", "il laboratorio Tessitura Aurora"
            start, end = words[0].start, words[-1].end
            return Candidate(start, end, text[start:end], "organisation", lead, 0.65, previous.text)
    person_cue = (previous is not None and _person_cue(previous, language)) or (
        following is not None
        and following.fold in PERSON_CUES
        and text[words[-1].end : following.start].strip() in ("", ",")
    )
    start, end = words[0].start, words[-1].end
    surface = text[start:end]
    if cue is not None and len(capitals) >= 1 and (len(words) >= 2):
        if all(in_place(w) or w is cue or w.fold in connectors for w in words) and not any(
            _name_word(w) and not in_place(w) and w is not cue for w in words
        ):
            # a known place and a cue: "Lunds kommun", "Region Skåne" (if not known)
            confidence = 0.6
        else:
            confidence = 0.75
        actor = _CUE_TYPE.get(cue.fold) or _CUE_TYPE.get(cue.lemma)
        return Candidate(start, end, surface, "organisation", actor, confidence, cue.text)
    if len(capitals) < 2 or any(in_place(w) for w in words):
        return None
    if person_cue and 2 <= len(words) <= 4:
        cue_word = (
            previous.text
            if previous is not None and previous.fold in PERSON_CUES
            else (following.text if following is not None else "")
        )
        return Candidate(start, end, surface, "person", None, 0.75, cue_word)
    if 2 <= len(words) <= 3 and all(_name_word(w) or w.fold in NAME_PARTICLES for w in words):
        common = sum(1 for w in capitals if _common_word(w.text, language))
        if common == len(capitals):
            return None  # "Digital Product Passport": ordinary words in title case
        if common <= 1:
            return Candidate(start, end, surface, "person", None, 0.5, "two or three names")
        return Candidate(start, end, surface, "organisation", None, 0.4, "capitalised name")
    if all(_common_word(w.text, language) for w in capitals):
        return None
    return Candidate(start, end, surface, "organisation", None, 0.4, "capitalised name")


def _starts_sentence(text: str, token: Token, sentence_starts: set[int]) -> bool:
    if token.start in sentence_starts:
        return True
    before = text[max(0, token.start - 3) : token.start]
    return (not before.strip() and (token.start < 3 or "\n" in before)) or bool(
        re.search(r"[.!?:]\s+$", text[max(0, token.start - 4) : token.start])
    )


def _person_cue(token: Token, language: str) -> bool:
    """A word that announces a person; in Swedish and Dutch also as the end of a compound
    ("textilkonstnären", "muziekonderzoeker")."""
    if token.fold in PERSON_CUES or token.lemma in PERSON_CUES:
        return True
    return language in ("sv", "nl") and any(
        token.fold.endswith(cue) for cue in PERSON_CUES if len(cue) >= 7
    )


def _inside(spans: list[Span], offset: int) -> bool:
    """Whether ``offset`` falls in one of the sorted, disjoint ``spans``."""
    index = bisect_right([span.start for span in spans], offset) - 1
    return index >= 0 and offset < spans[index].end


@lru_cache(maxsize=50_000)
def _common_word(word: str, language: str) -> bool:
    """An ordinary word of English or of ``language`` when written in lower case."""
    import simplemma

    lower = word.lower()
    return simplemma.is_known(lower, lang="en") or simplemma.is_known(lower, lang=language)


def _title_case_heading(text: str, span: Span, tokens: list[Token]) -> bool:
    """A heading in title case ("Needs and Gaps in the Local Ecosystem")."""
    sentence = text[span.start : span.end].strip()
    if re.search(r"[.!?]$", sentence):
        return False
    words = [t for t in tokens if len(t.text) > 3]  # the sentence's tokens
    return len(words) >= 2 and sum(1 for w in words if w.capitalised) / len(words) > 0.6


def slug(text: str) -> str:
    """An id from a name: "Kalmar Game Forge" -> "kalmar-game-forge"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60].strip("-") or "unnamed"
