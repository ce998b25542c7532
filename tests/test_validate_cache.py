"""What ``validate_incremental`` keeps between builds (the checked shapes, the parsed TBox,
the shared files) is used only while the files it came from are unchanged: a shapes or
ontology edit is read, checked and applied on the next build."""

from __future__ import annotations

from collections.abc import Callable

from ekipgraph.project import ProjectLayout
from ekipgraph.validate import validate_incremental


def test_a_shapes_edit_after_a_warm_build_is_checked_and_applied(
    synthetic_home: Callable[..., ProjectLayout],
) -> None:
    project = synthetic_home(2, 6)
    warm = validate_incremental(project)
    assert warm.exit_code() == 0 and warm.load_error is None
    assert validate_incremental(project).rows == warm.rows  # from the cache, the same report

    shapes = project.shapes_dir / "ekip-cases.ttl"
    original = shapes.read_text(encoding="utf-8")
    shapes.write_text(original + "\nthis is not turtle .\n", encoding="utf-8")
    broken = validate_incremental(project)
    assert broken.load_error is not None and "ekip-cases.ttl" in broken.load_error
    assert broken.exit_code() == 2

    # every warning made a violation: the new shapes are the ones applied
    shapes.write_text(original, encoding="utf-8")
    assert warm.count("Warning") > 0
    for path in project.shapes_dir.glob("*.ttl"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("sh:Warning", "sh:Violation"), encoding="utf-8")
    stricter = validate_incremental(project)
    assert stricter.load_error is None
    assert stricter.count("Violation") == warm.count("Violation") + warm.count("Warning")

    ontology = project.root / "ontology" / "ekip.ttl"
    ontology.write_text(ontology.read_text(encoding="utf-8") + "\n@@@ broken\n", encoding="utf-8")
    assert validate_incremental(project).load_error is not None
