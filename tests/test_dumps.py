"""The dataset folder patched after an edit (``ekipgraph.dumps``): whatever changed (a case
edited, removed, added, a shared entity referred to by one case more or less), the folder
and the store are byte for byte what a build from scratch writes; when the previous files
are not what their index says, they are written whole."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from folders import folder_bytes
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ekipgraph.built import OXIGRAPH_DIR, PATTERNS_GRAPH, default_store_dir
from ekipgraph.cli import app
from ekipgraph.compiled import Chunk, GraphText
from ekipgraph.dumps import (
    Copy,
    DumpIndex,
    FileLayout,
    Patch,
    line_start_at_or_after,
    nquads_changes,
    patch_nquads,
    write_parts,
)
from ekipgraph.project import ProjectLayout

runner = CliRunner()
OUT = Path("dist/dataset")


def _build() -> str:
    result = runner.invoke(app, ["build", "--out", str(OUT)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def _comparable(quads: Iterable[ox.Quad]) -> tuple[int, list[str]]:
    """How many quads, and those without blank nodes (a store labels those its own way)."""
    patterns = ox.NamedNode(PATTERNS_GRAPH)
    every = [q for q in quads if q.graph_name != patterns]
    named = [str(q) for q in every if "_:" not in str(q)]
    return len(every), sorted(named)


def _store_quads(project: ProjectLayout) -> tuple[int, list[str]]:
    return _comparable(ox.Store.read_only(str(default_store_dir(project) / OXIGRAPH_DIR)))


def _numbers(output: str) -> list[str]:
    """The summary table's rows and the results line, without times and titles."""
    rows = [line for line in output.splitlines() if line.startswith("│")]
    results = re.sub(
        r"\(\d+\.\d+ s\)", "", next(line for line in output.splitlines() if "cases," in line)
    )
    return [results, *rows]


def _fresh(project: ProjectLayout) -> tuple[dict[str, bytes], tuple[int, list[str]], list[str]]:
    """What a build from scratch of the data as it is writes (no folder, store or cache)."""
    shutil.rmtree(project.root / "dist", ignore_errors=True)
    shutil.rmtree(OUT, ignore_errors=True)
    shutil.rmtree(default_store_dir(project), ignore_errors=True)
    said = _build()
    assert "patched" not in said
    return folder_bytes(OUT), _store_quads(project), _numbers(said)


def _cases(project: ProjectLayout) -> list[Path]:
    return sorted((project.data_dir / "cases").glob("*.yaml"))


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _actors(path: Path) -> list[str]:
    return sorted(set(re.findall(r'actor: "(synthetic-organisation-\d+)"', path.read_text())))


@pytest.fixture
def project(synthetic_home: Callable[..., ProjectLayout]) -> ProjectLayout:
    project = synthetic_home(8, 5)
    _build()
    return project


def test_edited_removed_and_added_cases_patch_the_folder_into_what_a_fresh_build_writes(
    project: ProjectLayout,
) -> None:
    cases = _cases(project)
    _replace(cases[1], "Synthetic case", "Synthetic edited case")
    cases[5].unlink()
    added = cases[0].with_name("synthetic-case-00100.yaml")
    added.write_text(
        cases[0].read_text().replace('id: "synthetic-case-00001"', 'id: "synthetic-case-00100"')
    )
    # one case refers to an organisation another case refers to, instead of its own
    theirs = _actors(cases[4])
    mine = [a for a in _actors(cases[2]) if a not in theirs]
    _replace(cases[2], f'"{mine[0]}"', f'"{theirs[0]}"')
    said = _build()
    assert "patched: 4 case(s) changed" in said
    patched, store, numbers = folder_bytes(OUT), _store_quads(project), _numbers(said)
    loaded = ox.Store()  # the dump as a store holds it (literals in canonical form)
    loaded.bulk_load(path=str(OUT / "ekip.nq"), format=ox.RdfFormat.N_QUADS)
    assert store == _comparable(loaded)
    fresh, fresh_store, fresh_numbers = _fresh(project)
    assert patched.keys() == fresh.keys()
    for name in fresh:
        assert patched[name] == fresh[name], name
    assert store == fresh_store
    assert numbers == fresh_numbers


def test_a_case_that_drops_the_last_use_of_a_shared_entity_takes_its_entailments_along(
    project: ProjectLayout,
) -> None:
    original = folder_bytes(OUT)
    cases = _cases(project)

    def others(case: Path) -> set[str]:
        return {a for other in cases if other != case for a in _actors(other)}

    # a case with an organisation no other case refers to
    case = next(c for c in cases if set(_actors(c)) - others(c))
    only_here = sorted(set(_actors(case)) - others(case))[0]
    elsewhere = sorted(others(case) - set(_actors(case)))[0]
    _replace(case, f'"{only_here}"', f'"{elsewhere}"')
    assert "patched: 1 case(s) changed" in _build()
    patched = folder_bytes(OUT)
    # and back: the entity is referred to again
    _replace(case, f'"{elsewhere}"', f'"{only_here}"')
    assert "patched: 1 case(s) changed" in _build()
    assert folder_bytes(OUT) == original
    _replace(case, f'"{only_here}"', f'"{elsewhere}"')
    assert patched == _fresh(project)[0]


@pytest.mark.parametrize("damage", ["trig edited", "index broken", "cache cleared"])
def test_a_folder_unlike_its_index_is_written_whole(project: ProjectLayout, damage: str) -> None:
    if damage == "trig edited":
        with (OUT / "ekip.trig").open("a", encoding="utf-8") as handle:
            handle.write("# a note\n")
    elif damage == "index broken":
        (OUT / ".ekipgraph-dumps.json").write_text("{", encoding="utf-8")
    else:
        shutil.rmtree(Path("cache") / "chunk")
    _replace(_cases(project)[4], "Synthetic case", "Synthetic edited case")
    said = _build()
    assert "patched" not in said
    written = folder_bytes(OUT)
    assert written == _fresh(project)[0]


lines = st.lists(
    st.text(alphabet='<>abc é"', min_size=1, max_size=6).map(lambda t: t + " ."),
    unique=True,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(old=lines, new=lines)
def test_the_dump_patched_line_by_line_is_the_sorted_new_lines(
    tmp_path_factory: pytest.TempPathFactory, old: list[str], new: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("nq")
    before = "".join(line + "\n" for line in sorted(old)).encode()
    (folder / "old.nq").write_bytes(before)
    patch = Patch({}, {})
    patch.removed_lines = sorted(line.encode() for line in set(old) - set(new))
    patch.added_lines = sorted(line.encode() for line in set(new) - set(old))
    patch_nquads(patch, before, folder / "old.nq", folder / "new.nq")
    assert (folder / "new.nq").read_bytes() == "".join(
        line + "\n" for line in sorted(new, key=lambda t: t.encode())
    ).encode()
    for line in old:
        at = line_start_at_or_after(before, line.encode())
        assert before[at:].startswith(line.encode() + b"\n")


def test_parts_are_copied_range_by_range_from_the_previous_file(tmp_path: Path) -> None:
    (tmp_path / "old").write_bytes(b"0123456789")
    parts = [Copy(0, 3), Copy(3, 2), b"ab", Copy(8, 2), b"", Copy(5, 0)]
    write_parts(tmp_path / "new", parts, tmp_path / "old")
    assert (tmp_path / "new").read_bytes() == b"01234ab89"


def _chunk(
    name: str, quads: list[str], inferred: list[str], typed: frozenset[str] = frozenset()
) -> Chunk:
    return Chunk(
        name=name,
        quads=tuple(sorted(quads)),
        inferred=tuple(sorted(inferred)),
        graphs={},
        inferred_text=GraphText((), ""),
        typed={"actors": typed} if typed else {},
        triples_per_graph={},
        results=(),
        locations={},
        cases=1,
    )


def _index(shared: dict[str, int], total: int) -> DumpIndex:
    return DumpIndex({}, {}, FileLayout(), {}, shared, total, {}, {}, {}, {})


def test_an_entailment_of_two_cases_stays_until_the_last_of_them_drops_it(tmp_path: Path) -> None:
    shared = "<s> <p> <o> <inferred> ."  # entailed by cases a and b
    other = "<t> <p> <o> <inferred> ."  # entailed by case b only
    dump = "".join(f"{line}\n" for line in sorted(["<a> <p> <o> <g> .", shared, other]))
    (tmp_path / "old.nq").write_text(dump, encoding="utf-8")
    index = _index({shared: 2}, total=2)
    # case a no longer entails the shared line, and now entails b's line too
    a_old = _chunk("case/a", ["<a> <p> <o> <g> ."], [shared])
    a_new = _chunk("case/a", ["<a> <p> <o> <g> ."], [other])
    patch = Patch({"case/a": a_new}, {"case/a": a_old})
    index.inferred_total = nquads_changes(index, patch, dump.encode())
    assert index.inferred_total == 2
    assert patch.removed_lines == patch.added_lines == []  # both lines are still entailed
    assert index.shared_inferred == {other: 2}
    # then case b drops both: the shared line goes with it, b's line stays (a entails it)
    b_old = _chunk("case/b", [], [shared, other])
    patch = Patch({"case/b": _chunk("case/b", [], [])}, {"case/b": b_old})
    index.inferred_total = nquads_changes(index, patch, dump.encode())
    assert index.inferred_total == 1
    assert patch.removed_lines == [shared.encode()] and patch.added_lines == []
    assert index.shared_inferred == {}
    # and a new case entails a line no chunk had: it is added
    patch = Patch({"case/c": _chunk("case/c", [], ["<u> <p> <o> <inferred> ."])}, {})
    assert nquads_changes(index, patch, dump.encode()) == 2
    assert patch.added_lines == [b"<u> <p> <o> <inferred> ."]


def test_a_shared_entity_is_counted_once_while_any_case_types_it(tmp_path: Path) -> None:
    from ekipgraph.dumps import update_totals
    from ekipgraph.shacl_split import CASE_ID_BASE

    shared, own = "https://w3id.org/ekip/id/organisation/x", f"{CASE_ID_BASE}a/actor-1"
    index = _index({}, total=0)
    index.typed = {"actors": 2}  # x (typed by cases a and b) and a's own actor
    index.foreign_typed = {"actors": {shared: 2}}
    a_old = _chunk("case/a", [], [], frozenset({shared, own}))
    update_totals(index, Patch({"case/a": _chunk("case/a", [], [])}, {"case/a": a_old}))
    assert index.typed["actors"] == 1  # x stays: case b still types it
    assert index.foreign_typed == {"actors": {shared: 1}}
    b_old = _chunk("case/b", [], [], frozenset({shared}))
    update_totals(index, Patch({}, {"case/b": b_old}))
    assert index.typed["actors"] == 0 and index.foreign_typed == {}
