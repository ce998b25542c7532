"""HTML for people: entity pages with links in and out, sources and alternates; the ontology
docs (pyLODE); the home page; the VoID/DCAT description of the dataset."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from serve_support import serve_sample

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DATASET = URIRef("https://w3id.org/ekip/dataset")


class Links(HTMLParser):
    """Collects <a href> and <link rel=alternate> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.alternates: dict[str, str] = {}
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        if tag == "link" and values.get("rel") == "alternate":
            self.alternates[values.get("type") or ""] = values.get("href") or ""
        if tag in ("script", "link", "img") and (values.get("src") or values.get("href")):
            self.assets.append(values.get("src") or values.get("href") or "")


def links(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve_sample() as url:
        yield url


def page(base: str, path: str) -> str:
    response = httpx.get(base + path, headers={"Accept": "text/html"}, follow_redirects=True)
    assert response.status_code == 200, (path, response.status_code)
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_entity_page_links_out_and_in_to_local_pages(base: str) -> None:
    html = page(base, "/id/city/lund")
    parsed = links(html)
    assert "<h1>Lund</h1>" in html
    assert "/id/country/se.html" in parsed.hrefs  # out: ekip:inCountry
    assert "/id/case/lund-ai.html" in parsed.hrefs  # in: ekip:aboutCity
    assert "/id/organisation/lund-university.html" in parsed.hrefs  # in: ekip:basedIn
    assert "/ontology.html#City" in parsed.hrefs  # its type
    assert "/ontology.html#inCountry" in parsed.hrefs  # a property, to its documentation
    assert "https://futurebylund.se/en/var-metod" in parsed.hrefs  # its source
    assert "Vår metod (Future by Lund)" in html  # the source's title
    assert parsed.alternates == {
        "text/turtle": "/id/city/lund.ttl",
        "application/ld+json": "/id/city/lund.jsonld",
        "application/n-triples": "/id/city/lund.nt",
        "application/rdf+xml": "/id/city/lund.rdf",
    }


def test_every_local_link_of_a_page_resolves(base: str) -> None:
    for path in (
        "/id/case/lund-ai.html",
        "/vocab/policy-area/ai-and-cci.html",
        "/",
        "/graph/case/lund-ai.html",
        "/dataset.html",
    ):
        for href in links(page(base, path)).hrefs:
            if href.startswith("/"):
                target = href.split("#")[0]
                status = httpx.get(base + target, headers={"Accept": "text/html"}).status_code
                assert status in (200, 303), (path, href, status)


def test_literals_keep_their_language_and_html_is_escaped(base: str) -> None:
    html = page(base, "/id/case/lund-ai")
    assert "City Case Description: Lund &amp; Artificial Intelligence" in html
    assert '<span class="note">en</span>' in html


def test_nested_case_parts_and_graphs_have_pages(base: str) -> None:
    gap = page(base, "/id/case/lund-ai/gap/talent-drain")
    assert "Talent drain to larger cities" in gap and "/id/case/lund-ai.html" in gap
    graph = page(base, "/graph/case/lund-ai")
    assert "Resources in this graph" in graph and "/id/case/lund-ai/gap/talent-drain.html" in graph


def test_a_concept_scheme_lists_its_concepts(base: str) -> None:
    html = page(base, "/vocab/policy-area")
    assert "/vocab/policy-area/ai-and-cci.html" in html


def test_the_ontology_iri_gives_pylode_docs_to_browsers(base: str) -> None:
    for path in ("/ontology", "/ontology/0.1.0"):
        html = page(base, path)
        assert 'id="Actor"' in html and "ekip ontology" in html
        assert not [a for a in links(html).assets if a.startswith("http")], "fully offline"


def test_home_page_lists_entities_and_entry_points(base: str) -> None:
    html = page(base, "/")
    hrefs = links(html).hrefs
    assert {"/sparql", "/ontology.html", "/dataset.html", "/dumps/ekip.trig"} <= set(hrefs)
    assert "/id/city/lund.html" in hrefs and "/vocab/policy-area.html" in hrefs


def test_void_and_dcat_description(base: str) -> None:
    graph = Graph().parse(data=httpx.get(base + "/dataset.ttl").content, format="turtle")
    assert (DATASET, RDF.type, VOID.Dataset) in graph and (DATASET, RDF.type, DCAT.Dataset) in graph
    triples = graph.value(DATASET, VOID.triples)
    assert isinstance(triples, Literal) and int(triples) > 1000
    assert graph.value(DATASET, VOID.sparqlEndpoint) == URIRef("https://w3id.org/ekip/sparql")
    dumps = set(graph.objects(DATASET, VOID.dataDump))
    assert URIRef("https://w3id.org/ekip/dumps/ekip.trig") in dumps
    distributions = list(graph.objects(DATASET, DCAT.distribution))
    assert len(distributions) == 4
    for distribution in distributions:
        assert (distribution, RDF.type, DCAT.Distribution) in graph
        assert graph.value(distribution, DCAT.accessURL) is not None
    service = URIRef("https://w3id.org/ekip/sparql")
    assert (service, RDF.type, DCAT.DataService) in graph
    assert graph.value(service, DCAT.servesDataset) == DATASET
    assert graph.value(service, DCAT.endpointURL) == service
    catalog = URIRef("https://w3id.org/ekip/dataset#catalog")
    assert (catalog, DCAT.service, service) in graph and (catalog, DCAT.dataset, DATASET) in graph
    html = page(base, "/dataset")
    assert "ekip knowledge graph" in html and "void:triples" in html


def test_query_page_is_self_contained(base: str) -> None:
    html = page(base, "/sparql")
    assets = links(html).assets
    assert "/static/yasgui/yasgui.min.js" in assets and "/static/query.js" in assets
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))]
    for asset in assets:
        if asset.startswith("/static/"):
            assert httpx.get(base + asset).status_code == 200, asset
    assert 'id="q-cases-per-city-and-policy-area"' in html
    assert '<option value="lund">' in html  # parameter suggestions from the data
