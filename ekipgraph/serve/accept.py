"""HTTP ``Accept`` parsing and server-driven content negotiation (RFC 9110, section 12.5.1).

The choice is made in one place for every response that negotiates: documents of IRIs,
SPARQL results, the service description. For each offered media type the q-value comes
from the *most specific* matching range (``text/turtle`` beats ``text/*`` beats ``*/*``);
the highest q wins and ties go to the offer listed first, so the server's preference breaks
ties. ``q=0`` means "not acceptable". A missing header accepts anything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: Hostile clients send huge headers: only the first ranges are read.
MAX_RANGES = 64
_TOKEN = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
_QVALUE = re.compile(r"^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        """2 for ``type/subtype``, 1 for ``type/*``, 0 for ``*/*``."""
        if self.type == "*":
            return 0
        return 1 if self.subtype == "*" else 2

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return True
        return self.type == main and self.subtype in ("*", sub)


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed ranges are skipped, not fatal."""
    if header is None or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges = []
    for part in header.split(",")[:MAX_RANGES]:
        name, *params = (piece.strip() for piece in part.split(";"))
        main, slash, sub = name.lower().partition("/")
        if not slash or not _TOKEN.match(main) or not _TOKEN.match(sub):
            continue
        if main == "*" and sub != "*":
            continue
        q = 1.0
        valid = True
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                value = value.strip()
                if not _QVALUE.match(value):
                    valid = False
                    break
                q = float(value)
        if valid:
            ranges.append(MediaRange(main, sub, q))
    return ranges


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The q-value the client gives ``media_type``: that of the most specific matching range."""
    best: MediaRange | None = None
    for media_range in ranges:
        if media_range.matches(media_type) and (
            best is None or media_range.specificity > best.specificity
        ):
            best = media_range
    return best.q if best else 0.0


def negotiate(header: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers, or None when it accepts none of them (HTTP 406).

    ``offers`` are media types in the server's order of preference.
    """
    ranges = parse_accept(header)
    chosen, chosen_q = None, 0.0
    for offer in offers:
        q = quality(ranges, offer)
        if q > chosen_q:
            chosen, chosen_q = offer, q
    return chosen
