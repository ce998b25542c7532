"""Fuzzing the authoring files and the RDF case loaders: no input may end in a traceback.

Each example takes one file of the kitchen-sink corpus (a YAML case, a shared YAML file, the
Turtle case or a JSON-LD version of it), applies one mutation drawn by hypothesis (hostile
values, tags, anchors, escapes, control characters, markup, deep nesting, cut, shuffled or
corrupted bytes…) and loads the corpus. It must load, or fail with problems that each name
the file and a line; never with any other exception. A bounded sample goes through the
command line too: exit 0, 1 or 2 (never a traceback), and a failed build leaves its output
folder exactly as it was.

Seeded and bounded: EKIPGRAPH_FUZZ_EXAMPLES (default 2,000 over the loaders, plus a CLI
sample of a four-hundredth of that); `make fuzz` runs many more.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from rdflib import Graph
from rich.console import Console
from typer.testing import CliRunner

from ekipgraph.cases import AuthoringError, ConceptIndex, load_corpus
from ekipgraph.cases import corpus as corpus_module
from ekipgraph.cases.corpus import Corpus
from ekipgraph.cases.index import EntityIndex
from ekipgraph.cases.problems import Problem, ProblemList
from ekipgraph.cases.rdfcase import check_rdf_case
from ekipgraph.cases.references import check_case, check_shared
from ekipgraph.cli import app
from ekipgraph.graph import build_dataset
from ekipgraph.project import default_layout
from ekipgraph.validate import ValidationReport, render

EXAMPLES = int(os.environ.get("EKIPGRAPH_FUZZ_EXAMPLES", "2000"))
KITCHEN_SINK = Path(__file__).parent / "fixtures" / "cases" / "kitchen-sink"
TARGETS = (
    "cases/exampleton-ai.yaml",
    "cases/northport-games.ttl",
    "cases/northport-games.jsonld",
    "shared/organisations.yaml",
    "shared/sources.yaml",
)

JSONLD_CASE = json.dumps(
    {
        "@context": [
            "https://w3id.org/ekip/ontology/context.jsonld",
            {"xsd": "http://www.w3.org/2001/XMLSchema#", "prov": "http://www.w3.org/ns/prov#"},
        ],
        "@graph": [
            {
                "@id": "https://w3id.org/ekip/id/case/northport-games",
                "@type": "CityCaseDescription",
                "aboutCity": "https://w3id.org/ekip/id/city/northport",
                "http://purl.org/dc/terms/source": {
                    "@id": "https://example.org/cases/northport-games"
                },
            },
            {
                "@id": "https://w3id.org/ekip/graph/case/northport-games",
                "prov:generatedAtTime": {"@value": "2026-11-28T00:00:00Z", "@type": "xsd:dateTime"},
            },
        ],
    },
    indent=2,
)

# Values an attacker or an unlucky author would write.
HOSTILE = [
    "[/bold]",
    "[link=javascript:alert(1)]x[/link]",
    "\x1b[2J\x1b]0;title\x07",
    "\x00",
    "\ud800",
    '"\\ud800"',
    '"\\0\\e\\x07"',
    "!!bool maybe",
    "!!int 0xZZ",
    "!!float abc",
    "!!timestamp 2024-13-45",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!python/object:os.system x",
    "!custom x",
    "&a [*a]",
    "*undefined",
    "<<: {a: 1}",
    "2024-13-45",
    "2024-00",
    "99999999999999999999999999",
    "-.inf",
    "~",
    "{",
    "[" * 200 + "]" * 200,
    "[" * 5000,
    "{" * 5000,
    "'unterminated",
    "\t",
    "\u202e\u2066",
    "javascript:alert(1)",
    "file:///etc/passwd",
    '"abc"^^<http://www.w3.org/2001/XMLSchema#dateTime>',
    '"2024-00"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>',
    "<http://127.0.0.1:9/never>",
    "<file:///etc/passwd>",
    '{"@context": "http://127.0.0.1:9/ctx"}',
    '"@context": "file:///etc/passwd"',
    '"@import": "http://127.0.0.1:9/"',
    "@prefix : <x> .",
    "a" * 70_000,
]

texts = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
# Every unicode code point, lone surrogates included (st.text leaves them out by default).
any_char = st.integers(0, 0x10FFFF).map(chr)
# Mostly the known-hostile values, often with random text and code points around them.
known = st.sampled_from(HOSTILE)
hostile = st.one_of(
    known,
    known,
    st.tuples(texts, known, texts).map("".join),
    texts,
    st.lists(any_char, max_size=8).map("".join),
)


@st.composite
def mutated(draw: st.DrawFn, original: str) -> bytes:
    """One mutation of ``original`` (as bytes: some mutations break the encoding)."""
    lines = original.splitlines(keepends=True) or [""]
    kind = draw(
        st.sampled_from(
            [
                "replace-value",
                "insert-line",
                "insert-text",
                "delete-lines",
                "duplicate-line",
                "swap-lines",
                "truncate",
                "indent",
                "replace-char",
                "flip-bytes",
                "bom-and-crlf",
                "repeat",
            ]
        )
    )
    at = draw(st.integers(0, len(lines) - 1))
    if kind == "replace-value":
        line = lines[at]
        cut = max(line.find(": "), line.find(" "), 0)
        lines[at] = line[: cut + 2] + draw(hostile) + "\n"
    elif kind == "insert-line":
        lines.insert(at, draw(hostile) + "\n")
    elif kind == "insert-text":
        line = lines[at]
        where = draw(st.integers(0, len(line)))
        lines[at] = line[:where] + draw(hostile) + line[where:]
    elif kind == "delete-lines":
        del lines[at : at + draw(st.integers(1, 5))]
    elif kind == "duplicate-line":
        lines.insert(at, lines[at])
    elif kind == "swap-lines":
        other = draw(st.integers(0, len(lines) - 1))
        lines[at], lines[other] = lines[other], lines[at]
    elif kind == "indent":
        lines[at] = " " * draw(st.integers(1, 9)) + lines[at]
    elif kind == "replace-char":
        line = lines[at]
        if line:
            where = draw(st.integers(0, len(line) - 1))
            lines[at] = line[:where] + draw(any_char) + line[where + 1 :]
    elif kind == "repeat":
        lines[at] = lines[at] * draw(st.integers(2, 50))
    text = "".join(lines)
    data = text.encode("utf-8", "surrogatepass")
    if kind == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif kind == "flip-bytes":
        raw = bytearray(data)
        for _ in range(draw(st.integers(1, 4))):
            if raw:
                raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
        data = bytes(raw)
    elif kind == "bom-and-crlf":
        data = b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")
    return data


@pytest.fixture(scope="module")
def fuzz_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(KITCHEN_SINK, target)
    return target


@pytest.fixture(scope="module")
def shared_index(concepts: ConceptIndex) -> EntityIndex:
    """The kitchen sink's shared entities, loaded once (the cases are checked against it)."""
    index, problems = EntityIndex(), ProblemList()
    corpus_module._load_shared(KITCHEN_SINK / "shared", index, problems)
    assert not problems.errors
    return index


def _originals() -> dict[str, str]:
    originals = {name: (KITCHEN_SINK / name).read_text() for name in TARGETS if "json" not in name}
    originals["cases/northport-games.jsonld"] = JSONLD_CASE
    return originals


ORIGINALS = _originals()


def _put(corpus: Path, name: str, data: bytes) -> None:
    """Write the mutated file in place of its original (JSON-LD replaces the Turtle case)."""
    turtle = corpus / "cases" / "northport-games.ttl"
    jsonld = corpus / "cases" / "northport-games.jsonld"
    for path in (turtle, jsonld):
        path.unlink(missing_ok=True)
    for other, text in ORIGINALS.items():
        if other.startswith("shared/") or other == "cases/exampleton-ai.yaml":
            (corpus / other).write_text(text)
    if not name.endswith(".jsonld"):
        turtle.write_text(ORIGINALS["cases/northport-games.ttl"])
    (corpus / name).write_bytes(data)


def _assert_located(problems: ProblemList | tuple[Problem, ...]) -> None:
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1
        assert str(problem).startswith(f"{problem.path}:{problem.line}:{problem.column}: ")
        assert "\n" not in str(problem)


def _load_one(
    folder: Path, name: str, data: bytes, index: EntityIndex, concepts: ConceptIndex
) -> ProblemList:
    """Load the one mutated file as load_corpus would, against the shared entities."""
    kind, _, file_name = name.partition("/")
    target = folder / kind
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    (target / file_name).write_bytes(data)
    problems = ProblemList()
    if kind == "shared":
        fresh = EntityIndex()
        corpus_module._load_shared(target, fresh, problems)
        check_shared(fresh, concepts, problems)
        return problems
    cases, rdf_cases = corpus_module._load_cases(target, problems, root=folder)
    for case in cases:
        check_case(case, index, concepts, problems)
    for rdf_case in rdf_cases:
        check_rdf_case(rdf_case, index, concepts, problems)
    if not problems.errors:  # it loads: it must also convert and serialise
        corpus = Corpus(folder, index, cases, rdf_cases, concepts)
        # the TBox is left out: converting the case is what the input can break
        built = build_dataset(
            corpus, default_layout(), ontology=Graph(), vocabularies=[], modules=[]
        )
        for graph in built.graphs():
            if "/graph/case/" in str(graph.identifier):
                graph.serialize(format="nt", encoding="utf-8")
                ElementTree.fromstring(graph.serialize(format="xml"))  # well-formed RDF/XML
    return problems


def _render(problems: ProblemList, folder: Path) -> None:
    """Print the problems as validate does: no markup error, no raw control character."""
    out = io.StringIO()
    report = ValidationReport(folder, authoring_problems=[str(p) for p in problems])
    render(report, Console(file=out, width=120, force_terminal=True, color_system=None))
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", out.getvalue().replace("\x1b[0m", ""))


@st.composite
def fuzzed_file(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(TARGETS))
    return name, draw(mutated(ORIGINALS[name]))


@seed(20261202)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=fuzzed_file())
def test_no_authoring_file_ends_in_a_traceback(
    tmp_path_factory: pytest.TempPathFactory,
    shared_index: EntityIndex,
    concepts: ConceptIndex,
    case: tuple[str, bytes],
) -> None:
    name, data = case
    folder = tmp_path_factory.getbasetemp() / "fuzz-one" / "data"
    problems = _load_one(folder, name, data, shared_index, concepts)
    _assert_located(problems)
    _render(problems, folder)


def test_a_whole_corpus_with_a_fuzzed_file_loads_or_says_where(
    fuzz_corpus: Path, concepts: ConceptIndex
) -> None:
    """The same through load_corpus itself, on a few fixed hostile files."""
    for name in TARGETS:
        for value in HOSTILE[:6]:
            original = ORIGINALS[name]
            _put(
                fuzz_corpus, name, (original + "\n" + value + "\n").encode("utf-8", "surrogatepass")
            )
            try:
                load_corpus(fuzz_corpus, concepts)
            except AuthoringError as error:
                _assert_located(error.problems)


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def built_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fuzz-dist") / "dataset"
    result = CliRunner().invoke(app, ["build", "-o", str(out), "--data", str(KITCHEN_SINK)])
    assert result.exit_code == 0, result.output
    return out


@seed(20261203)
@settings(
    max_examples=max(EXAMPLES // 400, 3),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=fuzzed_file())
def test_the_command_line_exits_cleanly_and_keeps_the_output(
    fuzz_corpus: Path, built_output: Path, case: tuple[str, bytes]
) -> None:
    name, data = case
    _put(fuzz_corpus, name, data)
    before = _digest(built_output)
    result = CliRunner().invoke(app, ["build", "-o", str(built_output), "--data", str(fuzz_corpus)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code != 0:
        assert _digest(built_output) == before
        assert f"{name}:" in result.output.replace("\n", "") or "does not validate" in (
            result.output
        )
