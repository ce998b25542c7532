"""The authoring format of ekipgraph: City Case Descriptions and shared entities in YAML.

Public API::

    concepts = ConceptIndex.from_layout(layout)        # the SKOS concept ids per scheme
    corpus = load_corpus(layout.data_dir, concepts)    # raises AuthoringError (all problems)
    text = new_case("rotterdam-ai-2026", "rotterdam", "ai-and-cci")   # a scaffold

The format is documented in docs/authoring.md; ``ekipgraph.graph`` converts a corpus to RDF.
"""

from ekipgraph.cases.corpus import Corpus, load_corpus
from ekipgraph.cases.index import EntityIndex, Located
from ekipgraph.cases.problems import AuthoringError, Problem, ProblemList
from ekipgraph.cases.rdfcase import RdfCase
from ekipgraph.cases.scaffold import new_case
from ekipgraph.cases.vocab import ConceptIndex
from ekipgraph.cases.yamlload import YamlDocument, parse_yaml_text, read_yaml_file

__all__ = [
    "AuthoringError",
    "ConceptIndex",
    "Corpus",
    "EntityIndex",
    "Located",
    "Problem",
    "ProblemList",
    "RdfCase",
    "YamlDocument",
    "load_corpus",
    "new_case",
    "parse_yaml_text",
    "read_yaml_file",
]
