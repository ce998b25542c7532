"""The authoring format as pydantic models: the shared entities and the City Case Description.

The models are the single description of the format (docs/authoring.md): which keys exist,
which are required, what type each value has, what it refers to and which RDF it becomes.
Validation is strict (no coercion: ``"2024"`` is not a year) and unknown keys are errors.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, model_validator
from rdflib import URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDFS, SDO, SKOS, XSD

from ekipgraph.cases.fields import (
    AsIri,
    Choice,
    Cited,
    Concept,
    Count,
    Date,
    Day,
    ItemKind,
    KeyNames,
    LanguageTag,
    NonEmpty,
    PartRef,
    Plain,
    PositiveCount,
    Rdf,
    Ref,
    Slug,
    SourceUrl,
    Text,
    Url,
    Year,
    choice,
)
from ekipgraph.namespaces import EKIP, instance_iri


class Model(BaseModel):
    """Base of every model: strict, closed (unknown keys are errors), immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    RDF_TYPES: ClassVar[tuple[URIRef, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _empty_means_absent(cls, data: Any) -> Any:
        # "Leave out what the source does not say": an optional key written with no value
        # (``workshop:``) is the same as leaving it out. A required key stays, to be reported.
        if not isinstance(data, dict):
            return data
        optional = {
            info.alias or name for name, info in cls.model_fields.items() if not info.is_required()
        }
        return {
            key: value for key, value in data.items() if not (value is None and key in optional)
        }

    def rdf_types(self) -> tuple[URIRef, ...]:
        return self.RDF_TYPES


# ---------------------------------------------------------------------------------------
# Field types shared by several models

# Ids of shared entities and of concepts, by what they refer to.
ActorId = Annotated[Slug, Ref("organisation", "person")]
CityId = Annotated[Slug, Ref("city")]
CountryId = Annotated[Slug, Ref("country")]
PlaceId = Annotated[Slug, Ref("city", "country")]
OrganisationId = Annotated[Slug, Ref("organisation")]
ProjectId = Annotated[Slug, Ref("project")]
PolicyLabId = Annotated[Slug, Ref("policy-lab")]
WorkshopId = Annotated[Slug, Ref("workshop")]
RecommendationId = Annotated[Slug, Ref("recommendation")]
#: any event: a policy lab, a policy assessment workshop or another event (events.yaml)
AnyEventId = Annotated[Slug, Ref("policy-lab", "workshop", "event")]
#: what a case, a recommendation or an event builds on
EarlierWorkId = Annotated[Slug, Ref("policy-lab", "workshop", "event", "recommendation")]
#: what a membership is held in: an organisation (a network) or a funded project
MembershipTargetId = Annotated[Slug, Ref("organisation", "project")]
PolicyArea = Annotated[Slug, Concept("policy-area")]
Sector = Annotated[Slug, Concept("cci-sector")]
ResourceType = Annotated[Slug, Concept("resource-type")]
ActorType = Annotated[Slug, Concept("actor-type")]
Facet = Annotated[Slug, Concept("opsi-facet")]
SourceKind = Annotated[Slug, Concept("source-kind")]
RecommendationStatus = Annotated[Slug, Concept("recommendation-status")]
RecommendationLevel = Annotated[Slug, Concept("recommendation-level")]
Zone = Annotated[Slug, Concept("innovation-zone")]
Layer = Annotated[Slug, Concept("liept-layer")]
AvailabilityStatus = Annotated[Slug, Concept("availability-status")]
ActorRole = Annotated[Slug, Concept("actor-role")]
CreativeField = Annotated[Slug, Concept("unesco-creative-field")]

Sources = Annotated[list[SourceUrl], Rdf(DCTERMS.source), NonEmpty()]
Name = Annotated[Text, Rdf(RDFS.label), NonEmpty()]
#: the title of a case or a recommendation: its label and its dcterms:title
Title = Annotated[Text, Rdf(RDFS.label, DCTERMS.title), NonEmpty()]
Description = Annotated[Text | None, Rdf(DCTERMS.description)]
SameAs = Annotated[list[Url], Rdf(SDO.sameAs)]
Homepage = Annotated[Url | None, Rdf(FOAF.homepage)]
PolicyAreas = Annotated[list[PolicyArea], Rdf(EKIP.addressesPolicyArea), NonEmpty()]
Sectors = Annotated[list[Sector], Rdf(EKIP.concernsSector)]
Facets = Annotated[list[Facet], Rdf(EKIP.hasFacet)]
ResourceTypes = Annotated[list[ResourceType], Rdf(EKIP.addressesResourceType)]
Start = Annotated[Date | None, Rdf(EKIP.startDate)]
End = Annotated[Date | None, Rdf(EKIP.endDate)]
#: the keys of this entry that no source states (docs/authoring.md, "Not stated by the source")
NotStated = Annotated[list[str], Rdf(EKIP.notStated), KeyNames()]


# ---------------------------------------------------------------------------------------
# Shared entities (data/shared/*.yaml)


class SharedEntity(Model):
    """A thing several cases refer to by id, at ``…/id/<KIND>/<id>`` in the shared graph."""

    KIND: ClassVar[str]

    id: Slug
    not_stated: NotStated = []


class Source(Model):
    """A source document; its URL is its IRI."""

    KIND: ClassVar[str] = "source"
    RDF_TYPES = (FOAF.Document, PROV.Entity)

    url: Url
    kind: Annotated[SourceKind, Rdf(EKIP.sourceKind)]
    # Its title is its label too: a query that returns a source can show it.
    title: Annotated[Text, Rdf(DCTERMS.title, RDFS.label), NonEmpty()]
    language: Annotated[LanguageTag | None, Rdf(DCTERMS.language, datatype=XSD.language)] = None


class Membership(Model):
    """A membership of an actor or a city in an organisation (a network) or a project, with
    the role held or the creative field; named ``<of>`` or ``<of>-<role>`` under its member."""

    PART: ClassVar[str] = "membership"
    RDF_TYPES = (EKIP.Membership,)

    of: Annotated[MembershipTargetId, Rdf(EKIP.membershipIn)]
    role: Annotated[ActorRole | None, Rdf(EKIP.memberRole)] = None
    field: Annotated[CreativeField | None, Rdf(EKIP.creativeField)] = None
    position: Annotated[Text | None, Rdf(EKIP.roleDescription)] = None
    start: Start = None
    end: End = None
    sources: Sources

    @property
    def id(self) -> str:
        return f"{self.of}-{self.role}" if self.role else self.of


Memberships = Annotated[list[Membership], Rdf(EKIP.hasMembership)]


class Country(SharedEntity):
    KIND = "country"
    RDF_TYPES = (EKIP.Country,)

    name: Name
    same_as: SameAs = []
    sources: Sources


class City(SharedEntity):
    KIND = "city"
    RDF_TYPES = (EKIP.City,)

    name: Name
    country: Annotated[CountryId, Rdf(EKIP.inCountry)]
    description: Description = None
    same_as: SameAs = []
    memberships: Memberships = []
    # Context: what pages outside ekip's cases say about the city's support system.
    strengths: Annotated[list[Strength], Rdf(EKIP.hasContextStrength)] = []
    gaps: Annotated[list[Gap], Rdf(EKIP.hasContextGap)] = []
    sources: Sources


class Organisation(SharedEntity):
    KIND = "organisation"
    RDF_TYPES = (EKIP.Organisation,)

    name: Name
    short_name: Annotated[Text | None, Rdf(SKOS.altLabel)] = None
    # Required, unless the sources do not say (not_stated: [actor_types]).
    actor_types: Annotated[list[ActorType], Rdf(EKIP.actorType), NonEmpty()] = []
    # A city and a country may share an id (Luxembourg); the city is taken then.
    based_in: Annotated[PlaceId | None, Rdf(EKIP.basedIn)] = None
    homepage: Homepage = None
    description: Description = None
    partner_in: Annotated[list[ProjectId], Rdf(EKIP.partnerIn)] = []
    coordinates: Annotated[list[ProjectId], Rdf(EKIP.coordinates)] = []
    affiliated_with: Annotated[list[OrganisationId], Rdf(EKIP.affiliatedEntityOf)] = []
    memberships: Memberships = []
    sources: Sources


class Person(SharedEntity):
    KIND = "person"
    RDF_TYPES = (EKIP.Person,)

    # A person's name is the same in every language: a plain, untagged literal.
    name: Annotated[Plain, Rdf(RDFS.label), NonEmpty()]
    member_of: Annotated[list[OrganisationId], Rdf(ORG.memberOf)] = []
    description: Description = None
    memberships: Memberships = []
    sources: Sources


class Project(SharedEntity):
    KIND = "project"
    RDF_TYPES = (EKIP.FundedProject,)

    name: Name
    title: Annotated[Text | None, Rdf(DCTERMS.title)] = None
    grant_id: Annotated[Plain | None, Rdf(DCTERMS.identifier)] = None
    start: Start = None
    end: End = None
    homepage: Homepage = None
    description: Description = None
    sources: Sources


#: ``attendance:`` values and the schema.org attendance modes they become
ATTENDANCE_MODES: dict[str, URIRef] = {
    "in-person": SDO.OfflineEventAttendanceMode,
    "online": SDO.OnlineEventAttendanceMode,
    "mixed": SDO.MixedEventAttendanceMode,
}

#: ``type:`` values of data/shared/events.yaml and the classes they become
EVENT_CLASSES: dict[str, URIRef] = {
    "policy-corner": EKIP.PolicyCorner,
    "policy-dialogue": EKIP.PolicyDialogue,
    "open-innovation-factory": EKIP.OpenInnovationFactory,
    "community-review-workshop": EKIP.CommunityReviewWorkshop,
    "kick-off": EKIP.KickOffMeeting,
    "partner-meeting": EKIP.PartnerMeeting,
    "general-assembly": EKIP.GeneralAssembly,
    "launch": EKIP.LaunchEvent,
    "hackathon": EKIP.Hackathon,
    "external-event": EKIP.ExternalEvent,
}

#: an ``attendance:`` value
AttendanceMode = Annotated[str, *choice(ATTENDANCE_MODES)]
#: the ``type:`` of an event
EventType = Annotated[str, *choice(EVENT_CLASSES)]


class EventBase(SharedEntity):
    """What every event has: policy labs, workshops and the other events (events.yaml)."""

    name: Name
    policy_areas: Annotated[list[PolicyArea], Rdf(EKIP.addressesPolicyArea)] = []
    number: Annotated[
        PositiveCount | None, Rdf(EKIP.sequenceNumber, datatype=XSD.positiveInteger)
    ] = None
    start: Start = None
    end: End = None
    attendance: Annotated[AttendanceMode | None, Rdf(SDO.eventAttendanceMode)] = None
    venue: Annotated[Text | None, Rdf(EKIP.venueName)] = None
    organised_by: Annotated[list[ActorId], Rdf(EKIP.organisedBy)] = []
    participants: Annotated[list[ActorId], Rdf(EKIP.hasParticipant)] = []
    speakers: Annotated[list[ActorId], Rdf(EKIP.hasSpeaker)] = []
    moderators: Annotated[list[ActorId], Rdf(EKIP.hasModerator)] = []
    participant_types: Annotated[list[ActorType], Rdf(EKIP.participantType)] = []
    participant_count: Annotated[
        Count | None, Rdf(EKIP.participantCount, datatype=XSD.nonNegativeInteger)
    ] = None
    part_of: Annotated[AnyEventId | None, Rdf(EKIP.partOfEvent)] = None
    builds_on: Annotated[list[EarlierWorkId], Rdf(EKIP.buildsOn)] = []
    project: Annotated[ProjectId | None, Rdf(EKIP.partOfProject)] = None
    url: Annotated[Url | None, Rdf(SDO.url)] = None
    description: Description = None
    sources: Sources


class PolicyLab(EventBase):
    KIND = "policy-lab"
    RDF_TYPES = (EKIP.PolicyLab,)

    policy_areas: PolicyAreas
    held_in: Annotated[CityId | None, Rdf(EKIP.heldIn)] = None


class Workshop(EventBase):
    KIND = "workshop"
    RDF_TYPES = (EKIP.PolicyAssessmentWorkshop,)

    policy_areas: PolicyAreas
    city: Annotated[CityId, Rdf(EKIP.heldIn)]


class Event(EventBase):
    """Any other event (data/shared/events.yaml): its ``type`` says which."""

    KIND = "event"

    type: EventType
    # Several places for an event held in two cities at once (ekip's kick-off).
    held_in: Annotated[list[PlaceId], Rdf(EKIP.heldIn)] = []

    def rdf_types(self) -> tuple[URIRef, ...]:
        return (EVENT_CLASSES[self.type],)


class Recommendation(SharedEntity):
    KIND = "recommendation"
    RDF_TYPES = (EKIP.PolicyRecommendation,)

    title: Title
    # Only what the source says: left out where no source gives a status.
    status: Annotated[RecommendationStatus | None, Rdf(EKIP.recommendationStatus)] = None
    policy_areas: PolicyAreas
    levels: Annotated[list[RecommendationLevel], Rdf(EKIP.addressedToLevel)] = []
    text: Annotated[Text | None, Rdf(EKIP.recommendationText)] = None
    drafted_in: Annotated[PolicyLabId | None, Rdf(EKIP.draftedIn)] = None
    builds_on: Annotated[list[EarlierWorkId], Rdf(EKIP.buildsOn)] = []
    resource_types: ResourceTypes = []
    sectors: Sectors = []
    year: Annotated[Year | None, Rdf(EKIP.publicationYear, datatype=XSD.integer)] = None
    sources: Sources


@dataclass(frozen=True)
class SharedFile:
    """One file under data/shared/: its name, the key of its list and the model of an entry."""

    file_name: str
    key: str
    model: type[SharedEntity] | type[Source]

    @property
    def kind(self) -> str:
        return self.model.KIND


#: the shared files, in the order they are read (what is referred to comes first)
SHARED_FILES: tuple[SharedFile, ...] = (
    SharedFile("sources.yaml", "sources", Source),
    SharedFile("countries.yaml", "countries", Country),
    SharedFile("cities.yaml", "cities", City),
    SharedFile("projects.yaml", "projects", Project),
    SharedFile("organisations.yaml", "organisations", Organisation),
    SharedFile("people.yaml", "people", Person),
    SharedFile("policy-labs.yaml", "policy_labs", PolicyLab),
    SharedFile("workshops.yaml", "workshops", Workshop),
    SharedFile("events.yaml", "events", Event),
    SharedFile("recommendations.yaml", "recommendations", Recommendation),
)
SHARED_KINDS: tuple[str, ...] = tuple(f.kind for f in SHARED_FILES)


# ---------------------------------------------------------------------------------------
# A City Case Description (data/cases/<id>.yaml) and its parts


class Involvement(Model):
    """An actor and its role; named after the actor (``<owner>-<actor>`` inside a portfolio
    or an item)."""

    PART: ClassVar[str] = "involvement"
    RDF_TYPES = (EKIP.ActorInvolvement,)

    actor: Annotated[ActorId, Rdf(EKIP.involvedActor)]
    role: Annotated[Text | None, Rdf(EKIP.roleDescription)] = None
    sources: Sources


Involvements = Annotated[list[Involvement], Rdf(EKIP.hasInvolvement)]


class Part(Model):
    """A part of a case with its own id, at ``…/id/case/<case>/<PART>/<id>``."""

    PART: ClassVar[str]

    id: Slug
    not_stated: NotStated = []


ITEM_CLASSES: dict[str, URIRef] = {
    "idea": EKIP.Idea,
    "project": EKIP.InnovationProject,
    "initiative": EKIP.Initiative,
}


class Item(Part):
    PART = "item"

    kind: ItemKind
    title: Name
    description: Description = None
    zone: Annotated[Zone | None, Rdf(EKIP.inZone)] = None
    facets: Facets = []
    layer: Annotated[Layer | None, Rdf(EKIP.fundedAtLayer)] = None
    sectors: Sectors = []
    actors: Involvements = []
    sources: Sources

    def rdf_types(self) -> tuple[URIRef, ...]:
        return (ITEM_CLASSES[self.kind],)


class Portfolio(Part):
    PART = "portfolio"
    RDF_TYPES = (EKIP.InnovationPortfolio,)

    title: Name
    description: Description = None
    sectors: Sectors = []
    facets: Facets = []
    actors: Involvements = []
    sources: Sources
    items: Annotated[list[Item], Rdf(EKIP.hasItem)] = []


class Need(Part):
    PART = "need"
    RDF_TYPES = (EKIP.ResourceNeed,)

    # Both required, unless the sources do not say (not_stated).
    resource_type: Annotated[ResourceType | None, Rdf(EKIP.needsResourceType), NonEmpty()] = None
    status: Annotated[AvailabilityStatus | None, Rdf(EKIP.availability), NonEmpty()] = None
    needed_for: Annotated[Slug, PartRef("portfolio", "item"), Rdf(EKIP.neededFor)] = Field(
        alias="for"
    )
    providers: Annotated[list[ActorId], Rdf(EKIP.potentialProvider)] = []
    description: Annotated[Text | None, Rdf(EKIP.needDescription)] = None
    sources: Sources


class Finding(Part):
    # Required, unless the sources do not say (not_stated: [resource_type]).
    resource_type: Annotated[ResourceType | None, Rdf(EKIP.concernsResourceType), NonEmpty()] = None
    description: Annotated[Text | None, Rdf(EKIP.findingDescription)] = None
    sources: Sources


class Strength(Finding):
    PART = "strength"
    RDF_TYPES = (EKIP.Strength,)


class Gap(Finding):
    PART = "gap"
    RDF_TYPES = (EKIP.Gap,)


# City names its context strengths and gaps before they are defined.
City.model_rebuild()


class Stimulus(Part):
    PART = "stimulus"
    RDF_TYPES = (EKIP.LocalStimulus,)

    recommendation: Annotated[RecommendationId, Rdf(EKIP.stimulatedBy)]
    description: Annotated[Text | None, Rdf(EKIP.stimulusDescription)] = None
    sources: Sources


class Case(Model):
    """A City Case Description, at ``…/id/case/<id>`` in its own named graph."""

    KIND: ClassVar[str] = "case"
    RDF_TYPES = (EKIP.CityCaseDescription,)

    id: Slug
    title: Title
    city: Annotated[CityId, Rdf(EKIP.aboutCity)]
    policy_areas: PolicyAreas
    sectors: Sectors = []
    year: Annotated[Year | None, Rdf(EKIP.publicationYear, datatype=XSD.integer)] = None
    url: Annotated[Url | None, Rdf(SDO.url)] = None
    workshop: Annotated[WorkshopId | None, Rdf(EKIP.producedBy)] = None
    builds_on: Annotated[list[EarlierWorkId], Rdf(EKIP.buildsOn)] = []
    # Not a fact of the case but of the file: it goes into the graph's provenance.
    recorded: Day
    # Both required, unless the sources do not say (not_stated: [viewpoint]).
    viewpoint: Annotated[Text | None, Rdf(EKIP.viewpointStatement), NonEmpty()] = None
    summary: Annotated[Text | None, Rdf(EKIP.contextSummary), NonEmpty()] = None
    tests_recommendations: Annotated[list[RecommendationId], Rdf(EKIP.testsRecommendation)] = []
    not_stated: NotStated = []
    sources: Sources
    actors: Involvements = []
    portfolios: Annotated[list[Portfolio], Rdf(EKIP.describesPortfolio)] = []
    needs: Annotated[list[Need], Rdf(EKIP.identifiesNeed)] = []
    strengths: Annotated[list[Strength], Rdf(EKIP.identifiesStrength)] = []
    gaps: Annotated[list[Gap], Rdf(EKIP.identifiesGap)] = []
    stimuli: Annotated[list[Stimulus], Rdf(EKIP.anticipatesStimulus)] = []


def part_id(part: Part | Involvement, owner: Model) -> str:
    """The id of a case part; involvements are named after their actor (and owner)."""
    if isinstance(part, Involvement):
        if isinstance(owner, Portfolio | Item):
            return f"{owner.id}-{part.actor}"
        return part.actor
    return part.id


def part_iri(case_id: str, part: Part | Involvement, owner: Model) -> URIRef:
    return instance_iri(f"case/{case_id}/{part.PART}", part_id(part, owner))


def nested_iri(owner: URIRef, part: Part | Membership) -> URIRef:
    """The IRI of a part of a shared entity: ``…/id/city/kosice/gap/no-funding``,
    ``…/id/person/paul-hekkert/membership/ekip-validator``."""
    return URIRef(f"{owner}/{part.PART}/{part.id}")


def statable_keys(model: type[Model]) -> dict[str, URIRef]:
    """The keys ``not_stated`` may name, with the property each is written as."""
    return {
        spec.key: spec.rdf.predicates[0]
        for spec in field_specs(model)
        if spec.rdf is not None and not spec.key_names and spec.key != "sources"
    }


# ---------------------------------------------------------------------------------------
# What each field means, read once per model from its markers


@dataclass(frozen=True)
class FieldSpec:
    name: str  # the attribute
    key: str  # the YAML key
    many: bool  # a list of values
    required: bool
    rdf: Rdf | None
    ref: Ref | None
    part_ref: PartRef | None
    concept: Concept | None
    cited: bool
    iri: bool
    non_empty: bool
    choice: Choice | None  # a word standing for an IRI
    key_names: bool  # names of other keys (not_stated)
    child: type[Model] | None  # the model of nested values


def _unwrap(annotation: Any, metadata: list[Any]) -> tuple[Any, bool, list[Any]]:
    """Strip Optional, list and Annotated; return the innermost type, whether it is a list,
    and every marker found on the way."""
    many = False
    found = list(metadata)
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = get_args(annotation)
            found.extend(extra)
        elif origin is list:
            many = True
            annotation = get_args(annotation)[0]
        elif origin is Union or origin is types.UnionType:
            options = [a for a in get_args(annotation) if a is not type(None)]
            annotation = options[0]
        else:
            return annotation, many, found


def _first(markers: list[Any], kind: type) -> Any:
    return next((m for m in markers if isinstance(m, kind)), None)


@cache
def field_specs(model: type[Model]) -> tuple[FieldSpec, ...]:
    specs = []
    for name, info in model.model_fields.items():
        inner, many, markers = _unwrap(info.annotation, list(info.metadata))
        child = inner if isinstance(inner, type) and issubclass(inner, Model) else None
        specs.append(
            FieldSpec(
                name=name,
                key=info.alias or name,
                many=many,
                required=info.is_required(),
                rdf=_first(markers, Rdf),
                ref=_first(markers, Ref),
                part_ref=_first(markers, PartRef),
                concept=_first(markers, Concept),
                cited=_first(markers, Cited) is not None,
                iri=_first(markers, AsIri) is not None,
                non_empty=_first(markers, NonEmpty) is not None,
                choice=_first(markers, Choice),
                key_names=_first(markers, KeyNames) is not None,
                child=child,
            )
        )
    return tuple(specs)


def keys_of(model: type[Model]) -> list[str]:
    """The YAML keys a model accepts (base class fields first)."""
    return [spec.key for spec in field_specs(model)]


def field_values(spec: FieldSpec, value: Any, path: tuple) -> Iterator[tuple[tuple, Any]]:
    """(path, value) of each value of a field: one for a single value, one per list item."""
    if value is None:
        return
    if spec.many:
        for index, item in enumerate(value):
            yield (*path, index), item
    else:
        yield path, value


def child_model(model: type[Model], key: str) -> type[Model] | None:
    """The model of the values under ``key`` of ``model`` (for error messages)."""
    for spec in field_specs(model):
        if spec.key == key:
            return spec.child
    return None
