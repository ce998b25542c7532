"""Property tests: whatever text the loader is given it answers with data or with problems,
never with a traceback; and the converter is deterministic."""

from __future__ import annotations

import datetime as dt
import io
import random
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from ruamel.yaml import YAML

from ekipgraph.cases import AuthoringError, ConceptIndex, load_corpus
from ekipgraph.cases.models import Case, Item, Need, Portfolio, keys_of
from ekipgraph.graph import build_dataset, to_sorted_nquads
from ekipgraph.project import ProjectLayout

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def case_text(kitchen_sink: Path) -> str:
    return (kitchen_sink / "cases" / "exampleton-ai.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with only a cases/ folder: each example overwrites one file in it."""
    data = tmp_path_factory.mktemp("fuzz") / "data"
    (data / "cases").mkdir(parents=True)
    (data / "shared").mkdir()
    return data


def load_only_problems(data: Path, relative: str, text: str, concepts: ConceptIndex) -> None:
    """Write ``text`` to ``relative`` and load: success or AuthoringError, nothing else.
    What loads must convert to valid RDF."""
    target = data / relative
    original = target.read_text(encoding="utf-8") if target.exists() else None
    target.write_text(text, encoding="utf-8")
    try:
        corpus = load_corpus(data, concepts)
        built = build_dataset(
            corpus, ProjectLayout(data), ontology=Graph(), vocabularies=[], modules=[]
        )
        ox.Store().load(to_sorted_nquads(built.dataset).encode(), format=ox.RdfFormat.N_QUADS)
    except AuthoringError as error:
        assert error.problems
        lines = text.splitlines() or [""]
        for problem in error.problems:
            assert problem.path == target
            assert 1 <= problem.line <= len(lines) + 1, problem
            assert problem.column >= 1 and problem.message, problem
        assert len(str(error).splitlines()) == len(error.problems)
    finally:
        if original is None:
            target.unlink()
        else:
            target.write_text(original, encoding="utf-8")


@FUZZ
@given(text=st.text(max_size=300))
def test_any_text_as_a_case_gives_problems_not_a_traceback(
    text: str, fuzz_dir: Path, concepts: ConceptIndex
) -> None:
    load_only_problems(fuzz_dir, "cases/fuzz.yaml", text, concepts)


@FUZZ
@given(text=st.text(max_size=200))
def test_any_text_as_a_shared_file_gives_problems_not_a_traceback(
    text: str, fuzz_dir: Path, concepts: ConceptIndex
) -> None:
    load_only_problems(fuzz_dir, "shared/cities.yaml", text, concepts)


# Pieces of YAML syntax that mangling inserts.
TOKENS = [
    "-",
    "- ",
    ":",
    ": ",
    " ",
    "  ",
    "\t",
    "\n",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "!",
    "!!str ",
    "|",
    ">",
    "'",
    '"',
    "#",
    "? ",
    "%YAML 1.2\n",
    "---\n",
    "...\n",
    "@",
    "`",
    "\\",
    "\x00",
    "\ufeff",
    "\r",
    "<<: ",
    "~",
    "null",
    "2024-02-30",
    "0x",
    "1e9999",
    "é",
    "\u2028",
]


@st.composite
def mangled(draw: st.DrawFn, text: str) -> str:
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        operation = draw(st.sampled_from(["insert", "delete", "duplicate-line", "swap-lines"]))
        if operation == "insert":
            text = text[:position] + draw(st.sampled_from(TOKENS)) + text[position:]
        elif operation == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 20)) :]
        else:
            lines = text.split("\n")
            first = draw(st.integers(0, len(lines) - 1))
            second = draw(st.integers(0, len(lines) - 1))
            if operation == "duplicate-line":
                lines.insert(second, lines[first])
            else:
                lines[first], lines[second] = lines[second], lines[first]
            text = "\n".join(lines)
    return text


@pytest.fixture(scope="module")
def fuzz_corpus(kitchen_sink: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the kitchen sink, so that a mangled case can still load and convert."""
    data = tmp_path_factory.mktemp("fuzz-corpus") / "data"
    shutil.copytree(kitchen_sink, data)
    return data


@FUZZ
@given(data=st.data())
def test_mangled_case_gives_problems_not_a_traceback(
    data: st.DataObject, case_text: str, fuzz_corpus: Path, concepts: ConceptIndex
) -> None:
    text = data.draw(mangled(case_text))
    load_only_problems(fuzz_corpus, "cases/exampleton-ai.yaml", text, concepts)


@FUZZ
@given(
    text=st.lists(
        st.sampled_from([*TOKENS, "a", "id", "title", "needs", "sources", "x:"]), max_size=60
    ).map("".join)
)
def test_yaml_token_soup_gives_problems_not_a_traceback(
    text: str, fuzz_dir: Path, concepts: ConceptIndex
) -> None:
    load_only_problems(fuzz_dir, "cases/fuzz.yaml", text, concepts)


KEYS = sorted({*keys_of(Case), *keys_of(Portfolio), *keys_of(Item), *keys_of(Need), "en", "sv"})
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(
        [
            "exampleton",
            "ai-and-cci",
            "music",
            "test-bed",
            "missing",
            "idea",
            "https://example.org/cases/exampleton-ai",
            "2024-09",
            "en",
        ]
    ),
    st.dates(min_value=dt.date(1, 1, 1)),
)
structures = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), children, max_size=6)
    ),
    max_leaves=30,
)


@FUZZ
@given(document=st.dictionaries(st.sampled_from(KEYS), structures, max_size=12))
def test_random_structures_give_problems_not_a_traceback(
    document: dict, fuzz_dir: Path, concepts: ConceptIndex
) -> None:
    stream = io.StringIO()
    YAML(typ="safe", pure=True).dump(document, stream)
    load_only_problems(fuzz_dir, "cases/fuzz.yaml", stream.getvalue(), concepts)


# ---------------------------------------------------------------------------------------
# Determinism of the converter


def nquads_of(data: Path, concepts: ConceptIndex, layout: ProjectLayout) -> str:
    corpus = load_corpus(data, concepts)
    # The TBox is copied as is; leaving it out keeps each example fast.
    built = build_dataset(corpus, layout, ontology=Graph(), vocabularies=[], modules=[])
    return to_sorted_nquads(built.dataset)


def shuffled(value: object, rng: random.Random) -> object:
    """The same YAML data with every list and mapping in another order."""
    if isinstance(value, list):
        items = [shuffled(v, rng) for v in value]
        rng.shuffle(items)
        return items
    if isinstance(value, dict):
        entries = [(k, shuffled(v, rng)) for k, v in value.items()]
        rng.shuffle(entries)
        return dict(entries)
    return value


@pytest.fixture(scope="module")
def reference_nquads(kitchen_sink: Path, concepts: ConceptIndex, layout: ProjectLayout) -> str:
    return nquads_of(kitchen_sink, concepts, layout)


def test_same_input_gives_identical_nquads(
    kitchen_sink: Path, concepts: ConceptIndex, layout: ProjectLayout, reference_nquads: str
) -> None:
    assert nquads_of(kitchen_sink, concepts, layout) == reference_nquads


@SLOW
@given(seed=st.integers(0, 2**32 - 1))
def test_order_of_lists_and_keys_does_not_change_the_nquads(
    seed: int,
    kitchen_sink: Path,
    tmp_path_factory: pytest.TempPathFactory,
    concepts: ConceptIndex,
    layout: ProjectLayout,
    reference_nquads: str,
) -> None:
    """Lists in the format are sets: any order of entries, of keys and of list items gives
    byte-identical N-Quads (IRIs come from ids, never from positions)."""
    rng = random.Random(seed)
    data = tmp_path_factory.mktemp("shuffled") / "data"
    shutil.copytree(kitchen_sink, data)
    yaml = YAML(typ="safe", pure=True)
    for path in sorted(data.glob("*/*.yaml")):
        content = yaml.load(path.read_text(encoding="utf-8"))
        stream = io.StringIO()
        yaml.dump(shuffled(content, rng), stream)
        path.write_text(stream.getvalue(), encoding="utf-8")
    assert nquads_of(data, concepts, layout) == reference_nquads
