"""Fixtures shared by the regression tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_support import sample_store
from webservers import public_temp_folder

from ekipgraph.publish import publish


@pytest.fixture(scope="session")
def published_sample() -> Iterator[Path]:
    """The sample dataset published under a strict umask (077), in a folder others may
    enter: the modes of the release must not depend on the umask."""
    parent = public_temp_folder("ekip-regression-publish-")
    out = parent / "site"
    previous = os.umask(0o077)
    try:
        publish(out, sample_store(), site_url="https://ekip.example.org")
    finally:
        os.umask(previous)
    yield out
    shutil.rmtree(parent, ignore_errors=True)
