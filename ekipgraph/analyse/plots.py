"""Plots of the patterns: the city-similarity network and the city × resource-type gap heat map.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display, no global
state) and saved as PNG and SVG with fixed metadata and a fixed SVG hash salt, so that the
same results give byte-identical files.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
import matplotlib.style
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ekipgraph.analyse.run import PatternsResult
from ekipgraph.analyse.similarity import shared_names

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

#: Everything that would otherwise make two renderings of the same figure differ.
_RC: dict[RcKeyType, object] = {
    "svg.hashsalt": "ekipgraph",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 11,
}
DPI = 150
#: Pairs and shared items listed beside the similarity network.
SHARED_PAIRS = 6
SHARED_ITEMS = 5
#: Above these sizes a plot shows the most telling part and says so (the CSV files hold all):
#: the cities of the strongest pairs, the cities with the most gaps, the most shared gaps.
MAX_SIMILARITY_CITIES = 16
MAX_HEATMAP_CITIES = 30
MAX_HEATMAP_TYPES = 40


@contextmanager
def _style() -> Iterator[None]:
    # Start from matplotlib's defaults so a user's matplotlibrc cannot change the files.
    with matplotlib.style.context("default"), matplotlib.rc_context(_RC):
        yield


def _wrap(text: str, width: int = 18) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _note(fig: Figure, text: str) -> None:
    # supxlabel, unlike fig.text, gets room from the constrained layout: it never overlaps.
    # About 13 characters of 9-point text per inch: wrap to the figure's width.
    width = int(fig.get_figwidth() * 13)
    fig.supxlabel(textwrap.fill(text, width), fontsize=9, color="#444444", x=0.01, ha="left")


def _empty(fig: Figure, title: str, message: str) -> Figure:
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title, fontsize=14, fontweight="bold")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color="#555555")
    return fig


def similarity_figure(result: PatternsResult) -> Figure:
    """Cities on a circle; an edge for each pair that shares anything, its width and colour
    the weighted cosine, its label both scores; beside it, what the closest pairs share."""
    network, similarity = result.network, result.similarity
    linked = [p for p in similarity.pairs if p.jaccard > 0]  # strongest first
    shown = _strongest_cities(similarity.cities, linked, MAX_SIMILARITY_CITIES)
    cities = sorted(shown, key=network.label)
    fig = Figure(figsize=(14, 8.5), layout="constrained")
    FigureCanvasAgg(fig)
    title = "How alike are the cities?"
    if len(cities) < 2:
        return _empty(fig, title, "Fewer than two cities with cases: nothing to compare.")
    ax, side = fig.subplots(1, 2, width_ratios=[3, 2])
    # Start at the top and go clockwise, in alphabetical order: easy to find a city.
    angle = {c: math.pi / 2 - 2 * math.pi * i / len(cities) for i, c in enumerate(cities)}
    position = {c: (math.cos(a), math.sin(a)) for c, a in angle.items()}
    colours = matplotlib.colormaps["Blues"]
    drawn = [p for p in linked if p.city_a in position and p.city_b in position]
    # With many pairs, only the strongest carry score labels: the rest would hide each other.
    labelled = {id(p) for p in drawn[: MAX_SIMILARITY_CITIES * 2]}
    for pair in sorted(drawn, key=lambda p: p.cosine):  # strongest drawn last, on top
        (x1, y1), (x2, y2) = position[pair.city_a], position[pair.city_b]
        ax.plot(
            [x1, x2],
            [y1, y2],
            color=colours(0.3 + 0.7 * pair.cosine),
            linewidth=1.5 + 10 * pair.cosine,
            solid_capstyle="round",
            zorder=1,
        )
        if id(pair) not in labelled:
            continue
        ax.text(
            (x1 + x2) / 2,
            (y1 + y2) / 2,
            f"cos {pair.cosine:.2f}\nJ {pair.jaccard:.2f}",
            ha="center",
            va="center",
            fontsize=9,
            zorder=3,
            bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": "#bbbbbb", "alpha": 0.9},
        )
    for city in cities:
        x, y = position[city]
        cases = len(network.cases_of_city.get(city, ()))
        ax.scatter([x], [y], s=700 + 250 * cases, color="#f4a261", edgecolor="#7a4a1e", zorder=2)
        # Labels sit outside the circle, on the side away from the centre.
        if abs(x) > 0.35:
            where = {"x": x + math.copysign(0.14, x), "y": y, "ha": "left" if x > 0 else "right"}
        else:
            where = {"x": x, "y": y + math.copysign(0.2, y), "ha": "center"}
        ax.text(
            s=f"{network.label(city)}\n{cases} case{'s' if cases != 1 else ''}",
            va="center",
            fontsize=12,
            fontweight="bold",
            zorder=4,
            **where,
        )
    ax.set_xlim(-1.75, 1.75)
    ax.set_ylim(-1.4, 1.4)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(
        "weighted cosine over needs, gaps, sectors and actor types", fontsize=12, color="#333333"
    )
    side.set_axis_off()
    side.set_title("What the closest pairs share", fontsize=12, fontweight="bold", loc="left")
    lines = []
    for pair in linked[:SHARED_PAIRS]:
        lines.append(f"{network.label(pair.city_a)} – {network.label(pair.city_b)}")
        items = shared_names(network, pair)
        listed = ", ".join(items[:SHARED_ITEMS]) + (
            f" (+{len(items) - SHARED_ITEMS} more)" if len(items) > SHARED_ITEMS else ""
        )
        lines += [f"   {part}" for part in textwrap.wrap(listed, 46)] + [""]
    side.text(
        0,
        1,
        "\n".join(lines) or "No pair shares anything.",
        va="top",
        fontsize=10.5,
        linespacing=1.4,
        transform=side.transAxes,
    )
    fig.suptitle(title, fontsize=15, fontweight="bold")
    part = (
        f"Shown: the {len(cities)} cities of the strongest pairs, of {len(similarity.cities)}. "
        if len(cities) < len(similarity.cities)
        else ""
    )
    _note(
        fig,
        f"{part}Edge width and colour: weighted cosine (0–1); labels: cosine and Jaccard. "
        "Pairs that share nothing have no edge. All pairs: city-similarity.csv",
    )
    return fig


def _strongest_cities(cities: Sequence[str], pairs: Sequence, limit: int) -> list[str]:
    """All cities when they are few; else those of the strongest pairs, up to ``limit``."""
    if len(cities) <= limit:
        return list(cities)
    chosen: dict[str, None] = {}
    for pair in pairs:
        for city in (pair.city_a, pair.city_b):
            if len(chosen) < limit:
                chosen.setdefault(city)
    for city in cities:  # too few linked pairs: fill up in the cities' own order
        if len(chosen) < limit:
            chosen.setdefault(city)
    return list(chosen)


def gap_heatmap_figure(result: PatternsResult) -> Figure:
    """Resource types (rows, as the cases name them) × cities (columns); a cell counts gap
    findings and missing needs. Rows, not columns, hold the long resource-type names, so
    they read horizontally however many there are."""
    network, matrix = result.network, result.shared_gaps.matrix
    # Every compared city gets a column: an empty one says "no gaps recorded" just as clearly.
    all_cities = network.by_label([*network.cities, *matrix])
    spread: dict[str, int] = {}
    for counts in matrix.values():
        for rt in counts:
            spread[rt] = spread.get(rt, 0) + 1
    # The most widely shared gaps on top, so the eye meets the cross-city pattern first.
    all_types = sorted(spread, key=lambda rt: (-spread[rt], network.label(rt), rt))
    types = all_types[:MAX_HEATMAP_TYPES]
    cities = all_cities
    if len(all_cities) > MAX_HEATMAP_CITIES:
        # The cities with the most gap statements, still in reading order.
        total = {city: sum(matrix.get(city, {}).values()) for city in all_cities}
        ranked = sorted(all_cities, key=lambda city: (-total[city], network.label(city), city))
        chosen = set(ranked[:MAX_HEATMAP_CITIES])
        cities = [city for city in all_cities if city in chosen]
    fig = Figure(
        figsize=(max(7.0, 4.6 + 1.3 * len(cities)), max(3.8, 2.2 + 0.45 * len(types))),
        layout="constrained",
    )
    FigureCanvasAgg(fig)
    title = "Where do the cities lack what?"
    if not types:
        return _empty(fig, title, "No gaps or missing resources recorded.")
    values = [[matrix.get(city, {}).get(rt, 0) for city in cities] for rt in types]
    highest = max(max(row) for row in values)
    ax = fig.add_subplot()
    image = ax.imshow(values, cmap="OrRd", vmin=0, vmax=max(highest, 1), aspect="auto")
    for row, cells in enumerate(values):
        for column, count in enumerate(cells):
            if count:
                ax.text(
                    column,
                    row,
                    str(count),
                    ha="center",
                    va="center",
                    fontsize=11,
                    fontweight="bold",
                    color="white" if count > 0.6 * highest else "#222222",
                )
    ax.set_yticks(
        range(len(types)),
        [
            network.label(rt) + (f"  ({spread[rt]} cities)" if spread[rt] > 1 else "")
            for rt in types
        ],
        fontsize=10.5,
    )
    ax.set_xticks(range(len(cities)), [_wrap(network.label(c), 14) for c in cities], fontsize=11)
    ax.xaxis.tick_top()
    ax.set_xticks([x - 0.5 for x in range(1, len(cities))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(types))], minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)
    ax.set_title(
        f"{title}\ngap findings and missing resources per resource type",
        fontsize=14,
        fontweight="bold",
        pad=14,  # room for the city names above the cells
    )
    shown = []
    if len(cities) < len(all_cities):
        shown.append(f"the {len(cities)} cities with the most gaps, of {len(all_cities)}")
    if len(types) < len(all_types):
        shown.append(f"the {len(types)} most widely shared resource types, of {len(all_types)}")
    part = f"Shown: {' and '.join(shown)} (all in gaps-per-city.csv). " if shown else ""
    _note(
        fig,
        f"{part}Resource types as the cases name them, most widely shared first; "
        "shared-gaps.csv also counts each for its broader types (seed funding is funding).",
    )
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label("gap findings + missing needs")
    bar.set_ticks(range(0, max(highest, 1) + 1, max(1, math.ceil(highest / 6))))
    return fig


def save_figure(fig: Figure, folder: Path, stem: str, version: str) -> list[Path]:
    """Write ``stem.png`` and ``stem.svg`` with metadata that never changes between runs."""
    png, svg = folder / f"{stem}.png", folder / f"{stem}.svg"
    software = f"ekipgraph {version}"
    with _style():
        fig.savefig(png, format="png", dpi=DPI, metadata={"Software": software})
        # Drawing the PNG ran the constrained layout: the SVG keeps its places rather than
        # measuring every text again.
        engine = fig.get_layout_engine()
        fig.set_layout_engine("none")
        try:
            fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": software})
        finally:
            fig.set_layout_engine(engine)
    return [png, svg]


def write_plots(result: PatternsResult, folder: Path) -> list[Path]:
    written = []
    for stem, draw in (
        ("city-similarity", similarity_figure),
        ("gap-heatmap", gap_heatmap_figure),
    ):
        with _style():
            fig = draw(result)
        written += save_figure(fig, folder, stem, result.version)
    return written
