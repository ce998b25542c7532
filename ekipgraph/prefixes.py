"""The project's prefix table and IRI bases as plain strings.

Kept apart from ``ekipgraph.namespaces`` (which gives rdflib terms) so that running a query
needs no rdflib: its import alone costs more than many queries.
"""

from __future__ import annotations

import functools
import re

BASE = "https://w3id.org/ekip/"
ONTOLOGY_NAMESPACE = BASE + "ontology#"
#: the terms of the analysis results (ontology/patterns.ttl)
PATTERNS_NAMESPACE = BASE + "patterns#"
VOCAB_BASE = BASE + "vocab/"
ID_BASE = BASE + "id/"
GRAPH_BASE = BASE + "graph/"
VANN_NAMESPACE = "http://purl.org/vocab/vann/"
BIBO_NAMESPACE = "http://purl.org/ontology/bibo/"
VOID_NAMESPACE = "http://rdfs.org/ns/void#"
SD_NAMESPACE = "http://www.w3.org/ns/sparql-service-description#"
XSD_NAMESPACE = "http://www.w3.org/2001/XMLSchema#"

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
    "ekip": ONTOLOGY_NAMESPACE,
    "ekipv": VOCAB_BASE,
    "ekipid": ID_BASE,
    "ekipg": GRAPH_BASE,
    "ekipp": PATTERNS_NAMESPACE,
    **{kind: f"{ID_BASE}{kind}/" for kind in INSTANCE_KINDS},
    **{scheme: f"{VOCAB_BASE}{scheme}/" for scheme in SCHEMES},
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "schema": "https://schema.org/",
    "void": VOID_NAMESPACE,
    "sd": SD_NAMESPACE,
    "vann": VANN_NAMESPACE,
    "bibo": BIBO_NAMESPACE,
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD_NAMESPACE,
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


def _longest_first(prefixes: dict[str, str]) -> list[tuple[str, str]]:
    return sorted(prefixes.items(), key=lambda item: -len(item[1]))


_PROJECT_LONGEST_FIRST = _longest_first(PREFIXES)


def prefixed_name(iri: str, prefixes: dict[str, str] | None = None) -> str | None:
    """``city:lund`` for an IRI under a known namespace, the longest namespace whose local
    part is a valid prefixed name; ``None`` when there is none (show ``<iri>`` then)."""
    if prefixes is None:
        return _project_prefixed_name(iri)
    return _prefixed_name(iri, _longest_first(prefixes))


@functools.lru_cache(maxsize=65536)
def _project_prefixed_name(iri: str) -> str | None:
    # Result rows repeat the same IRIs (cities, concepts) many times over.
    return _prefixed_name(iri, _PROJECT_LONGEST_FIRST)


def _prefixed_name(iri: str, ordered: list[tuple[str, str]]) -> str | None:
    for prefix, namespace in ordered:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace) :]
            if is_local_name(local):
                return f"{prefix}:{local}"
    return None


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_slug(value: str) -> bool:
    """True for a lower-case, hyphen-separated id such as ``lund-ai``."""
    return bool(_SLUG.fullmatch(value))
