"""The same content negotiation for Apache httpd (.htaccess) and nginx, for the static release.

Web servers cannot weigh q-values, so Accept is matched against an ordered list of regular
expressions, one per (q-value band, document suffix): from q=1 down to q=0.0x, and within a
band in the server's order of preference (Turtle, JSON-LD, N-Triples, RDF/XML, HTML). A rule
matches a range naming one of the suffix's media types, its ``type/*`` or ``*/*``. The first
matching rule wins, which gives the server's answer whenever each media type is named at
most once and q-values differ in their first decimal (every real client seen so far); the
tests check the rules against the server's negotiation on a corpus of Accept headers.
"""

from __future__ import annotations

import re

from ekipgraph.serve.formats import DOCUMENT_FORMATS, DOCUMENT_OFFERS

_PARAM = r"(?:;(?!\s*q\s*=)[^,;]*)*"  # parameters other than q
#: q-value bands, highest first, as regular expressions of the value after "q="
BANDS: tuple[tuple[str, str | None], ...] = (
    ("1", None),  # q absent or 1
    *((f"0.{d}", rf"0\.{d}\d{{0,2}}") for d in range(9, 0, -1)),
    ("0.0x", r"0\.0(?:[1-9]\d?|0[1-9])"),
)
IRI_PREFIXES = ("ontology", "id", "vocab", "graph", "dataset", "patterns")


def _covering_types(suffix: str) -> list[str]:
    """The media ranges that give ``suffix``: its own types, and the wildcards for which
    it is the server's first offer."""
    types = [t for t, s in DOCUMENT_OFFERS.items() if s == suffix]
    first_by_wildcard: dict[str, str] = {"*/*": next(iter(DOCUMENT_OFFERS.values()))}
    for media_type, owner in DOCUMENT_OFFERS.items():
        first_by_wildcard.setdefault(media_type.split("/")[0] + "/*", owner)
    wildcards = [w for w, owner in first_by_wildcard.items() if owner == suffix]
    return [*types, *wildcards]


def _rule(suffix: str, band: str | None) -> str:
    alternatives = "|".join(re.escape(t) for t in _covering_types(suffix))
    start = rf"(?:^|,)\s*(?:{alternatives})\s*{_PARAM}"
    if band is None:
        return start + rf"(?:;\s*q\s*=\s*1(?:\.0{{0,3}})?\s*)?{_PARAM}\s*(?:,|$)"
    return start + rf";\s*q\s*=\s*{band}\s*{_PARAM}\s*(?:,|$)"


def accept_rules() -> list[tuple[str, str]]:
    """(regular expression on the Accept header, suffix) in the order they are tried."""
    rules = [(r"^\s*$", "ttl")]  # no Accept header: anything goes, Turtle first
    for _, band in BANDS:
        for fmt in DOCUMENT_FORMATS:
            rules.append((_rule(fmt.suffix, band), fmt.suffix))
    return rules


def suffix_by_rules(accept: str | None) -> str | None:
    """What the shipped web-server rules answer for an Accept header (None: 406)."""
    for pattern, suffix in accept_rules():
        if re.search(pattern, accept or "", re.IGNORECASE):
            return suffix
    return None


MEDIA_TYPES = {
    **{fmt.suffix: fmt.media_type for fmt in DOCUMENT_FORMATS},
    "trig": "application/trig",
    "nq": "application/n-quads",
    "jsonld": "application/ld+json",
    "owl": "application/rdf+xml",
    "svg": "image/svg+xml",
}
#: What ``.htaccess`` needs from the server's ``AllowOverride``: FileInfo only (mod_rewrite,
#: mod_mime and mod_headers directives). No Options, Indexes or AuthConfig directive is
#: used, since an .htaccess line that the server does not permit is an HTTP 500 for every
#: request.
ALLOW_OVERRIDE = "FileInfo"
#: Suffixes of plain files in the release (documents, dumps, docs, styles, images): a
#: w3id.org path ending in one of them is passed on unchanged; any other path is an IRI.
FILE_SUFFIXES = ("html", "ttl", "jsonld", "nt", "rdf", "owl", "trig", "nq", "css", "js", "svg")


def _choose_suffix_lines() -> list[str]:
    """mod_rewrite lines setting EKIP_SUFFIX from Accept: the first matching rule wins."""
    lines = []
    for pattern, suffix in accept_rules():
        lines += [
            "RewriteCond %{ENV:EKIP_SUFFIX} ^$",
            f"RewriteCond %{{HTTP:Accept}} {pattern} [NC]",
            f"RewriteRule ^ - [E=EKIP_SUFFIX:{suffix}]",
        ]
    return lines


def _cors_lines() -> list[str]:
    # "always": also on the 303 redirects and the 404/406 answers, which mod_rewrite
    # produces as error responses (plain "Header set" only reaches 2xx responses).
    return [
        "<IfModule mod_headers.c>",
        "  Header always merge Vary Accept env=EKIP_CONNEG",
        '  Header always set Access-Control-Allow-Origin "*"',
        "</IfModule>",
    ]


def htaccess() -> str:
    """An .htaccess for the root of the release (Apache httpd 2.4)."""
    lines = [
        "# ekip linked data: content negotiation for Apache httpd 2.4, written by",
        "# `ekipgraph publish`. Needs mod_rewrite and mod_mime (mod_headers for Vary and",
        f"# CORS) and `AllowOverride {ALLOW_OVERRIDE}` for this folder; nothing else (no",
        "# Options or Indexes directive, so the file also works where AllowOverride is",
        "# limited to FileInfo). MultiViews must be off for this folder (the default). The",
        "# same rules as the nginx configuration in server/ and as `ekipgraph serve`: an IRI",
        "# path answers 303 See Other to <path>.<suffix>, the suffix chosen by Accept; 406",
        "# when Accept allows no document; documents are plain files.",
        "",
    ]
    for suffix, media_type in sorted(MEDIA_TYPES.items()):
        lines.append(f"AddType {media_type} .{suffix}")
    lines += [
        "AddCharset utf-8 .html .ttl .nt .jsonld .rdf .owl .trig .nq .css",
        "",
        "RewriteEngine On",
        "# Hidden files (this one among them) are not for the public; /.well-known/ is.",
        "RewriteRule ^\\.(?!well-known/) - [F,L]",
        "# Files are served as they are.",
        "RewriteCond %{REQUEST_FILENAME} -f",
        "RewriteRule ^ - [L]",
        "",
        "# Pick the document suffix from Accept: the first matching rule wins.",
        *_choose_suffix_lines(),
        "",
        "# /.well-known/void: the dataset description (VoID and DCAT).",
        "RewriteCond %{ENV:EKIP_SUFFIX} ^.+$",
        "RewriteRule ^\\.well-known/void$ /dataset.%{ENV:EKIP_SUFFIX} [R=303,L,E=EKIP_CONNEG:1]",
        "RewriteRule ^\\.well-known/void$ - [R=406,L]",
        "",
        "# An IRI: a path with documents beside it (path.ttl exists). mod_rewrite runs before",
        "# mod_dir, so an IRI that is also a folder (/id/case/lund-ai) redirects too.",
        "RewriteCond %{REQUEST_FILENAME}.ttl -f",
        "RewriteCond %{ENV:EKIP_SUFFIX} ^.+$",
        "RewriteRule ^ %{REQUEST_URI}.%{ENV:EKIP_SUFFIX} [R=303,L,E=EKIP_CONNEG:1]",
        "RewriteCond %{REQUEST_FILENAME}.ttl -f",
        "RewriteRule ^ - [R=406,L]",
        "",
        "# Other folders are no documents: 404 rather than a listing (without needing",
        "# `Options -Indexes`). The home page is index.html.",
        "RewriteRule ^$ /index.html [L]",
        "RewriteCond %{REQUEST_FILENAME} -d",
        "RewriteRule ^ - [R=404,L]",
        "",
        *_cors_lines(),
        "",
    ]
    return "\n".join(lines)


def w3id_htaccess(site_url: str) -> str:
    """The .htaccess for the ``ekip/`` folder of the w3id.org repository: every
    ``https://w3id.org/ekip/…`` IRI redirects to its document on ``site_url`` (where the
    published folder is hosted), choosing the document by Accept like the site itself, so
    a client needs one redirect, and a host without content negotiation (static pages)
    works too. Paths of files pass on unchanged.
    """
    site = site_url.rstrip("/")
    if not re.fullmatch(r"https?://[^\s\"'<>\\]+", site):
        raise ValueError(f"not an http(s) URL: {site_url!r}")
    suffixes = "|".join(FILE_SUFFIXES)
    lines = [
        "# https://w3id.org/ekip/ : permanent identifiers of the ekip knowledge graph",
        "# (ontology, concept schemes, data), written by `ekipgraph publish --site-url`.",
        f"# Hosted at {site}/ (the folder `ekipgraph publish` writes).",
        "# An IRI answers 303 See Other to its document there, chosen by Accept (HTML,",
        "# Turtle, JSON-LD, N-Triples, RDF/XML); 406 when Accept allows none; files (dumps,",
        "# documents, docs, the logo) redirect 302 to the same path.",
        "Options +FollowSymLinks",
        "",
        *(f"AddType {media_type} .{suffix}" for suffix, media_type in sorted(MEDIA_TYPES.items())),
        "",
        "RewriteEngine on",
        "",
        "# The home page and folders (a trailing slash) on the site.",
        f"RewriteRule ^$ {site}/ [R=302,L]",
        f"RewriteRule ^(.*/)$ {site}/$1 [R=302,L]",
        "# Files: the same path on the site.",
        f"RewriteRule ^(.+\\.(?:{suffixes}))$ {site}/$1 [R=302,L]",
        "",
        *_choose_suffix_lines(),
        "",
        "# /.well-known/void: the dataset description (VoID and DCAT).",
        "RewriteCond %{ENV:EKIP_SUFFIX} ^.+$",
        f"RewriteRule ^\\.well-known/void$ {site}/dataset.%{{ENV:EKIP_SUFFIX}} "
        "[R=303,L,E=EKIP_CONNEG:1]",
        "# Every other path is an IRI (hash IRIs arrive without their fragment).",
        "RewriteCond %{ENV:EKIP_SUFFIX} ^.+$",
        f"RewriteRule ^(.+)$ {site}/$1.%{{ENV:EKIP_SUFFIX}} [R=303,L,E=EKIP_CONNEG:1]",
        "RewriteRule ^ - [R=406,L]",
        "",
        *_cors_lines(),
        "",
    ]
    return "\n".join(lines)


def nginx_http() -> str:
    """The http-level part: media types and the Accept map (include after mime.types)."""
    lines = [
        "# ekip linked data for nginx, written by `ekipgraph publish`: include this file in the",
        "# http { } block, after mime.types, and server/nginx-site.conf in the server { } block",
        "# whose root is the release folder.",
        "types {",
    ]
    for suffix, media_type in sorted(MEDIA_TYPES.items()):
        lines.append(f"    {media_type} {suffix};")
    lines += [
        "}",
        "",
        "# The document suffix from Accept: the first matching regular expression wins",
        "# (the same rules as the .htaccess and as `ekipgraph serve`).",
        "map $http_accept $ekip_suffix {",
        '    default "";',
        '    "" ttl;  # no Accept header (nginx tries no regular expression on an empty value)',
    ]
    for pattern, suffix in accept_rules():
        if '"' in pattern:
            raise ValueError("a rule cannot contain a double quote")
        lines.append(f'    "~*{pattern}" {suffix};')
    lines += ["}", ""]
    return "\n".join(lines)


def nginx_site() -> str:
    """The server-level part: files as they are, IRIs 303 to their document."""
    return "\n".join(
        [
            "# ekip linked data: include inside the server { } block whose root is the release.",
            "charset utf-8;",
            "charset_types text/html text/turtle text/css application/n-triples application/trig",
            "              application/n-quads application/rdf+xml application/ld+json;",
            "absolute_redirect off;",
            "index index.html;",
            "add_header Access-Control-Allow-Origin * always;",
            "",
            "# add_header in a location drops the server-level ones: repeat CORS there.",
            "location = /.well-known/void {",
            "    add_header Vary Accept always;",
            "    add_header Access-Control-Allow-Origin * always;",
            '    if ($ekip_suffix = "") { return 406; }',
            "    return 303 /dataset.$ekip_suffix;",
            "}",
            "location ~ /\\.(?!well-known/) { deny all; }",
            "location = / { try_files /index.html =404; }",
            "location / {",
            "    try_files $uri @ekip_iri;",
            "}",
            "# An IRI: a path with documents beside it (path.ttl exists).",
            "location @ekip_iri {",
            "    add_header Vary Accept always;",
            "    add_header Access-Control-Allow-Origin * always;",
            "    if (!-f $request_filename.ttl) { return 404; }",
            '    if ($ekip_suffix = "") { return 406; }',
            "    return 303 $uri.$ekip_suffix;",
            "}",
            "",
        ]
    )
