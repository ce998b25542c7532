"""Where each IRI lives on the web server: ``https://w3id.org/ekip/X`` is served at ``/X``.

A w3id.org redirect maps the prefix to the host, so the same paths work locally, behind
w3id.org and in the static release. One pattern everywhere (server, release, .htaccess,
nginx): the IRI path answers *303 See Other* to the document ``<path>.<suffix>``, with the
suffix chosen by Accept (html, ttl, jsonld, nt, rdf). Hash IRIs (``/ontology#Actor``)
resolve through their namespace document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ekipgraph.namespaces import BASE
from ekipgraph.serve.formats import BY_SUFFIX

#: The first path segments that hold dereferenceable IRIs.
IRI_ROOTS = ("ontology", "id", "vocab", "graph", "dataset", "patterns")
#: One safe path segment; dots only between characters (a version like 0.1.0), so no
#: "." or ".." segment and no hidden file can ever be addressed.
_SEGMENT = re.compile(r"^[A-Za-z0-9_~-]+(?:\.[A-Za-z0-9_~-]+)*$")
MAX_PATH = 512


@dataclass(frozen=True)
class Target:
    """A request path resolved: the IRI it names and, for a document, the suffix."""

    iri: str
    suffix: str | None  # None: the IRI itself (answered with 303)

    @property
    def document_path(self) -> str:
        return iri_to_path(self.iri) + (f".{self.suffix}" if self.suffix else "")


def iri_to_path(iri: str) -> str:
    """The local path of an ekip IRI (fragment kept), e.g. ``/id/city/lund``."""
    if not iri.startswith(BASE):
        raise ValueError(f"not an ekip IRI: {iri}")
    return "/" + iri[len(BASE) :]


def local_path(iri: str) -> str | None:
    """The local path of an ekip IRI, None for an IRI of someone else."""
    return iri_to_path(iri) if iri.startswith(BASE) else None


def document_href(iri: str, suffix: str = "html") -> str | None:
    """The link to an ekip IRI's document (``/id/city/lund.html``, ``/ontology.html#Actor``)."""
    path = local_path(iri)
    if path is None:
        return None
    base, hashmark, fragment = path.partition("#")
    if base[1:].split("/")[0] not in IRI_ROOTS:
        return path  # the endpoint, a dump, the home page: no documents of their own
    return f"{base}.{suffix}{hashmark}{fragment}"


def resolve(path: str) -> Target | None:
    """The IRI (and document suffix) a request path names, or None when it names none.

    Refuses anything outside the IRI roots and any unsafe segment, which keeps path
    traversal and odd encodings out before any lookup happens.
    """
    if len(path) > MAX_PATH or not path.startswith("/"):
        return None
    segments = path[1:].split("/")
    if not segments or segments[0].partition(".")[0] not in IRI_ROOTS:
        return None
    if not all(_SEGMENT.match(segment) for segment in segments):
        return None
    suffix = None
    stem, dot, ext = segments[-1].rpartition(".")
    if dot and ext in BY_SUFFIX:
        suffix = ext
        segments[-1] = stem
    return Target(BASE + "/".join(segments), suffix)
