"""The IRIs of ekipgraph, kept in one place.

Everything ekip mints lives under one base (a w3id.org permanent identifier):
the ontology (a hash namespace), the SKOS concept schemes and the instance data
(slash namespaces, one document per thing).
"""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef

BASE = "https://w3id.org/ekip/"

ONTOLOGY_IRI = URIRef(BASE + "ontology")
EKIP = Namespace(BASE + "ontology#")
VOCAB_BASE = BASE + "vocab/"
ID_BASE = BASE + "id/"
GRAPH_BASE = BASE + "graph/"

ONTOLOGY_VERSION = "0.1.0"
ONTOLOGY_VERSION_IRI = URIRef(f"{BASE}ontology/{ONTOLOGY_VERSION}")

VANN = Namespace("http://purl.org/vocab/vann/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

#: Prefixes bound in every graph ekipgraph writes.
PREFIXES: dict[str, str] = {
    "ekip": str(EKIP),
    "ekipv": VOCAB_BASE,
    "ekipid": ID_BASE,
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "schema": "https://schema.org/",
    "vann": str(VANN),
    "bibo": str(BIBO),
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}


def prefixed_name(iri: str, prefixes: dict[str, str] | None = None) -> str | None:
    """``ekipid:city/lund`` for an IRI under a known namespace (the longest wins), else None."""
    for prefix, namespace in sorted((prefixes or PREFIXES).items(), key=lambda i: -len(i[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return None


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_slug(value: str) -> bool:
    """True for a lower-case, hyphen-separated id such as ``lund-ai``."""
    return bool(_SLUG.fullmatch(value))


def scheme_iri(scheme: str) -> URIRef:
    """The IRI of a concept scheme, e.g. ``scheme_iri("resource-type")``."""
    return URIRef(VOCAB_BASE + scheme)


def concept_iri(scheme: str, concept: str) -> URIRef:
    """The IRI of a concept in a scheme, e.g. ``concept_iri("resource-type", "seed-funding")``."""
    return URIRef(f"{VOCAB_BASE}{scheme}/{concept}")


def instance_iri(kind: str, slug: str) -> URIRef:
    """The IRI of an instance, e.g. ``instance_iri("city", "lund")``."""
    if not is_slug(slug):
        raise ValueError(f"not a valid id: {slug!r} (use lower-case words joined by hyphens)")
    return URIRef(f"{ID_BASE}{kind}/{slug}")


def graph_iri(name: str) -> URIRef:
    """The IRI of a named graph of the dataset, e.g. ``graph_iri("case/lund-ai")``."""
    return URIRef(GRAPH_BASE + name)
