"""The lexicon: every name and label the graph already knows, from the project's own files.

- concepts of the schemes a case description talks about (policy areas, CCI sectors,
  resource types, actor types): every ``skos:prefLabel`` and ``skos:altLabel`` in every
  language, from ``ontology/vocab/<scheme>.ttl``;
- entities of ``data/shared/``: cities, countries, organisations (name in each language,
  short name, alternative labels) and people (name).

Shared files are read leniently: an entry with problems elsewhere still lends its name, and
a broken file only loses its own names (``ekipgraph validate`` reports those problems).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ekipgraph.namespaces import concept_iri, instance_iri
from ekipgraph.project import ProjectLayout

CONCEPT_SCHEMES = ("policy-area", "cci-sector", "resource-type", "actor-type")
# Shared file, its list key, the entity kind, and the keys that hold names.
ENTITY_FILES = (
    ("cities.yaml", "cities", "city", ("name",)),
    ("countries.yaml", "countries", "country", ("name",)),
    ("organisations.yaml", "organisations", "organisation", ("name", "short_name", "alt_labels")),
    ("people.yaml", "people", "person", ("name",)),
)
ENTITY_KINDS = tuple(kind for _, _, kind, _ in ENTITY_FILES)


@dataclass(frozen=True)
class Entry:
    """One label of one known thing.

    ``kind`` is an entity kind (city, country, organisation, person) or ``concept``;
    ``scheme`` is the concept scheme (None for entities); ``language`` is the label's
    language tag (None for a name, which is the same in every language).
    """

    kind: str
    key: str
    label: str
    language: str | None
    scheme: str | None = None
    # a part of a coordinated label ("visibility" of "Market access and visibility")
    partial: bool = False

    @property
    def ref(self) -> str:
        """``organisation/lund-university`` or ``resource-type/test-bed``."""
        return f"{self.scheme or self.kind}/{self.key}"

    @property
    def iri(self) -> str:
        if self.scheme:
            return str(concept_iri(self.scheme, self.key))
        return str(instance_iri(self.kind, self.key))

    @property
    def is_name(self) -> bool:
        return self.scheme is None


@dataclass
class Lexicon:
    entries: list[Entry]
    # resource-type concept -> its broader concept (the hierarchy of skos:broader)
    broader: dict[str, str] = field(default_factory=dict)
    # concept ids per scheme, to check a guessed id exists
    concepts: dict[str, set[str]] = field(default_factory=dict)
    # (actor type, place id) -> the one organisation of that type based there, so that
    # "Lunds kommun" finds Lund Municipality although only its English name is recorded
    local_bodies: dict[tuple[str, str], str] = field(default_factory=dict)

    def entry(self, kind: str, key: str) -> Entry | None:
        """The first label of a known entity."""
        return next((e for e in self.entries if e.kind == kind and e.key == key), None)

    def __len__(self) -> int:
        return len(self.entries)

    def by_kind(self, kind: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.kind == kind]

    def has_concept(self, scheme: str, key: str) -> bool:
        return key in self.concepts.get(scheme, set())


def build_lexicon(layout: ProjectLayout, data_dir: Path | None = None) -> Lexicon:
    """The lexicon of ``layout``'s vocabularies and of ``data_dir`` (default: its data/)."""
    entries: list[Entry] = []
    broader: dict[str, str] = {}
    concepts: dict[str, set[str]] = {}
    for scheme in CONCEPT_SCHEMES:
        path = layout.vocab_dir / f"{scheme}.ttl"
        if path.is_file():
            scheme_entries, scheme_broader = _concept_entries(scheme, path)
            entries.extend(scheme_entries)
            concepts[scheme] = {entry.key for entry in scheme_entries}
            if scheme == "resource-type":
                broader.update(scheme_broader)
    shared = (data_dir or layout.data_dir) / "shared"
    for file_name, list_key, kind, name_keys in ENTITY_FILES:
        entries.extend(_entity_entries(shared / file_name, list_key, kind, name_keys))
    return Lexicon(_unique(entries), broader, concepts, _local_bodies(shared))


def _local_bodies(shared: Path) -> dict[tuple[str, str], str]:
    bodies: dict[tuple[str, str], list[str]] = {}
    for item in _items(shared / "organisations.yaml", "organisations"):
        place, types = item.get("based_in"), item.get("actor_types")
        if isinstance(place, str) and isinstance(types, list):
            for actor_type in types:
                if actor_type in ("municipality", "regional-authority"):
                    bodies.setdefault((actor_type, place), []).append(item["id"])
    return {key: ids[0] for key, ids in bodies.items() if len(ids) == 1}


def _items(path: Path, list_key: str) -> list[dict[str, Any]]:
    from ekipgraph.cases import ProblemList, read_yaml_file

    if not path.is_file():
        return []
    document = read_yaml_file(path, ProblemList())
    data = document.data if document is not None else None
    items = data.get(list_key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    return [i for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)]


def _concept_entries(scheme: str, path: Path) -> tuple[list[Entry], dict[str, str]]:
    from rdflib import Graph
    from rdflib.namespace import SKOS

    from ekipgraph.namespaces import scheme_iri

    graph = Graph()
    graph.parse(path, format="turtle")
    prefix = f"{scheme_iri(scheme)}/"
    entries: list[Entry] = []
    broader: dict[str, str] = {}
    for predicate in (SKOS.prefLabel, SKOS.altLabel):
        for subject, label in graph.subject_objects(predicate):
            iri = str(subject)
            if not iri.startswith(prefix):
                continue  # the scheme's own label
            key = iri[len(prefix) :]
            language = getattr(label, "language", None)
            entries.append(Entry("concept", key, str(label), language, scheme))
            if scheme != "policy-area":
                for part in _coordinated_parts(str(label), language):
                    entries.append(Entry("concept", key, part, language, scheme, partial=True))
    for subject, parent in graph.subject_objects(SKOS.broader):
        if str(subject).startswith(prefix) and str(parent).startswith(prefix):
            broader[str(subject)[len(prefix) :]] = str(parent)[len(prefix) :]
    entries.sort(key=lambda entry: (entry.key, entry.language or "", entry.label))
    return entries, broader


def _entity_entries(
    path: Path, list_key: str, kind: str, name_keys: tuple[str, ...]
) -> Iterator[Entry]:
    for item in _items(path, list_key):
        for name_key in name_keys:
            for label, language in _texts(item.get(name_key)):
                for variant in _name_variants(label):
                    yield Entry(kind, item["id"], variant, language)


# Legal forms that follow a name and are left out in prose ("Creative Industry Košice, n.o.").
_LEGAL_FORM = re.compile(
    r"(?:,\s*|\s+)(?:n\.\s?o\.|s\.\s?r\.\s?o\.|a\.\s?s\.|d\.o\.o\.|OÜ|AB|Ltd\.?|Inc\.?|"
    r"GmbH|B\.?V\.?|N\.?V\.?|S\.p\.A\.|S\.r\.l\.|SAS|SARL|A\.E\.|Oy)$"
)
_AND = {
    "en": "and",
    "sv": "och",
    "nl": "en",
    "fr": "et",
    "sk": "a",
    "it": "e",
}


def _name_variants(name: str) -> list[str]:
    """A name, and the name without its legal form or without what follows a comma."""
    variants = [name]
    bare = _LEGAL_FORM.sub("", name).strip()
    if bare and bare != name:
        variants.append(bare)
    head = name.split(",", 1)[0].strip()
    if "," in name and len(head.split()) >= 2 and head not in variants:
        variants.append(head)
    return variants


def _coordinated_parts(label: str, language: str | None) -> list[str]:
    """The parts of a coordinated label ("Market access and visibility" -> "Market access",
    "visibility"), each a name of the concept in prose. A part must be two words or one
    long word: short single words ("Data", "Skills") are too common to stand alone."""
    conjunction = _AND.get(language or "")
    if not conjunction:
        return []
    pieces = re.split(rf",\s*|\s+{conjunction}\s+", label)
    if len(pieces) < 2:
        return []
    parts = []
    for piece in pieces:
        piece = re.sub(r"^(?:the|de|het|les?|la|l'|il|i|gli|le)\s+", "", piece.strip(), flags=re.I)
        words = piece.split()
        if len(words) >= 2 or (len(words) == 1 and len(words[0]) >= 8):
            parts.append(piece)
    return parts


def _texts(value: Any) -> Iterable[tuple[str, str | None]]:
    """The strings of a text value: a plain string, a language map, or a list of either."""
    if isinstance(value, str) and value.strip():
        yield value.strip(), None
    elif isinstance(value, dict):
        for language, text in value.items():
            if isinstance(text, str) and text.strip():
                yield text.strip(), str(language)
    elif isinstance(value, list):
        for element in value:
            yield from _texts(element)


def _unique(entries: list[Entry]) -> list[Entry]:
    seen: set[tuple[str, str, str, str | None, str | None]] = set()
    unique = []
    for entry in entries:
        marker = (entry.kind, entry.key, entry.label, entry.language, entry.scheme)
        # a part equal to a whole label of the same concept is that label
        if entry.partial and (*marker[:4], marker[4]) in seen:
            continue
        if marker not in seen:
            seen.add(marker)
            unique.append(entry)
    return unique
