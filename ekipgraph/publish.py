"""``ekipgraph publish OUT``: the linked-data release as static files any web server can host.

The folder holds, for every IRI, its documents ``<path>.{html,ttl,jsonld,nt,rdf}`` (the same
bytes ``ekipgraph serve`` answers with, rendered by the same code), the ontology and
vocabulary release in a versioned folder and in ``release/latest``, the JSON-LD context, the
dumps (a built store's own files, byte for byte ``dist/dataset/ekip.{nq,trig}`` and
``dist/patterns/patterns.{nq,trig}``), the VoID/DCAT description, and the web-server
configuration that performs the server's content negotiation: ``.htaccess`` for Apache
httpd and ``server/nginx-*.conf``, the logo the ontology names, and (given the URL where the
folder will be hosted) ``server/w3id.htaccess``, the redirect rules for the w3id.org
repository's ``ekip/`` folder.

Every folder is written ``rwxr-xr-x`` and every file ``rw-r--r--`` whatever the umask, so
a web server running as another user can read the release.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import FOAF

from ekipgraph.atomic import replace_directory
from ekipgraph.namespaces import BASE, ONTOLOGY_IRI, ONTOLOGY_VERSION
from ekipgraph.ontology import load_vocabularies
from ekipgraph.project import ProjectLayout, default_layout
from ekipgraph.release import write_release
from ekipgraph.serve.formats import DOCUMENT_FORMATS, DUMPS
from ekipgraph.serve.paths import iri_to_path
from ekipgraph.serve.site import LinkedDataSite
from ekipgraph.serve.webconf import htaccess, nginx_http, nginx_site, w3id_htaccess
from ekipgraph.store import EmbeddedStore

STATIC = Path(__file__).parent / "serve" / "static"
LOGO = STATIC / "logo.svg"
SCHEMA_LOGO = URIRef("https://schema.org/logo")
FOLDER_MODE = 0o755  # readable and traversable by the web server's user
FILE_MODE = 0o644


@dataclass
class PublishSummary:
    out: Path
    resources: int = 0
    files: int = 0
    bytes: int = 0
    notes: list[str] = field(default_factory=list)


def _write(path: Path, data: bytes | str, summary: PublishSummary) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.write_bytes(payload)
    summary.files += 1
    summary.bytes += len(payload)


def publish(
    out: Path,
    store: EmbeddedStore | ox.Store,
    layout: ProjectLayout | None = None,
    site_url: str | None = None,
) -> PublishSummary:
    """Write the static release of ``store`` to ``out`` (replaced whole, atomically).

    ``site_url``: where ``out`` will be hosted; the w3id.org rules redirect there.
    """
    raw = store.store if isinstance(store, EmbeddedStore) else store
    layout = layout or default_layout()
    files = store.dump_files if isinstance(store, EmbeddedStore) else {}
    site = LinkedDataSite(raw, layout, endpoint=False, dump_files=files)
    summary = PublishSummary(out=Path(out))
    with replace_directory(Path(out)) as staging:
        _write_documents(site, staging, summary)
        _write_release_folders(site, layout, staging, summary)
        _write_dumps(site, staging / "dumps", summary)
        _write(staging / "ontology" / "context.jsonld", site.context(), summary)
        _write(staging / "index.html", site.index_html(), summary)
        _write(staging / "static" / "ekip.css", (STATIC / "ekip.css").read_bytes(), summary)
        _write(staging / ".htaccess", htaccess(), summary)
        _write(staging / "server" / "nginx-http.conf", nginx_http(), summary)
        _write(staging / "server" / "nginx-site.conf", nginx_site(), summary)
        if site_url:
            _write(staging / "server" / "w3id.htaccess", w3id_htaccess(site_url), summary)
        else:
            summary.notes.append("server/w3id.htaccess not written: give the site URL")
        _write_logos(site, staging, summary)
        make_readable_by_all(staging)
    return summary


def _write_dumps(site: LinkedDataSite, folder: Path, summary: PublishSummary) -> None:
    """Every dump: the built files copied as they are, the others generated (the patterns
    only when the store holds some)."""
    for name in DUMPS:
        built = site.dump_path(name)
        if built is not None:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(built, folder / name)  # a copy: the release's modes are its own
            summary.files += 1
            summary.bytes += (folder / name).stat().st_size
            continue
        body = site.dump(name)
        if body is not None:
            _write(folder / name, body, summary)


def _write_logos(site: LinkedDataSite, root: Path, summary: PublishSummary) -> None:
    """The ontology's logo IRIs (foaf:logo, schema:logo) in our namespace, as the SVG."""
    graph = site.ontology()
    for predicate in (FOAF.logo, SCHEMA_LOGO):
        for logo in graph.objects(ONTOLOGY_IRI, predicate):
            if not str(logo).startswith(BASE):
                continue
            path = iri_to_path(str(logo)).lstrip("/")
            if not path.endswith(".svg"):
                summary.notes.append(f"logo {logo}: only an .svg logo can be written")
                continue
            _write(root / path, LOGO.read_bytes(), summary)


def make_readable_by_all(root: Path) -> None:
    """Folders rwxr-xr-x, files rw-r--r--: a web server running as another user can serve
    them (temporary folders and a strict umask would leave them private)."""
    root.chmod(FOLDER_MODE)
    for folder, folders, files in os.walk(root):
        for name in folders:
            (Path(folder) / name).chmod(FOLDER_MODE)
        for name in files:
            (Path(folder) / name).chmod(FILE_MODE)


def _write_documents(site: LinkedDataSite, root: Path, summary: PublishSummary) -> None:
    for iri in site.iris():
        relative = iri_to_path(iri).lstrip("/")
        for fmt in DOCUMENT_FORMATS:
            body = site.document(iri, fmt.suffix)
            if body is None:  # cannot happen for an IRI the site listed; keep going
                summary.notes.append(f"no document for {iri}")
                break
            _write(root / f"{relative}.{fmt.suffix}", body, summary)
        else:
            summary.resources += 1


def _write_release_folders(
    site: LinkedDataSite, layout: ProjectLayout, root: Path, summary: PublishSummary
) -> None:
    """The ontology and vocabulary release (every format, context, pyLODE docs), versioned
    and as latest."""
    versioned = root / "release" / ONTOLOGY_VERSION
    release = write_release(site.ontology(), load_vocabularies(layout), versioned)
    summary.files += len(release.files)
    shutil.copytree(versioned, root / "release" / "latest")
    summary.files += len(release.files)
