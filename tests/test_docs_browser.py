"""The documentation pages in a real headless Chromium (Debian's, driven by Playwright),
opened from the release folder as files, offline: the ontology page in English with the
other languages per term and anchors equal to the IRIs' fragments; every scheme page shows
every concept's English label in its tree (checked on the rendered page and a full-page
screenshot), and its search box filters the tree."""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest
from matplotlib import image
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from serve_support import CHROMIUM_FLAGS, ensure_chromium

from ekipgraph.namespaces import EKIP, ONTOLOGY_IRI
from ekipgraph.ontology import load_ontology, load_vocabularies
from ekipgraph.project import default_layout
from ekipgraph.release import write_release

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
LAYOUT = default_layout()
VOCABULARIES = load_vocabularies(LAYOUT)


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("release")
    write_release(load_ontology(LAYOUT), VOCABULARIES, out)
    return out / "docs"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    chromium, reason = ensure_chromium()
    if chromium is None:
        print(f"docs browser test skipped: {reason}")
        pytest.skip(reason)
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(chromium), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.set_viewport_size({"width": 1200, "height": 900})
    page.set_default_timeout(15_000)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.requested = requested  # type: ignore[attr-defined]
    yield page
    assert all(url.startswith(("file:", "data:")) for url in requested), requested  # offline
    page.close()


def english(graph: Graph, subject, predicate=SKOS.prefLabel) -> str:
    values = [v for v in graph.objects(subject, predicate) if isinstance(v, Literal)]
    return next(str(v) for v in values if (v.language or "").startswith("en"))


def assert_screenshot_has_content(path: Path) -> None:
    pixels = image.imread(str(path))
    assert pixels.shape[0] > 300 and pixels.shape[1] >= 1000, pixels.shape
    assert float(numpy.std(pixels[..., :3])) > 0.05  # not a blank page


def test_ontology_page_is_english_with_languages_per_term(page, docs: Path, tmp_path: Path):
    ontology = load_ontology(LAYOUT)
    page.goto((docs / "ontology.html").as_uri())
    # pyLODE titles the page with the ontology's rdfs:label, else with its dcterms:title:
    # the English one either way.
    named = RDFS.label if (ONTOLOGY_IRI, RDFS.label, None) in ontology else DCTERMS.title
    assert page.title() == english(ontology, ONTOLOGY_IRI, named)
    assert page.locator("html").get_attribute("lang") == "en"
    terms = sorted(
        {s for s in ontology.subjects(RDF.type, None) if str(s).startswith(str(EKIP))}, key=str
    )
    anchors = page.eval_on_selector_all("div.entity[id]", "els => els.map(e => e.id)")
    for term in terms:
        assert str(term)[len(str(EKIP)) :] in anchors, term  # anchor = the IRI's fragment
    actor = page.locator('div.entity[id="Actor"]')
    assert actor.locator("h3").inner_text().split() == ["Actor", "c"]  # one language, not six
    assert "Aktör" in actor.locator("tr.other-languages").inner_text()
    project = page.locator('div.entity[id="InnovationProject"]')
    project.scroll_into_view_if_needed()
    assert project.is_visible()
    page.screenshot(path=str(tmp_path / "ontology.png"))
    assert_screenshot_has_content(tmp_path / "ontology.png")


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.name)
def test_scheme_page_shows_every_concept(page, docs: Path, tmp_path: Path, vocabulary) -> None:
    graph = vocabulary.graph
    scheme = next(graph.subjects(RDF.type, SKOS.ConceptScheme))
    page.goto((docs / "vocab" / f"{vocabulary.name}.html").as_uri())
    assert page.title() == english(graph, scheme)
    concepts = sorted(graph.subjects(SKOS.inScheme, scheme), key=str)
    assert concepts
    rendered = page.eval_on_selector_all(
        "li.concept", "els => els.map(e => [e.id, e.querySelector('a.pref').innerText])"
    )
    expected = {str(c).rsplit("/", 1)[1]: english(graph, c) for c in concepts}
    assert dict(rendered) == expected
    for concept in concepts:
        languages = {v.language for v in graph.objects(concept, SKOS.prefLabel)}
        item = page.locator(f'li.concept[id="{str(concept).rsplit("/", 1)[1]}"]')
        shown = set(item.locator(":scope > .labels span.label").evaluate_all(
            "els => els.map(e => e.lang)"))  # fmt: skip
        assert languages <= shown, concept
    shot = tmp_path / f"{vocabulary.name}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert_screenshot_has_content(shot)
    # the labels are on screen, not only in the DOM
    first = page.locator("li.concept a.pref").first
    assert first.is_visible() and first.bounding_box()["height"] > 5


def test_scheme_search_filters_the_tree(page, docs: Path) -> None:
    vocabulary = next(v for v in VOCABULARIES if v.name == "resource-type")
    graph = vocabulary.graph
    child = next(graph.subjects(SKOS.broader, None))
    parent = next(graph.objects(child, SKOS.broader))
    page.goto((docs / "vocab" / "resource-type.html").as_uri())
    page.fill("#search", english(graph, child))
    anchor = str(child).rsplit("/", 1)[1]
    assert page.locator(f'li.concept[id="{anchor}"]').is_visible()
    assert page.locator(f'li.concept[id="{str(parent).rsplit("/", 1)[1]}"]').is_visible()
    hidden = page.locator("li.concept.hidden").count()
    assert hidden > 10
    assert "match" in page.locator("#count").inner_text()
    swedish = next(v for v in graph.objects(child, SKOS.prefLabel) if v.language == "sv")
    page.fill("#search", str(swedish))  # any language finds it
    assert page.locator(f'li.concept[id="{anchor}"]').is_visible()
    page.fill("#search", "")
    assert page.locator("li.concept.hidden").count() == 0


def test_mappings_link_to_their_targets(docs: Path) -> None:
    text = (docs / "vocab" / "cci-sector.html").read_text("utf-8")
    assert "close match" in text or "related match" in text
    assert 'href="essnet-culture-domain.html#' in text or 'href="unesco-fcs-domain.html#' in text
