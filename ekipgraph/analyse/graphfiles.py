"""GraphML and GEXF files of the patterns' graphs, written as a stream of text.

networkx's writers build an element for every node, edge and value first: GEXF as one
ElementTree document, indented in a second pass and serialised in a third; GraphML as lxml
elements written one by one, after two passes over every value to find its type. At 2.4M
quads (112,000 links in the typed network) that was most of the time of writing the graph
files. These writers produce the same bytes as networkx's (``write_graphml`` with lxml,
and ``GEXFWriter`` with ``prettyprint``), in one pass of string formatting. A graph they do
not cover (a directed or multigraph, a value that is not text, a whole number, a float or a
boolean, the attributes networkx's writers treat apart, a character that needs an entity
in an attribute) is handed to networkx's writer unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import networkx as nx

#: Characters written as themselves in text and attributes by both lxml and ElementTree,
#: apart from the five escaped below: no control characters, no tab or newline (escaped
#: differently in attributes by the two), no surrogates or non-characters.
_PLAIN = re.compile(r"[^\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]*\Z")
_GRAPHML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}
_GEXF_TYPES = _GRAPHML_TYPES
#: Keys networkx's GEXF writer moves into XML attributes or elements of their own.
_GEXF_NODE_SPECIAL = {"id", "pid", "start", "end", "viz", "parents", "spells", "slices"}
_GEXF_EDGE_SPECIAL = {"id", "type", "start", "end", "viz", "spells", "slices", "key"}
_BUFFER = 1 << 16


class _Unsupported(Exception):
    """The graph holds something these writers leave to networkx."""


def _text(value: str) -> str:
    if not _PLAIN.match(value):
        raise _Unsupported
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def _attribute(value: str) -> str:
    value = _text(value)
    return value.replace('"', "&quot;") if '"' in value else value


def _checked(graph: nx.Graph) -> None:
    if graph.is_directed() or graph.is_multigraph():
        raise _Unsupported
    for key in ("node_default", "edge_default"):
        if key in graph.graph:
            raise _Unsupported


def _write(path: Path, parts: Iterable[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n", buffering=_BUFFER) as out:
        chunk: list[str] = []
        for part in parts:
            chunk.append(part)
            if len(chunk) >= 4096:
                out.write("".join(chunk))
                chunk.clear()
        out.write("".join(chunk))


# --- GraphML ------------------------------------------------------------------------------


def _graphml_parts(graph: nx.Graph) -> list[str]:
    # Keys are numbered in the order networkx meets them: the graph's values, then every
    # node's, then every edge's; the file lists them last first.
    keys: dict[tuple[str, str, str], str] = {}
    declared: list[str] = []

    def key(name: object, value: object, scope: str) -> str:
        kind = _GRAPHML_TYPES.get(type(value))
        if kind is None:
            raise _Unsupported
        name = str(name)
        found = keys.get((name, kind, scope))
        if found is None:
            found = keys[name, kind, scope] = f"d{len(keys)}"
            declared.append(
                f'<key id="{found}" for="{scope}" attr.name="{_attribute(name)}" '
                f'attr.type="{kind}"/>\n'
            )
        return found

    def data(items: Iterable[tuple[object, object]], scope: str, indent: str) -> list[str]:
        return [
            f'{indent}<data key="{key(name, value, scope)}">{_text(str(value))}</data>\n'
            for name, value in items
        ]

    if "id" in graph.graph:
        raise _Unsupported
    body = ['<graph edgedefault="undirected">']
    body += data(graph.graph.items(), "graph", "")

    def element(tag: str, attributes: str, values: dict) -> None:
        start = f"<{tag} {attributes}"
        if values:
            body.append(start + ">\n")
            body.extend(data(values.items(), tag, "  "))
            body.append(f"</{tag}>\n")
        else:
            body.append(start + "/>\n")

    for node, values in graph.nodes(data=True):
        element("node", f'id="{_attribute(str(node))}"', values)
    for source, target, values in graph.edges(data=True):
        ends = f'source="{_attribute(str(source))}" target="{_attribute(str(target))}"'
        element("edge", ends, values)
    body.append("</graph></graphml>")
    head = [
        "<?xml version='1.0' encoding='utf-8'?>\n",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    return head + declared[::-1] + body


def write_graphml(graph: nx.Graph, path: Path) -> None:
    """``graph`` as GraphML, the bytes of ``networkx.write_graphml(graph, path)``."""
    try:
        _checked(graph)
        parts = _graphml_parts(graph)
    except _Unsupported:
        nx.write_graphml(graph, path, encoding="utf-8")
        return
    _write(path, parts)


# --- GEXF ---------------------------------------------------------------------------------


def _gexf_value(value: object) -> str:
    if type(value) is bool:
        return "true" if value else "false"
    text = str(value)
    if type(value) is float:
        text = {"inf": "INF", "nan": "NaN", "-inf": "-INF"}.get(text, text)
    return text


def _gexf_parts(graph: nx.Graph, date: str) -> Iterator[str]:
    if graph.graph.get("mode") == "dynamic":
        raise _Unsupported
    ids: dict[tuple[str, str], str] = {}
    declared: dict[str, list[str]] = {}  # by class, in the order the classes were met

    def attvalues(values: dict, scope: str, indent: str) -> list[str]:
        lines = [f"{indent}<attvalues>\n"]
        for name, value in values.items():
            kind = _GEXF_TYPES.get(type(value))
            if kind is None:
                raise _Unsupported
            title = str(name)
            found = ids.get((scope, title))
            if found is None:
                found = ids[scope, title] = str(len(ids))
                declared.setdefault(scope, []).append(
                    f'      <attribute id="{found}" title="{_attribute(title)}" type="{kind}" />\n'
                )
            lines.append(
                f'{indent}  <attvalue for="{found}" value="{_attribute(_gexf_value(value))}" />\n'
            )
        lines.append(f"{indent}</attvalues>\n")
        return lines

    def element(out: list[str], tag: str, start: str, rest: dict) -> None:
        """``start`` (the open tag, unclosed) closed, with ``rest`` as its attvalues if any."""
        if rest:
            out.append(start + ">\n")
            out += attvalues(rest, tag, "        ")
            out.append(f"      </{tag}>\n")
        else:
            out.append(start + " />\n")

    nodes: list[str] = []
    for node, values in graph.nodes(data=True):
        if not _GEXF_NODE_SPECIAL.isdisjoint(values):
            raise _Unsupported
        rest = {name: value for name, value in values.items() if name != "label"}
        start = (
            f'      <node id="{_attribute(str(node))}" '
            f'label="{_attribute(str(values.get("label", node)))}"'
        )
        element(nodes, "node", start, rest)
    edges: list[str] = []
    for number, (source, target, values) in enumerate(graph.edges(data=True)):
        if not _GEXF_EDGE_SPECIAL.isdisjoint(values):
            raise _Unsupported
        start = (
            f'      <edge source="{_attribute(str(source))}" '
            f'target="{_attribute(str(target))}" id="{number}"'
        )
        if "label" in values:
            start += f' label="{_attribute(str(values["label"]))}"'
        if "weight" in values:
            start += f' weight="{_attribute(str(values["weight"]))}"'
        rest = {name: value for name, value in values.items() if name not in ("label", "weight")}
        element(edges, "edge", start, rest)
    yield "<?xml version='1.0' encoding='utf-8'?>\n"
    yield (
        '<gexf xmlns="http://www.gexf.net/1.2draft" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft '
        'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
    )
    yield f'  <meta lastmodifieddate="{_attribute(date)}">\n'
    yield f"    <creator>NetworkX {_text(nx.__version__)}</creator>\n"
    yield "  </meta>\n"
    name = _attribute(str(graph.graph.get("name", "")))
    yield f'  <graph defaultedgetype="undirected" mode="static" name="{name}">\n'
    for scope in reversed(declared):  # networkx puts each new class first
        yield f'    <attributes mode="static" class="{scope}">\n'
        yield from declared[scope]
        yield "    </attributes>\n"
    for wrapper, lines in (("nodes", nodes), ("edges", edges)):
        if lines:
            yield f"    <{wrapper}>\n"
            yield from lines
            yield f"    </{wrapper}>\n"
        else:
            yield f"    <{wrapper} />\n"
    yield "  </graph>\n"
    yield "</gexf>\n"


def write_gexf(graph: nx.Graph, path: Path, date: str) -> None:
    """``graph`` as GEXF 1.2, the bytes of networkx's ``GEXFWriter`` (pretty printed) with
    ``date`` as the last-modified date instead of today's."""
    try:
        _checked(graph)
        parts = list(_gexf_parts(graph, date))
    except _Unsupported:
        _networkx_gexf(graph, path, date)
        return
    _write(path, parts)


def _networkx_gexf(graph: nx.Graph, path: Path, date: str) -> None:
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    # networkx stamps today's date; the input's date keeps the file reproducible.
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.set("lastmodifieddate", date)
    writer.add_graph(graph)
    writer.write(str(path))
