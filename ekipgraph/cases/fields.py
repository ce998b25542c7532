"""The field types the authoring format is made of, shared by every model.

Each type validates one kind of value (an id, a URL, a text, a date) and carries *markers*
that say what the value means: what it refers to (``Ref``, ``Concept``, ``PartRef``,
``Cited``) and which RDF predicates it becomes (``Rdf``). The reference checks and the
converter read those markers, so a model declares each field once and both follow.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, PlainValidator
from pydantic_core import PydanticCustomError
from pyoxigraph import NamedNode
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ekipgraph.namespaces import is_slug

# ---------------------------------------------------------------------------------------
# Markers (metadata read by the reference checks and the converter)


@dataclass(frozen=True)
class Rdf:
    """The predicates a field becomes; ``datatype`` for numbers."""

    predicates: tuple[URIRef, ...]
    datatype: URIRef | None = None

    def __init__(self, *predicates: URIRef, datatype: URIRef | None = None) -> None:
        object.__setattr__(self, "predicates", predicates)
        object.__setattr__(self, "datatype", datatype)


@dataclass(frozen=True)
class Ref:
    """The id of a shared entity of one of ``kinds`` (tried in this order)."""

    kinds: tuple[str, ...]

    def __init__(self, *kinds: str) -> None:
        object.__setattr__(self, "kinds", kinds)


@dataclass(frozen=True)
class PartRef:
    """The id of a part of the same case: one of ``parts`` (e.g. portfolio or item)."""

    parts: tuple[str, ...]

    def __init__(self, *parts: str) -> None:
        object.__setattr__(self, "parts", parts)


@dataclass(frozen=True)
class Concept:
    """The id of a concept of one SKOS scheme under ontology/vocab/."""

    scheme: str


@dataclass(frozen=True)
class Cited:
    """A source URL, which must be registered in shared/sources.yaml."""


@dataclass(frozen=True)
class AsIri:
    """A URL that becomes an IRI (not a string literal) in RDF."""


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of words, each standing for an IRI (``online`` -> a schema.org
    attendance mode, ``policy-corner`` -> a class)."""

    iris: tuple[tuple[str, URIRef], ...]

    def iri(self, word: str) -> URIRef:
        return dict(self.iris)[word]


@dataclass(frozen=True)
class KeyNames:
    """Names of other keys of the same entry (``not_stated: [viewpoint]``); each becomes the
    IRI of the property that key is written as."""


@dataclass(frozen=True)
class NonEmpty:
    """Must hold something. Checked with the references, not the structure, so that a fresh
    ``new-case`` scaffold with empty lists and texts still parses."""


# ---------------------------------------------------------------------------------------
# Values


@dataclass(frozen=True)
class LangText:
    """A text in one or more languages: ``(("en", "Lund"), ("sv", "Lund"))``."""

    values: tuple[tuple[str, str], ...]

    def literals(self) -> list[Literal]:
        return [Literal(text, lang=lang) for lang, text in self.values if text]

    def is_empty(self) -> bool:
        return not any(text for _, text in self.values)


@dataclass(frozen=True, order=True)
class PartialDate:
    """A day, a month or a year: as precise as the source and no more."""

    year: int
    month: int | None = None
    day: int | None = None

    def literal(self) -> Literal:
        if self.day is not None and self.month is not None:
            return Literal(f"{self.year:04d}-{self.month:02d}-{self.day:02d}", datatype=XSD.date)
        if self.month is not None:
            return Literal(f"{self.year:04d}-{self.month:02d}", datatype=XSD.gYearMonth)
        return Literal(f"{self.year:04d}", datatype=XSD.gYear)

    def __str__(self) -> str:
        return str(self.literal())

    def covers_until(self) -> tuple[int, int, int]:
        """The last day this date can mean, for comparing dates of different precision."""
        return (self.year, self.month or 12, self.day or 31)

    def covers_from(self) -> tuple[int, int, int]:
        return (self.year, self.month or 1, self.day or 1)


# ---------------------------------------------------------------------------------------
# Validators. They raise PydanticCustomError so that the message reaches the author as is.


def describe(value: Any) -> str:
    """How a YAML value looks to its author: 'a number', 'a list', 'nothing'..."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, dt.datetime):
        return f"a date and time ({value.isoformat()})"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, str):
        return f"the text '{value if len(value) <= 60 else value[:57] + '...'}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _error(kind: str, message: str, **context: Any) -> PydanticCustomError:
    # Braces in authored values must not be read as format fields by pydantic.
    return PydanticCustomError(kind, message.replace("{", "{{").replace("}", "}}"), context)


def is_valid_id(value: str) -> bool:
    """A slug such as ``lund-ai``. (``is_slug`` alone lets a final line break through: its
    pattern ends in ``$``, and an id goes into IRIs.)"""
    return is_slug(value) and not value.endswith("\n")


def _slug(value: str) -> str:
    if not is_valid_id(value):
        raise _error(
            "slug",
            f"'{value}' is not a valid id: use lower-case letters and digits "
            "in words joined by hyphens, e.g. lund-ai",
        )
    return value


_IRI_FORBIDDEN = re.compile(r"[\x00-\x20<>\"{}|\\^`\x7f]")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _iri(value: str) -> str:
    bad = _IRI_FORBIDDEN.search(value)
    if bad:
        char = bad.group()
        what = "a space" if char == " " else "a control character" if char < " " else f"'{char}'"
        raise _error("url", f"'{value}' is not a valid URL: it contains {what} (percent-encode it)")
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError as error:
        raise _error("url", f"'{value}' is not a valid URL: {error}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _error("url", f"'{value}' is not an absolute http(s) URL")
    if _BAD_PERCENT.search(value):
        raise _error("url", f"'{value}' is not a valid URL: a '%' must start an escape like %20")
    problem = iri_syntax_problem(value)
    if problem:
        raise _error("url", f"'{value}' is not a valid URL: {problem}")
    return value


def iri_syntax_problem(value: str) -> str | None:
    """What is wrong with an IRI (RFC 3987), as the parser that loads the dataset into
    Oxigraph sees it; ``None`` for a valid IRI."""
    try:
        NamedNode(value)
    except ValueError as error:
        return str(error)
    return None


# BCP 47 (RFC 5646) language tags, without the grandfathered irregular ones.
_LANG = re.compile(
    r"[a-z]{2,3}(-[a-z]{3}){0,3}"  # language, extended language subtags
    r"(-[a-z]{4})?"  # script
    r"(-([a-z]{2}|[0-9]{3}))?"  # region
    r"(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"  # variants
    r"(-[0-9a-wyz](-[a-z0-9]{2,8})+)*"  # extensions
    r"(-x(-[a-z0-9]{1,8})+)?",  # private use
    re.IGNORECASE,
)


def normalise_language_tag(tag: str) -> str:
    """The conventional case of a tag: ``en-gb`` -> ``en-GB``, ``sr-latn`` -> ``sr-Latn``."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2 and out[-1] != "x":
            out.append(part.upper())
        elif len(part) == 4 and part.isalpha() and len(out) == 1:
            out.append(part.title())
        else:
            out.append(part.lower())
    return "-".join(out)


def is_language_tag(tag: str) -> bool:
    return bool(_LANG.fullmatch(tag))


def check_language_tag(tag: Any) -> str:
    if not isinstance(tag, str):
        raise _error("language", f"a language tag must be text like en or sv, not {describe(tag)}")
    if not is_language_tag(tag):
        raise _error(
            "language", f"'{tag}' is not a language tag (BCP 47, e.g. en, sv, nl-BE)", key=tag
        )
    return normalise_language_tag(tag)


def _text(value: Any) -> LangText:
    if isinstance(value, str):
        return LangText((("en", value.strip()),))
    if not isinstance(value, dict):
        raise _error(
            "text",
            f"expected a text or a map of language to text "
            f'like {{en: "..."}}, got {describe(value)}',
        )
    seen: dict[str, str] = {}
    values = []
    for tag, text in value.items():
        lang = check_language_tag(tag)
        if lang.lower() in seen:
            first = seen[lang.lower()]
            raise _error("text", f"language '{tag}' is given twice (also as '{first}')", key=tag)
        seen[lang.lower()] = str(tag)
        if not isinstance(text, str):
            raise _error("text", f"expected text, got {describe(text)}", value_of=tag)
        values.append((lang, text.strip()))
    return LangText(tuple(values))


_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def _partial_date(value: Any) -> PartialDate:
    hint = "write YYYY, YYYY-MM or YYYY-MM-DD"
    if isinstance(value, dt.datetime):
        raise _error("date", f"'{value.isoformat()}' has a time of day; {hint}")
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool):
        if 1000 <= value <= 9999:
            return PartialDate(value)
        raise _error("date", f"{value} is not a year; {hint}")
    if isinstance(value, str):
        match = _DATE.fullmatch(value)
        if match:
            year, month, day = (int(g) if g else None for g in match.groups())
            try:
                dt.date(year or 1, month or 1, day or 1)
            except ValueError:
                pass
            else:
                return PartialDate(year or 1, month, day)
        raise _error("date", f"'{value}' is not a date; {hint}")
    raise _error("date", f"expected a date, got {describe(value)}; {hint}")


def _full_date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _error("date", f"expected the full day as YYYY-MM-DD, got {describe(value)}")


def _year(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return value
    raise _error("year", f"expected a year such as 2024, got {describe(value)}")


def _count(minimum: int) -> AfterValidator:
    def check(value: int) -> int:
        if value < minimum:
            raise _error("number", f"must be at least {minimum}, got {value}")
        return value

    return AfterValidator(check)


def _item_kind(value: Any) -> str:
    if not isinstance(value, str) or value not in ITEM_KINDS:
        shown = f"'{value}'" if isinstance(value, str) else describe(value)
        raise _error("kind", f"{shown} is not one of {', '.join(ITEM_KINDS)}")
    return value


# ---------------------------------------------------------------------------------------
# The field types

#: the three kinds of portfolio item, as written in YAML
ITEM_KINDS = ("idea", "project", "initiative")

Slug = Annotated[str, AfterValidator(_slug)]
Url = Annotated[str, AfterValidator(_iri), AsIri()]
LanguageTag = Annotated[str, PlainValidator(check_language_tag)]
Text = Annotated[LangText, PlainValidator(_text)]
Date = Annotated[PartialDate, PlainValidator(_partial_date)]
Day = Annotated[dt.date, PlainValidator(_full_date)]
Year = Annotated[int, PlainValidator(_year)]
PositiveCount = Annotated[int, _count(1)]
Count = Annotated[int, _count(0)]
ItemKind = Annotated[str, PlainValidator(_item_kind)]
#: a plain, untranslated string (a person's name, a grant number)
Plain = str


def choice(words: dict[str, URIRef]) -> tuple[PlainValidator, Choice]:
    """The validator and the marker of a word out of ``words``, for
    ``Annotated[str, *choice(words)]``; the converter writes the IRI the word stands for."""

    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in words:
            shown = f"'{value}'" if isinstance(value, str) else describe(value)
            raise _error("choice", f"{shown} is not one of {', '.join(words)}")
        return value

    return PlainValidator(check), Choice(tuple(words.items()))


SourceUrl = Annotated[Url, Cited()]
