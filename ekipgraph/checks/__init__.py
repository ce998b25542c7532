"""Quality checks of the ekip ontology, its modules and its SKOS vocabularies.

Five families, each with the IDs of the tool it ports so results can be compared:

* ``FOOPS``: the 16 FOOPS! FAIR tests that need only the file (``foops.py``);
* ``OOPS``: the machine-checkable OOPS! pitfalls (``oops.py``);
* ``ROBOT``: the ROBOT ``report`` rules that suit a non-OBO ontology, also run over the
  vocabularies (``robot.py``);
* ``REASONER``: consistency and unsatisfiable classes with HermiT (``reasoner.py``);
* ``NAMESPACE``: OOPS! P40, terms we use from standard namespaces must exist there
  (``namespace.py``).

A module (``ontology/patterns.ttl``) is checked like the ontology, on its own: FOOPS!, OOPS!
and ROBOT with its own IRI and namespace, each finding naming its file; namespaces and the
reasoner see the ontology, the modules and the vocabularies together.

``run_all`` runs them all and returns a :class:`CheckReport`; ``render`` prints it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from rdflib import Graph, URIRef
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ekipgraph.checks import foops, namespace, oops, reasoner, robot
from ekipgraph.checks.context import CheckedGraph
from ekipgraph.checks.model import CheckReport, Family, Finding
from ekipgraph.namespaces import EKIP, ONTOLOGY_IRI, module_iri, module_namespace
from ekipgraph.ontology import parse_rdf_file
from ekipgraph.project import ProjectLayoutError

__all__ = ["CheckReport", "Family", "Finding", "check_graphs", "render", "run_all"]


def run_all(
    ontology_path: Path,
    vocab_paths: Sequence[Path] = (),
    *,
    module_paths: Sequence[Path] = (),
    with_reasoner: bool = True,
    imports_dir: Path | None = None,
    reasoner_engine: str = "hermit",
    with_profile: bool = False,
) -> CheckReport:
    """Every check on the ontology file, the module files (``ontology/<name>.ttl``, whose
    IRI is ``https://w3id.org/ekip/<name>``) and the vocabulary files (``with_profile``:
    also the OWL API's OWL 2 DL profile check, which needs a JDK and libowlapi-java).

    Raises ``ProjectLayoutError`` when a file is missing and ``RDFSourceError`` when one
    does not parse (FOOPS! RDF1 would fail; nothing else can be assessed).
    """
    ontology_file = Path(ontology_path)
    modules = [Path(p) for p in module_paths]
    vocabulary_files = [Path(p) for p in vocab_paths]
    missing = [str(p) for p in [ontology_file, *modules, *vocabulary_files] if not p.exists()]
    if missing:
        raise ProjectLayoutError("missing project files: " + ", ".join(missing))
    ontology = parse_rdf_file(ontology_file)
    module_graphs = {str(p): parse_rdf_file(p) for p in modules}
    vocabularies = {str(p): parse_rdf_file(p) for p in vocabulary_files}
    report = check_graphs(
        ontology,
        vocabularies,
        ontology_source=str(ontology_file),
        modules=module_graphs,
        with_reasoner=with_reasoner,
        imports_dir=imports_dir,
        reasoner_engine=reasoner_engine,
    )
    if with_profile:
        from ekipgraph.checks import profile

        report.extend(profile.run(ontology_file, [*modules, *vocabulary_files]))
    return report


def check_graphs(
    ontology: Graph,
    vocabularies: dict[str, Graph],
    *,
    ontology_source: str = "ekip.ttl",
    modules: Mapping[str, Graph] | None = None,
    with_reasoner: bool = True,
    imports_dir: Path | None = None,
    expected_iri: URIRef = ONTOLOGY_IRI,
    own_namespace: str = str(EKIP),
    reasoner_engine: str = "hermit",
) -> CheckReport:
    """Every check on already parsed graphs (tests build broken twins in memory).

    ``modules`` maps a module's file name (``…/patterns.ttl``) to its graph; its expected
    IRI and namespace follow from the name (``https://w3id.org/ekip/patterns``, ``…#``)."""
    started = time.perf_counter()
    report = CheckReport()
    modules = dict(modules or {})
    try:
        reference = namespace.defined_terms(imports_dir=imports_dir)
    except FileNotFoundError:
        reference = None  # P40 reports the missing copies; P30/P12 are skipped
    checked = [(ontology, ontology_source, expected_iri, own_namespace)]
    for source, graph in modules.items():
        name = Path(source).stem
        checked.append((graph, source, module_iri(name), module_namespace(name)))
    for graph, source, iri, terms_namespace in checked:
        ctx = CheckedGraph(graph, source, terms_namespace)
        report.extend(foops.run(ctx, Path(source), iri))
        report.extend(oops.run(ctx, reference))
        report.extend(robot.run(ctx, robot.ontology_profile(terms_namespace)))
    if vocabularies:
        report.extend(_vocabulary_rules(vocabularies, own_namespace))
    report.append(
        namespace.check_namespace_hijacking(
            {ontology_source: ontology, **modules, **vocabularies}, imports_dir
        )
    )
    if with_reasoner:
        report.extend(
            reasoner.run(
                [ontology, *modules.values(), *vocabularies.values()],
                _sources([ontology_source, *modules, *vocabularies]),
                engine=reasoner_engine,
            )
        )
    report.seconds = time.perf_counter() - started
    return report


def _vocabulary_rules(vocabularies: dict[str, Graph], own_namespace: str) -> list[Finding]:
    """ROBOT rules over all schemes at once (one query each), naming each term's file."""
    merged = Graph()
    where: dict = {}
    for source, graph in vocabularies.items():
        merged += graph
        for subject in set(graph.subjects()):
            where.setdefault(subject, Path(source).name)
    ctx = CheckedGraph(merged, _sources(vocabularies), own_namespace)
    return robot.run(ctx, robot.VOCABULARY_PROFILE, where)


def _sources(paths) -> str:
    """A short name for one or more files: "a.ttl, b.ttl" or "a.ttl and 12 more files"."""
    names = [Path(p).name for p in paths]
    if len(names) <= 3:
        return ", ".join(names)
    return f"{names[0]} and {len(names) - 1} more files"


STATUS_STYLES = {"pass": "green", "FAIL": "bold red", "warn": "yellow", "skipped": "dim"}


def render(report: CheckReport, console: Console) -> None:
    """One table per family and file (status, ID, level, message), then a summary line."""
    for family in Family:
        groups: dict[str, list[Finding]] = {}
        for finding in report.by_family(family):
            groups.setdefault(finding.source, []).append(finding)
        for source, findings in groups.items():
            console.print(_table(family, source, findings))
    style = "bold red" if report.failed else "bold green"
    console.print(Text(report.summary(), style=style))


def _table(family: Family, source: str, findings: list[Finding]) -> Table:
    failed = sum(f.blocking for f in findings)
    title = f"{family} · {_sources(source.split(', '))} ({len(findings)} checks, {failed} failed)"
    table = Table(title=title, title_justify="left", expand=True, title_style="bold")
    table.add_column("status", no_wrap=True)
    table.add_column("id", overflow="fold", max_width=20)
    table.add_column("level", no_wrap=True)
    table.add_column("message", ratio=1, min_width=30, overflow="fold")
    for finding in findings:
        status = finding.status
        if finding.advisory and not finding.passed:
            status += " (advisory)"
        message_style = "dim" if finding.passed else ""
        table.add_row(
            Text(status, style=STATUS_STYLES[finding.status]),
            finding.id,
            finding.level,
            Text(finding.message, style=message_style),
        )
    return table
