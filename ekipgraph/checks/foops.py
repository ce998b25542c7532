"""The 16 FOOPS! checks that need only the ontology file, with FOOPS! IDs and semantics.

Ported from ``oeg-upm/fair_ontologies`` (``entities/Ontology.java`` lists which
properties count as which metadata; ``fair/Constants.java`` the lists and messages).
The 8 checks that need the network (CN1, DOC1, FIND2, FIND3, FIND_3_BIS, OM4.2, URI1,
VER2) are out of scope here. URI2 compares the ontology IRI with the constant IRI the
project publishes under, instead of the IRI the file was downloaded from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlparse

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DC, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS

from ekipgraph.checks.context import IAO_ALTERNATIVE_LABEL, IAO_DEFINITION, CheckedGraph
from ekipgraph.checks.model import FAIL, PASS, Family, Finding
from ekipgraph.namespaces import BIBO, ONTOLOGY_IRI, VANN

SCHEMA = Namespace("https://schema.org/")
SCHEMA_HTTP = Namespace("http://schema.org/")
PAV = Namespace("http://purl.org/pav/")
DOAP = Namespace("http://usefulinc.com/ns/doap#")
CC = Namespace("http://creativecommons.org/ns#")
MOD = Namespace("https://w3id.org/mod#")


def _both_schemas(local: str) -> tuple[URIRef, URIRef]:
    return SCHEMA[local], SCHEMA_HTTP[local]


# Which header properties FOOPS! accepts for each piece of metadata (Ontology.java).
METADATA_PROPERTIES: dict[str, tuple[URIRef, ...]] = {
    "title": (DC.title, DCTERMS.title, *_both_schemas("name")),
    "description": (
        DCTERMS.abstract,
        DCTERMS.description,
        DC.description,
        *_both_schemas("description"),
        RDFS.comment,
        DOAP.description,
        DOAP.shortdesc,
        SKOS.note,
    ),
    "license": (DCTERMS.license, *_both_schemas("license"), DOAP.license, CC.license),
    "rights": (DC.rights, DCTERMS.rights, DCTERMS.accessRights),
    "version iri": (OWL.versionIRI,),
    "author": (
        DC.creator,
        DCTERMS.creator,
        *_both_schemas("creator"),
        PAV.createdBy,
        PAV.authoredBy,
        FOAF.maker,
        PROV.wasAttributedTo,
        DOAP.developer,
    ),
    "contributor": (
        DC.contributor,
        DCTERMS.contributor,
        *_both_schemas("contributor"),
        PAV.contributedBy,
        DOAP.documenter,
        DOAP.maintainer,
        DOAP.helper,
        DOAP.translator,
    ),
    "publisher": (DC.publisher, DCTERMS.publisher, *_both_schemas("publisher")),
    "namespace URI": (VANN.preferredNamespaceUri,),
    "namespace prefix": (VANN.preferredNamespacePrefix,),
    "version info": (OWL.versionInfo, *_both_schemas("schemaVersion")),
    "creation date": (
        DCTERMS.created,
        *_both_schemas("dateCreated"),
        DOAP.created,
        PROV.generatedAtTime,
        PAV.createdOn,
    ),
    "citation": (DCTERMS.bibliographicCitation,),
    "doi": (BIBO.doi,),
    "logo": (FOAF.logo, *_both_schemas("logo")),
    "status": (BIBO.status, MOD.status),
    # FOOPS! looks for prov:hadOriginalSource and dcterms:submitted, which do not exist;
    # we accept the real terms prov:hadPrimarySource and dcterms:dateSubmitted instead.
    "source": (DC.source, DCTERMS.source, PROV.hadPrimarySource),
    "issued": (
        DCTERMS.issued,
        DCTERMS.dateSubmitted,
        *_both_schemas("releaseDate"),
        *_both_schemas("datePublished"),
    ),
    "previous version": (
        DCTERMS.replaces,
        PROV.wasRevisionOf,
        OWL.priorVersion,
        PAV.previousVersion,
    ),
    "backwards compatibility": (OWL.backwardCompatibleWith,),
    "modified": (DCTERMS.modified, *_both_schemas("dateModified")),
}
IDENTIFIER_PROPERTIES = (DCTERMS.identifier, *_both_schemas("identifier"))

MINIMUM_METADATA = ("title", "description", "license", "version iri", "author", "namespace URI")
RECOMMENDED_METADATA = ("namespace prefix", "version info", "creation date", "citation")
DETAILED_METADATA = ("doi", "publisher", "logo", "status", "source", "issued")
BASIC_PROVENANCE = ("creation date", "author")
DETAILED_PROVENANCE = ("issued", "publisher")
# Checked and reported, but FOOPS! does not fail an ontology for lacking them.
UNPENALISED = {
    "OM2": ("contributor",),
    "OM3": ("previous version", "backwards compatibility", "modified"),
    "OM5.1": ("contributor", "previous version"),
}

#: Hosts of persistent-URL services FOOPS! PURL1 recognises.
PERSISTENT_URL_HOSTS = frozenset(
    {
        "w3id.org",
        "doi.org",
        "purl.org",
        "linked.data.gov.au",
        "dbpedia.org",
        "www.w3.org",
        "perma.cc",
        "data.europa.eu",
    }
)

#: Namespaces FOOPS! VOC1 accepts for header metadata (Constants.VOCS_REUSE_METADATA).
METADATA_VOCABULARIES = (
    str(DC),
    str(SCHEMA_HTTP),
    str(SCHEMA),
    str(DCTERMS),
    str(VANN),
    str(PROV),
    str(BIBO),
    str(PAV),
    str(FOAF),
    str(RDFS),
    str(OWL),
    str(DOAP),
)
#: Namespaces whose reuse does not count for VOC2 (FOOPS! ignores the language itself).
LANGUAGE_NAMESPACES = (
    str(RDF),
    str(RDFS),
    str(OWL),
    "http://www.w3.org/2001/XMLSchema#",
)

LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, IAO_ALTERNATIVE_LABEL)
DESCRIPTION_PROPERTIES = (RDFS.comment, SKOS.definition, IAO_DEFINITION)

TITLES = {
    "FIND1": "Ontology prefix",
    "HTTP1": "Open protocol",
    "OM1": "Minimum metadata",
    "OM2": "Recommended metadata",
    "OM3": "Detailed metadata",
    "OM4.1": "License availability",
    "OM5.1": "Basic provenance metadata",
    "OM5.2": "Detailed provenance metadata",
    "PURL1": "Persistent URL",
    "RDF1": "RDF availability",
    "URI2": "Consistent ontology IDs",
    "VER1": "Version IRI",
    "VOC1": "Vocabulary reuse (metadata)",
    "VOC2": "Vocabulary reuse",
    "VOC3": "Documentation: labels",
    "VOC4": "Documentation: definitions",
}


def _finding(ctx: CheckedGraph, check_id: str, passed: bool, message: str, terms=()) -> Finding:
    return Finding(
        family=Family.FOOPS,
        id=check_id,
        title=TITLES[check_id],
        level=PASS if passed else FAIL,
        passed=passed,
        message=message,
        terms=tuple(sorted(str(t) for t in terms)),
        source=ctx.source,
    )


def present_metadata(ctx: CheckedGraph) -> set[str]:
    """The names of the header metadata items the ontology declares."""
    found = {name for name, props in METADATA_PROPERTIES.items() if ctx.header_values(props)}
    # FOOPS! also takes a DOI given as an identifier.
    if any("doi." in str(v) for v in ctx.header_values(IDENTIFIER_PROPERTIES)):
        found.add("doi")
    return found


def _metadata_check(
    ctx: CheckedGraph, check_id: str, required: tuple[str, ...], what: str
) -> Finding:
    found = present_metadata(ctx)
    missing = [name for name in required if name not in found]
    optional_missing = [n for n in UNPENALISED.get(check_id, ()) if n not in found]
    note = f" (not penalised: no {', '.join(optional_missing)})" if optional_missing else ""
    if missing:
        return _finding(
            ctx, check_id, False, f"The following {what} was not found: {', '.join(missing)}{note}"
        )
    return _finding(ctx, check_id, True, f"All {what} found: {', '.join(required)}{note}")


def find1_prefix(ctx: CheckedGraph) -> Finding:
    prefixes = ctx.header_values([VANN.preferredNamespacePrefix])
    if prefixes:
        return _finding(ctx, "FIND1", True, f"Prefix declaration found: {prefixes[0]!s}")
    return _finding(
        ctx, "FIND1", False, "Prefix declaration not found (vann:preferredNamespacePrefix)"
    )


def http1_open_protocol(ctx: CheckedGraph) -> Finding:
    iri = ctx.ontology_iri
    if iri is not None and urlparse(str(iri)).scheme in ("http", "https"):
        return _finding(ctx, "HTTP1", True, f"The ontology IRI <{iri}> uses an open protocol")
    return _finding(
        ctx, "HTTP1", False, f"The ontology IRI {_iri_text(iri)} does not use http or https"
    )


def om1_minimum_metadata(ctx: CheckedGraph) -> Finding:
    return _metadata_check(ctx, "OM1", MINIMUM_METADATA, "minimum metadata")


def om2_recommended_metadata(ctx: CheckedGraph) -> Finding:
    return _metadata_check(ctx, "OM2", RECOMMENDED_METADATA, "recommended metadata")


def om3_detailed_metadata(ctx: CheckedGraph) -> Finding:
    finding = _metadata_check(ctx, "OM3", DETAILED_METADATA, "detailed metadata")
    if (
        not finding.passed
        and finding.message.split(": ", 1)[1].startswith("doi")
        and ("," not in finding.message.split(": ", 1)[1].split(" (")[0])
    ):
        # A DOI is minted when a version is deposited (e.g. on Zenodo); it cannot be written
        # before that, and must never be invented. FOOPS! would score this as failed; we report
        # it without failing the run until the first deposit.
        return replace(
            finding,
            advisory=True,
            message=finding.message + "; no DOI is minted before the first deposited release",
        )
    return finding


def om4_1_license(ctx: CheckedGraph) -> Finding:
    licences = ctx.header_values(METADATA_PROPERTIES["license"])
    if licences:
        return _finding(ctx, "OM4.1", True, f"A license was found: {licences[0]!s}")
    rights = ctx.header_values(METADATA_PROPERTIES["rights"])
    if rights:
        return _finding(
            ctx, "OM4.1", True, f"A license was not found, but a rights statement: {rights[0]!s}"
        )
    return _finding(ctx, "OM4.1", False, "License or rights not found (e.g. dcterms:license)")


def om5_1_basic_provenance(ctx: CheckedGraph) -> Finding:
    return _metadata_check(ctx, "OM5.1", BASIC_PROVENANCE, "basic provenance metadata")


def om5_2_detailed_provenance(ctx: CheckedGraph) -> Finding:
    return _metadata_check(ctx, "OM5.2", DETAILED_PROVENANCE, "detailed provenance metadata")


def purl1_persistent_url(ctx: CheckedGraph) -> Finding:
    iri = ctx.ontology_iri
    host = urlparse(str(iri)).hostname if iri is not None else None
    if host in PERSISTENT_URL_HOSTS:
        return _finding(ctx, "PURL1", True, f"The ontology IRI is persistent ({host})")
    hosts = ", ".join(sorted(PERSISTENT_URL_HOSTS))
    return _finding(
        ctx,
        "PURL1",
        False,
        f"The ontology IRI {_iri_text(iri)} is not on a persistent-URL service ({hosts})",
    )


def rdf1_availability(path: Path) -> tuple[Graph | None, Finding]:
    """Parse ``path``; RDF1 passes when it parses as RDF. Returns the graph (or None)."""
    ctx_source = str(path)
    graph = Graph()
    try:
        graph.parse(path)
    except Exception as error:  # rdflib raises many unrelated types for bad syntax
        finding = Finding(
            Family.FOOPS,
            "RDF1",
            TITLES["RDF1"],
            FAIL,
            False,
            f"The ontology is not available in RDF: {path.name} does not parse ({error})",
            source=ctx_source,
        )
        return None, finding
    return graph, rdf1_from_graph(CheckedGraph(graph, ctx_source), path)


def rdf1_from_graph(ctx: CheckedGraph, path: Path) -> Finding:
    return _finding(
        ctx,
        "RDF1",
        True,
        f"Ontology available in RDF: {path.name} parses ({len(ctx.graph)} triples)",
    )


def uri2_consistent_ids(ctx: CheckedGraph, expected_iri: URIRef = ONTOLOGY_IRI) -> Finding:
    iri = ctx.ontology_iri
    if iri == expected_iri:
        return _finding(ctx, "URI2", True, f"The ontology IRI equals <{expected_iri}>")
    return _finding(
        ctx,
        "URI2",
        False,
        f"The ontology IRI {_iri_text(iri)} differs from <{expected_iri}>, "
        "the IRI the ontology is published under",
    )


def ver1_version_iri(ctx: CheckedGraph) -> Finding:
    versions = ctx.header_values([OWL.versionIRI])
    if not versions:
        return _finding(ctx, "VER1", False, "Version IRI not found (owl:versionIRI)")
    if ctx.ontology_iri in versions:
        return _finding(
            ctx,
            "VER1",
            False,
            f"Version IRI <{ctx.ontology_iri}> is the same as the ontology IRI; "
            "it must identify this version",
        )
    return _finding(ctx, "VER1", True, f"Version IRI <{versions[0]}> differs from the ontology IRI")


def voc1_metadata_reuse(ctx: CheckedGraph) -> Finding:
    if ctx.ontology_iri is None:
        return _finding(ctx, "VOC1", False, "No ontology header, so no metadata to assess")
    predicates = set(ctx.graph.predicates(ctx.ontology_iri))
    reused = sorted(
        {ns for p in predicates for ns in METADATA_VOCABULARIES if str(p).startswith(ns)}
    )
    if reused:
        return _finding(
            ctx, "VOC1", True, "Metadata reuses existing vocabularies: " + ", ".join(reused)
        )
    return _finding(ctx, "VOC1", False, "The ontology does not reuse vocabularies for metadata")


def reused_namespaces(ctx: CheckedGraph) -> set[str]:
    """Namespaces (other than ours and the RDF/OWL language) of classes and properties that
    the ontology's axioms use; annotation properties on terms do not count, as in FOOPS!."""
    found = set()
    for term in ctx.used_as_class | ctx.axiom_properties:
        text = str(term)
        if ctx.is_own(term) or text.startswith(LANGUAGE_NAMESPACES):
            continue
        cut = max(text.rfind("#"), text.rfind("/"))
        found.add(text[: cut + 1])
    return found


def voc2_vocabulary_reuse(ctx: CheckedGraph) -> Finding:
    imports = ctx.header_values([OWL.imports])
    if imports:
        return _finding(
            ctx, "VOC2", True, "The ontology imports: " + ", ".join(sorted(map(str, imports)))
        )
    reused = sorted(reused_namespaces(ctx))
    if reused:
        return _finding(
            ctx,
            "VOC2",
            True,
            "The ontology reuses/extends existing vocabularies: " + ", ".join(reused),
        )
    return _finding(ctx, "VOC2", False, "Could not find any imported or reused vocabularies")


def _coverage(ctx: CheckedGraph, check_id: str, predicates, what: str) -> Finding:
    terms = ctx.vocabulary_terms
    missing = {t for t in terms if not ctx.has_literal(t, predicates)}
    if not terms:
        return _finding(ctx, check_id, False, "The ontology declares no classes or properties")
    share = 100 * (len(terms) - len(missing)) / len(terms)
    if missing:
        return _finding(
            ctx,
            check_id,
            False,
            f"{what[0].upper()}{what[1:]} found for {share:.0f}% of {len(terms)} terms; "
            f"missing on: {ctx.show_all(missing)}",
            missing,
        )
    return _finding(
        ctx, check_id, True, f"{what[0].upper()}{what[1:]} found for all {len(terms)} terms"
    )


def voc3_labels(ctx: CheckedGraph) -> Finding:
    return _coverage(ctx, "VOC3", LABEL_PROPERTIES, "labels (rdfs:label or skos:prefLabel)")


def voc4_descriptions(ctx: CheckedGraph) -> Finding:
    return _coverage(
        ctx, "VOC4", DESCRIPTION_PROPERTIES, "descriptions (rdfs:comment or skos:definition)"
    )


def _iri_text(iri: URIRef | None) -> str:
    return f"<{iri}>" if iri is not None else "(none: no named owl:Ontology)"


GRAPH_CHECKS: tuple[Callable[[CheckedGraph], Finding], ...] = (
    find1_prefix,
    http1_open_protocol,
    om1_minimum_metadata,
    om2_recommended_metadata,
    om3_detailed_metadata,
    om4_1_license,
    om5_1_basic_provenance,
    om5_2_detailed_provenance,
    purl1_persistent_url,
    uri2_consistent_ids,
    ver1_version_iri,
    voc1_metadata_reuse,
    voc2_vocabulary_reuse,
    voc3_labels,
    voc4_descriptions,
)


def run(ctx: CheckedGraph, path: Path, expected_iri: URIRef = ONTOLOGY_IRI) -> list[Finding]:
    """All 16 file-only FOOPS! checks on a parsed ontology, in FOOPS! ID order."""
    findings = [rdf1_from_graph(ctx, path)]
    for check in GRAPH_CHECKS:
        if check is uri2_consistent_ids:
            findings.append(uri2_consistent_ids(ctx, expected_iri))
        else:
            findings.append(check(ctx))
    return sorted(findings, key=lambda f: f.id)
