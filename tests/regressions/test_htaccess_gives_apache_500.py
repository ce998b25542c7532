"""Symptom: the published .htaccess used Options, DirectorySlash and DirectoryIndex, which
need more than the usual `AllowOverride FileInfo`: Apache answered 500 to every request."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from webservers import apache_installed, run_apache


def test_apache_with_fileinfo_overrides_serves_the_release(published_sample: Path) -> None:
    if not apache_installed():
        pytest.skip("apache2 is not installed (Debian: apt-get install apache2)")
    with run_apache(published_sample, allow_override="FileInfo") as apache:
        home = httpx.get(apache.url + "/")
        iri = httpx.get(apache.url + "/id/case/lund-ai", headers={"Accept": "text/turtle"})
        listing = httpx.get(apache.url + "/id/city/")
        assert "not allowed here" not in apache.error_log()
    assert home.status_code == 200
    assert iri.status_code == 303 and iri.headers["location"].endswith("/id/case/lund-ai.ttl")
    assert listing.status_code == 404  # no folder listing, without `Options -Indexes`
