"""Precision and recall of the extraction on annotated texts (``make eval``).

An annotated text marks what a careful reader finds in it::

    {{Lund University|e:organisation/lund-university}}   a known entity
    {{test bed|c:resource-type/test-bed}}                a concept of a scheme
    {{Northlight Reality|new:organisation}}              a new organisation (or new:person)
    [[gap:funding|... clause ...]]                       a need, strength or gap statement
                                                         and its resource type (optional)

Statements may contain mentions. The file's language is its name's first part
(``sv-lund-musik.txt``). A prediction matches a gold item of the same kind and value whose
span it overlaps (one to one); new-entity candidates match by span, and whether their
organisation/person guess is right is reported apart, as is the resource type of matched
statements.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ekipgraph.extract.intake import Document
from ekipgraph.extract.pipeline import Analyser, Analysis

TARGETS = {  # kind: (precision, recall)
    "known entities": (0.9, 0.8),
    "concepts": (0.9, 0.8),
    "needs/strengths/gaps": (0.6, 0.6),
}
KINDS = ("known entities", "concepts", "new-entity candidates", "needs/strengths/gaps")
_MARK = re.compile(r"\{\{|\}\}|\[\[|\]\]")


@dataclass(frozen=True)
class Item:
    kind: str  # one of KINDS
    start: int
    end: int
    value: str  # organisation/lund-university, resource-type/test-bed, organisation, gap
    detail: str | None = None  # the resource type of a statement


@dataclass
class AnnotatedText:
    path: Path
    language: str
    text: str
    gold: list[Item]


class MarkupError(ValueError):
    pass


def parse_annotated(path: Path) -> AnnotatedText:
    source = path.read_text(encoding="utf-8")
    plain: list[str] = []
    length = 0
    stack: list[tuple[str, int]] = []
    gold: list[Item] = []
    position = 0
    for match in _MARK.finditer(source):
        chunk = source[position : match.start()]
        position = match.end()
        token = match.group()
        if token in ("{{", "[["):
            plain.append(chunk)
            length += len(chunk)
            stack.append((token, length))
            continue
        if not stack:
            raise MarkupError(f"{path}: unbalanced {token} at {match.start()}")
        opener, start = stack.pop()
        if token == "}}":
            if opener != "{{" or "|" not in chunk:
                raise MarkupError(f"{path}: bad mention before {match.start()}")
            surface, _, label = chunk.rpartition("|")
            plain.append(surface)
            length += len(surface)
            gold.append(_mention(path, start, length, label))
        else:
            if opener != "[[":
                raise MarkupError(f"{path}: bad statement before {match.start()}")
            plain.append(chunk)
            length += len(chunk)
            gold.append(_statement(path, start, length, "".join(plain)))
    plain.append(source[position:])
    if stack:
        raise MarkupError(f"{path}: unclosed {stack[-1][0]}")
    text = "".join(plain)
    return AnnotatedText(path, path.name.split("-", 1)[0], text, gold)


def _mention(path: Path, start: int, end: int, label: str) -> Item:
    kind, _, value = label.partition(":")
    kinds = {"e": "known entities", "c": "concepts", "new": "new-entity candidates"}
    if kind not in kinds or not value:
        raise MarkupError(f"{path}: unknown mention label {label!r}")
    return Item(kinds[kind], start, end, value)


def _statement(path: Path, start: int, end: int, text_so_far: str) -> Item:
    # The statement's label is the first "kind[:type]|" at its start.
    body = text_so_far[start:end]
    match = re.match(r"(need|strength|gap)(?::([\w-]+))?\|", body)
    if not match:
        raise MarkupError(f"{path}: a statement must start with need|, strength| or gap|")
    return Item("needs/strengths/gaps", start, end, match.group(1), match.group(2) or "")


def strip_statement_labels(annotated: AnnotatedText) -> AnnotatedText:
    """Remove the "gap:funding|" prefixes from the text, shifting every offset."""
    text = annotated.text
    cuts: list[tuple[int, int]] = []
    for item in annotated.gold:
        if item.kind == "needs/strengths/gaps":
            label = re.match(r"(?:need|strength|gap)(?::[\w-]+)?\|", text[item.start :])
            assert label is not None
            cuts.append((item.start, item.start + label.end()))
    cuts.sort()

    def shift(offset: int) -> int:
        return offset - sum(min(end, offset) - start for start, end in cuts if start < offset)

    starts = [0] + [end for _, end in cuts]
    ends = [start for start, _ in cuts] + [len(text)]
    plain = "".join(text[a:b] for a, b in zip(starts, ends, strict=True))
    gold = [Item(i.kind, shift(i.start), shift(i.end), i.value, i.detail) for i in annotated.gold]
    return AnnotatedText(annotated.path, annotated.language, plain, gold)


def load_texts(folder: Path) -> list[AnnotatedText]:
    return [strip_statement_labels(parse_annotated(p)) for p in sorted(folder.glob("*.txt"))]


def predictions(analysis: Analysis) -> list[Item]:
    items = []
    for mention in analysis.mentions:
        kind = "known entities" if mention.entry.is_name else "concepts"
        items.append(Item(kind, mention.start, mention.end, mention.entry.ref))
    for candidate in analysis.candidates:
        items.append(Item("new-entity candidates", candidate.start, candidate.end, candidate.kind))
    for statement in analysis.statements:
        items.append(
            Item(
                "needs/strengths/gaps",
                statement.start,
                statement.end,
                statement.kind,
                statement.resource_type or "",
            )
        )
    return items


@dataclass
class Score:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0
    detail_right: int = 0  # resource type right / person-organisation guess right
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    def add(self, other: Score) -> None:
        self.true_positives += other.true_positives
        self.predicted += other.predicted
        self.gold += other.gold
        self.detail_right += other.detail_right
        self.errors += other.errors


def score(text: str, gold: Iterable[Item], predicted: Iterable[Item]) -> dict[str, Score]:
    scores = {kind: Score() for kind in KINDS}
    gold_by = {kind: [g for g in gold if g.kind == kind] for kind in KINDS}
    predicted_by = {kind: [p for p in predicted if p.kind == kind] for kind in KINDS}
    for kind in KINDS:
        result = scores[kind]
        result.gold = len(gold_by[kind])
        result.predicted = len(predicted_by[kind])
        unmatched = list(gold_by[kind])
        for item in sorted(predicted_by[kind], key=lambda i: (i.start, i.end)):
            same_value = kind != "new-entity candidates"
            match = next(
                (
                    g
                    for g in unmatched
                    if g.start < item.end
                    and item.start < g.end
                    and (not same_value or g.value == item.value)
                ),
                None,
            )
            if match is None:
                result.errors.append(f"FP {kind}: {text[item.start : item.end]!r} -> {item.value}")
                continue
            unmatched.remove(match)
            result.true_positives += 1
            if kind == "new-entity candidates":
                result.detail_right += match.value == item.value
            elif kind == "needs/strengths/gaps":
                result.detail_right += (match.detail or "") == (item.detail or "")
        for missed in unmatched:
            result.errors.append(
                f"FN {kind}: {text[missed.start : missed.end][:80]!r} -> {missed.value}"
            )
    return scores


def evaluate(
    texts: list[AnnotatedText], analyser: Analyser
) -> tuple[dict[str, dict[str, Score]], dict[str, Score]]:
    """Scores per language and kind, and over all texts per kind."""
    per_language: dict[str, dict[str, Score]] = {}
    total = {kind: Score() for kind in KINDS}
    for annotated in texts:
        document = Document(annotated.path, "text", annotated.text)
        analysis = analyser.analyse(document, annotated.language)
        scores = score(annotated.text, annotated.gold, predictions(analysis))
        language = per_language.setdefault(annotated.language, {k: Score() for k in KINDS})
        for kind in KINDS:
            language[kind].add(scores[kind])
            total[kind].add(scores[kind])
    return per_language, total
