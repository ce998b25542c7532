"""The model beyond labs and workshops: events, speakers, memberships and roles, context
findings of cities, what a case builds on, and "not stated by the source".

Each is checked where an author meets it (the authoring format), in the RDF the converter
writes, in SPARQL over that RDF, and in the SHACL shapes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Store

from ekipgraph.cases import AuthoringError, ConceptIndex, load_corpus
from ekipgraph.graph import BuiltDataset, build_dataset, to_sorted_nquads
from ekipgraph.namespaces import PREFIXES
from ekipgraph.project import ProjectLayout
from ekipgraph.shapes import load_shapes, validate_data
from ekipgraph.store import EmbeddedStore

# Relative IRIs such as <case/lund-ai> resolve against the instance base.
PROLOGUE = "BASE <https://w3id.org/ekip/id/>\n" + "".join(
    f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()
)


@pytest.fixture(scope="module")
def built(kitchen_sink: Path, concepts: ConceptIndex, layout: ProjectLayout) -> BuiltDataset:
    return build_dataset(load_corpus(kitchen_sink, concepts), layout)


@pytest.fixture(scope="module")
def store(built: BuiltDataset) -> Store:
    return EmbeddedStore.from_nquads(to_sorted_nquads(built.dataset)).store


def rows(store: Store, query: str) -> list[tuple[str, ...]]:
    results = store.query(PROLOGUE + query, use_default_graph_as_union=True)
    return sorted(tuple(term.value for term in solution) for solution in results)


def test_events_by_kind_place_and_attendance(store: Store) -> None:
    assert rows(
        store,
        """SELECT ?event ?place ?mode WHERE {
             ?event a ekip:PolicyCorner ; ekip:heldIn ?place ;
                    schema:eventAttendanceMode ?mode }""",
    ) == [
        (
            "https://w3id.org/ekip/id/event/policy-corner-northport",
            f"https://w3id.org/ekip/id/city/{city}",
            "https://schema.org/MixedEventAttendanceMode",
        )
        for city in ("exampleton", "northport")
    ]
    # The policy corner and the policy lab were held within the forum.
    assert rows(store, "SELECT ?e WHERE { ?e ekip:partOfEvent <event/northport-forum-2024> }") == [
        ("https://w3id.org/ekip/id/event/policy-corner-northport",),
        ("https://w3id.org/ekip/id/policy-lab/policy-lab-2",),
        ("https://w3id.org/ekip/id/workshop/northport-games-2025",),
    ]


def test_speakers_and_moderators_of_labs_and_events(store: Store) -> None:
    assert rows(
        store,
        "SELECT ?event WHERE { ?event ekip:hasSpeaker <person/ada-example> }",
    ) == [
        ("https://w3id.org/ekip/id/event/policy-corner-northport",),
        ("https://w3id.org/ekip/id/policy-lab/policy-lab-2",),
        ("https://w3id.org/ekip/id/workshop/northport-games-2025",),
    ]
    assert rows(store, "SELECT ?m WHERE { <policy-lab/policy-lab-2> ekip:hasModerator ?m }") == [
        ("https://w3id.org/ekip/id/organisation/exampleton-lab",)
    ]


def test_what_a_case_builds_on(store: Store) -> None:
    assert rows(store, "SELECT ?earlier WHERE { <case/exampleton-ai> ekip:buildsOn ?earlier }") == [
        ("https://w3id.org/ekip/id/policy-lab/policy-lab-1",),
        ("https://w3id.org/ekip/id/recommendation/ai-small-actors",),
    ]


def test_creative_city_membership_with_field_and_year(store: Store) -> None:
    assert rows(
        store,
        """SELECT ?city ?network ?field ?since WHERE {
             ?city a ekip:City ; ekip:hasMembership ?m .
             ?m ekip:membershipIn ?network ; ekip:creativeField ?field ; ekip:startDate ?since }""",
    ) == [
        (
            "https://w3id.org/ekip/id/city/northport",
            "https://w3id.org/ekip/id/organisation/creative-cities-net",
            "https://w3id.org/ekip/vocab/unesco-creative-field/media-arts",
            "2017",
        )
    ]


def test_advisory_board_and_validators_are_roles(store: Store) -> None:
    assert rows(
        store,
        """SELECT ?who ?role WHERE {
             ?who ekip:hasMembership [ ekip:membershipIn <project/demo-project> ;
                                      ekip:memberRole ?role ] }""",
    ) == [
        (
            "https://w3id.org/ekip/id/organisation/creative-cities-net",
            "https://w3id.org/ekip/vocab/actor-role/validator",
        ),
        (
            "https://w3id.org/ekip/id/person/ada-example",
            "https://w3id.org/ekip/vocab/actor-role/advisory-board-chair",
        ),
    ]


def test_stated_by_a_case_versus_context(store: Store) -> None:
    query = """SELECT ?gap ?origin WHERE {
        ?gap a ekip:Gap .
        { ?case ekip:identifiesGap ?gap BIND("case" AS ?origin) }
        UNION { ?city ekip:hasContextGap ?gap BIND("context" AS ?origin) } }"""
    assert rows(store, query) == [
        ("https://w3id.org/ekip/id/case/exampleton-ai/gap/no-test-budget", "case"),
        ("https://w3id.org/ekip/id/case/exampleton-ai/gap/talent-drain", "case"),
        ("https://w3id.org/ekip/id/case/northport-games/gap/few-publishers", "case"),
        ("https://w3id.org/ekip/id/city/northport/gap/festival-unfunded", "context"),
    ]


def test_not_stated_is_queryable(store: Store) -> None:
    assert rows(store, "SELECT ?p WHERE { <case/exampleton-heritage> ekip:notStated ?p }") == [
        ("https://w3id.org/ekip/ontology#contextSummary",),
        ("https://w3id.org/ekip/ontology#producedBy",),
        ("https://w3id.org/ekip/ontology#viewpointStatement",),
    ]
    # An organisation whose type no source gives.
    assert rows(
        store,
        "SELECT ?o WHERE { ?o a ekip:Organisation ; ekip:notStated ekip:actorType }",
    ) == [("https://w3id.org/ekip/id/organisation/creative-cities-net",)]


def test_the_kitchen_sink_conforms(built: BuiltDataset, layout: ProjectLayout) -> None:
    outcome = validate_data(built.dataset, load_shapes(layout.shapes_dir))
    assert outcome.violations == []


# --- the authoring format refuses what it cannot mean ------------------------------------


def _problems(corpus: Path, concepts: ConceptIndex) -> list[str]:
    with pytest.raises(AuthoringError) as caught:
        load_corpus(corpus, concepts)
    return [f"{p.path.name}:{p.line}: {p.field}: {p.message}" for p in caught.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_not_stated_must_name_a_missing_key(corpus_copy: Path, concepts: ConceptIndex) -> None:
    case = corpus_copy / "cases" / "exampleton-heritage.yaml"
    _edit(
        case, "not_stated: [viewpoint, summary, workshop]", "not_stated: [viewpoint, summry, city]"
    )
    assert _problems(corpus_copy, concepts) == [
        "exampleton-heritage.yaml:3: summary: required field is missing; if no source states it, "
        "list it under not_stated: [summary]",
        "exampleton-heritage.yaml:8: not_stated[1]: 'summry' is not a key of this entry; "
        "closest: summary",
        "exampleton-heritage.yaml:8: not_stated[2]: 'city' is given, "
        "so it cannot also be not stated",
    ]


def test_an_event_of_an_unknown_kind(corpus_copy: Path, concepts: ConceptIndex) -> None:
    _edit(corpus_copy / "shared" / "events.yaml", "type: kick-off", "type: kickoff")
    (problem,) = _problems(corpus_copy, concepts)
    assert problem.startswith(
        "events.yaml:37: events[2].type: 'kickoff' is not one of policy-corner, policy-dialogue"
    )


def test_a_membership_listed_twice(corpus_copy: Path, concepts: ConceptIndex) -> None:
    people = corpus_copy / "shared" / "people.yaml"
    text = people.read_text(encoding="utf-8")
    people.write_text(
        text.replace(
            "      - of: creative-cities-net\n",
            "      - of: demo-project\n        role: advisory-board-chair\n"
            "        sources: [https://example.org/project/about]\n"
            "      - of: creative-cities-net\n",
        ),
        encoding="utf-8",
    )
    (problem,) = _problems(corpus_copy, concepts)
    assert "a membership in 'demo-project' as advisory-board-chair is listed twice" in problem


def test_context_must_not_cite_a_case_page(
    corpus_copy: Path, concepts: ConceptIndex, layout: ProjectLayout
) -> None:
    _edit(
        corpus_copy / "shared" / "cities.yaml",
        'description: {en: "The first festival had no funding."}\n'
        "        sources: [https://example.org/context/exampleton]",
        'description: {en: "The first festival had no funding."}\n'
        "        sources: [https://example.org/cases/northport-games]",
    )
    built = build_dataset(load_corpus(corpus_copy, concepts), layout)
    outcome = validate_data(built.dataset, load_shapes(layout.shapes_dir))
    assert [(str(r.focus), r.message) for r in outcome.violations] == [
        (
            "https://w3id.org/ekip/id/city/northport/gap/festival-unfunded",
            "A context finding of a city must not cite a City Case Description page: what a "
            "case states belongs to the case (its strengths and gaps).",
        )
    ]
