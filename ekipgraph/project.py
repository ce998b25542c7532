"""Where the project's source files live: ontology, vocabularies, shapes, queries, data.

ekipgraph ships its knowledge (ontology, schemes, shapes, queries, data) as files beside
the package. ``EKIPGRAPH_HOME`` points elsewhere, e.g. at a fork with more cases.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: The ontologies beside ``ontology/ekip.ttl``, each a file ``ontology/<name>.ttl`` with an
#: owl:Ontology of its own: ``patterns`` holds the terms of the analysis results.
ONTOLOGY_MODULES = ("patterns",)


class ProjectLayoutError(RuntimeError):
    """The project folder lacks a file ekipgraph needs."""


@dataclass(frozen=True)
class ProjectLayout:
    root: Path

    @property
    def ontology_file(self) -> Path:
        return self.root / "ontology" / "ekip.ttl"

    @property
    def module_files(self) -> list[Path]:
        """The ontology modules (``ontology/patterns.ttl``), checked, built and released
        like ``ekip.ttl``."""
        return [self.root / "ontology" / f"{name}.ttl" for name in ONTOLOGY_MODULES]

    @property
    def ontology_files(self) -> list[Path]:
        """``ekip.ttl`` and the modules."""
        return [self.ontology_file, *self.module_files]

    @property
    def vocab_dir(self) -> Path:
        return self.root / "ontology" / "vocab"

    @property
    def imports_dir(self) -> Path:
        return self.root / "ontology" / "imports"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def dist_dir(self) -> Path:
        """Where the outputs go by default (``dist/dataset``, ``dist/store``…), whatever the
        working folder."""
        return self.root / "dist"

    def vocab_files(self) -> list[Path]:
        return sorted(self.vocab_dir.glob("*.ttl"))

    def require(self, *paths: Path) -> None:
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise ProjectLayoutError("missing project files: " + ", ".join(missing))


def default_layout() -> ProjectLayout:
    """The layout under ``EKIPGRAPH_HOME``, or the folder that holds this package."""
    home = os.environ.get("EKIPGRAPH_HOME")
    root = Path(home) if home else Path(__file__).resolve().parent.parent
    return ProjectLayout(root)
