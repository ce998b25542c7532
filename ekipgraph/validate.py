"""Validation a person can read: authoring problems first, then SHACL results as a table.

The authoring format is checked before SHACL (structure, references, concepts, sources), and
every problem of every file is reported at once. When the data loads, it is converted and
validated against ``shapes/``; each SHACL result is traced back to the YAML file and line of
the entity it concerns. Exit codes follow pySHACL: 0 conforms, 1 does not conform, 2 the input
or the shapes could not be loaded.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.paths import InvPath
from rich.console import Console
from rich.table import Table

from ekipgraph.build import BuildResult, build_from_layout
from ekipgraph.cache import Cache, code_version, digest
from ekipgraph.cases import AuthoringError
from ekipgraph.cases.corpus import ignored_files
from ekipgraph.compiled import CompiledDataset, _tree_digest, compile_data, entity_label
from ekipgraph.dumps import DumpIndex
from ekipgraph.ontology import RDFSourceError, load_tbox
from ekipgraph.project import ProjectLayout, ProjectLayoutError
from ekipgraph.results import compact
from ekipgraph.shacl_split import Progress, validate_split
from ekipgraph.shapes import ShapesError, ValidationResult, load_shapes
from ekipgraph.terminal import markup_safe, plain

CONFORMS, DOES_NOT_CONFORM, NOT_LOADED = 0, 1, 2
# Authoring problems that mean a file could not be read at all (exit 2, as pySHACL's
# "could not be loaded"); every other authoring problem is a failure to conform (exit 1).
UNREADABLE_FILE = (
    "malformed YAML",
    "a tab character",
    "cannot read the file",
    "the file is not UTF-8",
    "the file is not text",
    "the YAML is nested too deeply",
)
SEVERITY_ORDER = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}
SHAPES_NAMESPACE = "shapes-graph"


@dataclass(frozen=True)
class ResultRow:
    """One SHACL result, located in the authoring files."""

    severity: str
    file: str
    line: int | None
    focus: str
    label: str
    path: str
    message: str
    value: str

    def as_dict(self) -> dict[str, object]:
        return self.__dict__.copy()


@dataclass
class ValidationReport:
    data_dir: Path
    authoring_problems: list[str] = field(default_factory=list)
    # Files left unread (a notes.txt in cases/): shown, never a failure to conform.
    authoring_warnings: list[str] = field(default_factory=list)
    unreadable_input: bool = False
    load_error: str | None = None
    rows: list[ResultRow] = field(default_factory=list)
    results: tuple[ValidationResult, ...] = ()
    build: BuildResult | None = None
    compiled: CompiledDataset | None = None
    seconds: float = 0.0
    #: severity -> results of the chunks left unread (``validate_incremental(previous=…)``):
    #: counted, not listed
    kept_counts: dict[str, int] = field(default_factory=dict)

    @property
    def case_count(self) -> int:
        if self.compiled is not None:
            return self.compiled.case_count
        return len(self.build.corpus.case_ids()) if self.build else 0

    def count(self, severity: str) -> int:
        return self.kept_counts.get(severity, 0) + sum(
            1 for row in self.rows if row.severity == severity
        )

    def exit_code(self, strict: bool = False) -> int:
        if self.load_error or self.unreadable_input:
            return NOT_LOADED
        if self.authoring_problems or self.count("Violation"):
            return DOES_NOT_CONFORM
        if strict and self.count("Warning"):
            return DOES_NOT_CONFORM
        return CONFORMS

    def to_json(self) -> str:
        return json.dumps(
            {
                "data": str(self.data_dir),
                "conforms": self.exit_code() == CONFORMS,
                "load_error": self.load_error,
                "authoring_problems": self.authoring_problems,
                "authoring_warnings": self.authoring_warnings,
                "results": [row.as_dict() for row in self.rows],
            },
            indent=2,
            ensure_ascii=False,
        )

    def to_turtle(self) -> str:
        """The SHACL results as a standard sh:ValidationReport."""
        graph = Graph()
        graph.bind("sh", SH)
        report = BNode("report")
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.exit_code() == CONFORMS)))
        for index, result in enumerate(self.results):
            node = BNode(f"result{index}")
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            graph.add((node, SH.focusNode, result.focus))
            graph.add((node, SH.resultSeverity, result.severity))
            graph.add((node, SH.resultMessage, Literal(result.message, lang="en")))
            if isinstance(result.path, URIRef):
                graph.add((node, SH.resultPath, result.path))
            elif isinstance(result.path, InvPath) and isinstance(result.path.arg, URIRef):
                inverse = BNode(f"path{index}")
                graph.add((node, SH.resultPath, inverse))
                graph.add((inverse, SH.inversePath, result.path.arg))
            if result.value is not None:
                graph.add((node, SH.value, result.value))
            if result.source_shape is not None:
                graph.add((node, SH.sourceShape, result.source_shape))
            if result.component is not None:
                graph.add((node, SH.sourceConstraintComponent, result.component))
        return graph.serialize(format="turtle")


def _relative(path: Path, base: Path) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop
        return str(path)


def _relative_to(base: Path) -> Callable[[Path], str]:
    """:func:`_relative` against ``base``, once per file (results share a few files)."""
    return functools.lru_cache(maxsize=None)(lambda path: _relative(path, base))


def _load_shapes_for(
    layout: ProjectLayout,
    data_dir: Path,
    report: ValidationReport,
    cache: Cache,
    known_hashes: dict[str, str] | None = None,
) -> Graph | None:
    """The shapes, checked against the TBox; or None with ``report.load_error`` saying why
    the shapes, the ontology or the data folder cannot be used.

    Shapes that loaded and passed their checks are kept in the cache under a hash of the
    shapes' and the ontology's files: unchanged, they are unpickled, not parsed and checked
    (with the TBox parsed for the check) again."""
    key = digest(
        code_version(),
        _tree_digest([layout.root / "ontology", layout.shapes_dir], known_hashes or {}),
    )
    shapes = cache.get(SHAPES_NAMESPACE, key)
    if shapes is None:
        try:
            shapes = load_shapes(layout.shapes_dir, tbox=load_tbox(layout), cache=cache)
        except (ShapesError, RDFSourceError, ProjectLayoutError) as error:
            report.load_error = f"the shapes or the ontology could not be loaded: {error}"
            return None
        cache.put(SHAPES_NAMESPACE, key, shapes)
    if not (data_dir / "shared").is_dir() and not (data_dir / "cases").is_dir():
        report.load_error = f"{data_dir}: not a data folder (it needs shared/ and cases/)"
        return None
    return shapes


def validate_data_dir(
    layout: ProjectLayout, data_dir: Path | None = None, progress: Progress | None = None
) -> ValidationReport:
    """Load, convert and SHACL-validate a data folder (``data/`` by default).

    SHACL runs per case, cached by content (``shacl_split``); ``progress(done, total)`` is
    called as cases are validated."""
    import time

    started = time.perf_counter()
    data_dir = data_dir or layout.data_dir
    report = ValidationReport(data_dir)
    report_ignored_files(report, data_dir)
    cache = Cache.for_layout(layout)
    shapes = _load_shapes_for(layout, data_dir, report, cache)
    if shapes is None:
        return report
    try:
        build = build_from_layout(layout, data_dir, infer=False)
    except AuthoringError as error:
        _authoring_report(report, error)
        report.seconds = time.perf_counter() - started
        return report
    report.build = build
    outcome = validate_split(build.built.dataset, shapes, cache=cache, progress=progress)
    report.results = outcome.results
    base = Path.cwd()
    for result in sorted(
        outcome.results, key=lambda r: (SEVERITY_ORDER.get(r.severity, 3), str(r.focus))
    ):
        location = build.built.source_index.get(result.focus)
        report.rows.append(
            ResultRow(
                severity=compact(result.severity).removeprefix("sh:"),
                file=_relative(location.path, base) if location else "",
                line=location.line if location else None,
                focus=compact(result.focus),
                label=entity_label(build.built.dataset, result.focus),
                path=result.path_text,
                message=result.message,
                value=compact(result.value) if result.value is not None else "",
            )
        )
    report.seconds = time.perf_counter() - started
    return report


def report_ignored_files(report: ValidationReport, data_dir: Path) -> None:
    # From the directory listings, not from load_corpus: a build whose files are all cached
    # never loads the corpus, and the warnings must not vanish on the second run.
    base = Path.cwd()
    report.authoring_warnings = [str(p.relative_to(base)) for p in ignored_files(data_dir)]


def _authoring_report(report: ValidationReport, error: AuthoringError) -> None:
    base = Path.cwd()
    report.authoring_problems = [str(p.relative_to(base)) for p in error.problems]
    report.unreadable_input = any(
        not p.field and p.message.startswith(UNREADABLE_FILE) for p in error.problems
    )


def validate_incremental(
    layout: ProjectLayout,
    data_dir: Path | None = None,
    progress: Progress | None = None,
    known_hashes: dict[str, str] | None = None,
    previous: DumpIndex | None = None,
) -> ValidationReport:
    """As :func:`validate_data_dir`, but compiled file by file (``ekipgraph.compiled``): a
    file that did not change since it was last compiled is not read, converted or validated
    again. The report's ``compiled`` is the dataset, ready to write.

    With ``previous`` (the index of the dataset folder the last build wrote), the chunks it
    holds unchanged are not even read from the cache: their results are counted from the
    index (``kept_counts``), not listed, and the dataset is ready to patch that folder."""
    import time

    started = time.perf_counter()
    data_dir = data_dir or layout.data_dir
    report = ValidationReport(data_dir)
    report_ignored_files(report, data_dir)
    cache = Cache.for_layout(layout)
    shapes = _load_shapes_for(layout, data_dir, report, cache, known_hashes)
    if shapes is None:
        return report
    outcome = compile_data(
        layout,
        data_dir,
        shapes=shapes,
        cache=cache,
        known_hashes=known_hashes,
        progress=progress,
        reuse=previous.chunks if previous is not None else None,
    )
    if outcome.dataset is None:
        assert outcome.authoring_error is not None
        _authoring_report(report, outcome.authoring_error)
        report.seconds = time.perf_counter() - started
        return report
    compiled = outcome.dataset
    report.compiled = compiled
    report.results = compiled.results
    if previous is not None:
        report.kept_counts = previous.severity_counts(compiled.unloaded)
    relative = _relative_to(Path.cwd())
    for result in sorted(
        report.results, key=lambda r: (SEVERITY_ORDER.get(r.severity, 3), str(r.focus))
    ):
        location = compiled.location(result.focus)
        path = location.path if location else None
        report.rows.append(
            ResultRow(
                severity=compact(result.severity).removeprefix("sh:"),
                file=relative(path) if path else "",
                line=location.line if location else None,
                focus=compact(result.focus),
                label=location.label if location else "",
                path=result.path_text,
                message=result.message,
                value=compact(result.value) if result.value is not None else "",
            )
        )
    report.seconds = time.perf_counter() - started
    return report


SEVERITY_STYLE = {"Violation": "bold red", "Warning": "yellow", "Info": "cyan"}


def render(report: ValidationReport, console: Console, *, details: str = "all") -> None:
    """Print the report; ``details`` is 'all', 'violations' (a summary of the rest) or 'none'."""
    for warning in report.authoring_warnings:
        # soft_wrap: one warning, one line (for grep and editors), however narrow the terminal
        console.print(plain(warning, "yellow"), highlight=False, soft_wrap=True)
    if report.load_error:
        console.print(
            f"[bold red]cannot validate:[/] {markup_safe(report.load_error)}", highlight=False
        )
        return
    if report.authoring_problems:
        console.print(
            f"[bold red]{len(report.authoring_problems)} problem(s) in the authoring files[/] "
            "(fix these first; SHACL runs once the data loads):"
        )
        for problem in report.authoring_problems:
            console.print(plain(problem), highlight=False)
        return
    shown = {"all": {"Violation", "Warning", "Info"}, "violations": {"Violation"}}.get(
        details, set()
    )
    rows = [r for r in report.rows if r.severity in shown]
    if rows:
        table = Table(title="SHACL validation", show_lines=False, header_style="bold")
        for column in ("severity", "where", "entity", "path", "message"):
            table.add_column(column, overflow="fold")
        for row in rows:
            where = f"{row.file}:{row.line}" if row.line else row.file
            entity = f"{row.label}\n{row.focus}" if row.label else row.focus
            value = f" (value: {row.value})" if row.value else ""
            table.add_row(
                plain(row.severity, SEVERITY_STYLE.get(row.severity, "")),
                plain(where),
                plain(entity),
                plain(row.path),
                plain(row.message + value),
            )
        console.print(table)
    cases = report.case_count
    console.print(
        f"{cases} cases, {report.count('Violation')} violations, {report.count('Warning')} "
        f"warnings, {report.count('Info')} infos ({report.seconds:.2f} s)"
        + ("" if details == "all" else "; details: ekipgraph validate")
    )
