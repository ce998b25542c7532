"""The result model shared by every check family.

Each check yields one :class:`Finding`, whether it passed or not, so a report lists
everything that was looked at (like FOOPS! and ROBOT reports do), not only problems.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Family(StrEnum):
    FOOPS = "FOOPS"
    OOPS = "OOPS"
    ROBOT = "ROBOT"
    REASONER = "REASONER"
    NAMESPACE = "NAMESPACE"
    PROFILE = "OWL2-DL"  # the OWL API's OWL 2 DL profile check (profile.py)


# The levels each family uses, as its source tool spells them.
PASS, FAIL = "pass", "fail"
CRITICAL, IMPORTANT, MINOR = "Critical", "Important", "Minor"
ERROR, WARN, INFO = "ERROR", "WARN", "INFO"
SKIPPED = "SKIPPED"

# Levels whose failures make the whole report fail (unless the finding is advisory).
BLOCKING_LEVELS = frozenset({FAIL, CRITICAL, IMPORTANT, ERROR})


@dataclass(frozen=True)
class Finding:
    """The outcome of one check on one file.

    ``terms`` holds the IRIs of the offending terms (empty when the check passed or
    when the problem concerns the file as a whole).
    """

    family: Family
    id: str
    title: str
    level: str
    passed: bool
    message: str
    terms: tuple[str, ...] = ()
    source: str = ""
    advisory: bool = False
    skipped: bool = False
    seconds: float | None = None

    @property
    def blocking(self) -> bool:
        """True when this finding alone makes the report fail."""
        if self.passed or self.skipped or self.advisory:
            return False
        return self.level in BLOCKING_LEVELS

    @property
    def status(self) -> str:
        if self.skipped:
            return "skipped"
        if self.passed:
            return "pass"
        return "FAIL" if self.blocking else "warn"


@dataclass
class CheckReport:
    """All findings of a run, in the order the checks ran."""

    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def append(self, finding: Finding) -> None:
        self.findings.append(finding)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    @property
    def failed(self) -> bool:
        return any(f.blocking for f in self.findings)

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.passed and not f.skipped and not f.blocking]

    @property
    def skipped(self) -> list[Finding]:
        return [f for f in self.findings if f.skipped]

    def by_family(self, family: Family) -> list[Finding]:
        return [f for f in self.findings if f.family == family]

    def get(self, check_id: str, source: str | None = None) -> Finding:
        """The finding of one check (on one source, when several files were checked)."""
        for finding in self.findings:
            if finding.id == check_id and (source is None or finding.source == source):
                return finding
        raise KeyError(f"no finding for {check_id!r}" + (f" on {source}" if source else ""))

    def summary(self) -> str:
        counts = Counter(f.status for f in self.findings)
        parts = [
            f"{len(self.findings)} checks",
            f"{counts['pass']} passed",
            f"{counts['FAIL']} failed",
            f"{counts['warn']} warnings",
        ]
        if counts["skipped"]:
            parts.append(f"{counts['skipped']} skipped")
        verdict = "FAILED" if self.failed else "PASSED"
        return f"{verdict}: " + ", ".join(parts) + f" in {self.seconds:.2f} s"

    def to_dict(self) -> dict:
        return {
            "failed": self.failed,
            "summary": self.summary(),
            "seconds": round(self.seconds, 3),
            "findings": [
                {**asdict(f), "family": str(f.family), "terms": list(f.terms), "status": f.status}
                for f in self.findings
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)
