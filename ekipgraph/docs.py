"""HTML documentation of the ontology (pyLODE OntPub, in English, with the other languages
shown per term) and of each SKOS scheme (the project's own page: see ``schemedocs.py``).

pyLODE runs every language together in headings and the table of contents and takes its
anchors from labels. So it is given an English view of the ontology (a text in another
language is left out wherever the same property has an English one), its anchors are set
to the IRIs' fragments afterwards, and each term gets an "Other languages" row.
"""

from __future__ import annotations

import contextlib
import html
import io
import logging
import re
from collections import defaultdict

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from ekipgraph.namespaces import EKIP, ONTOLOGY_IRI


def _import_pylode_quietly():
    # pyLODE configures the root logger at DEBUG when imported; undo that so the libraries
    # loaded after it (matplotlib, pySHACL) do not flood the terminal.
    root = logging.getLogger()
    level, handlers = root.level, root.handlers[:]
    import pylode

    root.setLevel(level)
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    return pylode.OntPub, pylode.VocPub


OntPub, VocPub = _import_pylode_quietly()


def _render(profile: type, graph: Graph) -> str:
    # pyLODE prints progress to stdout; keep the CLI's own output clean.
    with contextlib.redirect_stdout(io.StringIO()):
        return str(profile(ontology=graph, sort_subjects=True).make_html())


#: Text properties shown per language in the "Other languages" row, in this order.
TEXT_PROPERTIES = {
    RDFS.label: "label",
    SKOS.prefLabel: "label",
    DCTERMS.title: "title",
    SKOS.definition: "definition",
    DCTERMS.description: "description",
    RDFS.comment: "comment",
}
_ENTITY = re.compile(
    r'<div class="([^"]*\bentity\b[^"]*)" id="([^"]+)">(\s*<h3>.*?</h3>\s*<table>)', re.S
)
_IRI_CELL = re.compile(r"<th>IRI</th>\s*<td>\s*<code>([^<]+)</code>")
_ROW_THEN_IRI = re.compile(
    r'(<tr class="other-languages">.*?</tr>)(\s*<tr>\s*<th>IRI</th>.*?</tr>)', re.S
)


def english_view(graph: Graph) -> tuple[Graph, dict[URIRef, list[tuple[str, str, str]]]]:
    """``graph`` without the non-English texts that have an English sibling, and those
    texts by subject as (language, property name, text)."""
    english = Graph()
    for prefix, namespace in graph.namespaces():
        english.bind(prefix, namespace)
    others: dict[URIRef, list[tuple[str, str, str]]] = defaultdict(list)
    for subject, predicate, value in graph:
        if (
            isinstance(value, Literal)
            and value.language
            and not value.language.lower().startswith("en")
            and any(_is_english(v) for v in graph.objects(subject, predicate))
        ):
            if (
                isinstance(predicate, URIRef)
                and predicate in TEXT_PROPERTIES
                and isinstance(subject, URIRef)
            ):
                others[subject].append((value.language, TEXT_PROPERTIES[predicate], str(value)))
            continue
        english.add((subject, predicate, value))
    return english, others


def _is_english(value: object) -> bool:
    return isinstance(value, Literal) and (value.language or "").lower().startswith("en")


def _languages_row(texts: list[tuple[str, str, str]]) -> str:
    order = list(dict.fromkeys(TEXT_PROPERTIES.values()))
    by_language: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for language, name, text in texts:
        by_language[language].append((name, text))
    items = []
    for language in sorted(by_language):
        parts = sorted(by_language[language], key=lambda item: order.index(item[0]))
        label = next((text for name, text in parts if name in ("label", "title")), "")
        rest = [text for name, text in parts if name not in ("label", "title")]
        body = f"<b>{html.escape(label)}</b>" if label else ""
        if rest:
            body += (": " if body else "") + " ".join(html.escape(text) for text in rest)
        items.append(
            f'<li lang="{html.escape(language)}"><span class="lang">'
            f"{html.escape(language)}</span> {body}</li>"
        )
    return (
        '<tr class="other-languages"><th>Other languages</th><td><ul class="languages">'
        + "".join(items)
        + "</ul></td></tr>"
    )


def _fix_anchors_and_add_languages(page: str, others: dict, namespace: str = str(EKIP)) -> str:
    """Anchors equal to the IRIs' fragments (pyLODE derives them from labels), and the
    other languages of each term after its IRI."""
    renames: dict[str, str] = {}

    def entity(match: re.Match) -> str:
        classes, anchor, head = match.groups()
        start = match.end()
        iri_match = _IRI_CELL.search(page, start, start + 2000)
        row = ""
        if iri_match:
            iri = html.unescape(iri_match.group(1).strip())
            if iri.startswith(namespace):
                fragment = iri[len(namespace) :]
                if fragment != anchor:
                    renames[anchor] = fragment
                    anchor = fragment
            if URIRef(iri) in others:
                row = _languages_row(others[URIRef(iri)])
        return f'<div class="{classes}" id="{anchor}">{head}{row}'

    page = _ENTITY.sub(entity, page)
    # the languages row goes after the IRI row
    page = _ROW_THEN_IRI.sub(lambda m: m.group(2) + m.group(1), page)
    for old, new in renames.items():
        page = page.replace(f'href="#{old}"', f'href="#{new}"')
    return page


def render_ontology_html(
    ontology: Graph, iri: URIRef = ONTOLOGY_IRI, namespace: str = str(EKIP)
) -> str:
    """The page of the ontology ``iri`` (ekip's, or a module's) whose terms are in
    ``namespace``."""
    english, others = english_view(ontology)
    page = _render(OntPub, english)
    page = _fix_anchors_and_add_languages(page, others, namespace)
    style = (
        "<style>.languages{list-style:none;margin:0;padding:0}"
        ".languages .lang{display:inline-block;min-width:2.2em;color:#555;"
        "font-family:monospace}</style>"
    )
    page = page.replace("<html>", '<html lang="en">', 1).replace("</head>", style + "</head>", 1)
    if iri in others:  # the ontology's own title and description
        block = _languages_row(others[iri])
        page = page.replace("</dl>", f"</dl><table>{block}</table>", 1)
    return page


def render_vocabulary_html(scheme: Graph, context: Graph | None = None) -> str:
    """The page of one SKOS scheme (own generation: pyLODE's VocPub lists no concepts of
    these schemes)."""
    from ekipgraph.schemedocs import render_scheme_html

    return render_scheme_html(scheme, context)
