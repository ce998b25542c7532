"""The ekipgraph command line: one subcommand per pipeline step."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ekipgraph import __version__
from ekipgraph.project import ProjectLayoutError, default_layout

app = typer.Typer(
    help="ekipgraph: the ekip knowledge graph of policy-innovation relationships in Europe's CCIs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
errors = Console(stderr=True)

DistOption = Annotated[Path, typer.Option("--out", "-o", help="Folder to write (replaced whole).")]


def fail(message: str, code: int = 2) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


@app.command()
def version() -> None:
    """Print the versions of ekipgraph and of its ontology."""
    from ekipgraph.namespaces import ONTOLOGY_VERSION_IRI

    console.print(f"ekipgraph {__version__}, ontology {ONTOLOGY_VERSION_IRI}")


@app.command()
def check(
    reasoner: Annotated[
        bool, typer.Option(help="Also run the HermiT reasoner (needs Java).")
    ] = True,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="table or json")
    ] = "table",
) -> None:
    """Check the ontology and vocabularies: FOOPS!, OOPS!, ROBOT report, reasoner, namespaces.

    Exits 0 when everything passes, 1 when a check fails, 2 when the files cannot be read.
    """
    from ekipgraph.checks import render, run_all
    from ekipgraph.ontology import RDFSourceError

    layout = default_layout()
    try:
        report = run_all(layout.ontology_file, layout.vocab_files(), with_reasoner=reasoner)
    except (RDFSourceError, ProjectLayoutError) as error:
        raise fail(str(error)) from error
    if output_format == "json":
        console.print_json(report.to_json())
    else:
        render(report, console)
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def release(out: DistOption = Path("dist/ontology")) -> None:
    """Write the ontology and vocabularies in every format, a JSON-LD context and HTML docs."""
    _write_release(out)


def _write_release(out: Path) -> None:
    from ekipgraph.atomic import replace_directory
    from ekipgraph.ontology import RDFSourceError, load_ontology, load_vocabularies
    from ekipgraph.release import write_release

    layout = default_layout()
    try:
        ontology = load_ontology(layout)
        vocabularies = load_vocabularies(layout)
    except (RDFSourceError, ProjectLayoutError) as error:
        raise fail(str(error)) from error
    with replace_directory(out) as staging:
        summary = write_release(ontology, vocabularies, staging)
    table = Table(title=f"Release written to {out}", show_lines=False)
    table.add_column("artefact")
    table.add_column("triples", justify="right")
    table.add_row("ontology (ttl, owl, jsonld, nt) + context.jsonld + docs", str(summary.ontology_triples))
    for name, triples in summary.vocabulary_triples.items():
        table.add_row(f"vocab/{name}", str(triples))
    console.print(table)
    console.print(f"{len(summary.files)} files")


@app.command()
def run(
    out: Annotated[Path, typer.Option("--out", "-o", help="Release folder.")] = Path("dist"),
    reasoner: Annotated[bool, typer.Option(help="Run the HermiT reasoner.")] = True,
) -> None:
    """The main job: check the ontology and vocabularies, then write the release to dist/."""
    from ekipgraph.checks import render, run_all

    layout = default_layout()
    started = time.perf_counter()
    console.rule("[bold]1. Ontology and vocabulary checks")
    report = run_all(layout.ontology_file, layout.vocab_files(), with_reasoner=reasoner)
    render(report, console)
    if report.failed:
        raise fail("ontology checks failed; nothing was written", 1)
    console.rule("[bold]2. Release artefacts")
    _write_release(out / "ontology")
    console.print(f"done in {time.perf_counter() - started:.1f} s")


def main() -> None:
    app()
