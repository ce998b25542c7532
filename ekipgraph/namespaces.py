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

#: The kinds of instance ekip mints, each with its own prefix (``city:lund``).
INSTANCE_KINDS = (
    "case",
    "city",
    "country",
    "organisation",
    "person",
    "project",
    "policy-lab",
    "workshop",
    "event",
    "recommendation",
)
#: The concept schemes, each with its own prefix (``resource-type:seed-funding``).
SCHEMES = (
    "actor-role",
    "actor-type",
    "availability-status",
    "cci-sector",
    "essnet-culture-domain",
    "innovation-zone",
    "liept-layer",
    "opsi-facet",
    "policy-area",
    "recommendation-level",
    "recommendation-status",
    "resource-type",
    "source-kind",
    "unesco-creative-field",
    "unesco-fcs-domain",
)

#: The one prefix table of ekipgraph: bound in every graph it writes, implicit in every
#: SPARQL query a user writes (a query's own PREFIX declaration wins), and used to show IRIs.
PREFIXES: dict[str, str] = {
    "ekip": str(EKIP),
    "ekipv": VOCAB_BASE,
    "ekipid": ID_BASE,
    "ekipg": GRAPH_BASE,
    "patterns": BASE + "patterns#",
    **{kind: f"{ID_BASE}{kind}/" for kind in INSTANCE_KINDS},
    **{scheme: f"{VOCAB_BASE}{scheme}/" for scheme in SCHEMES},
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "schema": "https://schema.org/",
    "void": str(VOID),
    "sd": str(SD),
    "vann": str(VANN),
    "bibo": str(BIBO),
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}

# PN_LOCAL of SPARQL 1.1 / Turtle without escapes: what may follow ``prefix:`` as is.
_PN_CHARS_U = (
    "A-Za-z_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
)
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PN_LOCAL = re.compile(f"[{_PN_CHARS_U}:0-9](?:[{_PN_CHARS}.:]*[{_PN_CHARS}:])?")


def is_local_name(text: str) -> bool:
    """True when ``prefix:text`` is a valid prefixed name in SPARQL and Turtle as written
    (``lund-ai`` is, ``lund-ai/need/x`` is not)."""
    return text == "" or bool(_PN_LOCAL.fullmatch(text))


def prefixed_name(iri: str, prefixes: dict[str, str] | None = None) -> str | None:
    """``city:lund`` for an IRI under a known namespace, the longest namespace whose local
    part is a valid prefixed name; ``None`` when there is none (show ``<iri>`` then)."""
    for prefix, namespace in sorted((prefixes or PREFIXES).items(), key=lambda i: -len(i[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace) :]
            if is_local_name(local):
                return f"{prefix}:{local}"
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
