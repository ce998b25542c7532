"""The SHACL shapes of ekipgraph: loading them, checking them, and validating data with them.

The shapes live in ``shapes/*.ttl``. A typo in a shape does not make SHACL fail: an unknown
term such as ``sh:minlength`` is simply ignored and the data "conforms" (pySHACL issue #12).
So :func:`lint_shapes` checks the shapes themselves before they are trusted:

(a) every ``sh:`` IRI they use is defined by the SHACL vocabulary that pySHACL ships;
(b) they conform to SHACL-for-SHACL (the W3C shapes of well-formed shapes, shipped with pySHACL);
(c) every property shape has ``sh:message`` (in English), ``sh:severity`` and ``sh:name``,
    every node shape ``rdfs:label`` and ``rdfs:comment``, and no named shape is dead
    (neither targeted nor used by another shape);
(d) given the ontology and schemes, every ``ekip:`` term and scheme the shapes mention exists.

:func:`validate_data` runs the shapes on a data graph without inference (the data graph
includes the ontology, so ``sh:class`` follows ``rdfs:subClassOf``) and returns readable rows.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.paths import InvPath
from rdflib.term import Node

from ekipgraph.cache import Cache, digest, digest_lines
from ekipgraph.namespaces import EKIP, PREFIXES, VOCAB_BASE, prefixed_name

if TYPE_CHECKING:
    import pyoxigraph

EKIPSH = Namespace("https://w3id.org/ekip/shapes#")
SH_NS = str(SH)
SEVERITIES = (SH.Violation, SH.Warning, SH.Info)

# Predicates through which one shape uses another (so the used shape is not dead).
_SHAPE_REFERENCES = (SH.node, SH.qualifiedValueShape, SH["not"], SH.property)
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)

_PREFIXES = {**PREFIXES, "ekipsh": str(EKIPSH)}


class ShapesError(ValueError):
    """The shapes cannot be trusted; ``problems`` lists every lint finding."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the SHACL shapes:\n{lines}")


# ---------------------------------------------------------------------------
# Loading


def load_shapes(
    shapes_dir: Path, *, lint: bool = True, tbox: Graph | None = None, cache: Cache | None = None
) -> Graph:
    """Every ``*.ttl`` file of ``shapes_dir`` in one graph.

    With ``lint`` (the default) the shapes are checked by :func:`lint_shapes` and a
    :class:`ShapesError` lists all problems at once; parse errors are reported the same way.
    With a ``cache``, the lint runs only when the shapes (or the TBox) changed.
    """
    files = sorted(Path(shapes_dir).glob("*.ttl"))
    if not files:
        raise ShapesError([f"{shapes_dir}: no *.ttl shapes files"])
    graph = _bind(Graph())
    problems: list[str] = []
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as error:  # rdflib raises many unrelated types for bad syntax
            problems.append(f"{path.name}: cannot parse: {error}")
    if problems:
        raise ShapesError(problems)
    if lint:
        if cache is None:
            problems = lint_shapes(graph, tbox=tbox)
        else:
            # Blank nodes get new labels on every parse: statements with one would make a new
            # key every run. The lint asks the TBox only about named terms.
            tbox_lines = sorted(
                f"{s.n3()} {p.n3()} {o.n3()}"
                for s, p, o in tbox or ()
                if not isinstance(s, BNode) and not isinstance(o, BNode)
            )
            key = digest(
                *(path.read_bytes() for path in files),
                digest_lines(tbox_lines),
                shacl_engine_version(),
            )
            problems = cache.get_or_compute(
                "shapes-lint", key, lambda: lint_shapes(graph, tbox=tbox)
            )
        if problems:
            raise ShapesError(problems)
    return graph


def _bind(graph: Graph) -> Graph:
    for prefix, namespace in _PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


# ---------------------------------------------------------------------------
# The SHACL vocabulary and SHACL-for-SHACL, as pySHACL ships them


def _pyshacl_asset(name: str) -> Path:
    import pyshacl  # imported where it is used: the default engine does without it

    return Path(str(resources.files(pyshacl) / "assets" / name))


@lru_cache(maxsize=1)
def shacl_vocabulary_terms() -> frozenset[URIRef]:
    """Every IRI in the ``sh:`` namespace that the SHACL vocabulary (shacl.ttl) defines."""
    path = _pyshacl_asset("shacl.ttl")
    if path.exists():
        graph = Graph().parse(path, format="turtle")
        return frozenset(
            s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(SH_NS)
        )
    # A pySHACL without its assets: fall back to rdflib's copy of the same vocabulary.
    return frozenset(SH[name] for name in SH.__annotations__)


@lru_cache(maxsize=1)
def _shacl_shacl() -> Graph:
    return Graph().parse(_pyshacl_asset("shacl-shacl.ttl"), format="turtle")


# ---------------------------------------------------------------------------
# Lint


def lint_shapes(graph: Graph, *, tbox: Graph | None = None, meta_shacl: bool = True) -> list[str]:
    """All problems found in the shapes ``graph``; an empty list means it can be trusted.

    ``tbox`` (the ontology and concept schemes), when given, is used to check that every
    ``ekip:`` term and every scheme IRI the shapes mention exists. ``meta_shacl=False`` skips
    SHACL-for-SHACL, by far the slowest check (about a second for our shapes).
    """
    # Each check's findings sorted, so the same shapes always give the same report.
    problems = sorted(_unknown_shacl_terms(graph))
    if meta_shacl:
        problems += sorted(_meta_shacl(graph))
    problems += list(_documentation(graph))
    problems += list(_dead_shapes(graph))
    if tbox is not None:
        problems += sorted(_unknown_model_terms(graph, tbox))
    return problems


def _unknown_shacl_terms(graph: Graph) -> Iterator[str]:
    known = shacl_vocabulary_terms()
    seen: set[tuple[Node, URIRef]] = set()
    for s, p, o in graph:
        for term in (p, o, s):
            if (
                isinstance(term, URIRef)
                and str(term).startswith(SH_NS)
                and term not in known
                and (s, term) not in seen
            ):
                seen.add((s, term))
                yield (
                    f"{shape_name(graph, s)}: {compact(term)} is not a term of the SHACL "
                    "vocabulary (a typo? SHACL silently ignores unknown terms)"
                )


def _meta_shacl(graph: Graph) -> Iterator[str]:
    results = run_shacl(graph, _shacl_shacl())
    if all(result.severity != SH.Violation for result in results):
        return
    for result in results:
        value = f" value {compact(result.value)}" if result.value is not None else ""
        path = f" {result.path_text}" if result.path_text else ""
        yield (
            f"{shape_name(graph, result.focus)}:{path}{value}: not a well-formed shape "
            f"(SHACL-for-SHACL: {result.message or compact(result.component)})"
        )


def _property_shapes(graph: Graph) -> set[Node]:
    return set(graph.subjects(SH.path, None)) | set(graph.subjects(RDF.type, SH.PropertyShape))


def _documentation(graph: Graph) -> Iterator[str]:
    for shape in sorted(_property_shapes(graph), key=str):
        name = shape_name(graph, shape)
        messages = list(graph.objects(shape, SH.message))
        if not messages:
            yield f"{name}: property shape has no sh:message"
        elif not any(isinstance(m, Literal) and m.language == "en" for m in messages):
            yield f"{name}: property shape has no sh:message in English (@en)"
        severities = list(graph.objects(shape, SH.severity))
        if not severities:
            yield f"{name}: property shape has no sh:severity"
        for severity in severities:
            if severity not in SEVERITIES:
                yield (
                    f"{name}: sh:severity {compact(severity)} is not sh:Violation, "
                    "sh:Warning or sh:Info"
                )
        if (shape, SH.name, None) not in graph:
            yield f"{name}: property shape has no sh:name"
    for shape in sorted(set(graph.subjects(RDF.type, SH.NodeShape)), key=str):
        name = shape_name(graph, shape)
        if (shape, RDFS.label, None) not in graph:
            yield f"{name}: node shape has no rdfs:label"
        if (shape, RDFS.comment, None) not in graph:
            yield f"{name}: node shape has no rdfs:comment"
        # A node shape's own constraints (e.g. sh:pattern on the focus node) report with
        # the node shape's message and severity, so they need both as well.
        if any(
            (shape, p, None) in graph
            for p in (SH.pattern, SH["class"], SH.nodeKind, SH.closed, SH.datatype)
        ):
            if (shape, SH.message, None) not in graph:
                yield f"{name}: node shape has constraints of its own but no sh:message"
            if (shape, SH.severity, None) not in graph:
                yield f"{name}: node shape has constraints of its own but no sh:severity"


def _dead_shapes(graph: Graph) -> Iterator[str]:
    used: set[Node] = set()
    for predicate in _SHAPE_REFERENCES:
        used.update(graph.objects(None, predicate))
    for predicate in _SHAPE_LISTS:
        for head in graph.objects(None, predicate):
            used.update(Collection(graph, head))
    node_shapes = {s for s in graph.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    for shape in sorted(node_shapes, key=str):
        targeted = any((shape, p, None) in graph for p in _TARGETS)
        if not targeted and shape not in used:
            yield f"{shape_name(graph, shape)}: node shape has no target and no shape uses it"
    for property_shape in sorted(_property_shapes(graph), key=str):
        if isinstance(property_shape, URIRef) and property_shape not in used:
            name = shape_name(graph, property_shape)
            yield f"{name}: property shape is not used by any sh:property"


def _unknown_model_terms(graph: Graph, tbox: Graph) -> Iterator[str]:
    declared = set(tbox.subjects())
    seen: set[tuple[Node, URIRef]] = set()
    for s, _, term in graph:
        if not isinstance(term, URIRef) or (s, term) in seen or term in declared:
            continue
        if str(term).startswith((str(EKIP), VOCAB_BASE)):
            seen.add((s, term))
            yield (
                f"{shape_name(graph, s)}: {compact(term)} is not declared in the ontology "
                "or the concept schemes"
            )


# ---------------------------------------------------------------------------
# Names for messages


def compact(term: Node | None) -> str:
    """``ekip:aboutCity``, ``ekipsh:CityShape``, ``"one"``; full IRIs when no prefix fits."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return prefixed_name(str(term), _PREFIXES) or f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    return "[]"


def shape_name(graph: Graph, node: Node) -> str:
    """A readable name of a shape; blank shapes are named after the shape that holds them."""
    if isinstance(node, URIRef):
        return compact(node)
    steps: list[str] = []
    current: Node = node
    for _ in range(12):  # lists and nested blank shapes are shallow in practice
        parents = list(graph.subject_predicates(current))
        if not parents:
            break
        parent, predicate = parents[0]
        if predicate not in (RDF.first, RDF.rest):
            steps.append(compact(predicate))
        if isinstance(parent, URIRef):
            return f"{compact(parent)} ({' / '.join(reversed(steps))} [])"
        current = parent
    return "a blank shape"


# ---------------------------------------------------------------------------
# Validation


@dataclass(frozen=True)
class ValidationResult:
    """One line of a SHACL report, in plain Python values."""

    focus: Node
    path: URIRef | InvPath | None
    path_text: str
    value: Node | None
    severity: URIRef
    message: str
    source_shape: Node | None
    component: URIRef | None

    def __str__(self) -> str:
        where = f" {self.path_text}" if self.path_text else ""
        value = f" = {compact(self.value)}" if self.value is not None else ""
        return (
            f"{compact(self.severity).removeprefix('sh:')}: {compact(self.focus)}{where}{value}: "
            f"{self.message}"
        )


@dataclass(frozen=True)
class ValidationOutcome:
    """The results of a validation; ``conforms`` means no sh:Violation (DCAT-AP reading)."""

    results: tuple[ValidationResult, ...]
    seconds: float

    @property
    def conforms(self) -> bool:
        return not self.violations

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == SH.Violation]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == SH.Warning]

    @property
    def infos(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == SH.Info]


def validate_data(data: Graph | Dataset, shapes: Graph) -> ValidationOutcome:
    """Validate ``data`` (which should include the ontology and schemes) without inference."""
    started = time.perf_counter()
    if isinstance(data, Dataset):
        # Validate the union of all graphs: a case refers to shared entities, the ontology
        # and the schemes, which live in other named graphs.
        union = Graph()
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
        data = union
    results = tuple(sorted(run_shacl(data, shapes), key=result_order))
    return ValidationOutcome(results, time.perf_counter() - started)


def result_order(result: ValidationResult) -> tuple[str, ...]:
    """The order of results in a report: by focus node, path, message, value, shape."""
    return (
        str(result.focus),
        result.path_text,
        result.message,
        str(result.value),
        str(result.source_shape),
        str(result.component),
    )


#: the environment variable that chooses the SHACL engine (:data:`SHACL_ENGINES`)
SHACL_ENGINE_VARIABLE = "EKIPGRAPH_SHACL_ENGINE"
#: ``turbo``: pyshacl-turbo, pySHACL's API and results computed in Rust (the default: 10-15×
#: faster on ekipgraph's shapes); ``pyshacl``: pySHACL itself, the reference
#: (``tests/test_shacl_engines.py`` proves both report the same results).
SHACL_ENGINES = ("turbo", "pyshacl")


class ShaclEngineError(ValueError):
    """``EKIPGRAPH_SHACL_ENGINE`` names no engine."""


def shacl_engine() -> str:
    """The engine ``EKIPGRAPH_SHACL_ENGINE`` chooses; ``turbo`` when it is unset."""
    engine = os.environ.get(SHACL_ENGINE_VARIABLE, "").strip() or SHACL_ENGINES[0]
    if engine not in SHACL_ENGINES:
        raise ShaclEngineError(
            f"{SHACL_ENGINE_VARIABLE}={engine!r}: the SHACL engine is one of "
            + ", ".join(SHACL_ENGINES)
        )
    return engine


def shacl_engine_version(engine: str | None = None) -> str:
    """The engine and its version, part of every key under which SHACL results are cached."""
    engine = engine or shacl_engine()
    if engine == "turbo":
        return f"pyshacl-turbo {metadata.version('pyshacl-turbo')}"
    import pyshacl

    return f"pyshacl {pyshacl.__version__}"


# Compiling the shapes costs more than validating one case: the last shapes graph compiled is
# kept (the per-case route validates many small graphs with the same shapes).
_last_compiled: tuple[Graph, Any] | None = None


def _turbo_shapes(shapes: Graph) -> Any:
    global _last_compiled
    import pyshacl_turbo

    if _last_compiled is None or _last_compiled[0] is not shapes:
        _last_compiled = (shapes, pyshacl_turbo.compile_shapes(shapes))
    return _last_compiled[1]


def run_shacl(
    data: Graph | pyoxigraph.Store, shapes: Graph, engine: str | None = None
) -> list[ValidationResult]:
    """One SHACL run without inference, by ``engine`` (:func:`shacl_engine` by default).
    pySHACL reads rdflib graphs only; pyshacl-turbo reads an Oxigraph store as well."""
    if (engine or shacl_engine()) == "turbo":
        _, report, _ = _turbo_shapes(shapes).validate(
            data, inference="none", allow_warnings=True, allow_infos=True
        )
    else:
        import pyshacl

        if not isinstance(data, Graph):
            raise TypeError("pySHACL validates rdflib graphs only")
        _, report, _ = pyshacl.validate(
            data, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True
        )
    return list(_results(report, shapes))


def _results(report: Graph, shapes: Graph) -> Iterable[ValidationResult]:
    # Only the report's own results: pySHACL also types the nested sh:detail results of
    # sh:node as sh:ValidationResult, and those repeat the outer result from inside.
    results = (
        result
        for report_node in report.subjects(RDF.type, SH.ValidationReport)
        for result in report.objects(report_node, SH.result)
    )
    for result in results:
        source_shape = report.value(result, SH.sourceShape)
        path, path_text = _path(report, report.value(result, SH.resultPath))
        if path is None and source_shape is not None:
            path, path_text = _path(shapes, _required_path(shapes, source_shape))
        # SHACL gives every result a focus node, and IRIs for its severity and component.
        focus = report.value(result, SH.focusNode)
        severity = report.value(result, SH.resultSeverity)
        component = report.value(result, SH.sourceConstraintComponent)
        if focus is None or not isinstance(severity, URIRef):
            raise ValueError(f"a SHACL result without a focus node or a severity: {result}")
        yield ValidationResult(
            focus=focus,
            path=path,
            path_text=path_text,
            value=report.value(result, SH.value),
            severity=severity,
            message=_english(report.objects(result, SH.resultMessage)),
            source_shape=source_shape,
            component=component if isinstance(component, URIRef) else None,
        )


def _required_path(shapes: Graph, shape: Node) -> Node | None:
    """The property a "given, or not stated" node shape (shapes/ekip-not-stated.ttl) requires:
    the path of the first shape in its sh:or, so that its results name the property."""
    head = shapes.value(shape, SH["or"])
    if head is None:
        return None
    first = next(iter(Collection(shapes, head)), None)
    return shapes.value(first, SH.path) if first is not None else None


def _path(report: Graph, node: Node | None) -> tuple[URIRef | InvPath | None, str]:
    if node is None:
        return None, ""
    if isinstance(node, URIRef):
        return node, compact(node)
    inverse = report.value(node, SH.inversePath)
    if isinstance(inverse, URIRef):
        return InvPath(inverse), f"^{compact(inverse)}"
    return None, "(complex path)"


def _english(messages: Iterable[Node]) -> str:
    texts = [m for m in messages if isinstance(m, Literal)]
    for text in texts:
        if text.language == "en":
            return str(text)
    return str(texts[0]) if texts else ""


def shape_counts(graph: Graph) -> dict[str, int]:
    """How many node shapes, and reporting shapes per severity, the shapes graph holds.

    A reporting shape is a property shape used by a node shape, or a targeted node shape
    with a severity (such as "given, or not stated"); the shapes inside its sh:or are not
    counted again.
    """
    node_shapes = set(graph.subjects(RDF.type, SH.NodeShape))
    reporting = set(graph.objects(None, SH.property)) | {
        shape for shape in node_shapes if any((shape, p, None) in graph for p in _TARGETS)
    }
    counts = {"node shapes": len(node_shapes)}
    for severity in SEVERITIES:
        counts[compact(severity)] = sum(
            1 for shape in reporting if (shape, SH.severity, severity) in graph
        )
    return counts


__all__ = [
    "EKIPSH",
    "ShapesError",
    "ValidationOutcome",
    "ValidationResult",
    "compact",
    "lint_shapes",
    "load_shapes",
    "shacl_vocabulary_terms",
    "shape_counts",
    "shape_name",
    "validate_data",
]
