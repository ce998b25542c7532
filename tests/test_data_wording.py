"""The data is written in its own words: no text of data/ repeats a source passage over ten
or more consecutive words.

The passages are the titles and phrases quoted from ekip and partner pages and the opening of
the seed City Case Description (tests/fixtures/wording/source-passages.txt). Words are compared
case-insensitively, ignoring punctuation, so a copied sentence cannot hide behind a changed
comma or capital letter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from ekipgraph.project import default_layout

PASSAGES = Path(__file__).parent / "fixtures" / "wording" / "source-passages.txt"
DATA = default_layout().data_dir
RUN = 10  # the shortest run of shared words that counts as copying
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# keys whose values are identifiers, dates, concepts or URLs, never prose
NOT_PROSE = {"id", "url", "sources", "same_as", "homepage", "language", "kind"}


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def shingles(text: str, size: int = RUN) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def source_shingles() -> set[tuple[str, ...]]:
    lines = PASSAGES.read_text(encoding="utf-8").splitlines()
    found: set[tuple[str, ...]] = set()
    for line in lines:
        if line.strip() and not line.startswith("#"):
            found |= shingles(line)
    return found


def prose(node: object, path: str) -> Iterator[tuple[str, str]]:
    """Every string of a YAML tree with its path, skipping identifier-like keys."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in NOT_PROSE:
                yield from prose(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from prose(value, f"{path}[{index}]")
    elif isinstance(node, str):
        yield path, node


def copied_runs(text: str, sources: set[tuple[str, ...]]) -> list[str]:
    return [" ".join(run) for run in sorted(shingles(text) & sources)]


def data_files() -> list[Path]:
    return sorted(DATA.rglob("*.yaml"))


def test_there_are_passages_and_data_to_compare() -> None:
    assert len(source_shingles()) > 100
    assert len(data_files()) >= 10


@pytest.mark.parametrize("path", data_files(), ids=lambda p: str(p.relative_to(DATA)))
def test_no_text_field_copies_ten_words_of_a_source(path: Path) -> None:
    sources = source_shingles()
    tree = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    problems = [
        f"{path.relative_to(DATA)}: {field}: copies “{runs[0]}”"
        for field, text in prose(tree, "")
        if (runs := copied_runs(text, sources))
    ]
    assert not problems, "\n".join(problems)


def test_a_copied_sentence_is_caught_despite_case_and_punctuation() -> None:
    sources = source_shingles()
    copied = (
        "as a HUB of high-tech industries, and home to one of the world's top universities; "
        "Lund is at the forefront"
    )
    assert copied_runs(copied, sources)
    own_words = "Lund is presented as a centre of high-tech industry with a leading university."
    assert not copied_runs(own_words, sources)


def test_nine_shared_words_are_not_yet_copying() -> None:
    passage = "one two three four five six seven eight nine ten eleven"
    sources = shingles(passage)
    assert copied_runs("one two three four five six seven eight nine", sources) == []
    assert copied_runs("x one two three four five six seven eight nine ten y", sources)


def test_identifiers_and_urls_are_not_compared_as_prose() -> None:
    tree = {"id": "a b c d e f g h i j k", "sources": ["http://x"], "description": "text"}
    assert list(prose(tree, "")) == [("description", "text")]
