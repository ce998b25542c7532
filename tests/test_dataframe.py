"""QueryOutcome.dataframe(): typed Python values, with language tags and datatypes kept in
companion columns."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from ekipgraph.store import EmbeddedStore

pandas = pytest.importorskip("pandas")

XSD = "http://www.w3.org/2001/XMLSchema#"
QUERY = """
SELECT ?thing ?label ?amount ?when ?missing WHERE {
  VALUES (?thing ?label ?amount ?when) {
    (<https://example.org/a> "Lund"@sv 3 "2024-09-01"^^xsd:date)
    (<https://example.org/b> "Lund"@en 2.50 UNDEF)
    (<https://example.org/c> "plain" UNDEF UNDEF)
  }
}
"""


def values(column) -> list:
    """A column's cells, with pandas' missing-value markers (None or NaN) as None."""
    return [None if pandas.isna(cell) else cell for cell in column]


@pytest.fixture(scope="module")
def frame():
    return EmbeddedStore().query(QUERY).dataframe()


def test_values_are_typed_python_values(frame) -> None:
    assert frame["thing"].tolist() == [
        "https://example.org/a",
        "https://example.org/b",
        "https://example.org/c",
    ]
    assert frame["amount"][0] == 3 and isinstance(frame["amount"][0], int)
    assert frame["amount"][1] == Decimal("2.50")
    assert frame["when"][0] == datetime.date(2024, 9, 1)
    assert frame["label"].tolist() == ["Lund", "Lund", "plain"]
    assert frame["missing"].isna().all()


def test_language_tags_and_datatypes_are_kept_beside_the_values(frame) -> None:
    assert values(frame["label@lang"]) == ["sv", "en", None]
    assert values(frame["amount^^datatype"]) == [XSD + "integer", XSD + "decimal", None]
    assert values(frame["when^^datatype"]) == [XSD + "date", None, None]
    # only where some value needs one: IRIs, plain strings and unbound columns get none
    assert "thing@lang" not in frame and "thing^^datatype" not in frame
    assert "label^^datatype" not in frame and "missing@lang" not in frame
    english = frame[frame["label@lang"] == "en"]
    assert english["thing"].tolist() == ["https://example.org/b"]


def test_column_order_puts_each_companion_after_its_variable(frame) -> None:
    assert list(frame.columns) == [
        "thing",
        "label",
        "label@lang",
        "amount",
        "amount^^datatype",
        "when",
        "when^^datatype",
        "missing",
    ]
