"""Regression: each figure was saved twice, as PNG and as SVG, and each save ran the
constrained layout again, measuring every text of the figure (1,200 cell labels in the gap
heat map at 30 cities) a second time. The SVG now keeps the places of the PNG."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

from matplotlib.layout_engine import ConstrainedLayoutEngine

from ekipgraph.analyse import plots, run_patterns
from ekipgraph.store import EmbeddedStore

FIXTURE = Path(__file__).parents[1] / "fixtures" / "patterns" / "dataset.trig"


def test_each_figure_is_laid_out_once(tmp_path: Path) -> None:
    store = EmbeddedStore()
    store.load_file(FIXTURE)
    result = run_patterns(store)
    # a spy: the real layout runs, and its calls are counted
    layout = ConstrainedLayoutEngine.execute
    with mock.patch.object(
        ConstrainedLayoutEngine, "execute", autospec=True, side_effect=layout
    ) as execute:
        written = plots.write_plots(result, tmp_path)
    assert sorted(path.suffix for path in written) == [".png", ".png", ".svg", ".svg"]
    assert execute.call_count == 2  # before: 4, one per file
    for path in written:
        if path.suffix == ".svg":
            assert "<svg" in path.read_text(encoding="utf-8")
    figure = plots.gap_heatmap_figure(result)
    plots.save_figure(figure, tmp_path, "again", result.version)
    assert isinstance(figure.get_layout_engine(), ConstrainedLayoutEngine)  # left as found
