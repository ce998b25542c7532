"""What every analysis hands on: how it was computed, and its answer as tables."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ekipgraph.analyse.network import Network

#: One table cell; a tuple is a list of names (joined with "; " in CSV, a list in JSON).
Cell = str | int | float | bool | tuple[str, ...] | None
#: Decimals kept in files and RDF: enough to tell scores apart, few enough that rounding noise
#: in the last bits of a float never changes an output file.
DECIMALS = 6


def rounded(value: float) -> float:
    return round(value, DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0


def question_of(function: Callable) -> str:
    """The question an analysis answers: the first paragraph of its docstring."""
    doc = inspect.getdoc(function) or ""
    return " ".join(doc.split("\n\n")[0].split())


@dataclass(frozen=True)
class Analysis:
    """How one result was computed, for the report and for PROV-O."""

    name: str
    title: str
    question: str
    algorithm: str
    parameters: Mapping[str, str | int | float | bool] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """One table of a result; ``brief`` names the columns the terminal report shows."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    brief: tuple[str, ...] = ()
    in_report: bool = True

    def records(self) -> list[dict[str, Cell]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    @property
    def shown_columns(self) -> tuple[str, ...]:
        return self.brief or self.columns


class Result(Protocol):
    @property
    def analysis(self) -> Analysis: ...

    def tables(self, network: Network) -> list[Table]: ...
