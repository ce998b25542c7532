"""What a dataset folder was written from (``ekipgraph.buildrecord``): ``build`` with nothing
changed does nothing and says so; after an edit, the graph files of the cases that did not
change are hard-linked from the previous folder; and every outcome is byte for byte what a
build from scratch writes."""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from folders import folder_bytes
from typer.testing import CliRunner

from ekipgraph.buildrecord import RECORD_FILE, BuildRecord
from ekipgraph.built import OXIGRAPH_DIR, default_store_dir, sorted_difference
from ekipgraph.cli import app
from ekipgraph.project import ProjectLayout

runner = CliRunner()


def _build(*extra: str) -> str:
    result = runner.invoke(app, ["build", "--out", "dist/dataset", *extra])
    assert result.exit_code == 0, result.output
    return result.output


def _inodes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(synthetic_home: Callable[..., ProjectLayout]) -> ProjectLayout:
    project = synthetic_home(5, 3)
    _build()
    return project


def _edit(project: ProjectLayout, index: int = 2) -> Path:
    case = sorted((project.data_dir / "cases").glob("*.yaml"))[index]
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("Synthetic case", "Synthetic edited case", 1), encoding="utf-8")
    return case


def test_a_build_with_nothing_changed_writes_nothing_and_says_so(project: ProjectLayout) -> None:
    out = Path("dist/dataset")
    before = _inodes(out)
    store_before = _inodes(default_store_dir(project))
    said = _build()
    assert "nothing changed since the last build" in said
    assert "5 cases, 0 violations" in said and "triples" in said
    assert _inodes(out) == before  # not one file written again
    assert _inodes(default_store_dir(project)) == store_before


@pytest.mark.parametrize(
    "change",
    ["edit a case", "touch a dump", "remove a graph file", "remove the store", "other engine"],
)
def test_any_change_to_the_inputs_or_the_outputs_makes_build_work_again(
    project: ProjectLayout, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = Path("dist/dataset")
    fresh = folder_bytes(out)
    if change == "edit a case":
        _edit(project)
    elif change == "touch a dump":
        (out / "ekip.nq").write_text("not the dataset\n", encoding="utf-8")
    elif change == "remove a graph file":
        next((out / "graphs" / "case").glob("*.ttl")).unlink()
    elif change == "remove the store":
        import shutil

        shutil.rmtree(default_store_dir(project) / OXIGRAPH_DIR)
    else:
        monkeypatch.setenv("EKIPGRAPH_SHACL_ENGINE", "pyshacl")
    said = _build()
    assert "nothing changed" not in said
    assert "Dataset written to" in said
    if change != "edit a case":
        assert folder_bytes(out) == fresh  # written again, the same bytes
    assert (default_store_dir(project) / OXIGRAPH_DIR).is_dir()


def test_graph_files_of_unchanged_cases_are_linked_and_the_folder_is_what_a_fresh_build_writes(
    project: ProjectLayout, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = Path("dist/dataset")
    before = _inodes(out)
    case = _edit(project)
    _build()
    after = _inodes(out)
    edited = f"graphs/case/{case.stem}.ttl"
    unchanged = [name for name in before if name.startswith("graphs/case/") and name != edited]
    assert len(unchanged) == 4
    assert all(after[name] == before[name] for name in unchanged)  # linked, not written
    assert after[edited] != before[edited]
    assert "Synthetic edited case" in (out / edited).read_text(encoding="utf-8")
    # a build from scratch (its own cache, its own folder) writes the same bytes
    monkeypatch.setenv("EKIPGRAPH_CACHE", str(tmp_path / "fresh-cache"))
    result = runner.invoke(
        app, ["build", "--out", str(tmp_path / "fresh"), "--data", "project/data"]
    )
    assert result.exit_code == 0, result.output
    assert folder_bytes(out) == folder_bytes(tmp_path / "fresh")


def test_a_graph_file_edited_by_hand_is_written_again_not_linked(project: ProjectLayout) -> None:
    out = Path("dist/dataset")
    other = sorted((out / "graphs" / "case").glob("*.ttl"))[0]
    expected = other.read_bytes()
    other.write_bytes(expected + b"# a note\n")
    _edit(project, index=4)
    _build()
    assert other.read_bytes() == expected


def test_a_record_that_does_not_parse_is_no_record(project: ProjectLayout) -> None:
    out = Path("dist/dataset")
    for junk in ("", "{", "[]", '{"format": 1}', '{"format": 1, "inputs": "x", "files": {"a": 3}}'):
        (out / RECORD_FILE).write_text(junk, encoding="utf-8")
        assert BuildRecord.read(out) is None
        said = _build()
        assert "Dataset written to" in said
        assert BuildRecord.read(out) is not None


def _line(generator: random.Random, predicate: str) -> bytes:
    return f"<s{generator.randrange(10**6):07d}> <{predicate}> <o> .".encode()


def test_the_sorted_difference_of_two_dumps_is_the_difference_of_their_sets() -> None:
    generator = random.Random(5)
    for size in (0, 1, 7, 300, 3000, 20000):
        lines = sorted({_line(generator, "p") for _ in range(size)})
        for changes in (0, 1, 5, size // 3):
            kept = [line for line in lines if generator.random() > changes / max(size, 1)]
            extra = {_line(generator, "q") for _ in range(changes)}
            new = sorted(set(kept) | extra)
            old_text = b"".join(line + b"\n" for line in lines)
            new_text = b"".join(line + b"\n" for line in new)
            difference = sorted_difference(old_text, new_text)
            assert difference == (sorted(set(lines) - set(new)), sorted(set(new) - set(lines)))
            if changes:  # a budget smaller than the difference: patching is not worth it
                assert sorted_difference(old_text, new_text, at_most=10) is None
    # not sorted where they differ (a dump edited by hand): no difference is trusted
    assert sorted_difference(b"a\nc\nb\n", b"a\nb\nc\nd\n") is None
    assert sorted_difference(b"", b"a\n") == ([], [b"a"])
    assert sorted_difference(b"a\nb", b"a\nb\nc\n") == ([], [b"c"])  # no final newline


def test_a_dump_edited_in_place_is_not_taken_for_what_the_store_holds(
    project: ProjectLayout,
) -> None:
    """The store's ``ekip.nq`` is a hard link of the dataset folder's: edited in place (a
    line removed), it no longer says what the store holds, and the next build must not
    patch the store against it (the quad of that line would stay in the store for good)."""
    import pyoxigraph as ox

    store_dir = default_store_dir(project)
    dump = Path("dist/dataset/ekip.nq")
    lines = dump.read_text(encoding="utf-8").splitlines(keepends=True)
    assert os.path.samefile(dump, store_dir / "ekip.nq")
    case = _edit(project)
    number = case.stem.rsplit("-", 1)[1]
    victim = next(line for line in lines if f'"Synthetic case {number}:' in line)  # edited away
    with dump.open("w", encoding="utf-8") as handle:  # in place: the same inode
        handle.writelines(line for line in lines if line != victim)
    _build()

    def canonical(quads: Iterable[ox.Quad]) -> set[str]:
        dataset = ox.Dataset(quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        return {str(quad) for quad in dataset}

    store = ox.Store.read_only(str(store_dir / OXIGRAPH_DIR))
    expected = ox.Store()
    expected.extend(ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS))
    assert canonical(store) == canonical(expected)
