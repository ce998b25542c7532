"""Writing ``dist/patterns/``: tables (CSV, JSON), graphs (GraphML, GEXF), plots (PNG, SVG)
and the results as RDF (TriG, N-Quads), all at once or not at all."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx

from ekipgraph.analyse.base import Cell, Table, rounded
from ekipgraph.analyse.graphfiles import write_gexf, write_graphml
from ekipgraph.analyse.network import KINDS, actor_graph, city_actor_graph, typed_graph
from ekipgraph.analyse.plots import write_plots
from ekipgraph.analyse.rdf import PATTERNS_GRAPH, nquads_to_trig, patterns_nquads
from ekipgraph.analyse.run import OnStep, PatternsResult, ignore_step
from ekipgraph.atomic import replace_directory


def _cell(value: Cell) -> str:
    if isinstance(value, tuple):
        return "; ".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def table_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows([_cell(value) for value in row] for row in table.rows)
    return buffer.getvalue()


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def table_json(table: Table, question: str) -> str:
    return _json(
        {"name": table.name, "title": table.title, "question": question, "rows": table.records()}
    )


def graphs(result: PatternsResult) -> dict[str, nx.Graph]:
    """The graphs to write, by file stem, with the analyses' scores as node attributes."""
    network = result.network
    membership = result.communities.membership
    actors = actor_graph(network).copy()  # shared with the analyses: add scores to a copy
    for actor in actors:
        actors.nodes[actor]["betweenness"] = rounded(result.bridging.betweenness.get(actor, 0.0))
        actors.nodes[actor]["community"] = membership.get(actor, 0)
    communities = city_actor_graph(network).copy()
    for node in communities:
        communities.nodes[node]["community"] = membership.get(node, 0)
    return {
        "network": typed_graph(network),
        "city-similarity": result.similarity.graph(network),
        "actor-network": actors,
        "city-actor-communities": communities,
        "policy-areas-sectors": result.cooccurrence.graph(network),
    }


def manifest(result: PatternsResult, files: list[str]) -> dict:
    network = result.network
    when = result.generated_at
    return {
        "title": "Cross-city patterns of ekip",
        "ekipgraph": result.version,
        "generated_at": when.isoformat() if when else None,
        "note": "generated_at is the newest input case graph's recording time, so the same "
        "input gives the same files",
        "rdf_graph": str(PATTERNS_GRAPH),
        "inputs": sorted({g.graph for g in network.case_graphs}),
        "network": {kind: network.count(kind) for kind in KINDS},
        "analyses": [
            {
                "name": item.analysis.name,
                "title": item.analysis.title,
                "question": item.analysis.question,
                "algorithm": item.analysis.algorithm,
                "parameters": dict(item.analysis.parameters),
                "tables": [table.name for table in result.tables_of(item)],
            }
            for item in result.results
        ],
        "files": files,
    }


#: The steps of ``write_patterns``, in order.
WRITE_STEPS = ("writing tables", "writing graph files", "drawing plots", "writing RDF")


def write_into(result: PatternsResult, folder: Path, on_step: OnStep = ignore_step) -> list[Path]:
    """Write every output into an existing, empty folder."""
    written: list[Path] = []
    steps = iter(WRITE_STEPS)

    def text(name: str, content: str) -> None:
        path = folder / name
        path.write_text(content, encoding="utf-8", newline="\n")
        written.append(path)

    on_step(next(steps))
    for item in result.results:
        for table in result.tables_of(item):
            text(f"{table.name}.csv", table_csv(table))
            text(f"{table.name}.json", table_json(table, item.analysis.question))
    date = result.generated_at.date().isoformat() if result.generated_at else "1970-01-01"
    on_step(next(steps))
    for stem, graph in graphs(result).items():
        write_graphml(graph, folder / f"{stem}.graphml")
        write_gexf(graph, folder / f"{stem}.gexf", date)
        written += [folder / f"{stem}.graphml", folder / f"{stem}.gexf"]
    on_step(next(steps))
    written += write_plots(result, folder)
    on_step(next(steps))
    nquads = patterns_nquads(result)
    text("patterns.trig", nquads_to_trig(nquads))
    text("patterns.nq", nquads)
    names = sorted([path.name for path in written] + ["patterns.json"])
    text("patterns.json", _json(manifest(result, names)))
    return sorted(written)


def write_patterns(
    result: PatternsResult, out_dir: Path, on_step: OnStep = ignore_step
) -> list[Path]:
    """Replace ``out_dir`` (normally ``dist/patterns``) whole with the outputs; on any error
    it stays as it was. Returns the written files (under ``out_dir``)."""
    out_dir = Path(out_dir)
    with replace_directory(out_dir) as staging:
        written = write_into(result, staging, on_step)
    return [out_dir / path.name for path in written]
