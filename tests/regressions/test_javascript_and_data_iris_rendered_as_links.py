"""``javascript:`` and ``data:`` IRIs in the data were rendered as clickable links, and the
pages had no Content-Security-Policy. Now only http, https and mailto IRIs become links
(others are shown as text), and every response carries a CSP that allows scripts from the
server only (no inline script, no eval) and ``X-Content-Type-Options: nosniff``."""

from __future__ import annotations

import re

import httpx
import pyoxigraph as ox
from serve_support import sample_store, serve_sample

CITY = "https://w3id.org/ekip/id/city/lund"
HOMEPAGE = ox.NamedNode("http://xmlns.com/foaf/0.1/homepage")
SEE_ALSO = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
HOSTILE = [
    "javascript:alert(document.domain)",
    "JavaScript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
]
FINE = ["https://example.org/a", "http://example.org/b", "mailto:someone@example.org"]


def test_only_web_and_mail_iris_are_links() -> None:
    store = sample_store()
    graph = ox.NamedNode("https://w3id.org/ekip/graph/case/lund-ai")
    for iri in HOSTILE + FINE:
        store.store.add(ox.Quad(ox.NamedNode(CITY), SEE_ALSO, ox.NamedNode(iri), graph))
    with serve_sample(store=store) as base:
        page = httpx.get(base + "/id/city/lund.html", timeout=30)
    assert page.status_code == 200
    hrefs = re.findall(r'<a [^>]*href="([^"]*)"', page.text)
    for iri in HOSTILE:
        assert not [h for h in hrefs if h.lower().startswith(iri.split(":")[0].lower() + ":")]
        assert iri.replace("&", "&amp;") in page.text or iri in page.text  # shown as text
    for iri in FINE:
        assert iri in hrefs


def test_every_response_has_the_security_headers() -> None:
    with serve_sample() as base:
        for path in ("/", "/sparql", "/id/city/lund.html", "/id/city/lund.ttl", "/nothing"):
            response = httpx.get(base + path, headers={"Accept": "text/html"}, timeout=30)
            csp = response.headers.get("content-security-policy", "")
            assert response.headers.get("x-content-type-options") == "nosniff", path
            script = re.search(r"script-src ([^;]*)", csp)
            assert script, (path, csp)
            assert "'unsafe-inline'" not in script.group(1)
            assert "'unsafe-eval'" not in script.group(1)
            assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
            if response.headers.get("content-type", "").startswith("text/html"):
                # nothing inline that the policy would block
                assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.text), path
                assert not re.search(r"\son[a-z]+=", response.text), path
