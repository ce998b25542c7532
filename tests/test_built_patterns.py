"""The cross-city patterns are a layer of the built store: attached by ``patterns`` and
``run``, computed and attached (with a note) by any command that finds them missing or made
from another dataset, never answered stale; and the server and the release give the build's
own files as dumps, byte for byte."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, URIRef
from serve_support import running_server
from typer.testing import CliRunner

from ekipgraph.built import (
    MANIFEST_FILE,
    NQUADS_FILE,
    OXIGRAPH_DIR,
    PATTERNS_KEY,
    PATTERNS_NQUADS_FILE,
    StaleStoreError,
    default_store_dir,
    ensure_store,
    patterns_status,
)
from ekipgraph.cli import app
from ekipgraph.connect import open_store
from ekipgraph.project import ProjectLayout
from ekipgraph.publish import publish
from ekipgraph.serve import ServeConfig, create_app
from ekipgraph.store import EmbeddedStore

PATTERNS = "https://w3id.org/ekip/graph/patterns"
EKIPP = "https://w3id.org/ekip/patterns#"
SIMILAR = (
    f"SELECT ?a ?b ?score WHERE {{ GRAPH <{PATTERNS}> {{ ?s a <{EKIPP}CitySimilarity> ; "
    f"<{EKIPP}city> ?a, ?b ; <{EKIPP}jaccard> ?score FILTER(STR(?a) < STR(?b)) }} }} "
    "ORDER BY DESC(?score) ?a ?b"
)
DERIVED_FROM = (
    f"SELECT ?graph WHERE {{ GRAPH <{PATTERNS}> {{ <{PATTERNS}> "
    "<http://www.w3.org/ns/prov#wasDerivedFrom> ?graph } } ORDER BY ?graph"
)
NOTE = "holds no cross-city patterns: computing them"


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record(project: ProjectLayout) -> dict:
    manifest = json.loads((default_store_dir(project) / MANIFEST_FILE).read_text())
    return manifest[PATTERNS_KEY]


# --- build, then query: the patterns are attached once ---------------------------------------


@pytest.fixture
def built(synthetic_home) -> ProjectLayout:
    project = synthetic_home(3, seed=5)
    result = cli("build", "--out", "dist/dataset")
    assert result.exit_code == 0, result.output
    return project


def test_build_writes_the_dataset_only_and_says_the_patterns_are_missing(
    built: ProjectLayout,
) -> None:
    store = default_store_dir(built)
    assert not (store / PATTERNS_NQUADS_FILE).exists()
    assert (store / "ekip.trig").read_bytes() == Path("dist/dataset/ekip.trig").read_bytes()
    assert patterns_status(built, store) == "it holds no cross-city patterns"
    with pytest.raises(StaleStoreError, match="no cross-city patterns; run ekipgraph patterns"):
        ensure_store(built, rebuild=False)


def test_a_query_after_build_answers_from_attached_patterns_computed_once(
    built: ProjectLayout,
) -> None:
    first = cli("query", "-e", SIMILAR, "--format", "csv")
    assert first.exit_code == 0, first.output
    assert NOTE in first.output  # on stderr, mixed into the runner's output
    rows = [line for line in first.output.splitlines() if line.startswith("https://")]
    assert rows, first.output
    store = default_store_dir(built)
    assert record(built)["dataset_sha256"] == sha256(store / NQUADS_FILE)
    attached = (store / MANIFEST_FILE).stat().st_ino, (store / OXIGRAPH_DIR).stat().st_ino

    second = cli("query", "-e", SIMILAR, "--format", "csv")
    assert second.exit_code == 0, second.output
    assert "computing" not in second.output and "stale" not in second.output
    assert [line for line in second.output.splitlines() if line.startswith("https://")] == rows
    assert ((store / MANIFEST_FILE).stat().st_ino, (store / OXIGRAPH_DIR).stat().st_ino) == (
        attached
    )


def test_after_a_data_edit_the_patterns_are_those_of_the_new_data(built: ProjectLayout) -> None:
    before = cli("query", "-e", DERIVED_FROM, "--format", "csv")
    assert before.exit_code == 0, before.output
    removed = "https://w3id.org/ekip/graph/case/synthetic-case-00002"
    assert removed in before.output
    (built.data_dir / "cases" / "synthetic-case-00002.yaml").unlink()

    after = cli("query", "-e", DERIVED_FROM, "--format", "csv")
    assert after.exit_code == 0, after.output
    assert "stale" in after.output and NOTE in after.output
    assert removed not in after.output
    assert "synthetic-case-00001" in after.output
    store = default_store_dir(built)
    assert record(built)["dataset_sha256"] == sha256(store / NQUADS_FILE)
    assert patterns_status(built, store) is None


def test_patterns_made_from_another_dataset_are_recomputed(built: ProjectLayout) -> None:
    """A store folder whose ekip.nq is not the one its patterns were computed from (as a
    store patched by a later build would be) gets new patterns before it is read."""
    assert cli("query", "-e", DERIVED_FROM).exit_code == 0
    store = default_store_dir(built)
    manifest = json.loads((store / MANIFEST_FILE).read_text())
    manifest[PATTERNS_KEY]["dataset_sha256"] = "0" * 64
    manifest[PATTERNS_KEY]["dataset_stat"] = [0, 0, 0]
    (store / MANIFEST_FILE).write_text(json.dumps(manifest))
    assert patterns_status(built, store) == (
        "its cross-city patterns were computed from another dataset"
    )
    again = cli("query", "-e", DERIVED_FROM, "--format", "csv")
    assert again.exit_code == 0, again.output
    assert "computed from another dataset: computing them" in again.output
    assert patterns_status(built, store) is None


def test_the_patterns_command_attaches_what_it_wrote(built: ProjectLayout) -> None:
    result = cli("patterns", "--out", "dist/patterns")
    assert result.exit_code == 0, result.output
    assert "computing them" not in result.output  # computed once, by the command itself
    store = default_store_dir(built)
    for name in ("patterns.nq", "patterns.trig"):
        assert (store / name).read_bytes() == Path("dist/patterns", name).read_bytes()
    assert patterns_status(built, store) is None
    quads = ox.Store.read_only(str(store / OXIGRAPH_DIR)).quads_for_pattern(
        None, None, None, ox.NamedNode(PATTERNS)
    )
    lines = Path("dist/patterns/patterns.nq").read_text().splitlines()
    assert sum(1 for _ in quads) == len(lines)


# --- run, then serve and publish --------------------------------------------------------------


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory, layout: ProjectLayout) -> Iterator[ProjectLayout]:
    """A synthetic project after ``ekipgraph run`` into its dist/."""
    from ekipgraph.synth import synthesise

    root = tmp_path_factory.mktemp("ran")
    with pytest.MonkeyPatch.context() as patch:
        project = synthesise(3, root / "project", seed=11, source=layout)
        patch.setenv("EKIPGRAPH_HOME", str(project.root))
        patch.setenv("EKIPGRAPH_CACHE", str(root / "cache"))
        patch.chdir(root)
        result = cli("run", "--no-reasoner", "--out", str(project.root / "dist"))
        assert result.exit_code == 0, result.output
        yield project


def dist(project: ProjectLayout, *parts: str) -> bytes:
    return project.root.joinpath("dist", *parts).read_bytes()


BUILT_FILES = {
    "ekip.nq": ("dataset", "ekip.nq"),
    "ekip.trig": ("dataset", "ekip.trig"),
    "patterns.nq": ("patterns", "patterns.nq"),
    "patterns.trig": ("patterns", "patterns.trig"),
}


def test_run_attaches_the_patterns_it_computed(ran: ProjectLayout, capsys) -> None:
    store = default_store_dir(ran)
    for name, parts in BUILT_FILES.items():
        assert (store / name).read_bytes() == dist(ran, *parts), name
    assert ensure_store(ran, rebuild=False) == store
    assert "computing" not in capsys.readouterr().err


def test_patterns_read_from_a_store_holding_patterns_are_the_same(ran: ProjectLayout) -> None:
    """The network queries see the dataset only: patterns computed from the store that holds
    graph/patterns are those computed from the dataset alone."""
    from ekipgraph.analyse import patterns_nquads, run_patterns

    store = EmbeddedStore.read_only(default_store_dir(ran) / OXIGRAPH_DIR)
    assert patterns_nquads(run_patterns(store)).encode() == dist(ran, "patterns", "patterns.nq")


def test_served_dumps_are_the_built_files(ran: ProjectLayout, capsys) -> None:
    with running_server(create_app(open_store())) as base:
        assert "computing" not in capsys.readouterr().err
        for name, parts in BUILT_FILES.items():
            response = httpx.get(f"{base}/dumps/{name}", headers={"Accept-Encoding": "identity"})
            assert response.status_code == 200, name
            assert response.content == dist(ran, *parts), name
            assert response.headers["access-control-allow-origin"] == "*"
        assert (
            httpx.get(f"{base}/dumps/ekip.nq")
            .headers["content-type"]
            .startswith("application/n-quads")
        )
        union = httpx.get(f"{base}/dumps/ekip.ttl")
        assert union.status_code == 200
        turtle = Graph().parse(data=union.content, format="turtle")
        assert len(turtle) > 1000
        # the dataset only: the terms' definitions, no results
        assert (None, RDF.type, URIRef(EKIPP + "CitySimilarity")) not in turtle
        assert httpx.get(f"{base}/dumps/other.nq").status_code == 404

        answer = httpx.get(
            f"{base}/sparql",
            params={"query": SIMILAR},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert answer.status_code == 200
        bindings = answer.json()["results"]["bindings"]
        assert bindings and {"a", "b", "score"} <= set(bindings[0])

        void = Graph().parse(data=httpx.get(f"{base}/dataset.ttl").content, format="turtle")
        dataset = URIRef("https://w3id.org/ekip/dataset")
        part = URIRef("https://w3id.org/ekip/dataset#patterns")
        vocab = "http://rdfs.org/ns/void#"
        assert (dataset, URIRef(vocab + "subset"), part) in void
        dumps = set(void.objects(part, URIRef(vocab + "dataDump")))
        assert dumps == {
            URIRef("https://w3id.org/ekip/dumps/patterns.nq"),
            URIRef("https://w3id.org/ekip/dumps/patterns.trig"),
        }
        catalog = URIRef("https://w3id.org/ekip/dataset#catalog")
        assert (catalog, URIRef("http://www.w3.org/ns/dcat#dataset"), part) in void


def test_published_dumps_are_the_built_files(ran: ProjectLayout, tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish(out, open_store())
    for name, parts in BUILT_FILES.items():
        assert (out / "dumps" / name).read_bytes() == dist(ran, *parts), name
    assert (out / "dumps" / "ekip.ttl").stat().st_size > 0
    assert (out / "dumps" / "ekip.nq").stat().st_mode & 0o777 == 0o644
    # the built files themselves keep their modes: the release holds copies
    assert (default_store_dir(ran) / "ekip.nq").stat().st_nlink >= 1


def test_after_an_update_the_dumps_are_the_updated_store(ran: ProjectLayout) -> None:
    token = "s3cret"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    insert = (
        "INSERT DATA { GRAPH <https://w3id.org/ekip/graph/shared> { "
        f'<https://w3id.org/ekip/id/city/updated> {label} "Updated"@en }} '
        f"GRAPH <{PATTERNS}> {{ <https://w3id.org/ekip/id/pattern/updated> "
        f'{label} "Added result"@en }} }}'
    )
    config = ServeConfig(update_token=token)
    with running_server(create_app(open_store(writable=True), config)) as base:
        before = httpx.get(f"{base}/dumps/ekip.nq")
        assert before.content == dist(ran, "dataset", "ekip.nq")  # unchanged: the built file
        done = httpx.post(
            f"{base}/sparql",
            content=insert,
            headers={
                "Content-Type": "application/sparql-update",
                "Authorization": f"Bearer {token}",
            },
        )
        assert done.status_code == 200, done.text
        quads = {
            name: list(ox.parse(httpx.get(f"{base}/dumps/{name}").content, format=fmt))
            for name, fmt in (
                ("ekip.nq", ox.RdfFormat.N_QUADS),
                ("ekip.trig", ox.RdfFormat.TRIG),
                ("patterns.nq", ox.RdfFormat.N_QUADS),
                ("patterns.trig", ox.RdfFormat.TRIG),
            )
        }
        city = ox.NamedNode("https://w3id.org/ekip/id/city/updated")
        result = ox.NamedNode("https://w3id.org/ekip/id/pattern/updated")
        for name in ("ekip.nq", "ekip.trig"):
            assert any(q.subject == city for q in quads[name]), name
            assert not any(q.subject == result for q in quads[name]), name
        for name in ("patterns.nq", "patterns.trig"):
            assert any(q.subject == result for q in quads[name]), name
            assert all(q.graph_name == ox.NamedNode(PATTERNS) for q in quads[name]), name
        union = httpx.get(f"{base}/dumps/ekip.ttl").content
        assert any(t.subject == city for t in ox.parse(union, format=ox.RdfFormat.TURTLE))
    # the built store stays as built
    assert (default_store_dir(ran) / "ekip.nq").read_bytes() == dist(ran, "dataset", "ekip.nq")


def test_a_store_without_patterns_serves_no_patterns_dump() -> None:
    from serve_support import sample_store

    with running_server(create_app(sample_store())) as base:
        assert httpx.get(f"{base}/dumps/patterns.nq").status_code == 404
        assert httpx.get(f"{base}/dumps/ekip.nq").status_code == 200
        void = Graph().parse(data=httpx.get(f"{base}/dataset.ttl").content, format="turtle")
        assert (None, None, URIRef("https://w3id.org/ekip/dataset#patterns")) not in void
