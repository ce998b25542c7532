"""Symptom: nginx's 303 redirects and 406 answers had no Access-Control-Allow-Origin
header (an add_header inside a location drops the server-level ones), so browser clients
on other origins could not follow an IRI to its document."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from webservers import nginx_installed, run_nginx


def test_nginx_redirects_and_refusals_carry_cors(published_sample: Path) -> None:
    if not nginx_installed():
        pytest.skip("nginx is not installed (Debian: apt-get install nginx-light)")
    with run_nginx(published_sample) as nginx:
        answers = [
            httpx.get(nginx.url + "/id/city/lund", headers={"Accept": "text/turtle"}),
            httpx.get(nginx.url + "/id/city/lund", headers={"Accept": "image/png"}),
            httpx.get(nginx.url + "/.well-known/void", headers={"Accept": "text/turtle"}),
        ]
    assert [answer.status_code for answer in answers] == [303, 406, 303]
    for answer in answers:
        assert answer.headers.get("access-control-allow-origin") == "*", answer.headers
