"""The IRIs of ekipgraph, kept in one place.

Everything ekip mints lives under one base (a w3id.org permanent identifier):
the ontology (a hash namespace), the SKOS concept schemes and the instance data
(slash namespaces, one document per thing).
"""

from __future__ import annotations

from rdflib import Namespace, URIRef

from ekipgraph.prefixes import (  # noqa: F401  (the plain-string table, re-exported)
    BASE,
    GRAPH_BASE,
    ID_BASE,
    INSTANCE_KINDS,
    PREFIXES,
    SCHEMES,
    VOCAB_BASE,
    is_local_name,
    is_slug,
    prefixed_name,
)
from ekipgraph.prefixes import BIBO_NAMESPACE as _BIBO
from ekipgraph.prefixes import ONTOLOGY_NAMESPACE as _ONTOLOGY
from ekipgraph.prefixes import PATTERNS_NAMESPACE as _PATTERNS
from ekipgraph.prefixes import SD_NAMESPACE as _SD
from ekipgraph.prefixes import VANN_NAMESPACE as _VANN
from ekipgraph.prefixes import VOID_NAMESPACE as _VOID

ONTOLOGY_IRI = URIRef(BASE + "ontology")
EKIP = Namespace(_ONTOLOGY)

ONTOLOGY_VERSION = "0.1.0"
ONTOLOGY_VERSION_IRI = URIRef(f"{BASE}ontology/{ONTOLOGY_VERSION}")

#: The terms of the analysis results: a module of its own (``ontology/patterns.ttl``).
PATTERNS_ONTOLOGY_IRI = URIRef(BASE + "patterns")
EKIPP = Namespace(_PATTERNS)

VANN = Namespace(_VANN)
BIBO = Namespace(_BIBO)
VOID = Namespace(_VOID)
SD = Namespace(_SD)


def module_iri(name: str) -> URIRef:
    """The IRI of an ontology module, ``ontology/<name>.ttl``: ``https://w3id.org/ekip/<name>``."""
    return URIRef(BASE + name)


def module_namespace(name: str) -> str:
    """The namespace of a module's terms: its IRI and ``#``."""
    return f"{module_iri(name)}#"


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
