"""The draft case: a City Case Description in the authoring format, every suggestion
commented with its confidence and the words it comes from.

The draft parses as it is and passes the authoring checks except where a person must
supply something: those fields are left empty and marked ``# TO SUPPLY``, so that
``ekipgraph validate`` names each of them (as it does for a ``new-case`` scaffold).
Descriptions are never filled in from the text: the authoring rules ask for the author's own
words, so the draft quotes the span in a comment and leaves the description to the reviewer.
New organisations and people go at the end as commented entries for data/shared/, since a
case may only refer to entities that exist there.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ekipgraph.extract.candidates import slug
from ekipgraph.extract.language import LANGUAGE_NAMES
from ekipgraph.extract.lexicon import Entry
from ekipgraph.extract.matching import Mention
from ekipgraph.extract.pipeline import Analysis
from ekipgraph.extract.statements import Statement

TO_SUPPLY = "TO SUPPLY"
_QUOTE_CHARS = 110


@dataclass(frozen=True)
class Evidence:
    """One span of one document that supports a suggestion."""

    document: int  # index into the analyses
    start: int
    end: int
    exact: str


@dataclass
class Suggestion:
    """A value the draft proposes, where it goes, and the spans it comes from."""

    key: str  # s1, s2, ... as cited in the draft's comments
    kind: str  # entity | concept | candidate | need | strength | gap
    field: str  # the draft field, e.g. actors[0].actor or gaps[1]
    value: str  # the proposed value (an id, a concept id, or a new entity's name)
    confidence: float
    note: str  # how it was found
    iri: str | None = None  # what the value refers to (entity or concept IRI)
    # (dataclasses.field: the attribute ``field`` hides the name in this class)
    classes: list[str] = dataclasses.field(default_factory=list)  # concept IRIs that classify it
    evidence: list[Evidence] = dataclasses.field(default_factory=list)


@dataclass
class Draft:
    text: str
    suggestions: list[Suggestion]
    to_supply: list[str]


def _quote(text: str) -> str:
    one_line = " ".join(text.split())
    if len(one_line) > _QUOTE_CHARS:
        one_line = one_line[: _QUOTE_CHARS - 1].rstrip() + "…"
    return f"«{one_line}»"


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.suggestions: list[Suggestion] = []
        self.to_supply: list[str] = []

    def add(self, line: str = "") -> None:
        self.lines.append(line)

    def suggest(self, suggestion: Suggestion) -> str:
        suggestion.key = f"s{len(self.suggestions) + 1}"
        self.suggestions.append(suggestion)
        first = suggestion.evidence[0].exact if suggestion.evidence else ""
        more = len(suggestion.evidence) - 1
        extra = (
            f" (+{more} more)"
            if more > 0 and suggestion.kind in ("entity", "concept", "candidate")
            else ""
        )
        score = f"{suggestion.confidence:.2f}"
        return f"# [{suggestion.key}] {score} {suggestion.note}: {_quote(first)}{extra}"

    def supply(self, field_name: str, hint: str) -> str:
        self.to_supply.append(field_name)
        return f"# {TO_SUPPLY}: {hint}"


def build_draft(
    analyses: list[Analysis],
    case_id: str,
    sources: list[str],
    recorded: dt.date | None = None,
) -> Draft:
    """The draft's YAML text and its suggestions (in the order the draft cites them)."""
    writer = _Writer()
    languages = Counter(a.language for a in analyses)
    main_language = languages.most_common(1)[0][0] if languages else "en"
    day = (recorded or dt.date.today()).isoformat()

    writer.add(
        f"# Draft City Case Description, written by `ekipgraph extract` from "
        f"{len(analyses)} file(s):"
    )
    for number, analysis in enumerate(analyses, 1):
        form = {"html": "main text of an HTML page", "markdown": "Markdown", "text": "plain text"}
        writer.add(
            f"#   {number}. {analysis.document.path.name} "
            f"({LANGUAGE_NAMES[analysis.language]}, {form[analysis.document.format]})"
        )
    writer.add("#")
    writer.add("# [sN] marks a suggested value: its confidence (0-1), how it was found and the")
    writer.add("# words it comes from; the annotation file gives each span's exact position.")
    writer.add(f"# '{TO_SUPPLY}' marks what a person must write; `ekipgraph validate` lists it.")
    writer.add("# Review every suggestion, delete what is wrong, write descriptions in your own")
    writer.add("# words, delete the quoted spans, then move the file to data/cases/<id>.yaml.")
    writer.add("# See docs/authoring.md, section 'Drafts from text'.")
    writer.add("")
    writer.add(f"id: {case_id}  # the file name without .yaml; rename both if you like")
    title = next((a.document.title for a in analyses if a.document.title), None)
    if title:
        writer.add(f"title: {{{main_language}: {_string(title)}}}  # the document's title")
    else:
        writer.add(f'title: {{{main_language}: ""}}  ' + writer.supply("title", "the case title"))

    _city(writer, analyses)
    _concept_list(writer, analyses, "policy-area", "policy_areas", required=True)
    _concept_list(writer, analyses, "cci-sector", "sectors", required=False)
    writer.add("year:  # the year of publication, if the source says")
    web = [s for s in sources if s.startswith(("http://", "https://"))]
    writer.add(f"url: {_string(web[0])}" if len(web) == 1 else "url:  # the case page's address")
    writer.add("workshop:  # an id from data/shared/workshops.yaml, if the source says")
    writer.add(f"recorded: {day}")
    writer.add(
        f'viewpoint: {{{main_language}: ""}}  '
        + writer.supply("viewpoint", "whose views the case reflects, in your own words")
    )
    writer.add(
        f'summary: {{{main_language}: ""}}  '
        + writer.supply("summary", "the local context, in your own words")
    )
    writer.add("tests_recommendations: []  # ids from data/shared/recommendations.yaml")
    source_list = _flow(sources)
    if sources:
        writer.add(f"sources: {source_list}")
    else:
        writer.add(
            "sources: []  "
            + writer.supply("sources", "the URLs of the texts, registered in sources.yaml")
        )
    writer.add("")
    _actors(writer, analyses, source_list)
    writer.add("")
    writer.add("portfolios: []  # the simulated innovation portfolio(s), if the text has them")
    writer.add("")
    for kind, key in (("need", "needs"), ("strength", "strengths"), ("gap", "gaps")):
        _statements(writer, analyses, kind, key, source_list)
        writer.add("")
    writer.add("stimuli: []")
    writer.add("")
    _candidates(writer, analyses)
    return Draft("\n".join(writer.lines).rstrip() + "\n", writer.suggestions, writer.to_supply)


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(_string(v) for v in values) + "]"


#: mentions of one thing, each with the index of its document
Mentions = list[tuple[int, Mention]]


def _grouped(analyses: list[Analysis], predicate: Callable[[Mention], bool]) -> dict[str, Mentions]:
    """Mentions grouped by what they refer to, with their document index, in text order."""
    groups: dict[str, Mentions] = defaultdict(list)
    for number, analysis in enumerate(analyses):
        for mention in analysis.mentions:
            if predicate(mention):
                groups[mention.entry.ref].append((number, mention))
    return groups


def _evidence(items: Mentions) -> list[Evidence]:
    return [Evidence(n, m.start, m.end, m.text) for n, m in items]


def _note(items: Mentions, what: str) -> str:
    methods = sorted({m.method for _, m in items})
    times = f"{len(items)} mention{'s' if len(items) > 1 else ''}"
    return f"{what}, {times}, {'/'.join(methods)}"


def _city(writer: _Writer, analyses: list[Analysis]) -> None:
    groups = _grouped(analyses, lambda m: m.entry.kind == "city")
    if not groups:
        writer.add(
            "city:  "
            + writer.supply(
                "city", "a city id from data/shared/cities.yaml; the text names none of them"
            )
        )
        return
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), item[1][0][1].start))
    _ref, items = ranked[0]
    entry = items[0][1].entry
    share = len(items) / sum(len(v) for v in groups.values())
    confidence = round(max(m.confidence for _, m in items) * share, 2)
    comment = writer.suggest(
        Suggestion(
            "",
            "entity",
            "city",
            entry.key,
            confidence,
            _note(items, "most named city"),
            entry.iri,
            [],
            _evidence(items),
        )
    )
    others = ", ".join(r.split("/", 1)[1] for r, _ in ranked[1:])
    writer.add(f"city: {entry.key}  {comment}")
    if others:
        writer.add(f"# other cities named: {others}")


def _concept_list(
    writer: _Writer, analyses: list[Analysis], scheme: str, key: str, required: bool
) -> None:
    groups = _grouped(analyses, lambda m: m.entry.scheme == scheme)
    if not groups and scheme == "policy-area":
        inferred = _inferred_areas(analyses)
        if inferred:
            writer.add(f"{key}:")
            for index, (entry, evidence) in enumerate(inferred):
                words = ", ".join(_quote(e.exact) for e in evidence)
                comment = writer.suggest(
                    Suggestion(
                        "",
                        "concept",
                        f"{key}[{index}]",
                        entry.key,
                        0.5,
                        f"{scheme} by its words {words}, not by its label",
                        entry.iri,
                        [entry.iri],
                        evidence,
                    )
                )
                writer.add(f"  - {entry.key}  {comment}")
            return
    if not groups:
        if required:
            writer.add(
                f"{key}: []  "
                + writer.supply(
                    key, f"concept ids from ontology/vocab/{scheme}.ttl; the text names none"
                )
            )
        else:
            writer.add(f"{key}: []  # ids from ontology/vocab/{scheme}.ttl, if the text says")
        return
    writer.add(f"{key}:")
    for index, (_, items) in enumerate(sorted(groups.items(), key=lambda g: g[1][0][1].start)):
        entry = items[0][1].entry
        confidence = max(m.confidence for _, m in items)
        comment = writer.suggest(
            Suggestion(
                "",
                "concept",
                f"{key}[{index}]",
                entry.key,
                confidence,
                _note(items, scheme),
                entry.iri,
                [entry.iri],
                _evidence(items),
            )
        )
        writer.add(f"  - {entry.key}  {comment}")


def _inferred_areas(analyses: list[Analysis]) -> list[tuple[Entry, list[Evidence]]]:
    """Policy areas found by their distinctive words, once each, with their evidence."""
    found: dict[str, tuple[Entry, list[Evidence]]] = {}
    for number, analysis in enumerate(analyses):
        for area in analysis.areas:
            if area.entry.key not in found:
                text = analysis.document.text
                evidence = [Evidence(number, s, e, text[s:e]) for s, e in area.spans]
                found[area.entry.key] = (area.entry, evidence)
    return list(found.values())


def _actors(writer: _Writer, analyses: list[Analysis], source_list: str) -> None:
    groups = _grouped(analyses, lambda m: m.entry.kind in ("organisation", "person"))
    if not groups:
        writer.add(
            "actors: []  # organisation or person ids from data/shared/; the text names none"
        )
        return
    writer.add(
        "actors:  # known organisations and people the text names; keep those that take part"
    )
    for index, (_, items) in enumerate(sorted(groups.items(), key=lambda g: g[1][0][1].start)):
        entry = items[0][1].entry
        confidence = max(m.confidence for _, m in items)
        comment = writer.suggest(
            Suggestion(
                "",
                "entity",
                f"actors[{index}].actor",
                entry.key,
                confidence,
                _note(items, entry.kind),
                entry.iri,
                [],
                _evidence(items),
            )
        )
        writer.add(f"  - actor: {entry.key}  {comment}")
        writer.add(
            '    # role: {en: "..."}  (optional: what it does in the case, in your own words)'
        )
        if source_list != "[]":
            writer.add(f"    sources: {source_list}")
        else:
            writer.add(
                "    sources: []  "
                + writer.supply(f"actors[{index}].sources", "where its part is stated")
            )


def _statements(
    writer: _Writer, analyses: list[Analysis], kind: str, key: str, source_list: str
) -> None:
    found = [
        (number, statement)
        for number, analysis in enumerate(analyses)
        for statement in analysis.statements
        if statement.kind == kind
    ]
    if not found:
        writer.add(f"{key}: []")
        return
    writer.add(f"{key}:")
    used: Counter[str] = Counter()
    for index, (number, statement) in enumerate(found):
        base = statement.resource_type or kind
        used[base] += 1
        part_id = slug(f"{base}-{used[base]}")
        how = f"{kind} (cue {_quote(statement.cue)}"
        if statement.resource_type:
            how += f"; resource from {_quote(statement.resource_evidence or '')})"
        else:
            how += ")"
        classes = []
        from ekipgraph.namespaces import concept_iri

        if statement.resource_type:
            classes.append(str(concept_iri("resource-type", statement.resource_type)))
        comment = writer.suggest(
            Suggestion(
                "",
                kind,
                f"{key}[{index}]",
                part_id,
                statement.confidence,
                how,
                None,
                classes,
                _statement_evidence(number, statement),
            )
        )
        writer.add(f"  - id: {part_id}  {comment}")
        if statement.resource_type:
            writer.add(f"    resource_type: {statement.resource_type}")
        else:
            writer.add(
                "    resource_type:  "
                + writer.supply(f"{key}[{index}].resource_type", "a resource-type concept id")
            )
        if kind == "need":
            if statement.status:
                writer.add(f"    status: {statement.status}  # from the words of the span")
            else:
                writer.add(
                    "    status:  "
                    + writer.supply(f"{key}[{index}].status", "available | partial | missing")
                )
            writer.add(
                "    for:  "
                + writer.supply(f"{key}[{index}].for", "the portfolio or item id it is needed for")
            )
        writer.add(
            f'    # description: {{{analyses[number].language}: "..."}}  (in your own words)'
        )
        if source_list != "[]":
            writer.add(f"    sources: {source_list}")
        else:
            writer.add(
                "    sources: []  "
                + writer.supply(f"{key}[{index}].sources", "where this is stated")
            )


def _statement_evidence(number: int, statement: Statement) -> list[Evidence]:
    """The clause, then the words that name its resource type."""
    spans = [Evidence(number, statement.start, statement.end, statement.text)]
    if statement.resource_span and statement.resource_evidence:
        start, end = statement.resource_span
        spans.append(Evidence(number, start, end, statement.resource_evidence))
    return spans


def _candidates(writer: _Writer, analyses: list[Analysis]) -> None:
    from ekipgraph.namespaces import concept_iri

    found: dict[tuple[str, str], list] = defaultdict(list)
    for number, analysis in enumerate(analyses):
        for candidate in analysis.candidates:
            found[(candidate.kind, slug(candidate.text))].append((number, candidate))
    if not found:
        return
    writer.add("# ---------------------------------------------------------------------------")
    writer.add("# Organisations and people the graph does not know yet, as the text names them.")
    writer.add(
        "# Check each against its sources; add the real ones to data/shared/organisations.yaml"
    )
    writer.add("# or people.yaml (with sources), then list them under actors above.")
    for kind, file_key in (("organisation", "organisations"), ("person", "people")):
        entries = [(key, items) for key, items in found.items() if key[0] == kind]
        if not entries:
            continue
        writer.add(f"# {file_key}:")
        for index, ((_, entity_id), items) in enumerate(entries):
            first = items[0][1]
            best = max(items, key=lambda item: item[1].confidence)[1]
            classes = [str(concept_iri("actor-type", best.actor_type))] if best.actor_type else []
            note = f"new {kind}"
            if best.actor_type:
                note += f", {best.actor_type} from {_quote(best.evidence)}"
            elif best.evidence:
                note += f", from {best.evidence}"
            comment = writer.suggest(
                Suggestion(
                    "",
                    "candidate",
                    f"new {file_key}[{index}]",
                    first.text,
                    best.confidence,
                    note,
                    None,
                    classes,
                    [Evidence(n, c.start, c.end, c.text) for n, c in items],
                )
            )
            writer.add(f"#   - id: {entity_id}  {comment}")
            if kind == "person":
                writer.add(f"#     name: {_string(first.text)}")
            else:
                language = analyses[items[0][0]].language
                writer.add(f"#     name: {{{language}: {_string(first.text)}}}")
                types = (
                    f"[{best.actor_type}]"
                    if best.actor_type
                    else f"[]  # {TO_SUPPLY}: actor-type ids"
                )
                writer.add(f"#     actor_types: {types}")
            writer.add(f"#     sources: []  # {TO_SUPPLY}")
