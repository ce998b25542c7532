"""All checks on the real ontology/ekip.ttl, its modules (ontology/patterns.ttl) and
ontology/vocab/*.ttl must pass.

The files must exist: a missing ontology fails this test (it is never skipped).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ekipgraph.checks import run_all
from ekipgraph.project import default_layout


def test_real_ontology_and_vocabularies_pass_every_check():
    layout = default_layout()
    assert layout.ontology_file.exists(), f"{layout.ontology_file} is missing"
    vocabularies = layout.vocab_files()
    assert vocabularies, f"no SKOS vocabularies under {layout.vocab_dir}"
    with_reasoner = shutil.which("java") is not None
    if not with_reasoner:
        print("no `java` on PATH: the reasoner checks are skipped")
    report = run_all(
        layout.ontology_file,
        vocabularies,
        module_paths=layout.module_files,
        with_reasoner=with_reasoner,
    )
    failures = "\n".join(f"{f.family} {f.id} [{f.source}]: {f.message}" for f in report.failures)
    assert not report.failed, f"{report.summary()}\n{failures}"
    checked = {Path(f.source).name for f in report.findings}
    assert {"ekip.ttl", "patterns.ttl"} <= checked
