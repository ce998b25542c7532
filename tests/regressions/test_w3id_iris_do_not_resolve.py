"""Symptom: no w3id.org redirect rules shipped, so no https://w3id.org/ekip/… IRI
resolved. The release now writes server/w3id.htaccess for the w3id.org repository (the
redirects themselves are tested through Apache in tests/test_publish.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ekipgraph.serve.webconf import w3id_htaccess


def test_release_ships_w3id_rules_pointing_at_the_site(published_sample: Path) -> None:
    rules = (published_sample / "server" / "w3id.htaccess").read_text("utf-8")
    assert "RewriteEngine on" in rules
    assert "https://ekip.example.org/$1.%{ENV:EKIP_SUFFIX} [R=303" in rules


@pytest.mark.parametrize("bad", ["ftp://x", "https://x y", 'https://x"', "example.org"])
def test_w3id_rules_refuse_a_site_url_that_is_not_http(bad: str) -> None:
    with pytest.raises(ValueError):
        w3id_htaccess(bad)
