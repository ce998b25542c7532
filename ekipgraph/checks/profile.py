"""The OWL 2 DL profile check of the OWL API (Debian's ``libowlapi-java``), on the ontology and
the vocabularies: the same verdict Protégé and every OWL API tool reach.

``OwlDlProfile.java`` (beside this module) is compiled once into a cache folder with ``javac``
and run with the OWL API jars on the class path. Imports resolve to the project's files only,
never to the network: the ontology IRI to ``ontology/ekip.ttl``, each scheme IRI to its file.
The closure of a small ontology importing all of them is checked, which is the merged
ontology + vocabularies. Needs a JDK (``javac``) and ``libowlapi-java``;
``owl_dl_available()`` says whether both are there.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF

from ekipgraph.checks.model import ERROR, SKIPPED, Family, Finding

JAVA_SOURCE = Path(__file__).parent / "java" / "OwlDlProfile.java"
OWLAPI_JAR = Path("/usr/share/java/owlapi-distribution.jar")
#: The OWL API's dependencies (guava, caffeine, commons, rdf4j, …) as Debian installs them.
CLASS_PATH = f"{OWLAPI_JAR}:/usr/share/java/*"
ALL_IRI = "https://w3id.org/ekip/ontology-and-vocabularies"
TITLE = "Ontology and vocabularies are OWL 2 DL"


class ProfileCheckError(RuntimeError):
    """The check could not run (no JDK, no OWL API, a file the OWL API cannot load)."""


@dataclass(frozen=True)
class Violation:
    ontology: str  # the IRI of the ontology the axiom is in
    kind: str  # the OWL API's violation class, e.g. UseOfUndeclaredAnnotationProperty
    message: str


def owl_dl_available() -> str | None:
    """None when the check can run, else what is missing."""
    if shutil.which("javac") is None or shutil.which("java") is None:
        return "no JDK (`javac`): apt-get install default-jdk-headless"
    if not OWLAPI_JAR.exists():
        return "no OWL API: apt-get install libowlapi-java"
    return None


def _compiled() -> Path:
    """The folder holding OwlDlProfile.class, compiled when the source changed."""
    digest = hashlib.sha256(JAVA_SOURCE.read_bytes()).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = cache / "ekipgraph" / f"owl-dl-profile-{digest}"
    if (folder / "OwlDlProfile.class").exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="owl-dl-profile-", dir=folder.parent))
    result = subprocess.run(
        ["javac", "-nowarn", "-cp", CLASS_PATH, "-d", str(staging), str(JAVA_SOURCE)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise ProfileCheckError(f"compiling the OWL API check failed: {result.stderr[-2000:]}")
    try:
        staging.rename(folder)
    except OSError:  # compiled meanwhile by another run
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _ontology_iri(path: Path) -> str:
    graph = Graph().parse(path)
    iris = [str(s) for s in graph.subjects(RDF.type, OWL.Ontology)]
    return iris[0] if len(iris) == 1 else f"file://{path.resolve()}"


def owl_dl_violations(ontology_file: Path, vocab_files: list[Path]) -> list[Violation]:
    """The OWL 2 DL profile violations of the ontology and vocabularies, merged."""
    missing = owl_dl_available()
    if missing:
        raise ProfileCheckError(missing)
    classes = _compiled()
    files = [Path(ontology_file), *map(Path, vocab_files)]
    pairs = [(_ontology_iri(path), path.resolve()) for path in files]
    with tempfile.TemporaryDirectory(prefix="ekip-owl-dl-") as folder:
        everything = Path(folder) / "all.ttl"
        imports = " , ".join(f"<{iri}>" for iri, _ in pairs)
        everything.write_text(
            "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
            f"<{ALL_IRI}> a owl:Ontology ; owl:imports {imports} .\n",
            "utf-8",
        )
        arguments = [ALL_IRI, str(everything)]
        for iri, path in pairs:
            arguments += [iri, str(path)]
        result = subprocess.run(
            ["java", "-cp", f"{classes}:{CLASS_PATH}", "OwlDlProfile", *arguments],
            capture_output=True,
            text=True,
            timeout=600,
        )
    lines = result.stdout.splitlines()
    if result.returncode != 0 or not lines or not lines[-1].startswith("TOTAL\t"):
        detail = next((line for line in lines if line.startswith("LOAD-ERROR")), "")
        raise ProfileCheckError(
            f"the OWL API check failed: {detail or result.stderr[-2000:] or 'no output'}"
        )
    violations = []
    for line in lines[:-1]:
        ontology, kind, message = [*line.split("\t", 2), "", ""][:3]
        violations.append(Violation(ontology, kind, message))
    return violations


def summary(violations: list[Violation]) -> str:
    counts = Counter(v.kind for v in violations)
    return ", ".join(f"{n} {kind}" for kind, n in counts.most_common()) or "none"


def run(ontology_file: Path, vocab_files: list[Path]) -> list[Finding]:
    """The profile check as one finding (skipped, never passed, without a JDK or OWL API)."""
    source = ", ".join(str(p) for p in [ontology_file, *vocab_files])

    def finding(level: str, passed: bool, message: str, skipped: bool = False) -> Finding:
        return Finding(
            family=Family.PROFILE,
            id="owl2_dl",
            title=TITLE,
            source=source,
            level=level,
            passed=passed,
            skipped=skipped,
            message=message,
        )

    missing = owl_dl_available()
    if missing:
        return [finding(level=SKIPPED, passed=False, skipped=True, message=f"skipped: {missing}")]
    try:
        violations = owl_dl_violations(ontology_file, vocab_files)
    except ProfileCheckError as error:
        return [finding(level=ERROR, passed=False, message=str(error))]
    if not violations:
        message = "The ontology and vocabularies, merged, are in the OWL 2 DL profile (OWL API)"
        return [finding(level=ERROR, passed=True, message=message)]
    shown = "; ".join(v.message for v in violations[:5])
    return [
        finding(
            level=ERROR,
            passed=False,
            message=f"{len(violations)} OWL 2 DL violations ({summary(violations)}): {shown}",
        )
    ]
