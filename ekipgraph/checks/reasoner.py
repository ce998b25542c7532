"""Consistency and unsatisfiable classes, with HermiT (default) or Pellet through owlready2.

owlready2 does not read Turtle, so the graphs are serialised to RDF/XML with rdflib in a
temporary folder and loaded into a fresh owlready2 World (nothing leaks between runs).
HermiT refuses datatypes outside the OWL 2 datatype map (``xsd:date``, ``xsd:gYear``...);
when it does, the run is repeated with ``ignore_unsupported_datatypes=True`` and the
finding says so (Pellet reads those datatypes). Without Java the checks are reported as
skipped, never as passed. Pellet as shipped with owlready2 0.50+ needs a newer Java than
Debian 12's 17; pyproject.toml pins the owlready2 whose Pellet runs on it.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL

from ekipgraph.checks.model import ERROR, SKIPPED, Family, Finding

UNSUPPORTED_DATATYPE = re.compile(r"UnsupportedDatatypeException.*?datatype '([^']+)'", re.S)
CONSISTENCY = ("consistency", "Ontology is consistent")
SATISFIABILITY = ("unsatisfiable_classes", "Every class can have instances")


@dataclass
class ReasonerOutcome:
    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    ignored_datatype: str = ""  # the datatype HermiT refused, when it had to be ignored
    seconds: float = 0.0


def java_available() -> bool:
    return shutil.which("java") is not None


#: The reasoners owlready2 ships, by the name users give.
REASONERS = {"hermit": "HermiT", "pellet": "Pellet"}


def classify(graphs: Iterable[Graph], engine: str = "hermit") -> ReasonerOutcome:
    """Run ``engine`` (hermit or pellet) over the union of ``graphs``; raises owlready2's
    errors on Java trouble."""
    import owlready2

    if engine not in REASONERS:
        raise ValueError(f"unknown reasoner {engine!r}: use {' or '.join(REASONERS)}")
    started = time.perf_counter()
    union = Graph()
    for graph in graphs:
        union += graph
    # The union already holds what the vocabularies import (the ekip ontology); owlready2
    # would otherwise try to download it.
    union.remove((None, OWL.imports, None))
    with tempfile.TemporaryDirectory(prefix="ekipgraph-reasoner-") as folder:
        path = Path(folder) / "tbox.owl"
        union.serialize(path, format="xml")
        world = owlready2.World()
        ontology = world.get_ontology(path.as_uri()).load()
        ignored = ""
        try:
            if engine == "pellet":
                consistent = _run_pellet(owlready2, world, ontology)
            else:
                consistent = _run_hermit(owlready2, world, ontology, ignore_unsupported=False)
        except owlready2.OwlReadyJavaError as error:
            refused = UNSUPPORTED_DATATYPE.search(str(error))
            if refused is None:
                raise
            ignored = refused.group(1)
            consistent = _run_hermit(owlready2, world, ontology, ignore_unsupported=True)
        unsatisfiable = (
            sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
            if consistent
            else []
        )
        world.close()
    return ReasonerOutcome(consistent, unsatisfiable, ignored, time.perf_counter() - started)


def _run_hermit(owlready2, world, ontology, *, ignore_unsupported: bool) -> bool:
    try:
        with ontology:
            owlready2.sync_reasoner_hermit(
                world, debug=0, ignore_unsupported_datatypes=ignore_unsupported
            )
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    return True


def _run_pellet(owlready2, world, ontology) -> bool:
    try:
        with ontology:
            owlready2.sync_reasoner_pellet(world, debug=0, infer_property_values=False)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    return True


def run(graphs: Iterable[Graph], source: str = "", engine: str = "hermit") -> list[Finding]:
    """The two reasoner findings: consistency, then unsatisfiable classes."""
    name = REASONERS.get(engine)
    if name is None:
        raise ValueError(f"unknown reasoner {engine!r}: use {' or '.join(REASONERS)}")
    if not java_available():
        reason = f"skipped: no `java` on PATH, so {name} cannot run (install a Java runtime)"
        return [
            _finding(spec, False, reason, source, skipped=True)
            for spec in (CONSISTENCY, SATISFIABILITY)
        ]
    try:
        outcome = classify(graphs, engine)
    except Exception as error:  # a Java crash must not hide the other checks' results
        message = f"{name} could not run: {_first_error_line(str(error))}"
        return [_finding(spec, False, message, source) for spec in (CONSISTENCY, SATISFIABILITY)]

    note = f" ({name}, {outcome.seconds:.1f} s"
    if outcome.ignored_datatype:
        note += (
            f"; it refused the datatype <{outcome.ignored_datatype}>, outside the OWL 2 "
            "datatype map, so unsupported datatypes were ignored"
        )
    note += ")"
    if not outcome.consistent:
        return [
            _finding(
                CONSISTENCY,
                False,
                "The ontology is inconsistent: no model exists" + note,
                source,
                seconds=outcome.seconds,
            ),
            _finding(
                SATISFIABILITY,
                False,
                "not assessed: an inconsistent ontology makes every class unsatisfiable",
                source,
                skipped=True,
            ),
        ]
    consistent = _finding(
        CONSISTENCY, True, "The ontology is consistent" + note, source, seconds=outcome.seconds
    )
    if outcome.unsatisfiable:
        names = ", ".join(outcome.unsatisfiable)
        satisfiable = _finding(
            SATISFIABILITY,
            False,
            f"Unsatisfiable classes, equivalent to owl:Nothing ({len(outcome.unsatisfiable)}): "
            + names
            + note,
            source,
            terms=tuple(outcome.unsatisfiable),
            seconds=outcome.seconds,
        )
    else:
        satisfiable = _finding(
            SATISFIABILITY, True, "No unsatisfiable class" + note, source, seconds=outcome.seconds
        )
    return [consistent, satisfiable]


def _first_error_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if "Exception" in line or "Error:" in line:
            return line[:300]
    return (lines[-1] if lines else "no message")[:300]


def _finding(
    spec: tuple[str, str],
    passed: bool,
    message: str,
    source: str,
    *,
    terms: tuple[str, ...] = (),
    skipped: bool = False,
    seconds: float | None = None,
) -> Finding:
    check_id, title = spec
    return Finding(
        family=Family.REASONER,
        id=check_id,
        title=title,
        level=SKIPPED if skipped else ERROR,
        passed=passed,
        message=message,
        terms=terms,
        source=source,
        skipped=skipped,
        seconds=seconds,
    )
