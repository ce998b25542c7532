"""The ekipgraph command line: one subcommand per pipeline step."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ekipgraph import __version__
from ekipgraph.project import ProjectLayoutError, default_layout
from ekipgraph.terminal import markup_safe

if TYPE_CHECKING:
    from ekipgraph.buildrecord import BuildRecord
    from ekipgraph.store import EmbeddedStore, QueryOutcome

app = typer.Typer(
    help="ekipgraph: the ekip knowledge graph of policy-innovation relationships in Europe's CCIs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # -h as well as --help, on every command (subcommands inherit it)
    context_settings={"help_option_names": ["-h", "--help"]},
)
console = Console()
errors = Console(stderr=True)

BAD_ARGUMENTS = 3  # pySHACL's exit code for invalid command-line arguments


def formats(*valid: str):
    """A ``--format`` callback: an unknown value exits 3 listing the valid ones."""

    def check(value: str) -> str:
        if value not in valid:
            raise fail(f"unknown --format {value!r}; use one of: {', '.join(valid)}", BAD_ARGUMENTS)
        return value

    return check


CHECK_FORMATS = ("table", "json")
VALIDATE_FORMATS = ("table", "json", "turtle")
QUERY_FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "jsonld", "nt")


def output_folder(value: Path | None) -> Path | None:
    """An output-folder callback: a folder ekipgraph may not replace exits 3 at once."""
    from ekipgraph.atomic import OutputFolderError, check_output_folder

    if value is not None:
        try:
            check_output_folder(value)
        except OutputFolderError as error:
            raise fail(str(error), BAD_ARGUMENTS) from error
    return value


def project_output(out: Path | None, *under: str) -> Path:
    """OUT as typed (relative to the working folder), or by default ``dist/<under>`` of the
    project (``EKIPGRAPH_HOME`` or the folder holding the package), checked like a typed one."""
    if out is not None:
        return out
    default = default_layout().dist_dir.joinpath(*under)
    output_folder(default)
    return _from_here(default)


def _from_here(path: Path) -> Path:
    """``path`` relative to the working folder when it lies inside it (``dist/dataset`` in
    the project folder), else as is: the same folder, printed short."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def titled_table(title: str) -> Table:
    """A table whose title (rich markup, often naming a folder) is never cropped: at least
    as wide as its longest word (the folder) when the terminal allows, and a word too long
    for a line goes on the next."""
    from rich.text import Text

    text = Text.from_markup(title, overflow="fold")
    return Table(title=text, min_width=max(map(len, text.plain.split()), default=0))


DatasetOutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="Folder to write (replaced whole; default: dist/dataset of the project).",
        callback=output_folder,
    ),
]
ReleaseOutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="Folder to write (replaced whole; default: dist/ontology of the project).",
        callback=output_folder,
    ),
]


@contextmanager
def shacl_progress() -> Iterator[Callable[[int, int], None]]:
    """A progress bar (on stderr, gone when done) fed with (cases validated, cases)."""
    from rich.progress import Progress

    with Progress(console=errors, transient=True) as bar:
        task = bar.add_task("SHACL, case by case", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def fail(message: str, code: int = 2) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {markup_safe(message)}", highlight=False)
    return typer.Exit(code)


def _print_version_and_exit(value: bool) -> None:
    if value:
        version()
        raise typer.Exit()


@app.callback()
def _main(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            is_eager=True,
            callback=_print_version_and_exit,
            help="Print the versions of ekipgraph and of its ontology, and exit.",
        ),
    ] = False,
) -> None:
    """ekipgraph: the ekip knowledge graph of policy-innovation relationships in Europe's CCIs."""
    import os

    if os.environ.get("EKIPGRAPH_SHACL_ENGINE"):  # checked before any work; unset is the default
        from ekipgraph.shapes import ShaclEngineError, shacl_engine

        try:
            shacl_engine()
        except ShaclEngineError as error:
            raise fail(str(error), BAD_ARGUMENTS) from error
    if os.environ.get("EKIPGRAPH_WORKERS"):
        from ekipgraph.parallel import WorkerCountError, worker_count

        try:
            worker_count()
        except WorkerCountError as error:
            raise fail(str(error), BAD_ARGUMENTS) from error


@app.command()
def version() -> None:
    """Print the versions of ekipgraph and of its ontology."""
    from ekipgraph.namespaces import ONTOLOGY_VERSION_IRI

    console.print(f"ekipgraph {__version__}, ontology {ONTOLOGY_VERSION_IRI}")


@app.command()
def check(
    reasoner: Annotated[bool, typer.Option(help="Also run an OWL reasoner (needs Java).")] = True,
    engine: Annotated[
        str, typer.Option("--engine", help="The reasoner: hermit or pellet.")
    ] = "hermit",
    owl_profile: Annotated[
        bool,
        typer.Option(help="Also run the OWL API's OWL 2 DL profile check (needs a JDK)."),
    ] = True,
    output_format: Annotated[
        str,
        typer.Option("--format", "-f", help="table or json", callback=formats(*CHECK_FORMATS)),
    ] = "table",
) -> None:
    """Check the ontology and vocabularies: FOOPS!, OOPS!, ROBOT report, reasoner, namespaces.

    Exits 0 when everything passes, 1 when a check fails, 2 when the files cannot be read.
    """
    from ekipgraph.checks import render, run_all
    from ekipgraph.checks.reasoner import REASONERS
    from ekipgraph.ontology import RDFSourceError

    if engine not in REASONERS:
        raise fail(f"--engine: use {' or '.join(REASONERS)}, not {engine!r}")
    layout = default_layout()
    try:
        report = run_all(
            layout.ontology_file,
            layout.vocab_files(),
            module_paths=layout.module_files,
            with_reasoner=reasoner,
            reasoner_engine=engine,
            with_profile=owl_profile,
        )
    except (RDFSourceError, ProjectLayoutError) as error:
        raise fail(str(error)) from error
    if output_format == "json":
        console.print_json(report.to_json())
    else:
        render(report, console)
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def release(out: ReleaseOutOption = None) -> None:
    """Write the ontology and vocabularies in every format, a JSON-LD context and HTML docs."""
    _write_release(project_output(out, "ontology"))


def _write_release(out: Path, shown_as: Path | None = None) -> None:
    from ekipgraph.atomic import OutputFolderError, replace_directory
    from ekipgraph.ontology import RDFSourceError, load_modules, load_ontology, load_vocabularies
    from ekipgraph.release import write_release

    layout = default_layout()
    try:
        ontology = load_ontology(layout)
        modules = load_modules(layout)
        vocabularies = load_vocabularies(layout)
    except (RDFSourceError, ProjectLayoutError) as error:
        raise fail(str(error)) from error
    try:
        with replace_directory(out) as staging:
            summary = write_release(ontology, vocabularies, staging, modules)
    except OutputFolderError as error:
        raise fail(str(error), BAD_ARGUMENTS) from error
    table = titled_table(f"Release written to {markup_safe(shown_as or out)}")
    table.add_column("artefact")
    table.add_column("triples", justify="right")
    table.add_row(
        "ontology (ttl, owl, jsonld, nt) + context.jsonld + docs", str(summary.ontology_triples)
    )
    for name, triples in summary.module_triples.items():
        table.add_row(f"ontology/{name} (ttl, owl, jsonld, nt) + docs", str(triples))
    for name, triples in summary.vocabulary_triples.items():
        table.add_row(f"vocab/{name}", str(triples))
    console.print(table)
    console.print(f"{len(summary.files)} files")


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Data folders (with shared/ and cases/) or files inside one."),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="table, json or turtle (a SHACL report)",
            callback=formats(*VALIDATE_FORMATS),
        ),
    ] = "table",
    strict: Annotated[bool, typer.Option(help="Warnings fail too.")] = False,
) -> None:
    """Validate case descriptions: authoring format first, then the SHACL shapes.

    Exit codes as pySHACL: 0 conforms (warnings allowed unless --strict), 1 does not
    conform, 2 the input or the shapes could not be loaded.
    """
    from ekipgraph.validate import render, validate_incremental

    layout = default_layout()
    folders = sorted({_data_folder(path) for path in paths}) if paths else [layout.data_dir]
    worst = 0
    for folder in folders:
        with shacl_progress() as progress:
            report = validate_incremental(layout, folder, progress)
        if output_format == "json":
            console.print_json(report.to_json())
        elif output_format == "turtle":
            console.print(report.to_turtle(), markup=False, highlight=False)
        else:
            render(report, console)
        worst = max(worst, report.exit_code(strict))
    raise typer.Exit(worst)


def _data_folder(path: Path) -> Path:
    """The data folder a path belongs to: itself, or the parent of its cases/ or shared/."""
    if path.is_file() or path.name in ("cases", "shared"):
        parent = path.parent if path.is_file() else path
        return parent.parent if parent.name in ("cases", "shared") else parent
    return path


BuiltStoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="Folder of the built store (default: dist/store of the project)."),
]


@app.command()
def build(
    out: DatasetOutOption = None,
    data: Annotated[Path | None, typer.Option("--data", help="Data folder.")] = None,
    store: BuiltStoreOption = None,
) -> None:
    """Validate the data and write the dataset: TriG, sorted N-Quads, Turtle per graph, and
    the built store that query, patterns, serve, load and publish read.

    Nothing in OUT changes unless the data loads and conforms to the shapes.
    """
    _build(project_output(out, "dataset"), data, store, skip_when_current=True)


def _build(
    out: Path,
    data: Path | None = None,
    store: Path | None = None,
    shown_as: Path | None = None,
    skip_when_current: bool = False,
) -> str | None:
    """Validate and write the dataset and the built store; returns its sorted N-Quads when
    the folder was written whole (None when it was patched, ``ekipgraph.dumps``).

    With ``skip_when_current``, when OUT and the store were written from the inputs as
    they are (``ekipgraph.buildrecord``), nothing is done and None is returned."""
    from ekipgraph.heap import collections_left_to_new_objects

    with collections_left_to_new_objects() as leave_out:
        return _build_steps(out, data, store, shown_as, skip_when_current, leave_out)


def _build_steps(
    out: Path,
    data: Path | None,
    store: Path | None,
    shown_as: Path | None,
    skip_when_current: bool,
    leave_out: Callable[[], None],
) -> str | None:
    from ekipgraph.heap import collector_paused

    with collector_paused():  # the imports and the records read: objects that live on
        from ekipgraph.atomic import OutputFolderError
        from ekipgraph.buildrecord import BuildRecord, inputs_digest
        from ekipgraph.built import (
            MANIFEST_FILE,
            NQUADS_FILE,
            OXIGRAPH_DIR,
            TRIG_FILE,
            Manifest,
            NotABuiltStoreError,
            current_manifest,
            default_store_dir,
            place_dataset_trig,
            write_built_store,
        )
        from ekipgraph.dumps import INDEX_FILE, ChunkGoneError, DumpIndex, Written, write_dataset
        from ekipgraph.validate import render, validate_incremental

        layout = default_layout()
        from_project = data is None or Path(data).resolve() == layout.data_dir.resolve()
        store_dir = store or default_store_dir(layout)
        # The manifest is taken before anything is read: an edit during the build leaves the
        # store stale rather than wrongly fresh. The last build's manifest spares hashing the
        # files whose size and modification time did not change.
        stored = Manifest.read(store_dir / MANIFEST_FILE)
        manifest = current_manifest(layout, stored)
        previous = BuildRecord.read(out)
        inputs = inputs_digest(manifest.version, manifest.root, manifest.hashes)
        shown = markup_safe(shown_as or out)
        if (
            skip_when_current
            and from_project
            and previous is not None
            and stored is not None
            and not stored.changes(manifest)
            and (store_dir / OXIGRAPH_DIR).is_dir()
            and previous.is_current(out, inputs, store_dir)
        ):
            _print_up_to_date(previous, data or layout.data_dir, shown, store_dir)
            return None
        known = manifest.known_hashes()
        # the folder's index, while the folder is as the last build wrote it: the chunks it
        # holds unchanged are then neither read nor written again, the folder is patched
        index = (
            DumpIndex.read(out)
            if previous is not None and previous.unchanged(out, INDEX_FILE)
            else None
        )
        leave_out()  # the modules, the records and the index: they last the whole build
    with shacl_progress() as progress:
        report = validate_incremental(layout, data, progress, known_hashes=known, previous=index)
    render(report, console, details="violations")
    compiled = report.compiled
    if report.exit_code() != 0 or compiled is None:
        raise fail("the data does not validate; nothing was written", report.exit_code())
    printed: dict[str, Any] = {}

    def record(staging: Path, dataset: Written) -> None:
        # in the staging folder, swapped in with the files it describes (renames and links
        # keep their inodes and times): a build killed at any moment leaves the old folder
        # with its record or the new one with its own; a store left stale has its manifest
        summary = dataset.summary
        printed.update(
            cases=report.case_count,
            warnings=report.count("Warning"),
            infos=report.count("Info"),
            counts=summary.counts,
            graphs=len(summary.triples_per_graph),
            triples=summary.total_triples,
        )
        BuildRecord.of(
            staging,
            dataset.files,
            inputs=inputs,
            store=store_dir if from_project else None,
            chunks=dataset.file_keys,
            report={**printed, "files": len(dataset.files)},
            known=dataset.linked,
        ).write(staging)

    try:
        try:
            with collector_paused():  # the parts of the dumps and the record: they live on
                dataset = write_dataset(compiled, out, previous, index, record)
        except ChunkGoneError:  # the cache was cleared meanwhile: compiled again, whole
            # (not paused: the compile forks workers, and they would inherit the pause)
            report = validate_incremental(layout, data, None, known_hashes=known)
            compiled = report.compiled
            if report.exit_code() != 0 or compiled is None:
                raise fail(
                    "the data does not validate; nothing was written", report.exit_code()
                ) from None
            with collector_paused():
                dataset = write_dataset(compiled, out, previous, None, record)
    except OutputFolderError as error:
        raise fail(str(error), BAD_ARGUMENTS) from error
    written = dataset.files
    if from_project:  # the store stands for the project's own data/ only
        try:
            with console.status(f"bulk loading the store in {store_dir}"), collector_paused():
                write_built_store(
                    store_dir,
                    dataset.nquads,
                    manifest,
                    dump=Path(out) / NQUADS_FILE,
                    difference=dataset.difference,
                )
                place_dataset_trig(store_dir, Path(out) / TRIG_FILE)
        except NotABuiltStoreError as error:
            raise fail(str(error)) from error
    how = (
        f"{len(written)} files"
        if dataset.patched is None
        else f"{len(written)} files, patched: {dataset.patched} case(s) changed"
    )
    _print_summary(f"Dataset written to {shown} ({how})", printed)
    return dataset.nquads


def _print_summary(title: str, printed: dict[str, Any]) -> None:
    table = titled_table(title)
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, count in printed["counts"].items():
        table.add_row(name, str(count))
    table.add_row("named graphs", str(printed["graphs"]))
    table.add_row("triples", str(printed["triples"]))
    console.print(table)


def _print_up_to_date(record: BuildRecord, data_dir: Path, shown: str, store_dir: Path) -> None:
    """What ``build`` prints when nothing changed: the ignored files (they are never
    remembered), and the numbers of the build that wrote the folder."""
    from ekipgraph.validate import ValidationReport, render, report_ignored_files

    warnings = ValidationReport(data_dir)
    report_ignored_files(warnings, data_dir)
    if warnings.authoring_warnings:
        render(warnings, console, details="none")
    printed = record.report
    try:
        console.print(
            f"{printed['cases']} cases, 0 violations, {printed['warnings']} warnings, "
            f"{printed['infos']} infos; nothing changed since the last build: {shown} and the "
            f"store in {markup_safe(store_dir)} are up to date",
            highlight=False,
            soft_wrap=True,  # one line, for whoever greps it
        )
        _print_summary(f"Dataset in {shown} ({printed['files']} files)", printed)
    except (KeyError, TypeError, AttributeError):  # a record without its numbers
        console.print(f"nothing changed since the last build: {shown} is up to date")


@app.command("new-case")
def new_case_command(
    case_id: Annotated[str, typer.Argument(help="The new case's id, e.g. rotterdam-ai-2026.")],
    city: Annotated[str, typer.Option("--city", help="City id from data/shared/cities.yaml.")],
    policy_area: Annotated[
        str, typer.Option("--policy-area", help="Policy-area concept id, e.g. ai-and-cci.")
    ],
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Write data/cases/CASE_ID.yaml: every field of a case, with a comment on each."""
    from ekipgraph.atomic import write_text_atomic
    from ekipgraph.cases import new_case

    target = default_layout().data_dir / "cases" / f"{case_id}.yaml"
    if target.exists() and not force:
        raise fail(f"{target} exists; use --force to overwrite it")
    try:
        text = new_case(case_id, city, policy_area)
    except ValueError as error:
        raise fail(str(error)) from error
    write_text_atomic(target, text)
    console.print(
        f"wrote {target}: fill in title, viewpoint, summary and sources, then run "
        "[bold]ekipgraph validate[/]"
    )


@app.command()
def synth(
    cases: Annotated[int, typer.Argument(help="How many synthetic cases to write.", min=1)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Project folder to write.")],
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same files.")] = 0,
) -> None:
    """Write a synthetic project folder (N made-up cases, labelled synthetic everywhere) for
    measuring and testing at scale: EKIPGRAPH_HOME=OUT ekipgraph run works on it."""
    from ekipgraph.atomic import OutputFolderError
    from ekipgraph.synth import SynthError, synthesise

    started = time.perf_counter()
    try:
        synthesise(cases, out, seed=seed)
    except (SynthError, ProjectLayoutError, OutputFolderError) as error:
        raise fail(str(error)) from error
    console.print(
        f"wrote a synthetic project with {cases} cases to {out} "
        f"in {time.perf_counter() - started:.1f} s; use it with EKIPGRAPH_HOME={out}"
    )


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Text, Markdown or HTML files.")],
    lang: Annotated[
        str | None, typer.Option("--lang", help="en, sv, nl, fr, sk or it (else detected).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Draft file (default: <file>.draft.yaml).")
    ] = None,
    source: Annotated[
        list[str] | None, typer.Option("--source", help="The URL each file was taken from.")
    ] = None,
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Largest file read.")] = 2_000_000,
    force: Annotated[bool, typer.Option(help="Overwrite an existing draft.")] = False,
) -> None:
    """Draft a case from prose: known entities, concepts, new actors, needs, strengths and
    gaps, each commented with its confidence and words, plus W3C Web Annotations."""
    from rich.progress import Progress

    from ekipgraph.extract.intake import IntakeError
    from ekipgraph.extract.language import LanguageError
    from ekipgraph.extract.run import ExtractError, run_extract

    try:
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("extracting", total=len(files))
            result = run_extract(
                files,
                default_layout(),
                out,
                lang,
                source or [],
                max_bytes,
                on_done=lambda _: progress.advance(task),
                force=force,
            )
    except (IntakeError, LanguageError, ExtractError) as error:
        raise fail(str(error)) from error
    found = ", ".join(f"{count} {what}" for what, count in result.counts.items())
    console.print(f"wrote {result.draft_path} and {result.annotations_path}: {found}")
    console.print(
        f"to supply by hand: {', '.join(result.to_supply) or 'nothing'}; review every "
        "suggestion (docs/authoring.md, 'Drafts from text'), then run [bold]ekipgraph validate[/]"
    )


@app.command()
def run(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Release folder (replaced whole, in one step; default: dist of the project).",
            callback=output_folder,
        ),
    ] = None,
    reasoner: Annotated[bool, typer.Option(help="Run the HermiT reasoner.")] = True,
) -> None:
    """The main job: check the ontology, build and validate the graph, release, patterns.

    Everything is written into one staging folder that replaces OUT in one step at the end;
    on any failure OUT stays as it was."""
    from ekipgraph.atomic import OutputFolderError, replace_directory
    from ekipgraph.built import default_store_dir
    from ekipgraph.checks import run_all

    layout = default_layout()
    out = project_output(out)
    started = time.perf_counter()
    console.rule("[bold]1. Ontology and vocabulary checks")
    report = run_all(
        layout.ontology_file,
        layout.vocab_files(),
        module_paths=layout.module_files,
        with_reasoner=reasoner,
    )
    console.print(report.summary())
    if report.failed:
        from ekipgraph.checks import render

        render(report, console)
        raise fail("ontology checks failed (see ekipgraph check); nothing was written", 1)
    try:
        with replace_directory(out) as staging:
            console.rule("[bold]2. Case descriptions: validate and build the dataset")
            # The built store goes into the same swap when OUT is the project's dist/, which
            # the swap replaces whole.
            in_dist = Path(out).resolve() == layout.dist_dir.resolve()
            store_dir = staging / "store" if in_dist else None
            nquads = _build(staging / "dataset", store=store_dir, shown_as=out / "dataset")
            assert nquads is not None  # a new folder is always written
            console.rule("[bold]3. Ontology and vocabulary release")
            _write_release(staging / "ontology", shown_as=out / "ontology")
            console.rule("[bold]4. Cross-city patterns")
            # computed from the step-2 dataset, and attached to the store built from it
            _patterns(
                staging / "patterns",
                nquads=nquads,
                shown_as=out / "patterns",
                attach_to=store_dir or default_store_dir(layout),
            )
    except OutputFolderError as error:
        raise fail(str(error), BAD_ARGUMENTS) from error
    console.print(f"done in {time.perf_counter() - started:.1f} s; everything is in {out}/")


StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="The built store to read (default: dist/store of the project); rebuilt when stale.",
    ),
]
EndpointOption = Annotated[
    str | None, typer.Option("--endpoint", help="Query a remote SPARQL 1.1 endpoint instead.")
]
EngineOption = Annotated[
    str, typer.Option("--engine", help="Embedded engine: oxigraph (fast) or rdflib (reference).")
]


@app.command("queries")
def list_queries(
    tag: Annotated[str | None, typer.Option(help="Only queries with this tag.")] = None,
) -> None:
    """List the SPARQL query library with summaries and parameters."""
    from ekipgraph.library import QueryLibrary, QueryLibraryError

    try:
        library = QueryLibrary(default_layout().queries_dir)
    except QueryLibraryError as error:
        raise fail(str(error)) from error
    table = Table(title=f"{len(library)} library queries", show_lines=True)
    table.add_column("name", style="bold")
    table.add_column("question")
    table.add_column("parameters")
    for query in library:
        if tag and tag not in query.tags:
            continue
        params = "\n".join(
            f"{p.name} ({p.type}{', required' if p.required else ''}"
            f"{', default ' + p.default if p.default is not None else ''})"
            for p in query.params
        )
        table.add_row(query.name, query.summary, params or "-")
    console.print(table)


@app.command()
def query(
    name: Annotated[
        str | None, typer.Argument(help="A library query (see: ekipgraph queries).")
    ] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Run your own .rq file.")] = None,
    expression: Annotated[str | None, typer.Option("-e", help="Run this SPARQL text.")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="name=value, repeatable.")
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="table|csv|tsv|json|xml for SELECT/ASK; turtle|jsonld|nt|xml for CONSTRUCT.",
            callback=formats(*QUERY_FORMATS),
        ),
    ] = "table",
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    engine: EngineOption = "oxigraph",
) -> None:
    """Run a library query, a query file or a SPARQL expression, and print the results."""
    import sys

    from ekipgraph.connect import StoreSetupError, open_store
    from ekipgraph.library import QueryLibraryError, library_query, load_query
    from ekipgraph.store import EmbeddedStore, QuerySyntaxError, StoreError

    chosen = [value for value in (name, file, expression) if value is not None]
    if len(chosen) != 1:
        raise fail("give exactly one of: a library query name, --file, -e")
    values = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise fail(f"--param takes name=value, not {item!r}")
        values[key] = value
    try:
        if name is not None:
            sparql = library_query(default_layout().queries_dir, name).bind(values)
        elif file is not None:
            if not file.exists():
                raise fail(f"{file}: no such file")
            if file.read_text(encoding="utf-8").startswith("#+"):
                sparql = load_query(file).bind(values)
            else:
                if values:
                    raise fail("--param works with library-style queries (with a '#+' header)")
                sparql = file.read_text(encoding="utf-8")
        else:
            if values:
                raise fail("--param works with library queries, not with -e")
            sparql = expression or ""
        source = open_store(store_dir=store, endpoint=endpoint, engine=engine)
        if isinstance(source, EmbeddedStore):
            outcome = _print_from_oxigraph(source, sparql, output_format, name)
            if outcome is None:
                return
        else:
            outcome = source.query(sparql)
    except QuerySyntaxError as error:
        # The message names line and column and shows the line with a caret.
        raise fail(str(error), 1) from error
    except StoreError as error:
        # Name the library query: on rdflib some valid queries are refused.
        raise fail(f"query {name}: {error}" if name else str(error)) from error
    except (QueryLibraryError, StoreSetupError) as error:
        raise fail(str(error)) from error
    if output_format == "table":
        if outcome.form == "graph":
            output_format = "turtle"
        else:
            from ekipgraph.results import outcome_table

            console.print(outcome_table(outcome, title=name))
            return
    try:
        sys.stdout.buffer.write(outcome.serialize(output_format))
    except StoreError as error:
        raise fail(str(error)) from error
    sys.stdout.flush()


def _print_from_oxigraph(
    source: EmbeddedStore, sparql: str, output_format: str, title: str | None
) -> QueryOutcome | None:
    """Print a SELECT or ASK answer of the embedded store as Oxigraph gives it, streamed
    (no SPARQL JSON in between, no rdflib terms), and return None; a graph, or a format
    that is not one of results, is returned as an outcome for the general route."""
    import sys

    import pyoxigraph as ox

    from ekipgraph.store import RESULT_FORMATS, StoreError, outcome_from_oxigraph

    result = source.query_native(sparql)
    if isinstance(result, ox.QueryTriples) or (
        output_format != "table" and output_format not in RESULT_FORMATS
    ):
        return outcome_from_oxigraph(result)
    try:
        if output_format == "table":
            from ekipgraph.results import oxigraph_table

            console.print(oxigraph_table(result, title=title))
        else:
            result.serialize(sys.stdout.buffer, format=RESULT_FORMATS[output_format])
            sys.stdout.flush()
    except OSError as error:  # raised while the solutions are read
        raise StoreError(f"query failed: {error}") from error
    return None


@app.command()
def load(
    endpoint: Annotated[str, typer.Option("--endpoint", help="The SPARQL query endpoint.")],
    graph_store: Annotated[
        str,
        typer.Option("--graph-store", help="The Graph Store HTTP Protocol URL (PUT per graph)."),
    ],
    default_graph_as: Annotated[
        str,
        typer.Option(
            "--default-graph-as",
            help="The named graph that takes the default graph when the store refuses a "
            "default-graph PUT (Virtuoso).",
        ),
    ] = "https://w3id.org/ekip/graph/default",
    timeout: Annotated[float, typer.Option(help="Seconds each request may take.")] = 300.0,
    method: Annotated[
        str, typer.Option(help="How queries are sent: auto (GET when short), get, post, direct.")
    ] = "auto",
) -> None:
    """Load the built dataset into any SPARQL 1.1 store, one graph at a time (Graph Store
    Protocol), and check what each graph holds afterwards.

    A user and password for HTTP basic or digest authentication come from
    EKIPGRAPH_SPARQL_USER and EKIPGRAPH_SPARQL_PASSWORD, or from a netrc file ($NETRC or
    ~/.netrc) entry for the store's host; never from the command line. Exits 1 naming the
    graphs that were and were not loaded when any was not.
    """
    from rich.progress import Progress

    from ekipgraph.connect import StoreSetupError, built_nquads
    from ekipgraph.remote import LoadError, RemoteStore
    from ekipgraph.store import EmbeddedStore, StoreError

    try:
        remote = RemoteStore(endpoint, graph_store=graph_store, timeout=timeout, method=method)
        dataset = EmbeddedStore.from_nquads(built_nquads()).store
        graphs = sum(1 for _ in dataset.named_graphs()) + 1
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("loading graphs", total=graphs)
            report = remote.load(
                dataset,
                default_graph_as=default_graph_as,
                progress=lambda _graph, _triples: progress.advance(task),
            )
    except LoadError as error:
        raise fail(str(error), 1) from error
    except (StoreError, StoreSetupError) as error:
        raise fail(str(error)) from error
    console.print(report.describe(), highlight=False)


@app.command()
def patterns(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Folder to write (replaced whole; default: dist/patterns of the project).",
            callback=output_folder,
        ),
    ] = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    engine: EngineOption = "oxigraph",
) -> None:
    """Cross-city patterns: similarity, shared gaps, bridging actors, communities, coverage."""
    _patterns(project_output(out, "patterns"), store, endpoint, engine)


def _patterns(
    out: Path,
    store: Path | None = None,
    endpoint: str | None = None,
    engine: str = "oxigraph",
    nquads: str | None = None,
    shown_as: Path | None = None,
    attach_to: Path | None = None,
) -> None:
    """Compute and write the patterns. Read from the built store (``store`` or the project's),
    they are also attached to it; so are those of ``nquads`` to the store ``attach_to``,
    built from the same dataset."""
    from ekipgraph.analyse import render_report, run_patterns, write_patterns
    from ekipgraph.analyse.export import WRITE_STEPS
    from ekipgraph.analyse.run import ANALYSIS_STEPS
    from ekipgraph.atomic import OutputFolderError
    from ekipgraph.built import (
        OXIGRAPH_DIR,
        PATTERNS_NQUADS_FILE,
        PATTERNS_TRIG_FILE,
        NotABuiltStoreError,
        StaleStoreError,
        attach_patterns,
        ensure_built,
        patterns_status,
    )
    from ekipgraph.connect import StoreSetupError, open_store
    from ekipgraph.library import QueryLibraryError
    from ekipgraph.store import EmbeddedStore, Store, StoreError

    layout = default_layout()
    source: Store
    try:
        if nquads is None and endpoint is None and engine == "oxigraph":
            # the built store's dataset, fresh; its patterns are the ones computed here
            attach_to = ensure_built(layout, store)
            source = EmbeddedStore.read_only(attach_to / OXIGRAPH_DIR)
        else:
            source = open_store(store_dir=store, endpoint=endpoint, engine=engine, nquads=nquads)
        with _steps("cross-city patterns", ANALYSIS_STEPS) as on_step:
            result = run_patterns(source, on_step=on_step)
    except (NotABuiltStoreError, StaleStoreError) as error:
        raise fail(str(error)) from error
    except (QueryLibraryError, StoreError, StoreSetupError) as error:
        raise fail(str(error)) from error
    render_report(result, console)
    try:
        with _steps("writing", WRITE_STEPS) as on_step:
            written = write_patterns(result, out, on_step=on_step)
    except OutputFolderError as error:
        raise fail(str(error), BAD_ARGUMENTS) from error
    console.print(f"{len(written)} files written to {shown_as or out}", markup=False)
    if attach_to is not None and patterns_status(layout, attach_to) is not None:
        try:
            with console.status(f"attaching the patterns to the store in {attach_to}"):
                attach_patterns(
                    layout, attach_to, out / PATTERNS_NQUADS_FILE, out / PATTERNS_TRIG_FILE
                )
        except NotABuiltStoreError as error:
            raise fail(str(error)) from error


@contextmanager
def _steps(title: str, steps: tuple[str, ...]) -> Iterator[Callable[[str], None]]:
    """A progress bar over named steps; yields the function each step calls as it starts."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn(f"{title}: {{task.description}}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(steps[0], total=len(steps))
        started = iter(range(len(steps)))

        def on_step(name: str) -> None:
            progress.update(task, description=name, completed=next(started, len(steps)))

        yield on_step
        progress.update(task, completed=len(steps))


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to bind; the default keeps the server on this machine.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    store: StoreOption = None,
    update_token: Annotated[
        str | None,
        typer.Option(
            "--update-token",
            envvar="EKIPGRAPH_UPDATE_TOKEN",
            help="Accept SPARQL updates with 'Authorization: Bearer <token>' (else read-only).",
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option(help="Seconds a query may run; then it is stopped (503).")
    ] = 30.0,
    max_results: Annotated[
        int, typer.Option("--max-results", help="Rows or triples a query may return (503 beyond).")
    ] = 10_000,
    max_body: Annotated[
        int, typer.Option("--max-body", help="Bytes of a query, update or request body (413).")
    ] = 100_000,
    max_nesting: Annotated[
        int,
        typer.Option(
            "--max-nesting",
            help="Nesting depth of brackets and chained operators in a query (400 beyond).",
        ),
    ] = 128,
    workers: Annotated[
        int, typer.Option(help="Query worker processes (queries evaluated at once).")
    ] = 4,
    queue_depth: Annotated[
        int,
        typer.Option(
            "--queue-depth",
            min=0,
            help="Queries waiting for a worker; beyond, 503 with Retry-After.",
        ),
    ] = 64,
    allow_service: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-service",
            help="A SERVICE endpoint queries may call (repeat; by default SERVICE is refused).",
        ),
    ] = None,
    header_timeout: Annotated[
        float,
        typer.Option("--header-timeout", help="Seconds a client has to send its request head."),
    ] = 10.0,
) -> None:
    """Serve the graph: SPARQL endpoint, query page, and every IRI as linked data.

    Every query runs in a worker process that is stopped at the time limit; a query
    waits in the queue for at most the time limit. The limits are also stated in the
    service description (GET /sparql with Accept: text/turtle)."""
    from ekipgraph.connect import StoreSetupError, open_store
    from ekipgraph.serve import ServeConfig, run
    from ekipgraph.store import StoreError

    try:
        # Updates go to an in-memory copy: the built store stays what was built.
        source = open_store(store_dir=store, writable=update_token is not None)
    except (StoreError, StoreSetupError, ProjectLayoutError) as error:
        raise fail(str(error)) from error
    if host not in ("127.0.0.1", "localhost", "::1"):
        errors.print(f"[yellow]warning:[/] listening on {host}: reachable from other machines")
    console.print(f"ekip knowledge graph at http://{host}:{port}/  (SPARQL: /sparql; Ctrl-C stops)")
    run(
        source,
        ServeConfig(
            host=host,
            port=port,
            update_token=update_token,
            timeout=timeout,
            max_results=max_results,
            max_query_bytes=max_body,
            max_nesting=max_nesting,
            workers=workers,
            queue_depth=queue_depth,
            allowed_services=frozenset(allow_service or ()),
            header_timeout=header_timeout,
        ),
    )


@app.command("publish")
def publish_site(
    out: Annotated[
        Path, typer.Argument(help="Folder to write (replaced whole).", callback=output_folder)
    ],
    store: StoreOption = None,
    site_url: Annotated[
        str | None,
        typer.Option(
            "--site-url",
            help="Where OUT will be hosted (https://…/): writes server/w3id.htaccess, the "
            "w3id.org redirect rules for https://w3id.org/ekip/ pointing there.",
        ),
    ] = None,
) -> None:
    """Write the static linked-data release: every IRI's documents, dumps, VoID/DCAT, the
    ontology release, and .htaccess + nginx configuration doing the server's conneg."""
    from ekipgraph.atomic import OutputFolderError
    from ekipgraph.connect import StoreSetupError, open_built_store
    from ekipgraph.publish import publish
    from ekipgraph.store import StoreError

    if site_url:
        from ekipgraph.serve.webconf import w3id_htaccess

        try:
            w3id_htaccess(site_url)  # refuse a bad URL before the long work
        except ValueError as error:
            raise fail(f"--site-url: {error}") from error
    try:
        summary = publish(out, open_built_store(store_dir=store), site_url=site_url)
    except OutputFolderError as error:
        raise fail(str(error), BAD_ARGUMENTS) from error
    except (StoreError, StoreSetupError, ProjectLayoutError) as error:
        raise fail(str(error)) from error
    for note in summary.notes:
        console.print(f"note: {note}", highlight=False)
    console.print(
        f"{summary.resources} resources in {summary.files} files "
        f"({summary.bytes / 1e6:.1f} MB) written to {out}"
    )


def main() -> None:
    app()
