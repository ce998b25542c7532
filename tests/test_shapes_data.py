"""What the SHACL shapes say about data: a valid fixture conforms; each broken twin gets
exactly the expected results (focus node, path, severity, message)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS
from rdflib.paths import InvPath
from rdflib.term import Node

from ekipgraph.namespaces import EKIP, concept_iri, graph_iri, instance_iri
from ekipgraph.ontology import load_ontology, load_tbox, parse_rdf_file
from ekipgraph.project import default_layout
from ekipgraph.shapes import ValidationOutcome, load_shapes, validate_data

LAYOUT = default_layout()
FIXTURE = Path(__file__).parent / "fixtures" / "shapes" / "valid.ttl"
SCHEMA = Namespace("https://schema.org/")
# A plain Namespace: pytest probes module attributes, and rdflib's XSD warns on unknown names.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

CASE = instance_iri("case", "lund-ai")
CITY = instance_iri("city", "lund")
COUNTRY = instance_iri("country", "sweden")
FBL = instance_iri("organisation", "future-by-lund")
PERSON = instance_iri("person", "anna-example")
LAB = instance_iri("policy-lab", "ai-and-cci-lab")
WORKSHOP = instance_iri("workshop", "lund-ai-2024")
REC = instance_iri("recommendation", "ai-and-cci-small-actors-ai-capacity")
PART = "https://w3id.org/ekip/id/case/lund-ai/"
PORTFOLIO = URIRef(PART + "portfolio/heritage-immersive")
IDEA = URIRef(PART + "item/uppakra-storytelling")
NEED = URIRef(PART + "need/immersive-test-facilities")
STRENGTH = URIRef(PART + "strength/creative-spaces")
GAP = URIRef(PART + "gap/talent-drain")
STIMULUS = URIRef(PART + "stimulus/ai-collaboration")
INVOLVEMENT = URIRef(PART + "involvement/future-by-lund")
CASE_PAGE = URIRef("https://knowledge-bank.example.org/case/lund-ai")

V, W, INFO = SH.Violation, SH.Warning, SH.Info
LABEL = "A named entity must have a name (rdfs:label)."
LABEL_EN = "A named entity should have a label (rdfs:label) in English."
PART_LABEL_EN = "This node must have a label (rdfs:label) in English."


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(LAYOUT.shapes_dir, lint=False)


@pytest.fixture(scope="module")
def tbox() -> Graph:
    # The real ontology and concept schemes: the shapes rely on both (sh:class, skos:inScheme).
    assert LAYOUT.vocab_files(), "ontology/vocab/*.ttl missing"
    return load_tbox(LAYOUT)


@pytest.fixture(scope="module")
def valid(tbox: Graph) -> Graph:
    graph = Graph()
    for triple in tbox:
        graph.add(triple)
    return parse_rdf_file(FIXTURE, graph)


def copy_of(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def rename(graph: Graph, old: URIRef, new: URIRef) -> None:
    """Give a node another IRI everywhere it occurs."""
    for s, p, o in list(graph):
        if old in (s, o):
            graph.remove((s, p, o))
            graph.add((new if s == old else s, p, new if o == old else o))


def replace(graph: Graph, s: Node, p: URIRef, o: Node) -> None:
    graph.set((s, p, o))


@dataclass(frozen=True)
class Expected:
    focus: Node
    path: URIRef | InvPath | None
    severity: URIRef
    message: str


def summary(outcome: ValidationOutcome) -> set[Expected]:
    return {Expected(r.focus, r.path, r.severity, r.message) for r in outcome.results}


# --- the valid fixture ------------------------------------------------------------------


def test_valid_fixture_has_no_results(valid: Graph, shapes: Graph) -> None:
    outcome = validate_data(valid, shapes)
    assert [str(r) for r in outcome.results] == []
    assert outcome.conforms
    # Reported in the session summary; the fixture with ontology and schemes is ~3k triples.
    print(f"validation of {len(valid)} triples: {outcome.seconds:.3f} s")


def test_valid_fixture_spread_over_named_graphs(tbox: Graph, shapes: Graph) -> None:
    """The converter's layout: ontology, schemes, shared entities and case in separate graphs."""
    dataset = Dataset()
    ontology = dataset.graph(graph_iri("ontology"))
    for triple in tbox:
        ontology.add(triple)
    fixture = parse_rdf_file(FIXTURE)
    shared, case = dataset.graph(graph_iri("shared")), dataset.graph(graph_iri("case/lund-ai"))
    for s, p, o in fixture:
        (case if str(s).startswith("https://w3id.org/ekip/id/case/") else shared).add((s, p, o))
    outcome = validate_data(dataset, shapes)
    assert [str(r) for r in outcome.results] == []


def test_valid_variants_of_dates_and_counts(valid: Graph, shapes: Graph) -> None:
    graph = copy_of(valid)
    replace(graph, WORKSHOP, EKIP.startDate, Literal("2024", datatype=XSD.gYear))
    replace(graph, LAB, EKIP.startDate, Literal("2024-03", datatype=XSD.gYearMonth))
    replace(graph, WORKSHOP, EKIP.participantCount, Literal(0))  # xsd:integer, 0 is fine
    replace(graph, LAB, EKIP.sequenceNumber, Literal(2))
    assert [str(r) for r in validate_data(graph, shapes).results] == []


# --- sh:class follows rdfs:subClassOf in the data graph; subclass targets need no inference


def test_sh_class_uses_the_ontology_in_the_data_graph(tbox: Graph, shapes: Graph) -> None:
    """Without the ontology, an ekip:Organisation is not known to be an ekip:Actor."""
    graph = parse_rdf_file(FIXTURE)
    for path in LAYOUT.vocab_files():
        parse_rdf_file(path, graph)
    results = summary(validate_data(graph, shapes))
    provider = (
        "A potential provider (ekip:potentialProvider) must be an ekip:Actor "
        "(an organisation or a person)."
    )
    assert Expected(NEED, EKIP.potentialProvider, V, provider) in results
    # With the ontology merged in, the same data conforms (test_valid_fixture_has_no_results).
    assert load_ontology(LAYOUT).value(EKIP.Organisation, RDFS.subClassOf) is not None


def test_item_shape_targets_subclasses_without_the_ontology(shapes: Graph) -> None:
    graph = parse_rdf_file(FIXTURE)
    graph.remove((IDEA, RDFS.label, None))
    results = summary(validate_data(graph, shapes))
    assert Expected(IDEA, RDFS.label, V, LABEL) in results


def test_an_item_is_checked_once_when_reached_through_two_targets(
    valid: Graph, shapes: Graph
) -> None:
    # With the ontology, the item is a target of both ekip:Idea and ekip:PortfolioItem.
    graph = copy_of(valid)
    graph.remove((IDEA, RDFS.label, None))
    outcome = validate_data(graph, shapes)
    assert [(r.severity, r.message) for r in outcome.results] == [(V, LABEL), (W, LABEL_EN)]


# --- broken twins: one change, exactly the expected results -----------------------------

Change = Callable[[Graph], None]


def _remove(s: Node, p: URIRef, o: Node | None = None) -> Change:
    return lambda g: g.remove((s, p, o))


def _add(s: Node, p: URIRef, o: Node) -> Change:
    return lambda g: g.add((s, p, o))


def _set(s: Node, p: URIRef, o: Node) -> Change:
    return lambda g: replace(g, s, p, o)


def _both(*changes: Change) -> Change:
    def apply(g: Graph) -> None:
        for change in changes:
            change(g)

    return apply


def _rename(old: URIRef, new: URIRef) -> Change:
    return lambda g: rename(g, old, new)


RESOURCE = concept_iri("resource-type", "talent")
STATUS = concept_iri("availability-status", "missing")
BAD_SOURCE = URIRef("https://unregistered.example.org/page")

CASES: dict[str, tuple[Change, list[Expected]]] = {
    # cardinalities of a case
    # the labels the converter makes for parts, and a source's title as its label
    "gap without its English label": (
        _remove(GAP, RDFS.label),
        [Expected(GAP, RDFS.label, V, PART_LABEL_EN)],
    ),
    "involvement labelled in Swedish only": (
        _both(
            _remove(INVOLVEMENT, RDFS.label),
            _add(INVOLVEMENT, RDFS.label, Literal("Future by Lund i fallet", lang="sv")),
        ),
        [Expected(INVOLVEMENT, RDFS.label, V, PART_LABEL_EN)],
    ),
    "source without a label": (
        _remove(CASE_PAGE, RDFS.label),
        [Expected(CASE_PAGE, RDFS.label, V, PART_LABEL_EN)],
    ),
    "case without city": (
        _remove(CASE, EKIP.aboutCity),
        [
            Expected(
                CASE, EKIP.aboutCity, V, "A case must be about exactly one city (ekip:aboutCity)."
            )
        ],
    ),
    "case about a country": (
        _add(CASE, EKIP.aboutCity, COUNTRY),
        [
            Expected(
                CASE, EKIP.aboutCity, V, "A case must be about exactly one city (ekip:aboutCity)."
            ),
            Expected(
                CASE, EKIP.aboutCity, V, "The city of a case (ekip:aboutCity) must be an ekip:City."
            ),
        ],
    ),
    "case without policy area": (
        _remove(CASE, EKIP.addressesPolicyArea),
        [
            Expected(
                CASE,
                EKIP.addressesPolicyArea,
                V,
                (
                    "A case, policy lab, workshop or recommendation must address "
                    "at least one policy area (ekip:addressesPolicyArea)."
                ),
            )
        ],
    ),
    "policy area from another scheme": (
        _add(CASE, EKIP.addressesPolicyArea, RESOURCE),
        [
            Expected(
                CASE,
                EKIP.addressesPolicyArea,
                V,
                (
                    "A policy area (ekip:addressesPolicyArea) must be a concept "
                    "of the policy-area scheme."
                ),
            )
        ],
    ),
    "case without viewpoint": (
        _remove(CASE, EKIP.viewpointStatement),
        [
            Expected(
                CASE,
                EKIP.viewpointStatement,
                V,
                (
                    "A case must have a viewpoint statement (ekip:viewpointStatement); "
                    "if no source states it, name it with ekip:notStated ekip:viewpointStatement."
                ),
            )
        ],
    ),
    "two viewpoints in English": (
        _add(CASE, EKIP.viewpointStatement, Literal("Another statement.", lang="en")),
        [
            Expected(
                CASE,
                EKIP.viewpointStatement,
                V,
                (
                    "A case must have at most one viewpoint statement "
                    "(ekip:viewpointStatement) per language."
                ),
            )
        ],
    ),
    "summary only in Swedish": (
        _remove(CASE, EKIP.contextSummary, Literal("Placeholder context summary.", lang="en")),
        [
            Expected(
                CASE,
                EKIP.contextSummary,
                V,
                (
                    "A case must have a context summary (ekip:contextSummary) in English; "
                    "if no source states it, name it with ekip:notStated ekip:contextSummary."
                ),
            )
        ],
    ),
    "summary as a plain string": (
        _add(CASE, EKIP.contextSummary, Literal("untagged")),
        [
            Expected(
                CASE,
                EKIP.contextSummary,
                V,
                (
                    "A context summary (ekip:contextSummary) must be language-"
                    "tagged text (rdf:langString)."
                ),
            )
        ],
    ),
    "case without title": (
        _remove(CASE, DCTERMS.title),
        [
            Expected(
                CASE,
                DCTERMS.title,
                V,
                "A case or recommendation must have a title (dcterms:title).",
            )
        ],
    ),
    "publication year as a string": (
        _set(CASE, EKIP.publicationYear, Literal("2025")),
        [
            Expected(
                CASE,
                EKIP.publicationYear,
                V,
                ("A publication year (ekip:publicationYear) must be an xsd:integer."),
            )
        ],
    ),
    "case without workshop (recommended)": (
        _remove(CASE, EKIP.producedBy),
        [
            Expected(
                CASE,
                EKIP.producedBy,
                W,
                (
                    "A case should name the workshop that produced it (ekip:producedBy); "
                    "if no source states it, name it with ekip:notStated ekip:producedBy."
                ),
            )
        ],
    ),
    "case produced by a policy lab": (
        _set(CASE, EKIP.producedBy, LAB),
        [
            Expected(
                CASE,
                EKIP.producedBy,
                V,
                (
                    "The workshop that produced a case (ekip:producedBy) must be "
                    "an ekip:PolicyAssessmentWorkshop."
                ),
            )
        ],
    ),
    "case url not an IRI": (
        _set(CASE, SCHEMA.url, Literal("https://knowledge-bank.example.org/case/lund-ai")),
        [Expected(CASE, SCHEMA.url, V, "A web address (schema:url) must be an http(s) IRI.")],
    ),
    # labels
    "two English labels": (
        _add(CITY, RDFS.label, Literal("Lund city", lang="en")),
        [
            Expected(
                CITY,
                RDFS.label,
                V,
                ("An entity must have at most one label (rdfs:label) per language."),
            )
        ],
    ),
    "label without language": (
        _add(CITY, RDFS.label, Literal("Lund")),
        [
            Expected(
                CITY,
                RDFS.label,
                V,
                ("A label (rdfs:label) must be language-tagged text (rdf:langString)."),
            )
        ],
    ),
    "name only in Swedish (recommended in English)": (
        _remove(COUNTRY, RDFS.label, Literal("Sweden", lang="en")),
        [Expected(COUNTRY, RDFS.label, W, LABEL_EN)],
    ),
    "entity without name": (
        _remove(COUNTRY, RDFS.label),
        [Expected(COUNTRY, RDFS.label, V, LABEL), Expected(COUNTRY, RDFS.label, W, LABEL_EN)],
    ),
    "person without name": (
        _remove(PERSON, RDFS.label),
        [Expected(PERSON, RDFS.label, V, LABEL)],
    ),
    "person with two untagged names": (
        _add(PERSON, RDFS.label, Literal("A. Example")),
        [
            Expected(
                PERSON,
                RDFS.label,
                V,
                "A person must have at most one name without a language tag (rdfs:label).",
            )
        ],
    ),
    "person name as a number": (
        _set(PERSON, RDFS.label, Literal(42)),
        [
            Expected(
                PERSON,
                RDFS.label,
                V,
                "A person's name (rdfs:label) must be a string or language-tagged text.",
            )
        ],
    ),
    "person name tagged": (_set(PERSON, RDFS.label, Literal("Anna Example", lang="sv")), []),
    "source language as a plain string": (
        _set(CASE_PAGE, DCTERMS.language, Literal("en")),
        [
            Expected(
                CASE_PAGE,
                DCTERMS.language,
                V,
                (
                    "A source document must have at most one language (dcterms:language), "
                    "typed xsd:language."
                ),
            )
        ],
    ),
    # sources
    "entity without source": (
        _remove(CITY, DCTERMS.source),
        [
            Expected(
                CITY,
                DCTERMS.source,
                V,
                ("Every entity must cite at least one source (dcterms:source)."),
            )
        ],
    ),
    "unregistered source": (
        _add(STRENGTH, DCTERMS.source, BAD_SOURCE),
        [
            Expected(
                STRENGTH,
                DCTERMS.source,
                V,
                (
                    "A source (dcterms:source) must be a registered source "
                    "document (foaf:Document, see data/shared/sources.yaml)."
                ),
            )
        ],
    ),
    "source that is not an http IRI": (
        _add(GAP, DCTERMS.source, URIRef("urn:isbn:9780000000000")),
        [
            Expected(GAP, DCTERMS.source, V, "A source (dcterms:source) must be an http(s) IRI."),
            Expected(
                GAP,
                DCTERMS.source,
                V,
                (
                    "A source (dcterms:source) must be a registered source "
                    "document (foaf:Document, see data/shared/sources.yaml)."
                ),
            ),
        ],
    ),
    "source document without kind": (
        _remove(CASE_PAGE, EKIP.sourceKind),
        [
            Expected(
                CASE_PAGE,
                EKIP.sourceKind,
                V,
                ("A source document must have exactly one source kind (ekip:sourceKind)."),
            )
        ],
    ),
    "source document with a wrong kind": (
        _set(CASE_PAGE, EKIP.sourceKind, STATUS),
        [
            Expected(
                CASE_PAGE,
                EKIP.sourceKind,
                V,
                (
                    "The kind of a source document (ekip:sourceKind) must be a "
                    "concept of the source-kind scheme."
                ),
            )
        ],
    ),
    "source document without title": (
        _remove(CASE_PAGE, DCTERMS.title),
        [
            Expected(
                CASE_PAGE, DCTERMS.title, V, "A source document must have a title (dcterms:title)."
            )
        ],
    ),
    # IRI patterns
    "case part outside its case's IRI space": (
        _rename(NEED, URIRef("https://w3id.org/ekip/id/need/immersive-test-facilities")),
        [
            Expected(
                URIRef("https://w3id.org/ekip/id/need/immersive-test-facilities"),
                None,
                V,
                ("A need's IRI must be https://w3id.org/ekip/id/case/<case>/need/<id>."),
            )
        ],
    ),
    "city id with capitals": (
        _rename(CITY, URIRef("https://w3id.org/ekip/id/city/Lund")),
        [
            Expected(
                URIRef("https://w3id.org/ekip/id/city/Lund"),
                None,
                V,
                (
                    "A city's IRI must be https://w3id.org/ekip/id/city/<id>, the"
                    " id being lower-case words joined by hyphens."
                ),
            )
        ],
    ),
    # resource needs
    "need without resource type": (
        _remove(NEED, EKIP.needsResourceType),
        [
            Expected(
                NEED,
                EKIP.needsResourceType,
                V,
                (
                    "A need must name exactly one resource type (ekip:needsResourceType); "
                    "if no source states it, name it with ekip:notStated ekip:needsResourceType."
                ),
            )
        ],
    ),
    "need with an availability as resource type": (
        _set(NEED, EKIP.needsResourceType, STATUS),
        [
            Expected(
                NEED,
                EKIP.needsResourceType,
                V,
                (
                    "The resource type of a need (ekip:needsResourceType) must be"
                    " a concept of the resource-type scheme."
                ),
            )
        ],
    ),
    "need with two statuses": (
        _add(NEED, EKIP.availability, STATUS),
        [
            Expected(
                NEED,
                EKIP.availability,
                V,
                ("A need must have exactly one availability status (ekip:availability)."),
            )
        ],
    ),
    "need for a case": (
        _set(NEED, EKIP.neededFor, CASE),
        [
            Expected(
                NEED,
                EKIP.neededFor,
                V,
                (
                    "What a need is for (ekip:neededFor) must be an "
                    "ekip:InnovationPortfolio or an ekip:PortfolioItem."
                ),
            )
        ],
    ),
    "need for an item": (_set(NEED, EKIP.neededFor, IDEA), []),
    "need provided by a city": (
        _add(NEED, EKIP.potentialProvider, CITY),
        [
            Expected(
                NEED,
                EKIP.potentialProvider,
                V,
                (
                    "A potential provider (ekip:potentialProvider) must be an "
                    "ekip:Actor (an organisation or a person)."
                ),
            )
        ],
    ),
    "typo in a need property": (
        _both(_remove(NEED, EKIP.neededFor), _add(NEED, EKIP.neededfor, PORTFOLIO)),
        [
            Expected(
                NEED,
                EKIP.neededFor,
                V,
                ("A need must be for exactly one portfolio or item (ekip:neededFor)."),
            ),
            Expected(
                NEED,
                EKIP.neededfor,
                W,
                ("A need has a property the model does not foresee for it (check for a typo)."),
            ),
        ],
    ),
    "orphan need": (
        _remove(CASE, EKIP.identifiesNeed),
        [
            Expected(
                NEED,
                InvPath(EKIP.identifiesNeed),
                V,
                ("A need must be identified by exactly one case (ekip:identifiesNeed)."),
            )
        ],
    ),
    # strengths and gaps
    "gap with two resource types": (
        _add(GAP, EKIP.concernsResourceType, concept_iri("resource-type", "funding")),
        [
            Expected(
                GAP,
                EKIP.concernsResourceType,
                V,
                (
                    "A strength or gap must concern exactly one resource type "
                    "(ekip:concernsResourceType)."
                ),
            )
        ],
    ),
    "strength without resource type": (
        _remove(STRENGTH, EKIP.concernsResourceType),
        [
            Expected(
                STRENGTH,
                EKIP.concernsResourceType,
                V,
                (
                    "A strength or gap must concern exactly one resource type "
                    "(ekip:concernsResourceType); if no source states it, "
                    "name it with ekip:notStated ekip:concernsResourceType."
                ),
            )
        ],
    ),
    "finding typed only by the abstract class": (
        _both(_remove(GAP, RDF.type, EKIP.Gap), _add(GAP, RDF.type, EKIP.SupportSystemFinding)),
        [
            Expected(
                GAP,
                RDF.type,
                V,
                (
                    "A support system finding must be typed exactly one of "
                    "ekip:Strength or ekip:Gap."
                ),
            ),
            Expected(
                CASE,
                EKIP.identifiesGap,
                V,
                "A gap of a case (ekip:identifiesGap) must be an ekip:Gap.",
            ),
        ],
    ),
    # portfolio items
    "item with two kinds": (
        _add(IDEA, RDF.type, EKIP.Initiative),
        [
            Expected(
                IDEA,
                RDF.type,
                V,
                (
                    "A portfolio item must be typed exactly one of ekip:Idea, "
                    "ekip:InnovationProject or ekip:Initiative."
                ),
            )
        ],
    ),
    "item in a zone of the wrong scheme": (
        _set(IDEA, EKIP.inZone, concept_iri("liept-layer", "layer-1")),
        [
            Expected(
                IDEA,
                EKIP.inZone,
                V,
                (
                    "The zone of an item (ekip:inZone) must be a concept of the "
                    "innovation-zone scheme."
                ),
            )
        ],
    ),
    "item without zone (optional)": (
        _remove(IDEA, EKIP.inZone),
        [
            Expected(
                IDEA,
                EKIP.inZone,
                INFO,
                (
                    "The source may say which innovation zone the item is in (ekip:inZone); "
                    "if no source states it, name it with ekip:notStated ekip:inZone."
                ),
            )
        ],
    ),
    "orphan item": (
        _remove(PORTFOLIO, EKIP.hasItem, IDEA),
        [
            Expected(
                IDEA,
                InvPath(EKIP.hasItem),
                V,
                ("A portfolio item must belong to exactly one portfolio (ekip:hasItem)."),
            )
        ],
    ),
    "portfolio item that is a need": (
        _add(PORTFOLIO, EKIP.hasItem, NEED),
        [
            Expected(
                PORTFOLIO,
                EKIP.hasItem,
                V,
                (
                    "An item of a portfolio (ekip:hasItem) must be an "
                    "ekip:PortfolioItem (an idea, project or initiative)."
                ),
            )
        ],
    ),
    # involvements and stimuli
    "involvement of a city": (
        _set(INVOLVEMENT, EKIP.involvedActor, CITY),
        [
            Expected(
                INVOLVEMENT,
                EKIP.involvedActor,
                V,
                (
                    "The actor of an involvement (ekip:involvedActor) must be an "
                    "ekip:Actor (an organisation or a person)."
                ),
            )
        ],
    ),
    "involvement without role (recommended)": (
        _remove(INVOLVEMENT, EKIP.roleDescription),
        [
            Expected(
                INVOLVEMENT,
                EKIP.roleDescription,
                W,
                ("An involvement should describe the actor's role (ekip:roleDescription)."),
            )
        ],
    ),
    "stimulus by a case": (
        _set(STIMULUS, EKIP.stimulatedBy, CASE),
        [
            Expected(
                STIMULUS,
                EKIP.stimulatedBy,
                V,
                (
                    "The recommendation of a stimulus (ekip:stimulatedBy) must be"
                    " an ekip:PolicyRecommendation."
                ),
            )
        ],
    ),
    # shared entities
    "city without country": (
        _remove(CITY, EKIP.inCountry),
        [
            Expected(
                CITY, EKIP.inCountry, V, "A city must be in exactly one country (ekip:inCountry)."
            )
        ],
    ),
    "city without same-as (recommended)": (
        _remove(CITY, SCHEMA.sameAs),
        [
            Expected(
                CITY,
                SCHEMA.sameAs,
                W,
                (
                    "A place should link to the same place elsewhere "
                    "(schema:sameAs), e.g. its Wikidata item; if no source states it, "
                    "name it with ekip:notStated schema:sameAs."
                ),
            )
        ],
    ),
    "organisation without actor type": (
        _remove(FBL, EKIP.actorType),
        [
            Expected(
                FBL,
                EKIP.actorType,
                V,
                (
                    "An organisation must have at least one actor type (ekip:actorType); "
                    "if no source states it, name it with ekip:notStated ekip:actorType."
                ),
            )
        ],
    ),
    "short name without language": (
        _set(FBL, SKOS.altLabel, Literal("FBL")),
        [
            Expected(
                FBL,
                SKOS.altLabel,
                V,
                (
                    "An alternative name (skos:altLabel) must be language-tagged "
                    "text (rdf:langString)."
                ),
            )
        ],
    ),
    "person member of a person": (
        _set(PERSON, URIRef("http://www.w3.org/ns/org#memberOf"), PERSON),
        [
            Expected(
                PERSON,
                URIRef("http://www.w3.org/ns/org#memberOf"),
                V,
                (
                    "An organisation a person is member of (org:memberOf) must be"
                    " an ekip:Organisation."
                ),
            )
        ],
    ),
    "workshop without city": (
        _remove(WORKSHOP, EKIP.heldIn),
        [
            Expected(
                WORKSHOP,
                EKIP.heldIn,
                V,
                ("A policy assessment workshop must be held in exactly one city (ekip:heldIn)."),
            )
        ],
    ),
    "workshop held in a country": (
        _set(WORKSHOP, EKIP.heldIn, COUNTRY),
        [
            Expected(
                WORKSHOP,
                EKIP.heldIn,
                V,
                ("The place an activity is held in (ekip:heldIn) must be an ekip:City."),
            )
        ],
    ),
    "date as free text": (
        _set(WORKSHOP, EKIP.startDate, Literal("September 2024")),
        [
            Expected(
                WORKSHOP,
                EKIP.startDate,
                V,
                ("A start date (ekip:startDate) must be an xsd:date, xsd:gYearMonth or xsd:gYear."),
            )
        ],
    ),
    "date as dateTime": (
        _set(LAB, EKIP.startDate, Literal("2024-03-12T10:00:00", datatype=XSD.dateTime)),
        [
            Expected(
                LAB,
                EKIP.startDate,
                V,
                ("A start date (ekip:startDate) must be an xsd:date, xsd:gYearMonth or xsd:gYear."),
            )
        ],
    ),
    "negative participant count": (
        _set(WORKSHOP, EKIP.participantCount, Literal(-3)),
        [
            Expected(
                WORKSHOP,
                EKIP.participantCount,
                V,
                ("A participant count (ekip:participantCount) must be 0 or more."),
            )
        ],
    ),
    "participant count as decimal": (
        _set(WORKSHOP, EKIP.participantCount, Literal("24.0", datatype=XSD.decimal)),
        [
            Expected(
                WORKSHOP,
                EKIP.participantCount,
                V,
                (
                    "A participant count (ekip:participantCount) must be an "
                    "xsd:nonNegativeInteger or xsd:integer."
                ),
            )
        ],
    ),
    "policy lab number zero": (
        _set(LAB, EKIP.sequenceNumber, Literal(0)),
        [
            Expected(
                LAB,
                EKIP.sequenceNumber,
                V,
                ("A policy lab number (ekip:sequenceNumber) must be 1 or more."),
            )
        ],
    ),
    "recommendation with two statuses": (
        _add(REC, EKIP.recommendationStatus, concept_iri("recommendation-status", "final")),
        [
            Expected(
                REC,
                EKIP.recommendationStatus,
                V,
                ("A recommendation has at most one status (ekip:recommendationStatus)."),
            )
        ],
    ),
    "recommendation drafted in a workshop": (
        _set(REC, EKIP.draftedIn, WORKSHOP),
        [
            Expected(
                REC,
                EKIP.draftedIn,
                V,
                ("Where a recommendation was drafted (ekip:draftedIn) must be an ekip:PolicyLab."),
            )
        ],
    ),
    "recommendation without level (recommended)": (
        _remove(REC, EKIP.addressedToLevel),
        [
            Expected(
                REC,
                EKIP.addressedToLevel,
                W,
                (
                    "A recommendation should say which level it is addressed to "
                    "(ekip:addressedToLevel); if no source states it, "
                    "name it with ekip:notStated ekip:addressedToLevel."
                ),
            )
        ],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_broken_twin(name: str, valid: Graph, shapes: Graph) -> None:
    change, expected = CASES[name]
    graph = copy_of(valid)
    change(graph)
    outcome = validate_data(graph, shapes)
    assert summary(outcome) == set(expected), "\n".join(str(r) for r in outcome.results)
    assert len(outcome.results) == len(expected)
    assert outcome.conforms == all(e.severity != V for e in expected)


def test_result_rows_read_well(valid: Graph, shapes: Graph) -> None:
    graph = copy_of(valid)
    graph.remove((CASE, EKIP.aboutCity, None))
    (row,) = validate_data(graph, shapes).results
    assert str(row) == (
        "Violation: case:lund-ai ekip:aboutCity: "
        "A case must be about exactly one city (ekip:aboutCity)."
    )
    assert row.component == SH.MinCountConstraintComponent


def test_real_corpus_has_no_violations(shapes: Graph) -> None:
    """The converter's output for data/ (ontology and schemes included) has no sh:Violation."""
    build = pytest.importorskip("ekipgraph.build")
    if not any(LAYOUT.data_dir.glob("cases/*")):
        pytest.skip("no cases under data/")
    built = build.build_from_layout(LAYOUT).built
    outcome = validate_data(built.dataset, shapes)
    assert [str(r) for r in outcome.violations] == []
