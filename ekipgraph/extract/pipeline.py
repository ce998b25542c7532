"""From files to findings: read, detect the language, match, propose, in that order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ekipgraph.extract.areas import AreaEvidence, find_areas
from ekipgraph.extract.candidates import Candidate, find_candidates
from ekipgraph.extract.intake import MAX_BYTES, Document, read_document
from ekipgraph.extract.language import check_language_code, detect_language
from ekipgraph.extract.lexicon import Lexicon
from ekipgraph.extract.matching import FUZZY_THRESHOLD, Matcher, Mention
from ekipgraph.extract.statements import Statement, find_statements
from ekipgraph.extract.tokens import sentences, tokenize


@dataclass
class Analysis:
    """What was found in one document."""

    document: Document
    language: str
    mentions: list[Mention] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    # policy areas the text is about by their distinctive words (not by a label)
    areas: list[AreaEvidence] = field(default_factory=list)


@dataclass
class Settings:
    fuzzy_threshold: float | None = FUZZY_THRESHOLD
    use_lemmas: bool = True
    concept_languages: str = "text+en"  # or "text", "all" (see Matcher)


class Analyser:
    """The lexicon, compiled once per language, applied to documents."""

    def __init__(self, lexicon: Lexicon, settings: Settings | None = None) -> None:
        self.lexicon = lexicon
        self.settings = settings or Settings()
        self._matchers: dict[str, Matcher] = {}

    def matcher(self, language: str) -> Matcher:
        if language not in self._matchers:
            self._matchers[language] = Matcher(
                self.lexicon,
                language,
                fuzzy_threshold=self.settings.fuzzy_threshold,
                use_lemmas=self.settings.use_lemmas,
                concept_languages=self.settings.concept_languages,
            )
        return self._matchers[language]

    def analyse(self, document: Document, language: str | None = None) -> Analysis:
        """Find mentions, candidates and statements; ``LanguageError`` when the language is
        not given and cannot be recognised."""
        text = document.analysis_text
        language = (
            check_language_code(language) if language else detect_language(text, str(document.path))
        )
        tokens = tokenize(text, language if self.settings.use_lemmas else None)
        mentions = self.matcher(language).find(text, tokens)
        spans = sentences(text)
        candidates = find_candidates(text, tokens, mentions, spans, language)
        mentions, candidates = resolve_local_bodies(self.lexicon, mentions, candidates)
        statements = find_statements(text, tokens, mentions, spans, language, self.lexicon.broader)
        areas = find_areas(self.lexicon, tokens, language)
        # Spans quote the document's own characters (analysis_text only blanks addresses).
        mentions = [_requote(document.text, m) for m in mentions]
        return Analysis(document, language, mentions, candidates, statements, areas)


def resolve_local_bodies(
    lexicon: Lexicon, mentions: list[Mention], candidates: list[Candidate]
) -> tuple[list[Mention], list[Candidate]]:
    """A candidate made of a known city and a municipality or region word ("Lunds kommun",
    "Comune di Lund") is the known organisation of that type based in that city, if the
    data has exactly one; it replaces the city and concept mentions inside it."""
    resolved: list[Mention] = []
    kept: list[Candidate] = []
    for candidate in candidates:
        inside = [m for m in mentions if candidate.start <= m.start and m.end <= candidate.end]
        cities = [m.entry.key for m in inside if m.entry.kind == "city"]
        key = (candidate.actor_type or "", cities[0]) if len(cities) == 1 else None
        organisation = lexicon.local_bodies.get(key) if key else None
        entry = lexicon.entry("organisation", organisation) if organisation else None
        if entry is None:
            kept.append(candidate)
            continue
        resolved.append(
            Mention(candidate.start, candidate.end, candidate.text, entry, 0.75, "place + cue")
        )
    if not resolved:
        return mentions, candidates
    taken = [(m.start, m.end) for m in resolved]
    rest = [m for m in mentions if not any(s <= m.start and m.end <= e for s, e in taken)]
    return sorted(rest + resolved, key=lambda m: (m.start, m.end)), kept


def _requote(text: str, mention: Mention) -> Mention:
    from dataclasses import replace

    return replace(mention, text=text[mention.start : mention.end])


def analyse_files(
    paths: Sequence[Path],
    analyser: Analyser,
    language: str | None = None,
    max_bytes: int = MAX_BYTES,
    on_done: Callable[[Path], None] | None = None,
) -> list[Analysis]:
    """Read and analyse every file; raises ``IntakeError`` or ``LanguageError`` for the
    first file that cannot be (before anything is written). ``on_done`` is called after
    each file (for a progress bar)."""
    if language:
        check_language_code(language)
    documents = [read_document(Path(path), max_bytes) for path in paths]
    analyses = []
    for document in documents:
        analyses.append(analyser.analyse(document, language))
        if on_done is not None:
            on_done(document.path)
    return analyses
