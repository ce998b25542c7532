"""Every node a query can return has an English label (docs/model.md, "Labels").

The walk covers every subject of the built dataset (with its inferred graph): the real data
(also with the cross-city patterns computed on it, ``graph/patterns``), the kitchen sink (which
has a case written in Turtle) and a synthetic corpus. Exempt, each for a stated reason:

- blank nodes (the ontology's class expressions): no query names them;
- terms of other vocabularies (``schema:Hackathon``, ``skos:note``) that the ontology, its
  modules and the schemes only declare, to stay OWL 2 DL: their labels are their own
  vocabularies';
- people: their name is an untagged ``rdfs:label`` (the convention), which is required;
- a thing whose sources give its name only in another language and no English short name:
  its tagged ``rdfs:label`` is required; it is never translated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ekipgraph.analyse import PATTERNS_GRAPH, patterns_nquads, run_patterns
from ekipgraph.build import BuildResult, build_from_layout
from ekipgraph.graph import SHARED_GRAPH, graph_name
from ekipgraph.namespaces import BASE, EKIP, ID_BASE, graph_iri
from ekipgraph.project import ProjectLayout
from ekipgraph.store import EmbeddedStore


@dataclass
class LabelWalk:
    """The IRI subjects without an English label, and the exempt ones by reason."""

    missing: list[str] = field(default_factory=list)
    foreign_declarations: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)
    other_language_only: set[str] = field(default_factory=set)


def walk_labels(dataset: Dataset) -> LabelWalk:
    graphs_of: dict[URIRef, set[str]] = {}
    labels: dict[URIRef, list[Literal]] = {}
    people: set[URIRef] = set()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if not isinstance(s, URIRef):
            continue
        graphs_of.setdefault(s, set()).add(graph_name(g) if g is not None else "default")
        if p == RDFS.label and isinstance(o, Literal):
            labels.setdefault(s, []).append(o)
        if p == RDF.type and o == EKIP.Person:
            people.add(s)
    walk = LabelWalk()
    for subject in sorted(graphs_of):
        found = labels.get(subject, [])
        languages = {label.language for label in found}
        if "en" in languages:
            continue
        tbox_only = all(
            g == "ontology" or g.startswith(("ontology/", "vocab/")) for g in graphs_of[subject]
        )
        if tbox_only and not str(subject).startswith(BASE):
            walk.foreign_declarations.add(str(subject))
        elif subject in people and None in languages:
            walk.people.add(str(subject))
        elif languages - {None} and str(subject).startswith(ID_BASE):
            walk.other_language_only.add(str(subject))
        else:
            walk.missing.append(f"{subject} (in {', '.join(sorted(graphs_of[subject]))})")
    return walk


@pytest.fixture(scope="module")
def kitchen_dataset(layout: ProjectLayout, kitchen_sink: Path) -> Dataset:
    return build_from_layout(layout, kitchen_sink).built.dataset


@pytest.fixture(scope="module")
def real_build(layout: ProjectLayout) -> BuildResult:
    return build_from_layout(layout)


def test_every_subject_of_the_real_dataset_has_an_english_label(real_build: BuildResult) -> None:
    walk = walk_labels(real_build.built.dataset)
    assert walk.missing == []
    assert walk.people  # the real data names people, with untagged names
    # Only shared entities that are named in their own language may lack an English label.
    assert all(
        iri.startswith(ID_BASE) and iri.count("/") == 6 for iri in walk.other_language_only
    ), walk.other_language_only


def test_every_node_of_the_patterns_on_the_real_data_has_an_english_label(
    real_build: BuildResult,
) -> None:
    result = run_patterns(EmbeddedStore.from_nquads(real_build.nquads))
    dataset = Dataset()
    # One parse: a second Dataset.parse of N-Quads empties rdflib's default graph.
    dataset.parse(data=real_build.nquads + patterns_nquads(result), format="nquads")
    patterns = dataset.graph(PATTERNS_GRAPH)
    subjects = {s for s in patterns.subjects() if isinstance(s, URIRef)}
    # results, facet similarities, parameters, activities, the software and the graph itself
    assert len(subjects) > 2 * len(result.similarity.pairs) > 0
    walk = walk_labels(dataset)
    assert walk.missing == []
    exempt = walk.people | walk.other_language_only | walk.foreign_declarations
    assert not {str(s) for s in subjects} & exempt
    similarity = result.similarity.pairs[0]
    a, b = (result.network.label(city) for city in (similarity.city_a, similarity.city_b))
    labels = {str(o) for o in patterns.objects(None, RDFS.label)}
    assert f"Similarity of {a} and {b}" in labels
    assert f"{a} and {b}: gaps facet" in labels


def test_every_subject_of_the_kitchen_sink_has_an_english_label(
    kitchen_dataset: Dataset,
) -> None:
    walk = walk_labels(kitchen_dataset)
    assert walk.missing == []
    assert walk.other_language_only == set()
    assert "https://schema.org/Hackathon" in walk.foreign_declarations


def test_every_subject_of_a_synthetic_dataset_has_an_english_label(
    synthetic_home: Callable[..., ProjectLayout],
) -> None:
    project = synthetic_home(6, 11)
    walk = walk_labels(build_from_layout(project).built.dataset)
    assert walk.missing == []
    assert walk.other_language_only == set()


def test_the_walk_finds_a_node_without_an_english_label(kitchen_dataset: Dataset) -> None:
    copy = Dataset()
    for quad in kitchen_dataset.quads((None, None, None, None)):
        copy.add(quad)
    gap = URIRef(ID_BASE + "case/exampleton-ai/gap/talent-drain")
    for _s, _p, label, g in list(copy.quads((gap, RDFS.label, None, None))):
        copy.remove((gap, RDFS.label, label, g))
    assert walk_labels(copy).missing == [f"{gap} (in case/exampleton-ai, inferred)"]


def english_label(dataset: Dataset, iri: str) -> str:
    labels = [
        str(o)
        for _s, _p, o, _g in dataset.quads((URIRef(iri), RDFS.label, None, None))
        if isinstance(o, Literal) and o.language == "en"
    ]
    assert len(labels) == 1, (iri, labels)
    return labels[0]


@pytest.mark.parametrize(
    ("iri", "label"),
    [
        # a part of a case: the case's title, the class, the id in words
        (
            "case/exampleton-ai/gap/talent-drain",
            "City Case Description: Exampleton and AI: gap – talent drain",
        ),
        (
            "case/exampleton-ai/need/early-funding",
            "City Case Description: Exampleton and AI: resource need – early funding",
        ),
        (
            "case/exampleton-ai/stimulus/ai-collaboration",
            "City Case Description: Exampleton and AI: local stimulus – ai collaboration",
        ),
        # an involvement: its owner (here an item) and the actor's name
        (
            "case/exampleton-ai/involvement/storytelling-app-ada-example",
            "An AI storytelling app for the old town: actor involvement – Ada Example",
        ),
        # a part of the case written in Turtle gets the same
        (
            "case/northport-games/involvement/games-hub",
            "City Case Description: Northport and video games: actor involvement – "
            "Northport Games Hub",
        ),
        # context findings and memberships hang off a city, an organisation or a person
        ("city/northport/gap/festival-unfunded", "Northport: gap – festival unfunded"),
        (
            "city/northport/membership/creative-cities-net",
            "Northport: membership – Creative Cities Net (Media arts)",
        ),
        (
            "person/ada-example/membership/demo-project-advisory-board-chair",
            "Ada Example: membership – demo (Advisory Board chair)",
        ),
    ],
)
def test_parts_get_a_label_made_from_the_data(
    kitchen_dataset: Dataset, iri: str, label: str
) -> None:
    assert english_label(kitchen_dataset, ID_BASE + iri) == label


def test_a_generated_label_is_in_the_graph_of_its_node(kitchen_dataset: Dataset) -> None:
    gap = URIRef(ID_BASE + "city/northport/gap/festival-unfunded")
    graphs = {g for _s, _p, _o, g in kitchen_dataset.quads((gap, RDFS.label, None, None))}
    assert graphs == {SHARED_GRAPH}


def test_case_graphs_and_sources_are_labelled(kitchen_dataset: Dataset) -> None:
    assert (
        english_label(kitchen_dataset, str(graph_iri("case/exampleton-ai")))
        == "City Case Description: Exampleton and AI: case graph"
    )
    for source in kitchen_dataset.subjects(RDF.type, URIRef("http://xmlns.com/foaf/0.1/Document")):
        titles = set(kitchen_dataset.graph(SHARED_GRAPH).objects(source, RDFS.label))
        assert titles == set(
            kitchen_dataset.graph(SHARED_GRAPH).objects(
                source, URIRef("http://purl.org/dc/terms/title")
            )
        )


def test_concepts_have_their_preferred_labels_as_rdfs_labels(kitchen_dataset: Dataset) -> None:
    scheme = kitchen_dataset.graph(graph_iri("vocab/resource-type"))
    concepts = set(scheme.subjects(SKOS.prefLabel, None))
    assert concepts
    for concept in concepts:
        assert set(scheme.objects(concept, RDFS.label)) == set(
            scheme.objects(concept, SKOS.prefLabel)
        )


def test_a_name_in_another_language_gets_the_english_short_name_only(
    layout: ProjectLayout, corpus_copy: Path
) -> None:
    organisations = corpus_copy / "shared" / "organisations.yaml"
    organisations.write_text(
        organisations.read_text(encoding="utf-8")
        + """  - id: atelier-nord
    name: {fr: "Atelier du Nord"}
    short_name: "Nord Studio"
    actor_types: [company]
    sources: [https://example.org/project/about]
  - id: pracovna
    name: {sk: "Pracovňa"}
    actor_types: [company]
    sources: [https://example.org/project/about]
""",
        encoding="utf-8",
    )
    dataset = build_from_layout(layout, corpus_copy).built.dataset
    assert english_label(dataset, ID_BASE + "organisation/atelier-nord") == "Nord Studio"
    walk = walk_labels(dataset)
    assert walk.missing == []
    assert walk.other_language_only == {ID_BASE + "organisation/pracovna"}


def test_people_keep_one_untagged_name(kitchen_dataset: Dataset) -> None:
    person = URIRef(ID_BASE + "person/ada-example")
    labels = list(kitchen_dataset.graph(SHARED_GRAPH).objects(person, RDFS.label))
    assert labels == [Literal("Ada Example")]
