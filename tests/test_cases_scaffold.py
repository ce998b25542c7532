"""``new_case``: a scaffold with every field and a comment on each, which parses as it is and
whose remaining to-dos are exactly what ``validate`` reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ekipgraph.cases import AuthoringError, ConceptIndex, ProblemList, load_corpus, new_case
from ekipgraph.cases.models import Case, keys_of
from ekipgraph.cases.structure import validate_model
from ekipgraph.cases.yamlload import parse_yaml_text

DAY = dt.date(2026, 11, 28)


def scaffold() -> str:
    return new_case("exampleton-heritage", "exampleton", "ai-and-cci", recorded=DAY)


def test_scaffold_is_structurally_valid_as_it_is() -> None:
    problems = ProblemList()
    document = parse_yaml_text(scaffold(), Path("exampleton-heritage.yaml"), problems)
    assert document is not None
    case = validate_model(Case, document.data, document, problems)
    assert not problems, [str(p) for p in problems]
    assert isinstance(case, Case)
    assert (case.id, case.city, case.policy_areas) == (
        "exampleton-heritage",
        "exampleton",
        ["ai-and-cci"],
    )
    assert case.recorded == DAY and case.workshop is None and case.needs == []


def test_scaffold_has_every_field_with_a_comment_before_it() -> None:
    lines = scaffold().splitlines()
    top_keys = [line.split(":")[0] for line in lines if line[:1].isalpha()]
    assert top_keys == keys_of(Case)
    for number, line in enumerate(lines):
        if line[:1].isalpha():
            assert lines[number - 1].startswith("#"), f"no comment above {line!r}"
    assert "TODO" not in scaffold() and "FIXME" not in scaffold()


def test_validate_lists_what_the_author_must_still_write(
    corpus_copy: Path, concepts: ConceptIndex
) -> None:
    path = corpus_copy / "cases" / "exampleton-heritage.yaml"
    path.write_text(scaffold(), encoding="utf-8")
    with pytest.raises(AuthoringError) as caught:
        load_corpus(corpus_copy, concepts)
    assert [f"{p.line}:{p.column}: {p.field}: {p.message}" for p in caught.value.problems] == [
        "13:13: title.en: is empty; write the text, or leave the key out",
        "31:17: viewpoint.en: is empty; write the text, or leave the key out",
        "33:15: summary.en: is empty; write the text, or leave the key out",
        "40:10: sources: cite at least one source (a URL registered in shared/sources.yaml)",
    ]


def test_filled_in_scaffold_loads(corpus_copy: Path, concepts: ConceptIndex) -> None:
    text = scaffold()
    for key in ("title", "viewpoint", "summary"):
        text = text.replace(f'{key}: {{en: ""}}', f'{key}: {{en: "Written from the sources."}}')
    text = text.replace("sources: []", "sources: [https://example.org/cases/exampleton-ai]")
    (corpus_copy / "cases" / "exampleton-heritage.yaml").write_text(text, encoding="utf-8")
    corpus = load_corpus(corpus_copy, concepts)
    assert "exampleton-heritage" in corpus.case_ids()


@pytest.mark.parametrize(
    "arguments",
    [
        ("Rotterdam AI", "rotterdam", "ai-and-cci"),
        ("rotterdam-ai", "Rotterdam", "ai-and-cci"),
        ("rotterdam-ai", "rotterdam", "ai_and_cci"),
    ],
)
def test_scaffold_refuses_bad_ids(arguments: tuple[str, str, str]) -> None:
    with pytest.raises(ValueError, match="not a valid"):
        new_case(*arguments)
