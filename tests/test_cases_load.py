"""Loading the authoring format: the kitchen-sink corpus, the YAML loader's positions, the
problem format, RDF-authored cases and the real data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from ekipgraph.cases import (
    AuthoringError,
    ConceptIndex,
    Problem,
    ProblemList,
    load_corpus,
    parse_yaml_text,
)
from ekipgraph.cases.fields import LangText, PartialDate
from ekipgraph.cases.models import (
    SHARED_FILES,
    Case,
    Gap,
    Involvement,
    Item,
    Membership,
    Need,
    Organisation,
    Person,
    Portfolio,
    Source,
    Stimulus,
    Strength,
    keys_of,
)
from ekipgraph.cases.yamlload import Position, format_field
from ekipgraph.project import ProjectLayout


def test_kitchen_sink_loads_without_problems(kitchen_sink: Path, concepts: ConceptIndex) -> None:
    corpus = load_corpus(kitchen_sink, concepts)
    assert corpus.case_ids() == ["exampleton-ai", "exampleton-heritage", "northport-games"]
    assert corpus.warnings == []
    counts = {kind: corpus.index.count(kind) for kind in corpus.index.entities}
    assert counts == {
        "source": 5,
        "country": 2,
        "city": 2,
        "project": 2,
        "organisation": 4,
        "person": 2,
        "policy-lab": 2,
        "workshop": 2,
        "event": 3,
        "recommendation": 2,
    }


def test_kitchen_sink_uses_every_field_of_the_format(
    kitchen_sink: Path, concepts: ConceptIndex
) -> None:
    """Every key every model accepts appears somewhere in the fixture's YAML."""
    corpus = load_corpus(kitchen_sink, concepts)
    used: dict[type, set[str]] = {}

    def collect(model: object) -> None:
        if isinstance(model, list):
            for item in model:
                collect(item)
        elif hasattr(model, "model_fields_set"):
            used.setdefault(type(model), set()).update(
                type(model).model_fields[name].alias or name for name in model.model_fields_set
            )
            for name in type(model).model_fields:
                collect(getattr(model, name))

    for kind in corpus.index.entities.values():
        for entity in kind.values():
            collect(entity.model)
    for case in corpus.cases:
        collect(case.model)
    models = [f.model for f in SHARED_FILES] + [
        Case,
        Involvement,
        Portfolio,
        Item,
        Need,
        Strength,
        Gap,
        Stimulus,
        Membership,
    ]
    for model in models:
        assert set(keys_of(model)) <= used.get(model, set()), model.__name__


def test_values_are_read_as_the_format_says(kitchen_sink: Path, concepts: ConceptIndex) -> None:
    corpus = load_corpus(kitchen_sink, concepts)
    case = corpus.cases[0].model
    assert isinstance(case, Case)
    assert case.title == LangText(
        (("en", "City Case Description: Exampleton and AI"), ("sv", "Stadsfall: Exampleton och AI"))
    )
    assert case.summary.values[0][1].startswith("Exampleton has a strong design scene and a")
    assert case.recorded.isoformat() == "2026-11-28"
    assert case.needs[1].needed_for == "storytelling-app"
    project = corpus.index.get("project", "demo-project").model
    assert project.start == PartialDate(2023, 6) and project.end == PartialDate(2026, 11, 30)
    source = corpus.index.get("source", "https://example.org/news/exampleton-workshop").model
    assert isinstance(source, Source)
    assert source.title == LangText((("en", "News about the Exampleton workshop"),))
    assert (
        corpus.index.get("source", "https://example.org/context/exampleton").model.language
        == "en-GB"
    )
    person = corpus.index.get("person", "ada-example").model
    assert isinstance(person, Person) and person.name == "Ada Example"
    assert isinstance(corpus.index.get("organisation", "games-hub").model, Organisation)


# --- the YAML loader --------------------------------------------------------------------


def parse(text: str) -> tuple[object, ProblemList]:
    problems = ProblemList()
    return parse_yaml_text(text, Path("x.yaml"), problems), problems


def test_positions_of_keys_values_and_items() -> None:
    document, problems = parse("id: a\nlist:\n  - one\n  - {k: v}\nempty:\nq: ''\n")
    assert not problems
    assert document.data == {"id": "a", "list": ["one", {"k": "v"}], "empty": None, "q": ""}
    assert document.key_position(("id",)) == Position(1, 1)
    assert document.value_position(("id",)) == Position(1, 5)
    assert document.value_position(("list", 1)) == Position(4, 5)
    assert document.value_position(("list", 1, "k")) == Position(4, 9)
    assert document.value_position(("empty",)) == Position(5, 1)  # no value: its key
    assert document.value_position(("q",)) == Position(6, 4)
    assert document.value_position(("list", 7, "nothing")) == Position(3, 3)  # nearest known


def test_every_duplicate_key_is_reported() -> None:
    _, problems = parse("a: 1\nb: 2\na: 3\nb: 4\n")
    assert [str(p) for p in problems] == [
        "x.yaml:3:1: a: duplicate key 'a' (first given on line 1)",
        "x.yaml:4:1: b: duplicate key 'b' (first given on line 2)",
    ]


def test_scalars_keep_their_yaml_types() -> None:
    document, _ = parse("a: 2024\nb: 2024-09\nc: 2024-09-12\nd: '2024'\ne: no\nf: 2024-02-30\n")
    data = document.data
    assert data["a"] == 2024 and data["b"] == "2024-09" and data["d"] == "2024"
    assert data["c"].isoformat() == "2024-09-12"
    assert data["e"] == "no"  # YAML 1.2: not a boolean
    assert data["f"] == "2024-02-30"  # not a real date: kept as text for the date check


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: [1, 2\n",
            "x.yaml:2:1: malformed YAML: expected ',' or ']', but got '<stream end>' "
            "(while parsing a flow sequence that starts at line 1, column 4)",
        ),
        ("a: *nothing\n", "x.yaml:1:4: malformed YAML: found undefined alias 'nothing'"),
        (
            "- a\n---\n- b\n",
            "x.yaml:2:1: malformed YAML: expected a single document in the stream, "
            "but found another document (see line 1, column 1)",
        ),
        ("a: !!set {x}\n", "x.yaml:1:4: a: the YAML tag !!set is not supported"),
        (
            "a: &x {b: 1}\nc:\n  <<: *x\n",
            "x.yaml:3:3: c: merge keys (<<) are not supported; write the fields out",
        ),
        ("? [a, b]\n: 1\n", "x.yaml:1:3: a key must be a plain word, not a list or a mapping"),
    ],
)
def test_malformed_yaml_is_one_positioned_problem(text: str, expected: str) -> None:
    _, problems = parse(text)
    assert [str(p) for p in problems] == [expected]


def test_exploding_aliases_are_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    document, problems = parse("\n".join(lines) + "\n")
    assert document is None
    assert "expands to more than" in str(problems.errors[0])


def test_non_utf8_and_byte_order_mark(tmp_path: Path, concepts: ConceptIndex) -> None:
    data = tmp_path / "data"
    (data / "shared").mkdir(parents=True)
    (data / "shared" / "countries.yaml").write_bytes(b"countries:\n  - id: caf\xe9\n")
    (data / "shared" / "cities.yaml").write_bytes("\ufeffcities: []\n".encode())
    with pytest.raises(AuthoringError) as caught:
        load_corpus(data, concepts)
    assert [str(p).removeprefix(f"{data}/") for p in caught.value.problems] == [
        "shared/countries.yaml:2:12: the file is not UTF-8 text"
    ]


# --- problems ---------------------------------------------------------------------------


def test_problem_format() -> None:
    problem = Problem(
        Path("data/cases/lund-ai.yaml"),
        41,
        13,
        "needs[1].status",
        "'missng' is not one of available, partial, missing",
    )
    assert str(problem) == (
        "data/cases/lund-ai.yaml:41:13: needs[1].status: "
        "'missng' is not one of available, partial, missing"
    )
    assert (
        str(Problem(Path("f.yaml"), 1, 1, "", "the file is empty"))
        == "f.yaml:1:1: the file is empty"
    )
    assert (
        str(Problem(Path("f.yaml"), 1, 1, "id", "two\nlines\u2028here"))
        == "f.yaml:1:1: id: two\\nlines\\u2028here"
    )
    assert format_field(("needs", 2, "status")) == "needs[2].status"
    assert format_field(()) == ""


def test_authoring_error_lists_all_problems_sorted() -> None:
    problems = ProblemList()
    problems.add(Path("b.yaml"), 3, 1, "x", "third")
    problems.add(Path("a.yaml"), 9, 2, "y", "second")
    problems.add(Path("a.yaml"), 2, 5, "", "first")
    problems.add(Path("a.yaml"), 1, 1, "", "only a warning", "warning")
    with pytest.raises(AuthoringError) as caught:
        problems.raise_if_errors()
    assert str(caught.value).splitlines() == [
        "a.yaml:2:5: first",
        "a.yaml:9:2: y: second",
        "b.yaml:3:1: x: third",
    ]
    assert [str(w) for w in caught.value.warnings] == ["a.yaml:1:1: warning: only a warning"]


def test_ignored_files_are_warnings(corpus_copy: Path, concepts: ConceptIndex) -> None:
    (corpus_copy / "cases" / "notes.md").write_text("# notes\n")
    (corpus_copy / "shared" / "README.txt").write_text("about\n")
    corpus = load_corpus(corpus_copy, concepts)
    assert [str(w).removeprefix(f"{corpus_copy}/") for w in corpus.warnings] == [
        "cases/notes.md:1:1: warning: ignored: a case is a .yaml, .ttl or .jsonld file",
        "shared/README.txt:1:1: warning: ignored: not a YAML file",
    ]


def test_missing_data_folder(tmp_path: Path, concepts: ConceptIndex) -> None:
    with pytest.raises(AuthoringError, match="the data folder does not exist"):
        load_corpus(tmp_path / "nowhere", concepts)


def test_a_broken_shared_entry_does_not_hide_the_others(
    corpus_copy: Path, concepts: ConceptIndex
) -> None:
    """A structurally broken city is reported once; references to it are not reported again,
    and the other files are still checked."""
    cities = corpus_copy / "shared" / "cities.yaml"
    cities.write_text(cities.read_text().replace("country: sylvania", "country: [sylvania]"))
    with pytest.raises(AuthoringError) as caught:
        load_corpus(corpus_copy, concepts)
    assert [str(p).removeprefix(f"{corpus_copy}/") for p in caught.value.problems] == [
        "shared/cities.yaml:12:14: cities[1].country: expected text, got a list"
    ]


# --- concept schemes --------------------------------------------------------------------


def test_concepts_come_from_the_real_schemes(concepts: ConceptIndex) -> None:
    assert concepts.concepts("availability-status") == ("available", "partial", "missing")
    assert concepts.has("resource-type", "test-bed")
    assert concepts.has("cci-sector", "music") and not concepts.has("resource-type", "music")
    assert concepts.schemes_with("music") == ["cci-sector", "unesco-creative-field"]
    assert concepts.is_known_iri("https://w3id.org/ekip/vocab/liept-layer/layer-2")
    assert not concepts.is_known_iri("https://w3id.org/ekip/vocab/liept-layer/layer-9")


# --- cases in JSON-LD, and the real data ------------------------------------------------


def test_a_case_in_json_ld(corpus_copy: Path, concepts: ConceptIndex) -> None:
    (corpus_copy / "cases" / "northport-games.ttl").unlink()
    (corpus_copy / "cases" / "northport-games.jsonld").write_text("""{
  "@context": {"ekip": "https://w3id.org/ekip/ontology#",
               "prov": "http://www.w3.org/ns/prov#",
               "xsd": "http://www.w3.org/2001/XMLSchema#"},
  "@graph": [
    {"@id": "https://w3id.org/ekip/id/case/northport-games",
     "@type": "ekip:CityCaseDescription",
     "ekip:aboutCity": {"@id": "https://w3id.org/ekip/id/city/northport"},
     "http://purl.org/dc/terms/source": {"@id": "https://example.org/cases/northport-games"}},
    {"@id": "https://w3id.org/ekip/graph/case/northport-games",
     "prov:generatedAtTime": {"@value": "2026-11-28T00:00:00Z", "@type": "xsd:dateTime"}}
  ]
}
""")
    corpus = load_corpus(corpus_copy, concepts)
    (rdf_case,) = corpus.rdf_cases
    assert rdf_case.case_id == "northport-games" and len(rdf_case.graph) == 3
    assert rdf_case.position_of(rdf_case.case_iri).line == 6


def test_the_real_data_loads(layout: ProjectLayout, concepts: ConceptIndex) -> None:
    """data/ (written by hand from the sources) passes every check of the format."""
    if not any(layout.data_dir.glob("cases/*")):
        pytest.skip("no cases under data/ yet")
    corpus = load_corpus(layout.data_dir, concepts)
    assert corpus.case_ids()


def test_problem_paths_relative_to_the_working_folder(tmp_path: Path) -> None:
    problem = Problem(tmp_path / "data" / "cases" / "x.yaml", 2, 3, "id", "bad")
    assert str(problem.relative_to(tmp_path)) == "data/cases/x.yaml:2:3: id: bad"
    assert problem.relative_to(tmp_path / "elsewhere") == problem
    error = AuthoringError([problem])
    assert error.report(tmp_path) == "data/cases/x.yaml:2:3: id: bad"


def test_an_id_with_a_line_break_is_refused(corpus_copy: Path, concepts: ConceptIndex) -> None:
    """A quoted id may end in a line break; it would break every IRI made from it."""
    case = corpus_copy / "cases" / "exampleton-ai.yaml"
    case.write_text(case.read_text().replace("- id: talent-drain", '- id: "talent-drain\\n"'))
    with pytest.raises(AuthoringError) as caught:
        load_corpus(corpus_copy, concepts)
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (103, "gaps[0].id")
    assert "'talent-drain\\n' is not a valid id" in str(problem)
