"""``ekipgraph extract``: files in, a draft case and its annotation file out.

Both files are written only when every input could be read and analysed (so bad input
leaves nothing behind), never inside the data folder: a person reviews the draft and moves
it there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ekipgraph.extract.intake import MAX_BYTES
from ekipgraph.project import ProjectLayout


class ExtractError(ValueError):
    """A problem with the command's arguments (the inputs have their own errors)."""


@dataclass
class ExtractResult:
    draft_path: Path
    annotations_path: Path
    text_paths: list[Path]
    counts: dict[str, int]
    languages: list[str]
    to_supply: list[str]


def annotations_path_for(draft: Path) -> Path:
    name = draft.name[: -len(".yaml")] if draft.name.endswith(".yaml") else draft.name
    return draft.with_name(f"{name}.annotations.ttl")


def run_extract(
    paths: Sequence[Path],
    layout: ProjectLayout,
    out: Path | None = None,
    language: str | None = None,
    sources: Sequence[str] = (),
    max_bytes: int = MAX_BYTES,
    recorded: dt.date | None = None,
    on_done: Callable[[Path], None] | None = None,
    force: bool = False,
) -> ExtractResult:
    from ekipgraph import __version__
    from ekipgraph.atomic import write_text_atomic
    from ekipgraph.extract.annotations import build_annotations, file_iri
    from ekipgraph.extract.candidates import slug
    from ekipgraph.extract.draft import build_draft
    from ekipgraph.extract.lexicon import build_lexicon
    from ekipgraph.extract.pipeline import Analyser, analyse_files

    if not paths:
        raise ExtractError("give at least one file to extract from")
    if sources and len(sources) != len(paths):
        raise ExtractError(
            f"--source given {len(sources)} time(s) for {len(paths)} file(s); give one per file"
        )
    for source in sources:
        if not source.startswith(("http://", "https://")):
            raise ExtractError(f"--source {source!r} is not an http(s) URL")
    draft_path = Path(out) if out else Path(f"{slug(Path(paths[0]).stem)}.draft.yaml")
    if draft_path.suffix != ".yaml":
        raise ExtractError(f"--out {draft_path}: the draft is a YAML file; end its name in .yaml")
    data_dir = layout.data_dir.resolve()
    target = draft_path.resolve()
    if target == data_dir or data_dir in target.parents:
        raise ExtractError(
            f"--out {draft_path} is inside the data folder {layout.data_dir}; drafts are "
            "written elsewhere and moved there by a person after review"
        )
    existing = [p for p in (draft_path, annotations_path_for(draft_path)) if p.exists()]
    if existing and not force:
        # a draft under review holds a person's edits: never overwrite it unasked
        raise ExtractError(f"{existing[0]} exists; use --force to overwrite it")
    lexicon = build_lexicon(layout)
    analyses = analyse_files(paths, Analyser(lexicon), language, max_bytes, on_done)

    annotations_path = annotations_path_for(draft_path)
    text_dir = draft_path.with_name(f"{draft_path.name[:-5]}.texts")
    originals = list(sources) or [file_iri(a.document.path) for a in analyses]
    text_sources: list[str] = []
    derived: dict[int, Path] = {}
    for number, analysis in enumerate(analyses):
        if analysis.document.derived:
            derived[number] = text_dir / f"{number + 1}-{slug(analysis.document.path.stem)}.txt"
            text_sources.append(file_iri(derived[number]))
        else:
            text_sources.append(originals[number])
    case_id = slug(draft_path.name[:-5].removesuffix(".draft"))
    draft = build_draft(analyses, case_id, list(sources), recorded)
    graph = build_annotations(
        analyses,
        draft.suggestions,
        text_sources,
        originals,
        file_iri(draft_path),
        f"ekipgraph extract {__version__}",
    )
    for number, path in derived.items():
        write_text_atomic(path, analyses[number].document.text)
    write_text_atomic(annotations_path, graph.serialize(format="turtle"))
    write_text_atomic(draft_path, draft.text)
    counts = {
        "known entities": sum(1 for a in analyses for m in a.mentions if m.entry.is_name),
        "concepts": sum(1 for a in analyses for m in a.mentions if not m.entry.is_name),
        "new-entity candidates": sum(len(a.candidates) for a in analyses),
        "needs": sum(1 for a in analyses for s in a.statements if s.kind == "need"),
        "strengths": sum(1 for a in analyses for s in a.statements if s.kind == "strength"),
        "gaps": sum(1 for a in analyses for s in a.statements if s.kind == "gap"),
        "annotations": sum(len(s.evidence) for s in draft.suggestions),
    }
    return ExtractResult(
        draft_path,
        annotations_path,
        list(derived.values()),
        counts,
        [a.language for a in analyses],
        draft.to_supply,
    )
