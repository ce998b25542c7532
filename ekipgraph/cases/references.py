"""Checks of meaning, after the structure is right: references resolve, concepts exist in the
right scheme, cited sources are registered, ids are unique, nothing required is empty.

Every check reads the field markers (``Ref``, ``Concept``, ``PartRef``, ``Cited``,
``NonEmpty``) of the models, so a new field is checked as soon as it is declared.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ekipgraph.cases.fields import LangText, PartialDate
from ekipgraph.cases.index import EntityIndex, Located, kind_label
from ekipgraph.cases.models import (
    Case,
    Involvement,
    Membership,
    Model,
    Part,
    field_specs,
    field_values,
    part_id,
    statable_keys,
)
from ekipgraph.cases.problems import ProblemList
from ekipgraph.cases.vocab import ConceptIndex
from ekipgraph.cases.yamlload import FieldPath, YamlDocument, format_field

#: up to this many known values are listed in full when a reference is unknown
_LIST_ALL = 12


def suggest(value: str, known: Iterable[str]) -> str:
    """'known: a, b, c' for a few values, else the closest ones."""
    known = list(dict.fromkeys(known))
    if not known:
        return "there are none"
    if len(known) <= _LIST_ALL:
        return "known: " + ", ".join(known)
    close = difflib.get_close_matches(value, known, n=5, cutoff=0.6)
    if close:
        return "closest: " + ", ".join(close)
    return f"known: {', '.join(known[:8])}, … ({len(known)} in all)"


@dataclass
class Checker:
    """Checks one document's models against the shared entities and the vocabularies."""

    index: EntityIndex
    concepts: ConceptIndex
    problems: ProblemList
    document: YamlDocument
    #: the parts of the case being checked, for ``for:`` (part kind -> id -> path)
    case_parts: dict[str, dict[str, FieldPath]] | None = None

    def report(self, path: FieldPath, message: str) -> None:
        where = self.document.value_position(path)
        self.problems.add(self.document.path, where.line, where.column, format_field(path), message)

    def check(self, model: Model, path: FieldPath) -> None:
        not_stated = self.check_not_stated(model, path)
        for spec in field_specs(type(model)):
            value = getattr(model, spec.name)
            field_path = (*path, spec.key)
            # An empty text is reported per language by check_text, not twice.
            texts = isinstance(value, LangText) and bool(value.values)
            if spec.key in not_stated:
                pass
            elif spec.non_empty and value is None:
                self.report(
                    field_path,
                    "required field is missing; if no source states it, "
                    f"list it under not_stated: [{spec.key}]",
                )
            elif spec.non_empty and _is_empty(value) and not texts:
                self.report(field_path, _empty_message(spec.key, spec.concept, value))
            if spec.child is Membership:
                self.check_unique_memberships(value, field_path)
            for item_path, item in field_values(spec, value, field_path):
                if spec.child is not None:
                    self.check(item, item_path)
                elif isinstance(item, LangText):
                    self.check_text(item, item_path)
                elif spec.ref is not None:
                    self.check_ref(item, spec.ref.kinds, item_path)
                elif spec.concept is not None:
                    self.check_concept(item, spec.concept.scheme, item_path)
                elif spec.part_ref is not None:
                    self.check_part_ref(item, spec.part_ref.parts, item_path)
                if spec.cited:
                    self.check_source(item, item_path)
        self.check_dates(model, path)

    def check_not_stated(self, model: Model, path: FieldPath) -> set[str]:
        """The keys listed under ``not_stated`` that are valid: keys of this entry that are
        not also given."""
        listed = getattr(model, "not_stated", None) or []
        allowed = statable_keys(type(model))
        valid: set[str] = set()
        for index, key in enumerate(listed):
            at = (*path, "not_stated", index)
            if key not in allowed:
                self.report(at, f"'{key}' is not a key of this entry; {suggest(key, allowed)}")
            elif key in valid:
                self.report(at, f"'{key}' is listed twice")
            elif not _is_empty(getattr(model, _attribute(model, key))):
                self.report(at, f"'{key}' is given, so it cannot also be not stated")
            else:
                valid.add(key)
        return valid

    def check_unique_memberships(self, memberships: list[Membership], path: FieldPath) -> None:
        seen: dict[str, int] = {}
        for index, membership in enumerate(memberships):
            if membership.id in seen:
                first = self.document.value_position((*path, seen[membership.id])).line
                self.report(
                    (*path, index, "of"),
                    f"a membership in '{membership.of}'"
                    + (f" as {membership.role}" if membership.role else "")
                    + f" is listed twice (first on line {first})",
                )
            else:
                seen[membership.id] = index

    def check_text(self, text: LangText, path: FieldPath) -> None:
        for lang, value in text.values:
            if not value:
                at = (*path, lang) if self.document.has((*path, lang)) else path
                self.report(at, "is empty; write the text, or leave the key out")

    def check_ref(self, value: str, kinds: tuple[str, ...], path: FieldPath) -> None:
        if self.index.resolve(value, kinds) or self.index.is_broken(value, kinds):
            return
        self.report(
            path, f"unknown {kind_label(kinds)} '{value}'; {suggest(value, self.index.ids(kinds))}"
        )

    def check_concept(self, value: str, scheme: str, path: FieldPath) -> None:
        message = concept_problem(self.concepts, scheme, value)
        if message:
            self.report(path, message)

    def check_part_ref(self, value: str, parts: tuple[str, ...], path: FieldPath) -> None:
        case_parts = self.case_parts or {}
        found = [part for part in parts if value in case_parts.get(part, {})]
        if len(found) > 1:
            self.report(
                path,
                f"'{value}' is both a {' and an '.join(found)} of this case; rename one of them",
            )
        elif not found:
            known = [key for part in parts for key in case_parts.get(part, {})]
            self.report(
                path,
                f"'{value}' is not a {kind_label(parts)} of this case; {suggest(value, known)}",
            )

    def check_source(self, url: str, path: FieldPath) -> None:
        if url in self.index.entities["source"] or url in self.index.broken["source"]:
            return
        close = difflib.get_close_matches(url, list(self.index.entities["source"]), n=1, cutoff=0.9)
        hint = f"; did you mean {close[0]}?" if close else ""
        self.report(path, f"source {url} is not registered in shared/sources.yaml{hint}")

    def check_dates(self, model: Model, path: FieldPath) -> None:
        start, end = getattr(model, "start", None), getattr(model, "end", None)
        if (
            isinstance(start, PartialDate)
            and isinstance(end, PartialDate)
            and (end.covers_until() < start.covers_from())
        ):
            self.report((*path, "end"), f"ends ({end}) before it starts ({start})")


def concept_problem(concepts: ConceptIndex, scheme: str, value: str) -> str | None:
    """Why ``value`` is not a concept of ``scheme`` (``None`` if it is one)."""
    if concepts.has(scheme, value):
        return None
    known = concepts.concepts(scheme)
    elsewhere = [s for s in concepts.schemes_with(value) if s != scheme]
    note = f" ('{value}' is a {' and '.join(elsewhere)} concept)" if elsewhere else ""
    if not known:
        return (
            f"unknown {scheme} concept '{value}': the scheme has no concepts "
            f"(is ontology/vocab/{scheme}.ttl missing?)"
        )
    if len(known) <= _LIST_ALL:
        return f"'{value}' is not one of {', '.join(known)}{note}"
    close = difflib.get_close_matches(value, known, n=5, cutoff=0.6)
    hint = f"closest: {', '.join(close)}" if close else f"see ontology/vocab/{scheme}.ttl"
    return f"unknown {scheme} concept '{value}'{note}; {hint}"


def _attribute(model: Model, key: str) -> str:
    """The attribute of the YAML ``key`` (``for`` is ``needed_for``)."""
    return next(spec.name for spec in field_specs(type(model)) if spec.key == key)


def _is_empty(value: Any) -> bool:
    if isinstance(value, LangText):
        return value.is_empty()
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == []


def _empty_message(key: str, concept: Any, value: Any) -> str:
    if key == "sources":
        return "cite at least one source (a URL registered in shared/sources.yaml)"
    if concept is not None:
        return f"give at least one {concept.scheme} concept"
    return "must not be empty" if not isinstance(value, list) else "list at least one"


# ---------------------------------------------------------------------------------------
# Uniqueness


def check_case_parts(case: Located[Case], checker: Checker) -> dict[str, dict[str, FieldPath]]:
    """Index the parts of a case by kind and id, reporting duplicates; return the index."""
    parts: dict[str, dict[str, FieldPath]] = {}
    document = case.document
    for path, part, owner in _parts_with_paths(case.model):
        kind = part.PART
        key = part_id(part, owner)
        seen = parts.setdefault(kind, {})
        id_path = (*path, "actor" if isinstance(part, Involvement) else "id")
        if key in seen:
            first = document.value_position(seen[key]).line
            if isinstance(part, Involvement) and seen[key][:-1] == path[:-1]:
                message = f"actor '{part.actor}' is listed twice here (first on line {first})"
            elif isinstance(part, Involvement):
                message = (
                    f"the involvement '{key}' clashes with the one on line {first}; "
                    "rename the portfolio or item"
                )
            else:
                message = f"duplicate {kind} id '{key}' (first on line {first})"
            checker.report(id_path, message)
        else:
            seen[key] = path
    return parts


def _parts_with_paths(case: Case) -> Iterable[tuple[FieldPath, Part | Involvement, Model]]:
    for index, involvement in enumerate(case.actors):
        yield ("actors", index), involvement, case
    for p_index, portfolio in enumerate(case.portfolios):
        p_path: FieldPath = ("portfolios", p_index)
        yield p_path, portfolio, case
        for index, involvement in enumerate(portfolio.actors):
            yield (*p_path, "actors", index), involvement, portfolio
        for i_index, item in enumerate(portfolio.items):
            i_path: FieldPath = (*p_path, "items", i_index)
            yield i_path, item, portfolio
            for index, involvement in enumerate(item.actors):
                yield (*i_path, "actors", index), involvement, item
    for key in ("needs", "strengths", "gaps", "stimuli"):
        for index, part in enumerate(getattr(case, key)):
            yield (key, index), part, case


def check_case(
    case: Located[Case], index: EntityIndex, concepts: ConceptIndex, problems: ProblemList
) -> None:
    """Every check of meaning on one YAML case."""
    checker = Checker(index, concepts, problems, case.document)
    expected = case.file.stem
    if case.model.id != expected:
        checker.report(
            ("id",), f"must be the file name without .yaml: '{expected}', not '{case.model.id}'"
        )
    checker.case_parts = check_case_parts(case, checker)
    checker.check(case.model, case.path)


def check_shared(index: EntityIndex, concepts: ConceptIndex, problems: ProblemList) -> None:
    """Every check of meaning on the shared entities (duplicates are found while indexing)."""
    for kind_entities in index.entities.values():
        for entity in kind_entities.values():
            Checker(index, concepts, problems, entity.document).check(entity.model, entity.path)
    # An actor reference names an organisation or a person; the same id for both is ambiguous.
    for key, person in index.entities["person"].items():
        if key in index.entities["organisation"]:
            organisation: Located = index.entities["organisation"][key]
            Checker(index, concepts, problems, person.document).report(
                (*person.path, "id"),
                f"'{key}' is also an organisation ({organisation.file.name} line "
                f"{organisation.position('id').line}); actor ids must differ",
            )
