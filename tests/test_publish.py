"""``ekipgraph publish``: the static release, and its web-server configuration answering like
the server: the rules of .htaccess and nginx parsed and checked against the server's
negotiation, and the published folder served by a real nginx and a real Apache httpd on
loopback (each when installed; skipped with the reason otherwise)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
from rdflib import Graph, URIRef
from serve_support import ACCEPTS, IRIS, MatrixIri, check_matrix_row, sample_store, serve_sample
from webservers import (
    apache_installed,
    free_port,
    nginx_installed,
    process_user,
    public_temp_folder,
    run_apache,
    run_nginx,
)

from ekipgraph.namespaces import BASE
from ekipgraph.publish import publish
from ekipgraph.serve.formats import document_suffix
from ekipgraph.serve.webconf import ALLOW_OVERRIDE, accept_rules, suffix_by_rules

#: Accept headers of real clients, and of the matrix.
CORPUS = [
    *(header for header, _ in ACCEPTS.values() if header is not None),
    "",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",  # Firefox
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8,image/webp",
    "application/rdf+xml, */*;q=0.1",  # rdflib, format="xml"
    "text/turtle, application/x-turtle, */*;q=0.1",  # rdflib, format="turtle"
    "application/ld+json, application/json;q=0.9, */*;q=0.1",  # rdflib, format="json-ld"
    "text/plain, */*;q=0.1",  # rdflib, format="nt"
    "application/rdf+xml, application/xml; q=0.7, text/xml; q=0.6, text/plain; q=0.1, */*; q=0.09",
    "text/turtle,application/n-triples;q=0.9,application/ld+json;q=0.8,application/rdf+xml;q=0.7,"
    "*/*;q=0.5",
    "application/n-triples, text/turtle;q=0.9",
    "application/json",
    "text/*",
    "application/*",
    "text/html;q=0.1, application/rdf+xml;q=0.2",
    "image/png",
    "application/sparql-results+json",
    "TEXT/TURTLE",
    "text/turtle ; q=0.8 , text/html ; q=0.7",
    'application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"',
    "text/html;level=1",
]


def rdflib_default_accept() -> str:
    from rdflib.parser import Parser
    from rdflib.plugin import plugins

    return ", ".join(p.name for p in plugins(kind=Parser) if "/" in p.name)


@pytest.fixture(scope="module")
def site_port() -> int:
    """nginx's port, known before publishing: the w3id.org rules redirect to it."""
    return free_port()


@pytest.fixture(scope="module")
def release(site_port: int) -> Iterator[Path]:
    """The published folder, in a folder other users may traverse (as on a web host)."""
    parent = public_temp_folder("ekip-publish-")
    out = parent / "site"
    summary = publish(out, sample_store(), site_url=f"http://127.0.0.1:{site_port}")
    assert summary.resources > 50 and not summary.notes
    yield out
    shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serve_sample() as url:
        yield url


def test_release_layout(release: Path) -> None:
    for name in (
        ".htaccess",
        "server/nginx-http.conf",
        "server/nginx-site.conf",
        "server/w3id.htaccess",
        "ontology/logo.svg",
        "index.html",
        "dataset.ttl",
        "dataset.html",
        "dumps/ekip.trig",
        "dumps/ekip.nq",
        "dumps/ekip.ttl",
        "ontology.html",
        "ontology.ttl",
        "ontology/0.1.0.rdf",
        "ontology/context.jsonld",
        "release/0.1.0/ontology/ekip.owl",
        "release/latest/ontology/ekip.ttl",
        "release/0.1.0/ontology/context.jsonld",
        "release/latest/docs/ontology.html",
        "release/0.1.0/vocab/policy-area.jsonld",
        "static/ekip.css",
        "id/city/lund.html",
        "id/case/lund-ai/gap/talent-drain.nt",
        "vocab/policy-area/ai-and-cci.jsonld",
        "graph/case/lund-ai.ttl",
    ):
        assert (release / name).is_file(), name
    assert not list(release.rglob("*.ttl.ttl"))
    assert 'href="/sparql"' not in (release / "id/city/lund.html").read_text("utf-8")


@pytest.mark.parametrize("iri", IRIS, ids=lambda i: i.name)
def test_published_documents_are_the_servers(release: Path, server: str, iri: MatrixIri) -> None:
    path = iri.request_path
    for suffix in ("ttl", "jsonld", "nt", "rdf"):
        published = (release / f"{path.lstrip('/')}.{suffix}").read_bytes()
        assert published == httpx.get(f"{server}{path}.{suffix}").content, (path, suffix)


def parsed_htaccess_rules(text: str) -> list[tuple[str, str]]:
    rules = re.findall(
        r"RewriteCond %\{HTTP:Accept\} (\S+) \[NC\]\nRewriteRule \^ - \[E=EKIP_SUFFIX:(\w+)\]", text
    )
    return [(pattern, suffix) for pattern, suffix in rules]


def parsed_nginx_rules(text: str) -> list[tuple[str, str]]:
    return re.findall(r'^\s+"~\*(.+)" (\w+);$', text, re.MULTILINE)


def test_shipped_rules_are_the_generated_ones(release: Path) -> None:
    expected = accept_rules()
    assert parsed_htaccess_rules((release / ".htaccess").read_text()) == expected
    assert parsed_nginx_rules((release / "server/nginx-http.conf").read_text()) == expected


@pytest.mark.parametrize("accept", [*CORPUS, rdflib_default_accept()])
def test_web_server_rules_negotiate_like_the_server(release: Path, accept: str) -> None:
    for rules in (
        parsed_htaccess_rules((release / ".htaccess").read_text()),
        parsed_nginx_rules((release / "server/nginx-http.conf").read_text()),
    ):
        chosen = next((s for p, s in rules if re.search(p, accept, re.IGNORECASE)), None)
        assert chosen == document_suffix(accept), accept
    assert suffix_by_rules(accept) == document_suffix(accept)


def test_htaccess_redirects_iris_and_refuses_like_the_server(release: Path) -> None:
    text = (release / ".htaccess").read_text()
    assert "RewriteRule ^ %{REQUEST_URI}.%{ENV:EKIP_SUFFIX} [R=303,L,E=EKIP_CONNEG:1]" in text
    assert "RewriteRule ^ - [R=406,L]" in text
    # only FileInfo directives: no Options, DirectorySlash or DirectoryIndex
    assert not re.search(r"^\s*(Options|DirectorySlash|DirectoryIndex)\b", text, re.MULTILINE)
    assert "AddType text/turtle .ttl" in text and "AddType application/ld+json .jsonld" in text
    assert text.index("RewriteCond %{REQUEST_FILENAME} -f") < text.index("HTTP:Accept")


# --- the release behind a real nginx and a real Apache, each as its own unprivileged user ---


@pytest.fixture(scope="module")
def nginx(release: Path, site_port: int) -> Iterator[str]:
    if not nginx_installed():
        print("nginx test skipped: nginx is not installed (apt-get install nginx-light)")
        pytest.skip("nginx is not installed (Debian: apt-get install nginx-light)")
    with run_nginx(release, site_port) as running:
        yield running.url


@pytest.fixture(scope="module")
def apache(release: Path) -> Iterator[str]:
    """Apache httpd 2.4 serving the release through its .htaccess, with AllowOverride
    FileInfo only (the .htaccess must not need more)."""
    if not apache_installed():
        print("Apache test skipped: apache2 is not installed (apt-get install apache2)")
        pytest.skip("apache2 is not installed (Debian: apt-get install apache2)")
    with run_apache(release, allow_override=ALLOW_OVERRIDE) as running:
        yield running.url


@pytest.fixture(params=["nginx", "apache"])
def webserver(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(request.param)


def test_web_servers_run_unprivileged(release: Path) -> None:
    """Neither server runs as root, nor as the owner of the files."""
    owner = release.stat().st_uid
    for run, installed in ((run_nginx, nginx_installed), (run_apache, apache_installed)):
        if not installed():
            continue
        with run(release) as running:
            users = {process_user(running.process.pid)}
            children = Path(f"/proc/{running.process.pid}/task/{running.process.pid}/children")
            users |= {process_user(int(pid)) for pid in children.read_text().split()}
            assert 0 not in users, (run.__name__, users)
            if os.geteuid() == 0:
                assert owner not in users, (run.__name__, users)
            assert httpx.get(running.url + "/id/city/lund.ttl").status_code == 200


@pytest.mark.parametrize("accept", list(ACCEPTS))
@pytest.mark.parametrize("iri", IRIS, ids=lambda i: i.name)
def test_web_servers_serve_the_conneg_matrix(webserver: str, iri: MatrixIri, accept: str) -> None:
    check_matrix_row(webserver, iri, accept)


def test_web_servers_answer_like_the_server(webserver: str, server: str) -> None:
    checks = [
        ("/id/city/nowhere", "text/turtle"),
        ("/id/city/lund", "image/png"),
        ("/.well-known/void", "text/turtle"),
        ("/.well-known/void", "image/png"),
        ("/id/case/lund-ai", "application/n-triples"),
        ("/ontology", rdflib_default_accept()),
    ]
    for path, accept in checks:
        ours = httpx.get(server + path, headers={"Accept": accept})
        theirs = httpx.get(webserver + path, headers={"Accept": accept})
        assert ours.status_code == theirs.status_code, (path, accept)
        header = theirs.headers.get("location")
        location = httpx.URL(header).path if header else None
        assert ours.headers.get("location") == location, (path, accept)
    for path in ("/dumps/ekip.trig", "/ontology/context.jsonld", "/id/city/lund.rdf"):
        ours, theirs = httpx.get(server + path), httpx.get(webserver + path)
        assert ours.content == theirs.content, path
        media_type = theirs.headers["content-type"].split(";")[0]
        assert ours.headers["content-type"].split(";")[0] == media_type, path
    assert httpx.get(webserver + "/.htaccess").status_code == 403
    assert len(Graph().parse(webserver + "/id/city/lund")) > 3  # rdflib through the web server


#: (path, Accept, status): every kind of answer the web servers give.
ANSWERS = [
    ("/id/city/lund", "text/turtle", 303),
    ("/id/case/lund-ai", "text/html", 303),  # an IRI that is also a folder
    ("/.well-known/void", "application/ld+json", 303),
    ("/id/city/lund", "image/png", 406),
    ("/id/city/nowhere", "text/turtle", 404),
    ("/id/city/", "text/html", 404),  # a folder that is no IRI: no listing
    ("/id/city/lund.ttl", "text/turtle", 200),
    ("/", "text/html", 200),
    ("/ontology/logo.svg", "image/*", 200),
]


@pytest.mark.parametrize(("path", "accept", "status"), ANSWERS)
def test_every_answer_carries_cors(webserver: str, path: str, accept: str, status: int) -> None:
    answer = httpx.get(webserver + path, headers={"Accept": accept})
    assert answer.status_code == status, (path, answer.status_code)
    assert answer.headers.get("access-control-allow-origin") == "*", (path, answer.headers)


def test_home_page_and_logo(webserver: str) -> None:
    home = httpx.get(webserver + "/")
    assert home.status_code == 200 and "<html" in home.text.lower()
    logo = httpx.get(webserver + "/ontology/logo.svg")
    assert logo.headers["content-type"].startswith("image/svg+xml")
    assert ElementTree.fromstring(logo.content).tag == "{http://www.w3.org/2000/svg}svg"


def test_release_is_readable_by_others(release: Path) -> None:
    for path in [release, *release.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o755 if path.is_dir() else 0o644), (path, oct(mode))


# --- w3id.org: a local Apache stands in for it, redirecting to the published site ----------


@pytest.fixture(scope="module")
def w3id(release: Path, nginx: str) -> Iterator[str]:
    """Apache with the release's server/w3id.htaccess as the w3id.org repository's ekip/
    folder (w3id.org permits all overrides); its redirects lead to the site on nginx."""
    if not apache_installed():
        pytest.skip("apache2 is not installed (Debian: apt-get install apache2)")
    root = public_temp_folder("ekip-w3id-")
    (root / "ekip").mkdir(mode=0o755)
    shutil.copy(release / "server" / "w3id.htaccess", root / "ekip" / ".htaccess")
    (root / "ekip" / ".htaccess").chmod(0o644)
    try:
        with run_apache(root, allow_override="All") as running:
            yield running.url
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("accept", list(ACCEPTS))
@pytest.mark.parametrize("iri", IRIS, ids=lambda i: i.name)
def test_w3id_iris_resolve_to_the_site(w3id: str, nginx: str, iri: MatrixIri, accept: str) -> None:
    header, suffix = ACCEPTS[accept]
    headers = {"Accept": header} if header is not None else {}
    with httpx.Client(timeout=30) as client:
        if header is None:
            client.headers.pop("Accept", None)
        first = client.get(f"{w3id}/ekip{iri.request_path}", headers=headers)
        assert first.status_code == 303, (iri.name, accept, first.status_code)
        assert first.headers["location"] == f"{nginx}{iri.request_path}.{suffix}"
        assert "accept" in first.headers.get("vary", "").lower()
        assert first.headers.get("access-control-allow-origin") == "*"
        document = client.get(first.headers["location"], headers=headers)
    assert document.status_code == 200, (iri.name, accept)
    if suffix != "html":
        formats = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}
        graph = Graph().parse(data=document.content, format=formats[suffix])
        named = URIRef(BASE + iri.request_path.lstrip("/"))
        assert (named, None, None) in graph or (None, None, named) in graph, iri.name


def test_w3id_passes_files_and_refuses_like_the_site(w3id: str, nginx: str) -> None:
    for path in ("/dumps/ekip.trig", "/ontology/logo.svg", "/id/city/lund.jsonld"):
        answer = httpx.get(f"{w3id}/ekip{path}")
        assert answer.status_code == 302, path
        assert answer.headers["location"] == nginx + path
    answer = httpx.get(f"{w3id}/ekip/.well-known/void", headers={"Accept": "text/turtle"})
    assert answer.headers["location"] == f"{nginx}/dataset.ttl"
    assert (
        httpx.get(f"{w3id}/ekip/id/city/lund", headers={"Accept": "image/png"}).status_code == 406
    )
    home = httpx.get(f"{w3id}/ekip/", follow_redirects=True)
    assert home.status_code == 200 and str(home.url) == nginx + "/"
    # rdflib resolves a w3id IRI through both hops
    assert len(Graph().parse(f"{w3id}/ekip/id/city/lund")) > 3
