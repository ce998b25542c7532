"""``ekipgraph publish``: the static release, and its web-server configuration answering like
the server: the rules of .htaccess and nginx parsed and checked against the server's
negotiation, and the published folder served by a real nginx and a real Apache httpd on
loopback (each when installed; skipped with the reason otherwise)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph
from serve_support import ACCEPTS, IRIS, MatrixIri, check_matrix_row, sample_store, serve_sample

from ekipgraph.publish import publish
from ekipgraph.serve.formats import document_suffix
from ekipgraph.serve.webconf import accept_rules, suffix_by_rules

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
APACHE = shutil.which("apache2") or "/usr/sbin/apache2"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, name: str) -> str:
    deadline = time.monotonic() + 10
    while True:
        try:
            httpx.get(url + "/", timeout=1)
            return url
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                raise RuntimeError(f"{name} did not start: {output}") from None
            time.sleep(0.05)


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
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("publish") / "site"
    summary = publish(out, sample_store())
    assert summary.resources > 50 and not summary.notes
    return out


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serve_sample() as url:
        yield url


def test_release_layout(release: Path) -> None:
    for name in (
        ".htaccess",
        "server/nginx-http.conf",
        "server/nginx-site.conf",
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
    assert "DirectorySlash Off" in text  # /id/case/lund-ai is a folder and an IRI
    assert "AddType text/turtle .ttl" in text and "AddType application/ld+json .jsonld" in text
    assert text.index("RewriteCond %{REQUEST_FILENAME} -f") < text.index("HTTP:Accept")


# --- the release behind a real nginx -------------------------------------------------------


@pytest.fixture(scope="module")
def nginx(release: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(NGINX).exists():
        print("nginx test skipped: nginx is not installed (apt-get install nginx-light)")
        pytest.skip("nginx is not installed (Debian: apt-get install nginx-light)")
    work = tmp_path_factory.mktemp("nginx")
    port = free_port()
    temp = "".join(
        f"{kind}_temp_path {work}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""  # pytest's folders are private to root
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    (work / "nginx.conf").write_text(f"""{user}worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
  {mime}
  include {release}/server/nginx-http.conf;
  access_log off;
  {temp}
  server {{
    listen 127.0.0.1:{port};
    root {release};
    include {release}/server/nginx-site.conf;
  }}
}}
""")
    process = subprocess.Popen(
        [NGINX, "-p", str(work), "-c", str(work / "nginx.conf")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = wait_for(f"http://127.0.0.1:{port}", process, "nginx")
    try:
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def apache(release: Path) -> Iterator[str]:
    """Apache httpd 2.4 serving a copy of the release through its .htaccess."""
    if not Path(APACHE).exists():
        print("Apache test skipped: apache2 is not installed (apt-get install apache2)")
        pytest.skip("apache2 is not installed (Debian: apt-get install apache2)")
    modules = Path("/usr/lib/apache2/modules")
    # httpd's workers run as nobody: the files must be readable by all, unlike pytest's tmp
    work = Path(tempfile.mkdtemp(prefix="ekip-apache-"))
    root = work / "site"
    shutil.copytree(release, root)
    for path in [work, *work.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    port = free_port()
    loads = "".join(
        f"LoadModule {name}_module {modules}/mod_{name}.so\n"
        for name in ("mpm_event", "authz_core", "mime", "rewrite", "headers", "dir")
    )
    (work / "httpd.conf").write_text(f"""ServerRoot {work}
ServerName 127.0.0.1
{loads}User nobody
Group nogroup
Listen 127.0.0.1:{port}
PidFile {work}/httpd.pid
ErrorLog {work}/error.log
TypesConfig /etc/mime.types
DocumentRoot {root}
<Directory {root}>
  AllowOverride All
  Require all granted
</Directory>
""")
    process = subprocess.Popen(
        [APACHE, "-f", str(work / "httpd.conf"), "-DFOREGROUND"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield wait_for(f"http://127.0.0.1:{port}", process, "Apache httpd")
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(params=["nginx", "apache"])
def webserver(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(request.param)


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
