"""What has been read: every entity with the file and node it came from, found by id."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar, cast

from ekipgraph.cases.models import SHARED_KINDS, Model
from ekipgraph.cases.yamlload import FieldPath, Position, YamlDocument

M = TypeVar("M", bound=Model)

#: how a reference to one or more kinds is named in messages
KIND_LABELS: dict[tuple[str, ...], str] = {
    ("organisation", "person"): "actor (organisation or person)",
    ("city", "country"): "place (city or country)",
    ("policy-lab",): "policy lab",
    ("portfolio", "item"): "portfolio or item",
}


def kind_label(kinds: tuple[str, ...]) -> str:
    return KIND_LABELS.get(kinds, " or ".join(kinds))


@dataclass(frozen=True)
class Located(Generic[M]):
    """A validated model and where it was written: a document and the node's field path."""

    model: M
    document: YamlDocument
    path: FieldPath = ()

    @property
    def file(self) -> Path:
        return self.document.path

    def position(self, *subpath: str | int) -> Position:
        return self.document.value_position((*self.path, *subpath))


@dataclass
class EntityIndex:
    """Shared entities by kind and id (source documents by URL).

    ``broken`` keeps the ids of entries that failed structural validation, so that references
    to them are not reported a second time as unknown.
    """

    entities: dict[str, dict[str, Located]] = field(
        default_factory=lambda: {kind: {} for kind in SHARED_KINDS}
    )
    broken: dict[str, set[str]] = field(
        default_factory=lambda: {kind: set() for kind in SHARED_KINDS}
    )

    def get(self, kind: str, key: str) -> Located | None:
        return self.entities.get(kind, {}).get(key)

    def has(self, kind: str, key: str) -> bool:
        return key in self.entities.get(kind, {})

    def known_ids(self) -> KnownIds:
        """The ids of this index without the entities (small, kept in the build cache)."""
        # Ids only: a KnownIds never reads the values (its get and of_kind find nothing).
        ids = {
            kind: cast(dict[str, Located], dict.fromkeys(found))
            for kind, found in self.entities.items()
        }
        return KnownIds(
            entities=ids,
            broken={kind: set(keys) for kind, keys in self.broken.items()},
        )

    def resolve(self, key: str, kinds: tuple[str, ...]) -> str | None:
        """The first of ``kinds`` that has an entity ``key``."""
        return next((kind for kind in kinds if key in self.entities.get(kind, {})), None)

    def is_broken(self, key: str, kinds: tuple[str, ...]) -> bool:
        return any(key in self.broken.get(kind, set()) for kind in kinds)

    def ids(self, kinds: tuple[str, ...]) -> list[str]:
        return sorted({key for kind in kinds for key in self.entities.get(kind, {})})

    def of_kind(self, kind: str) -> Iterator[Located]:
        return iter(self.entities.get(kind, {}).values())

    def count(self, kind: str) -> int:
        return len(self.entities.get(kind, {}))


class KnownIds(EntityIndex):
    """The ids of shared entities that were read and checked before: it answers the reference
    checks of cases (``has``, ``resolve``, ``ids``) and holds no entity to check or convert."""

    def get(self, kind: str, key: str) -> Located | None:
        return None

    def of_kind(self, kind: str) -> Iterator[Located]:
        return iter(())
