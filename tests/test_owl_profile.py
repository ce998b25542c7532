"""The vocabularies as OWL 2 DL ontologies: each scheme file has an owl:Ontology header
(version IRI, licence, creator, imports), and the OWL API's OWL 2 DL profile check passes
on the ontology and all vocabularies merged (skipped, with the reason, without a JDK and
Debian's libowlapi-java)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from ekipgraph.checks import profile, run_all
from ekipgraph.checks.model import Family
from ekipgraph.checks.profile import owl_dl_available, owl_dl_violations, summary
from ekipgraph.namespaces import ONTOLOGY_IRI
from ekipgraph.project import default_layout

LAYOUT = default_layout()
MISSING = owl_dl_available()
if MISSING:
    print(f"OWL 2 DL profile tests skipped: {MISSING}")
needs_owlapi = pytest.mark.skipif(MISSING is not None, reason=str(MISSING))


@pytest.mark.parametrize("path", LAYOUT.vocab_files(), ids=lambda p: p.stem)
def test_every_vocabulary_is_a_named_versioned_ontology(path: Path) -> None:
    graph = Graph().parse(path)
    ontologies = list(graph.subjects(RDF.type, OWL.Ontology))
    assert len(ontologies) == 1, path.name
    ontology = ontologies[0]
    assert (ontology, RDF.type, SKOS.ConceptScheme) in graph  # the scheme is the ontology
    version = str(graph.value(ontology, OWL.versionInfo))
    assert graph.value(ontology, OWL.versionIRI) == URIRef(f"{ontology}/{version}")
    assert graph.value(ontology, DCTERMS.license) is not None
    assert graph.value(ontology, DCTERMS.creator) is not None
    assert (ontology, OWL.imports, ONTOLOGY_IRI) in graph
    # the header stays at the top of the file, before the scheme and its concepts
    text = path.read_text("utf-8")
    assert text.index("a owl:Ontology") < text.index("a skos:Concept")


@pytest.mark.slow
@needs_owlapi
def test_ontology_and_vocabularies_are_owl2_dl() -> None:
    violations = owl_dl_violations(
        LAYOUT.ontology_file, [*LAYOUT.module_files, *LAYOUT.vocab_files()]
    )
    print(f"OWL 2 DL profile violations: {len(violations)} ({summary(violations)})")
    assert not violations, [v.message for v in violations[:20]]


@pytest.mark.slow
@needs_owlapi
def test_the_profile_check_finds_undeclared_terms(tmp_path: Path) -> None:
    """A scheme without its SKOS declarations is not OWL 2 DL: the check must say so."""
    source = next(p for p in LAYOUT.vocab_files() if p.stem == "policy-area")
    broken = tmp_path / source.name
    broken.write_text(
        re.sub(
            r"^skos:\w+ a owl:AnnotationProperty \.\n", "", source.read_text("utf-8"), flags=re.M
        ),
        "utf-8",
    )
    others = [p for p in LAYOUT.vocab_files() if p != source]
    violations = owl_dl_violations(LAYOUT.ontology_file, [broken, *others])
    kinds = {v.kind for v in violations}
    assert kinds == {"UseOfUndeclaredAnnotationProperty"}, summary(violations)
    assert any("skos/core#prefLabel" in v.message for v in violations)
    assert {v.ontology for v in violations} == {"https://w3id.org/ekip/vocab/policy-area"}


@pytest.mark.slow
@needs_owlapi
def test_the_profile_check_finds_undeclared_terms_in_the_patterns_module(tmp_path: Path) -> None:
    """The patterns ontology declares the PROV-O and ekip terms it uses; without them it is
    not OWL 2 DL, and the violations name the patterns ontology."""
    [source] = LAYOUT.module_files
    broken = tmp_path / source.name
    text = source.read_text("utf-8")
    broken.write_text(re.sub(r"^prov:\w+ a owl:\w+ \.\n", "", text, flags=re.M), "utf-8")
    assert broken.read_text("utf-8") != text
    violations = owl_dl_violations(LAYOUT.ontology_file, [broken, *LAYOUT.vocab_files()])
    assert violations
    assert {v.ontology for v in violations} == {"https://w3id.org/ekip/patterns"}
    assert any("prov#used" in v.message for v in violations)


@pytest.mark.slow
@needs_owlapi
def test_ekipgraph_check_runs_the_profile_check() -> None:
    report = run_all(LAYOUT.ontology_file, LAYOUT.vocab_files(), with_reasoner=False,
                     module_paths=LAYOUT.module_files, with_profile=True)  # fmt: skip
    [finding] = report.by_family(Family.PROFILE)
    assert finding.passed and "OWL 2 DL" in finding.message
    assert "patterns.ttl" in finding.source


def test_without_a_jdk_the_profile_check_is_skipped_not_passed(monkeypatch) -> None:
    monkeypatch.setattr(profile, "owl_dl_available", lambda: "no JDK (`javac`)")
    [finding] = profile.run(LAYOUT.ontology_file, LAYOUT.vocab_files())
    assert finding.skipped and not finding.passed and not finding.blocking
