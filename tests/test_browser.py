"""A real headless Chromium (Debian's) driven by Playwright: the query page runs a library
query with one click and shows the rows; entity pages render and link to each other.

Playwright only drives the browser: it is given Debian's /usr/bin/chromium and never
downloads one of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from serve_support import CHROMIUM_FLAGS, ensure_chromium, serve_sample

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve_sample() as url:
        yield url


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory):
    chromium, reason = ensure_chromium()
    if chromium is None:
        print(f"browser test skipped: {reason}")
        pytest.skip(reason)
    profile: Path = tmp_path_factory.mktemp("chromium-profile")  # a fresh profile every run
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(chromium),
            headless=True,
            args=CHROMIUM_FLAGS,
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    page.set_default_timeout(15_000)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.requested = requested  # type: ignore[attr-defined]
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.console = console  # type: ignore[attr-defined]
    yield page
    page.close()


def only_loopback(urls: list[str]) -> list[str]:
    return [
        u
        for u in urls
        if urlsplit(u).scheme in ("http", "https")
        and urlsplit(u).hostname not in ("127.0.0.1", "localhost")
    ]


def result_rows(page) -> list[str]:
    page.wait_for_selector(".yasr table tbody tr td")
    return page.locator(".yasr table tbody tr").all_inner_texts()


def test_one_click_library_query_shows_the_rows(base: str, page) -> None:
    page.goto(base + "/sparql")
    page.click("#q-cases-per-city-and-policy-area button.run-example")
    # locator waits, not wait_for_function: the page's CSP forbids evaluating strings
    sync_api.expect(page.locator(".yasr table tbody tr")).to_have_count(3)
    rows = result_rows(page)
    assert len(rows) == 3
    assert "Lund" in rows[0] and "Artificial intelligence" in rows[0]
    assert sum("Rotterdam" in row for row in rows) == 2

    # with a parameter: one city
    page.fill("#q-cases-per-city-and-policy-area input[name=city]", "lund")
    page.click("#q-cases-per-city-and-policy-area button.run-example")
    sync_api.expect(page.locator(".yasr table tbody tr")).to_have_count(1)
    assert "Lund" in result_rows(page)[0]
    assert "VALUES ?city" in page.evaluate("window.ekipYasgui.getTab().getYasqe().getValue()")
    # the page works under its Content-Security-Policy: nothing was blocked
    assert not [m for m in page.console if "Content Security Policy" in m], page.console

    # downloads in each format, from the query that ran
    csv_link = page.locator("#downloads a[data-format=csv]")
    assert csv_link.is_visible()
    download = httpx.get(csv_link.get_attribute("href"))
    assert download.headers["content-type"].startswith("text/csv")
    assert download.text.count("\n") == 2 and "lund" in download.text
    assert only_loopback(page.requested) == [], "the page must work offline"


def test_a_bad_parameter_is_reported_not_run(base: str, page) -> None:
    page.goto(base + "/sparql")
    page.fill("#q-cases-per-city-and-policy-area input[name=city]", "Lund City")
    page.click("#q-cases-per-city-and-policy-area button.run-example")
    page.wait_for_selector("#status.error")
    assert "not valid" in page.inner_text("#status")


def test_entity_pages_render_and_link(base: str, page) -> None:
    page.goto(base + "/id/city/lund")  # the browser's Accept: 303 to the HTML document
    assert page.url.endswith("/id/city/lund.html")
    assert page.inner_text("h1") == "Lund"
    assert page.locator("#links-out a", has_text="Sweden").count() == 1
    page.click("#links-in a:has-text('City Case Description: Lund')")
    page.wait_for_url("**/id/case/lund-ai.html")
    assert page.inner_text("h1") == "City Case Description: Lund & Artificial Intelligence"
    assert (
        page.locator("link[rel=alternate][type='text/turtle']").get_attribute("href")
        == "/id/case/lund-ai.ttl"
    )
    assert only_loopback(page.requested) == []
