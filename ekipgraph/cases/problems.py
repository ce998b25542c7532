"""Problems found in the authored data, each pinned to a file, a line, a column and a field.

Validation never stops at the first problem: every check adds to a ``ProblemList`` and the
caller raises one ``AuthoringError`` that lists them all, one per line, in the form compilers
and editors understand (``file:line:col: field: message``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem. ``line`` and ``column`` are 1-based; ``field`` is a path such as
    ``needs[2].status`` (list indexes count from 0), empty for the file as a whole."""

    path: Path
    line: int
    column: int
    field: str
    message: str
    severity: Severity = "error"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (str(self.path), self.line, self.column, self.field, self.message)

    def relative_to(self, base: Path) -> Problem:
        """The same problem with its path relative to ``base`` (e.g. the working folder),
        as people read it: ``data/cases/lund-ai.yaml:41:13: …``."""
        try:
            return replace(self, path=_resolved(self.path).relative_to(_resolved(Path(base))))
        except ValueError:
            return self

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        prefix = "warning: " if self.severity == "warning" else ""
        text = f"{prefix}{self.message}"
        if self.field:
            text = f"{self.field}: {text}"
        return _one_line(f"{where}: {text}")


def _resolved(path: Path) -> Path:
    """``path`` with symbolic links resolved, or as it is when they loop."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop, on Python < 3.13
        return path.parent.resolve() / path.name


# Characters that end a line for str.splitlines() and for editors.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _one_line(text: str) -> str:
    """One problem, one line: a key or value written with a line break must not split it."""
    return "".join(
        char.encode("unicode_escape").decode("ascii") if char in _LINE_BREAKS else char
        for char in text
    )


class ProblemList:
    """Collects problems from every check; ``raise_if_errors`` ends a run that found errors."""

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        self._problems: list[Problem] = list(problems)

    def add(
        self,
        path: Path,
        line: int,
        column: int,
        field: str,
        message: str,
        severity: Severity = "error",
    ) -> None:
        self._problems.append(Problem(Path(path), line, column, field, message, severity))

    def append(self, problem: Problem) -> None:
        self._problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self._problems.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self._problems)

    def __bool__(self) -> bool:
        return bool(self._problems)

    def sorted(self) -> list[Problem]:
        return sorted(self._problems, key=Problem.sort_key)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise AuthoringError(self.errors, self.warnings)


class AuthoringError(ValueError):
    """The authored data has errors; ``problems`` holds all of them, sorted by file and line."""

    def __init__(self, problems: Iterable[Problem], warnings: Iterable[Problem] = ()) -> None:
        self.problems: tuple[Problem, ...] = tuple(sorted(problems, key=Problem.sort_key))
        self.warnings: tuple[Problem, ...] = tuple(sorted(warnings, key=Problem.sort_key))
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)

    def report(self, base: Path | None = None) -> str:
        """Every problem on its own line, paths relative to ``base`` when given."""
        problems = [p.relative_to(base) if base else p for p in self.problems]
        return "\n".join(str(problem) for problem in problems)
