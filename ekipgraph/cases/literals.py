"""Whether a literal's lexical form is in the lexical space of its XSD datatype.

rdflib accepts ``"abc"^^xsd:dateTime`` and ``"2024-00"^^xsd:gYearMonth`` and leaves checking
to whoever reads the data; stores and SHACL engines then disagree on what such a literal
means. The grammars are those of XML Schema 1.1 Part 2, with the value checks (month
1-12, the day within its month, time-zone offsets up to 14:00) the grammar alone leaves out.
Datatypes outside XSD are not checked.
"""

from __future__ import annotations

import calendar
import re

from ekipgraph.cases.fields import is_language_tag

XSD = "http://www.w3.org/2001/XMLSchema#"

_YEAR = r"(?P<year>-?(?:[1-9]\d{3,}|0\d{3}))"
_MONTH = r"(?P<month>\d\d)"
_DAY = r"(?P<day>\d\d)"
_TIME = r"(?P<hour>\d\d):(?P<minute>\d\d):(?P<second>\d\d(?:\.\d+)?)"
_ZONE = r"(?P<zone>Z|[+-](?P<zh>\d\d):(?P<zm>\d\d))"

_DATE_PATTERNS: dict[str, re.Pattern[str]] = {
    "date": re.compile(f"{_YEAR}-{_MONTH}-{_DAY}{_ZONE}?"),
    "dateTime": re.compile(f"{_YEAR}-{_MONTH}-{_DAY}T{_TIME}{_ZONE}?"),
    "dateTimeStamp": re.compile(f"{_YEAR}-{_MONTH}-{_DAY}T{_TIME}{_ZONE}"),
    "time": re.compile(f"{_TIME}{_ZONE}?"),
    "gYear": re.compile(f"{_YEAR}{_ZONE}?"),
    "gYearMonth": re.compile(f"{_YEAR}-{_MONTH}{_ZONE}?"),
    "gMonth": re.compile(f"--{_MONTH}{_ZONE}?"),
    "gMonthDay": re.compile(f"--{_MONTH}-{_DAY}{_ZONE}?"),
    "gDay": re.compile(f"---{_DAY}{_ZONE}?"),
}
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_INTEGER = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"(?:[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|INF)|NaN)")
_DURATION = re.compile(
    r"-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?"
)
_BOOLEAN = {"true", "false", "1", "0"}
#: integer datatypes -> (smallest, largest) value, None for unbounded
_INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}


def literal_problem(lexical: str, datatype: str | None) -> str | None:
    """Why ``lexical`` is not a valid ``datatype`` value, or ``None`` when it is (or when the
    datatype is not one of XSD's)."""
    if datatype is None or not datatype.startswith(XSD):
        return None
    name = datatype[len(XSD) :]
    valid = _valid(lexical, name)
    if valid:
        return None
    shown = lexical if len(lexical) <= 40 else lexical[:40] + "…"
    return f'"{shown}" is not a valid xsd:{name}{_EXAMPLES.get(name, "")}'


_EXAMPLES = {
    "date": " (YYYY-MM-DD, e.g. 2024-09-12)",
    "dateTime": " (e.g. 2024-09-12T00:00:00Z)",
    "dateTimeStamp": " (e.g. 2024-09-12T00:00:00Z, with a time zone)",
    "gYear": " (YYYY)",
    "gYearMonth": " (YYYY-MM, month 01-12)",
    "boolean": " (true or false)",
}


def _valid(lexical: str, name: str) -> bool:
    if name in _DATE_PATTERNS:
        match = _DATE_PATTERNS[name].fullmatch(lexical)
        return match is not None and _date_values_valid(match)
    if name in _INTEGER_RANGES:
        if not _INTEGER.fullmatch(lexical):
            return False
        low, high = _INTEGER_RANGES[name]
        value = int(lexical)
        return (low is None or value >= low) and (high is None or value <= high)
    if name == "decimal":
        return _DECIMAL.fullmatch(lexical) is not None
    if name in ("double", "float"):
        return _FLOAT.fullmatch(lexical) is not None
    if name == "boolean":
        return lexical in _BOOLEAN
    if name in ("duration", "dayTimeDuration", "yearMonthDuration"):
        if not _DURATION.fullmatch(lexical):
            return False
        if name == "dayTimeDuration":
            return "Y" not in lexical and not re.search(r"P[^T]*M", lexical)
        if name == "yearMonthDuration":
            return "T" not in lexical and "D" not in lexical
        return True
    if name == "language":
        return is_language_tag(lexical)
    if name == "anyURI":
        return not re.search(r"[\s<>\"{}|\\^`]", lexical)
    return True


def _date_values_valid(match: re.Match[str]) -> bool:
    parts = match.groupdict()
    month = int(parts["month"]) if parts.get("month") else None
    day = int(parts["day"]) if parts.get("day") else None
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None:
        year = int(parts["year"]) if parts.get("year") else 2000  # gMonthDay: leap year
        last = calendar.monthrange(year if 1 <= year <= 9999 else 2000, month or 1)[1]
        if not 1 <= day <= (last if month else 31):
            return False
    if parts.get("hour") is not None:
        hour, minute = int(parts["hour"]), int(parts["minute"])
        second = float(parts["second"])
        if hour == 24:
            if minute or second:
                return False
        elif hour > 23 or minute > 59 or second >= 60:
            return False
    if parts.get("zh") is not None:
        zone_hour, zone_minute = int(parts["zh"]), int(parts["zm"])
        if zone_minute > 59 or zone_hour * 60 + zone_minute > 14 * 60:
            return False
    return True
