"""Which concept ids exist in which SKOS scheme, read from ontology/vocab/<scheme>.ttl."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from ekipgraph.namespaces import VOCAB_BASE, concept_iri, scheme_iri
from ekipgraph.ontology import Vocabulary, load_vocabularies
from ekipgraph.project import ProjectLayout


@dataclass(frozen=True)
class ConceptIndex:
    """Concept ids per scheme, each scheme's ids in the order its file defines them."""

    schemes: Mapping[str, tuple[str, ...]]
    files: Mapping[str, Path] = field(default_factory=dict)

    @classmethod
    def from_vocabularies(cls, vocabularies: Iterable[Vocabulary]) -> ConceptIndex:
        schemes: dict[str, tuple[str, ...]] = {}
        files: dict[str, Path] = {}
        for vocabulary in vocabularies:
            text = _read(vocabulary.path)
            schemes[vocabulary.name] = _concepts(vocabulary.name, vocabulary.graph, text)
            files[vocabulary.name] = vocabulary.path
        return cls(schemes, files)

    @classmethod
    def from_layout(cls, layout: ProjectLayout) -> ConceptIndex:
        return cls.from_vocabularies(load_vocabularies(layout))

    def __repr__(self) -> str:
        return f"ConceptIndex({len(self.schemes)} schemes)"

    def has(self, scheme: str, concept: str) -> bool:
        return concept in self.schemes.get(scheme, ())

    def concepts(self, scheme: str) -> tuple[str, ...]:
        return self.schemes.get(scheme, ())

    def schemes_with(self, concept: str) -> list[str]:
        return sorted(name for name, ids in self.schemes.items() if concept in ids)

    def iri(self, scheme: str, concept: str) -> URIRef:
        return concept_iri(scheme, concept)

    def is_known_iri(self, iri: str) -> bool:
        """True for a known scheme or concept IRI under https://w3id.org/ekip/vocab/."""
        rest = iri[len(VOCAB_BASE) :] if iri.startswith(VOCAB_BASE) else None
        if rest is None:
            return False
        scheme, _, concept = rest.partition("/")
        return scheme in self.schemes and (not concept or concept in self.schemes[scheme])


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def _concepts(scheme: str, graph: Graph, text: str) -> tuple[str, ...]:
    prefix = f"{VOCAB_BASE}{scheme}/"
    members = set(graph.subjects(SKOS.inScheme, scheme_iri(scheme)))
    members |= set(graph.subjects(RDF.type, SKOS.Concept))
    ids = {str(m)[len(prefix) :] for m in members if str(m).startswith(prefix)}
    ids = {i for i in ids if i and "/" not in i}

    # Error messages list a small scheme's concepts in the order the file defines them
    # (available, partial, missing), which reads better than the alphabet.
    def position(concept: str) -> tuple[int, str]:
        full, local = re.escape(prefix + concept), re.escape(concept)
        match = re.search(rf"(?m)^\s*(?:<{full}>|[\w-]*:{local})\s", text)
        return (match.start() if match else len(text), concept)

    return tuple(sorted(ids, key=position))
