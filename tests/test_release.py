"""Release artefacts: every format reads back to the same graph, other tools import them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

from ekipgraph.namespaces import EKIP, ONTOLOGY_IRI
from ekipgraph.ontology import load_modules, load_ontology, load_vocabularies
from ekipgraph.project import default_layout
from ekipgraph.release import RDF_FORMATS, write_release

FORMAT_FOR_SUFFIX = {"ttl": "turtle", "owl": "xml", "jsonld": "json-ld", "nt": "nt"}


@pytest.fixture(scope="module")
def release_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    layout = default_layout()
    out = tmp_path_factory.mktemp("release")
    write_release(load_ontology(layout), load_vocabularies(layout), out, load_modules(layout))
    return out


def test_every_format_of_the_ontology_reads_back_isomorphic(release_dir: Path) -> None:
    source = load_ontology(default_layout())
    for suffix in RDF_FORMATS:
        parsed = Graph().parse(
            release_dir / "ontology" / f"ekip.{suffix}", format=FORMAT_FOR_SUFFIX[suffix]
        )
        assert isomorphic(parsed, source), f"ekip.{suffix} differs from ontology/ekip.ttl"


def test_every_format_of_the_patterns_ontology_reads_back_isomorphic_with_its_docs(
    release_dir: Path,
) -> None:
    [module] = load_modules(default_layout())
    assert module.name == "patterns"
    for suffix in RDF_FORMATS:
        path = release_dir / "ontology" / f"patterns.{suffix}"
        parsed = Graph().parse(path, format=FORMAT_FOR_SUFFIX[suffix])
        assert isomorphic(parsed, module.graph), f"{path.name} differs from ontology/patterns.ttl"
    page = (release_dir / "docs" / "patterns.html").read_text()
    assert "City similarity" in page and 'id="CitySimilarity"' in page


def test_every_format_of_every_vocabulary_reads_back_isomorphic(release_dir: Path) -> None:
    vocabularies = load_vocabularies(default_layout())
    assert len(vocabularies) >= 10
    for vocabulary in vocabularies:
        for suffix in RDF_FORMATS:
            path = release_dir / "vocab" / f"{vocabulary.name}.{suffix}"
            parsed = Graph().parse(path, format=FORMAT_FOR_SUFFIX[suffix])
            assert isomorphic(parsed, vocabulary.graph), f"{path.name} differs from its source"


def test_jsonld_context_names_every_ekip_term(release_dir: Path) -> None:
    context = json.loads((release_dir / "ontology" / "context.jsonld").read_text())["@context"]
    ontology = load_ontology(default_layout())
    for rdf_type in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ontology.subjects(RDF.type, rdf_type):
            if str(term).startswith(str(EKIP)):
                name = str(term).removeprefix(str(EKIP))
                assert name in context, name
    assert context["ekip"] == str(EKIP)
    assert context["availability"] == {"@id": str(EKIP.availability), "@type": "@id"}


def test_jsonld_context_compacts_data(release_dir: Path) -> None:
    """A JSON-LD document using the context expands to ekip IRIs."""
    context = json.loads((release_dir / "ontology" / "context.jsonld").read_text())
    document = {
        **context,
        "@id": "https://w3id.org/ekip/id/city/lund",
        "@type": "City",
        "inCountry": "https://w3id.org/ekip/id/country/sweden",
    }
    graph = Graph().parse(data=json.dumps(document), format="json-ld")
    assert (None, EKIP.inCountry, None) in graph
    assert (None, RDF.type, EKIP.City) in graph


def test_pylode_documents_the_ontology_and_each_scheme(release_dir: Path) -> None:
    page = (release_dir / "docs" / "ontology.html").read_text()
    assert "<html" in page
    assert "City case description" in page or "City Case Description" in page
    assert "cdn" not in page.lower(), "documentation must work offline"
    pages = sorted((release_dir / "docs" / "vocab").glob("*.html"))
    assert len(pages) == len(load_vocabularies(default_layout()))
    for page_path in pages:
        assert "skos" in page_path.read_text().lower() or "concept" in page_path.read_text().lower()


@pytest.mark.java
def test_owlready2_loads_the_rdfxml_and_hermit_finds_it_consistent(release_dir: Path) -> None:
    if shutil.which("java") is None:
        pytest.skip("Java is not installed: HermiT cannot run")
    import owlready2

    world = owlready2.World()
    ontology = world.get_ontology((release_dir / "ontology" / "ekip.owl").as_uri()).load()
    assert ontology.base_iri.rstrip("#/") == str(ONTOLOGY_IRI)
    city = ontology.search_one(iri=str(EKIP.City))
    assert city is not None
    assert "City" in city.label.en
    with ontology:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []


def test_console_script_and_module_answer_help() -> None:
    for command in (["ekipgraph", "--help"], [sys.executable, "-m", "ekipgraph", "--help"]):
        executable = shutil.which(command[0]) or str(Path(sys.executable).parent / command[0])
        result = subprocess.run(
            [executable, *command[1:]], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
        for subcommand in ("check", "release", "run"):
            assert subcommand in result.stdout
