"""Symptom: the published folder was mode 0700 (a private temporary folder swapped into
place), so nginx, running as another user, answered 404 to everything."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from webservers import nginx_installed, run_nginx


def test_published_folders_and_files_are_readable_by_others(published_sample: Path) -> None:
    for path in [published_sample, *published_sample.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o755 if path.is_dir() else 0o644), (path, oct(mode))


def test_nginx_as_another_user_serves_the_release(published_sample: Path) -> None:
    if not nginx_installed():
        pytest.skip("nginx is not installed (Debian: apt-get install nginx-light)")
    with run_nginx(published_sample) as nginx:
        assert httpx.get(nginx.url + "/id/city/lund.ttl").status_code == 200
        assert httpx.get(nginx.url + "/").status_code == 200
