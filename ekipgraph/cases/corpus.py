"""Loading the whole data folder: shared entities, YAML cases and RDF cases, all checked.

``load_corpus`` reads every file, collects every problem of every file, and raises one
``AuthoringError`` listing them all; or returns a ``Corpus`` ready to convert.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ekipgraph.cases.fields import describe
from ekipgraph.cases.index import EntityIndex, KnownIds, Located
from ekipgraph.cases.inputs import CASE_FILE_LIMITS, SHARED_FILE_LIMITS
from ekipgraph.cases.models import SHARED_FILES, Case, SharedFile
from ekipgraph.cases.problems import Problem, ProblemList
from ekipgraph.cases.rdfcase import RDF_CASE_FORMATS, RdfCase, check_rdf_case, load_rdf_case
from ekipgraph.cases.references import check_case, check_shared
from ekipgraph.cases.structure import validate_model
from ekipgraph.cases.vocab import ConceptIndex
from ekipgraph.cases.yamlload import YamlDocument, read_yaml_file

SHARED_DIR = "shared"
CASES_DIR = "cases"


@dataclass
class Corpus:
    """Everything under a data folder, validated."""

    data_dir: Path
    index: EntityIndex
    cases: list[Located[Case]]
    rdf_cases: list[RdfCase]
    concepts: ConceptIndex
    warnings: list[Problem] = field(default_factory=list)

    def case_ids(self) -> list[str]:
        return sorted([c.model.id for c in self.cases] + [c.case_id for c in self.rdf_cases])

    def relative(self, path: Path) -> str:
        """A file's path relative to the data folder, with forward slashes."""
        try:
            return Path(path).relative_to(self.data_dir).as_posix()
        except ValueError:
            return Path(path).as_posix()


def load_corpus(
    data_dir: Path,
    vocab: ConceptIndex,
    only: Collection[str] | None = None,
    shared: KnownIds | None = None,
) -> Corpus:
    """Read and check everything under ``data_dir``; raise ``AuthoringError`` listing every
    problem of every file when anything is wrong.

    With ``only`` (file names under ``cases/``), the shared files and just those cases are
    read; every case file name is still checked (suffix, one file per case id). A case is
    checked against the shared entities only, never against another case, so the cases
    left out do not change what is found in the others. With ``shared`` (the ids of the
    shared files as read and checked before, unchanged since), the shared files are not read
    again: the corpus then holds no shared entity, only their ids."""
    data_dir = Path(data_dir)
    problems = ProblemList()
    if not data_dir.is_dir():
        problems.add(data_dir, 1, 1, "", "the data folder does not exist")
        problems.raise_if_errors()
    index = shared if shared is not None else EntityIndex()
    if shared is None:
        _load_shared(data_dir / SHARED_DIR, index, problems)
    cases, rdf_cases = _load_cases(data_dir / CASES_DIR, problems, root=data_dir, only=only)
    if shared is None:
        check_shared(index, vocab, problems)
    for case in cases:
        check_case(case, index, vocab, problems)
    for rdf_case in rdf_cases:
        check_rdf_case(rdf_case, index, vocab, problems)
    problems.raise_if_errors()
    return Corpus(data_dir, index, cases, rdf_cases, vocab, problems.warnings)


# ---------------------------------------------------------------------------------------
# Ignored files: known from their names alone, so that a build whose files are all cached
# (and never calls load_corpus) still reports them.


def ignored_shared_file(path: Path) -> Problem | None:
    """The warning for a file of ``shared/`` that is never read, or None when it is read
    (or refused: an unknown YAML file there is an error, not a warning)."""
    if path.name.startswith(".") or path.suffix in (".yaml", ".yml"):
        return None
    return Problem(path, 1, 1, "", "ignored: not a YAML file", "warning")


def name_suffix(name: str) -> str:
    """A file name's suffix, as ``Path(name).suffix``, without making a path."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def ignored_case_name(name: str) -> bool:
    """A file of ``cases/`` by this name is never read (:func:`ignored_case_file`)."""
    return not name.startswith(".") and name_suffix(name) not in (
        ".yaml",
        ".yml",
        *RDF_CASE_FORMATS,
    )


def ignored_case_file(path: Path) -> Problem | None:
    """The warning for a file of ``cases/`` that is never read, or None when it is read
    (or refused: ``.yml`` is an error, not a warning)."""
    if not ignored_case_name(path.name):
        return None
    return Problem(path, 1, 1, "", "ignored: a case is a .yaml, .ttl or .jsonld file", "warning")


def ignored_files(data_dir: Path) -> list[Problem]:
    """The warnings for every file of ``shared/`` and ``cases/`` that is never read, sorted,
    from the two directory listings alone (no file is opened)."""
    data_dir = Path(data_dir)
    found: list[Problem] = []
    for folder, rule, kept in (
        (data_dir / SHARED_DIR, ignored_shared_file, (".yaml", ".yml")),
        (data_dir / CASES_DIR, ignored_case_file, (".yaml", ".yml", *RDF_CASE_FORMATS)),
    ):
        try:  # the names first, a path only for a file the rule may warn of
            with os.scandir(folder) as listing:
                names = [entry.name for entry in listing if not entry.name.endswith(kept)]
        except OSError:  # missing or unreadable: load_corpus says so, when it matters
            continue
        paths = (folder / name for name in names)
        found.extend(problem for path in paths if (problem := rule(path)) is not None)
    return sorted(found, key=Problem.sort_key)


# ---------------------------------------------------------------------------------------
# Shared files


def _load_shared(shared_dir: Path, index: EntityIndex, problems: ProblemList) -> None:
    known = {spec.file_name: spec for spec in SHARED_FILES}
    if not shared_dir.is_dir():
        return
    for path in sorted(shared_dir.iterdir()):
        if path.name.startswith(".") or path.name in known:
            continue
        ignored = ignored_shared_file(path)
        if ignored is not None:
            problems.append(ignored)
            continue
        problems.add(
            path,
            1,
            1,
            "",
            f"not a shared file ekipgraph knows; expected one of {', '.join(known)}",
        )
    for spec in SHARED_FILES:
        path = shared_dir / spec.file_name
        if path.exists() or path.is_symlink():  # the input gate says why it is not a file
            document = read_yaml_file(path, problems, SHARED_FILE_LIMITS, shared_dir.parent)
            if document is not None:
                _index_shared_file(spec, document, index, problems)


def _index_shared_file(
    spec: SharedFile, document: YamlDocument, index: EntityIndex, problems: ProblemList
) -> None:
    data = document.data
    if data is None:
        return  # an empty file: no entries yet
    if not isinstance(data, dict):
        at = document.value_position(())
        problems.add(
            document.path,
            at.line,
            at.column,
            "",
            f"expected '{spec.key}:' followed by a list, got {describe(data)}",
        )
        return
    for key in data:
        if key != spec.key:
            at = document.key_position((key,))
            problems.add(
                document.path,
                at.line,
                at.column,
                str(key),
                f"unknown key '{key}'; this file holds one list under '{spec.key}:'",
            )
    entries = data.get(spec.key)
    if entries is None:
        return
    if not isinstance(entries, list):
        at = document.value_position((spec.key,))
        problems.add(
            document.path, at.line, at.column, spec.key, f"expected a list, got {describe(entries)}"
        )
        return
    id_key = "url" if spec.kind == "source" else "id"
    for number, entry in enumerate(entries):
        path = (spec.key, number)
        model = validate_model(spec.model, entry, document, problems, path)
        if model is None:
            key = entry.get(id_key) if isinstance(entry, dict) else None
            if isinstance(key, str):
                index.broken[spec.kind].add(key)
            continue
        key = getattr(model, id_key)
        first = index.get(spec.kind, key)
        if first is not None:
            at = document.value_position((*path, id_key))
            what = "source" if spec.kind == "source" else f"{spec.kind} id"
            problems.add(
                document.path,
                at.line,
                at.column,
                f"{spec.key}[{number}].{id_key}",
                f"duplicate {what} '{key}' (first at {first.file.name} line "
                f"{first.position(id_key).line})",
            )
            continue
        index.entities[spec.kind][key] = Located(model, document, path)


# ---------------------------------------------------------------------------------------
# Cases


def _load_cases(
    cases_dir: Path, problems: ProblemList, root: Path, only: Collection[str] | None = None
) -> tuple[list[Located[Case]], list[RdfCase]]:
    cases: list[Located[Case]] = []
    rdf_cases: list[RdfCase] = []
    if not cases_dir.is_dir():
        return cases, rdf_cases
    first_file: dict[str, str] = {}
    # by name: a path object only for a file that is read or refused (at 10,000 cases an
    # edit build reads one file, and every build checks every name)
    for name in sorted(os.listdir(cases_dir)):
        if name.startswith("."):
            continue
        suffix = name_suffix(name)
        if suffix == ".yml":
            problems.add(cases_dir / name, 1, 1, "", "name case files <id>.yaml, not .yml")
            continue
        ignored = ignored_case_file(cases_dir / name) if ignored_case_name(name) else None
        if ignored is not None:
            problems.append(ignored)
            continue
        stem = name[: -len(suffix)] if suffix else name
        if stem in first_file:
            problems.add(
                cases_dir / name,
                1,
                1,
                "",
                f"the case '{stem}' is already written in {first_file[stem]}",
            )
            continue
        first_file[stem] = name
        if only is not None and name not in only:
            continue
        path = cases_dir / name
        if path.suffix == ".yaml":
            case = _load_yaml_case(path, problems, root)
            if case is not None:
                cases.append(case)
        else:
            rdf_case = load_rdf_case(path, problems, root)
            if rdf_case is not None:
                rdf_cases.append(rdf_case)
    return cases, rdf_cases


def _load_yaml_case(path: Path, problems: ProblemList, root: Path) -> Located[Case] | None:
    document = read_yaml_file(path, problems, CASE_FILE_LIMITS, root)
    if document is None:
        return None
    if document.data is None:
        problems.add(
            path,
            1,
            1,
            "",
            "the file is empty; start it with "
            "`ekipgraph new-case <id> --city <city> --policy-area <area>`",
        )
        return None
    model: Any = validate_model(Case, document.data, document, problems)
    return Located(model, document) if model is not None else None
