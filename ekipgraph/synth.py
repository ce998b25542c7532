"""Synthetic corpora: a complete project folder with N made-up City Case Descriptions.

For measuring and testing the pipeline at scale. The folder holds a copy of the project's
ontology, vocabularies, shapes and queries, and a ``data/`` folder in the authoring format
(shared entities and ``cases/<id>.yaml``), so ``EKIPGRAPH_HOME=DIR ekipgraph run`` works on it.

Nothing in it is ekip data, and it says so everywhere: every id starts with ``synthetic-``
(so every IRI has ``/synthetic-`` in it), every name and title says "Synthetic", every source
URL is under the reserved ``.invalid`` domain, and the folder has a ``SYNTHETIC.md``. Concept
ids are real: they are drawn from the project's own SKOS schemes. The same ``N`` and seed
give the same bytes.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib.namespace import SKOS

from ekipgraph.namespaces import VOCAB_BASE
from ekipgraph.ontology import load_vocabularies
from ekipgraph.project import ProjectLayout

#: the file that marks a folder as written by ``synth`` (and so safe to replace)
MARKER_FILE = "SYNTHETIC.md"
#: every id of a synthetic entity starts with this
ID_PREFIX = "synthetic-"
SOURCE_BASE = "https://synthetic.ekipgraph.invalid/"
#: the project files a synthetic folder copies (the TBox, the shapes, the query library)
COPIED = ("ontology", "shapes", "queries")
RECORDED = "2026-11-30"


class SynthError(ValueError):
    """The output folder cannot be used (it holds something synth did not write)."""


@dataclass(frozen=True)
class Concepts:
    """The concept ids of every scheme, with English labels, from the project's vocabularies."""

    ids: dict[str, tuple[str, ...]]
    labels: dict[str, str]

    @classmethod
    def from_layout(cls, layout: ProjectLayout) -> Concepts:
        ids: dict[str, tuple[str, ...]] = {}
        labels: dict[str, str] = {}
        for vocabulary in load_vocabularies(layout):
            prefix = f"{VOCAB_BASE}{vocabulary.name}/"
            found = []
            for subject, label in vocabulary.graph.subject_objects(SKOS.prefLabel):
                iri = str(subject)
                if iri.startswith(prefix) and "/" not in iri[len(prefix) :]:
                    concept = iri[len(prefix) :]
                    if getattr(label, "language", None) in ("en", None):
                        labels[f"{vocabulary.name}/{concept}"] = str(label)
                    found.append(concept)
            ids[vocabulary.name] = tuple(sorted(set(found)))
        return cls(ids, labels)

    def pick(self, rng: random.Random, scheme: str) -> str:
        return rng.choice(self.ids[scheme])

    def sample(self, rng: random.Random, scheme: str, low: int, high: int) -> list[str]:
        pool = self.ids[scheme]
        return sorted(rng.sample(pool, min(len(pool), rng.randint(low, high))))

    def label(self, scheme: str, concept: str) -> str:
        return self.labels.get(f"{scheme}/{concept}", concept.replace("-", " "))


# ---------------------------------------------------------------------------------------
# A small YAML writer: block mappings and lists, flow lists of scalars, texts as {en: "…"}.


class Text(dict):
    """A language-tagged text, written in flow style: ``{en: "…"}``."""


class Raw(str):
    """A scalar written as is (dates, which YAML reads as dates)."""


def _scalar(value: Any) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Text):
        return (
            "{"
            + ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in value.items())
            + "}"
        )
    return json.dumps(str(value), ensure_ascii=False)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | Text)


def _lines(value: dict[str, Any], indent: str) -> Iterator[str]:
    for key, item in value.items():
        if item is None or item == []:
            continue
        if isinstance(item, list) and all(_is_scalar(v) and not isinstance(v, Text) for v in item):
            yield f"{indent}{key}: [{', '.join(_scalar(v) for v in item)}]"
        elif isinstance(item, list):
            yield f"{indent}{key}:"
            for entry in item:
                inner = list(_lines(entry, indent + "    "))
                yield f"{indent}  - {inner[0].lstrip()}"
                yield from inner[1:]
        elif isinstance(item, dict) and not isinstance(item, Text):
            yield f"{indent}{key}:"
            yield from _lines(item, indent + "  ")
        else:
            yield f"{indent}{key}: {_scalar(item)}"


def to_yaml(value: dict[str, Any], header: str = "") -> str:
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    return comment + "\n".join(_lines(value, "")) + "\n"


# ---------------------------------------------------------------------------------------
# The generator

_ITEM_KINDS = ("idea", "project", "initiative")
_THEMES = (
    "a shared production studio",
    "an open data platform for collections",
    "a training programme in generative tools",
    "a residency for artists and engineers",
    "a festival that tests new formats",
    "a marketplace for independent makers",
    "a living lab in a former industrial site",
    "a co-working space with a prototyping workshop",
    "an audience research network",
    "a circular materials library",
    "a mentoring scheme for young companies",
    "a touring programme for small venues",
)
_NEEDS = (
    "would need {what} to move from prototype to pilot",
    "lacks {what} for its first public test",
    "depends on {what} that the local system only partly offers",
    "could grow with better access to {what}",
)


def _sid(kind: str, number: int, width: int = 5) -> str:
    return f"{ID_PREFIX}{kind}-{number:0{width}d}"


@dataclass
class _Registry:
    """Every source URL cited, registered once in sources.yaml."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    def source(self, path: str, kind: str, title: str) -> str:
        url = SOURCE_BASE + path
        if url not in self.entries:
            self.entries[url] = {
                "url": url,
                "kind": kind,
                "title": Text(en=f"Synthetic source: {title}"),
                "language": "en",
            }
        return url


@dataclass(frozen=True)
class SynthSizes:
    """How many shared entities a corpus of ``cases`` cases gets (grows with it)."""

    cases: int

    @property
    def countries(self) -> int:
        return min(27, max(3, self.cases // 40 + 3))

    @property
    def cities(self) -> int:
        return max(5, self.cases // 20)

    @property
    def organisations(self) -> int:
        return max(20, self.cases * 2)

    @property
    def people(self) -> int:
        return max(5, self.cases // 3)

    @property
    def report_sources(self) -> int:
        return max(10, self.cases // 2)


class _Generator:
    def __init__(self, cases: int, seed: int, concepts: Concepts) -> None:
        self.n = cases
        self.rng = random.Random(seed)
        self.seed = seed
        self.concepts = concepts
        self.sizes = SynthSizes(cases)
        self.sources = _Registry()
        self.areas = concepts.ids["policy-area"]

    def report(self) -> str:
        number = self.rng.randrange(self.sizes.report_sources) + 1
        return self.sources.source(
            f"report/{number:05d}", "workshop-report", f"workshop report {number:05d}"
        )

    def context(self, what: str) -> str:
        return self.sources.source(what, "context-page", what.replace("/", " "))

    # -- shared entities

    def shared(self) -> dict[str, list[dict[str, Any]]]:
        rng, c = self.rng, self.concepts
        countries = [
            {
                "id": _sid("country", i, 2),
                "name": Text(en=f"Synthetic Country {i:02d}"),
                "sources": [self.context(f"country/{i:02d}")],
            }
            for i in range(1, self.sizes.countries + 1)
        ]
        self.cities = [_sid("city", i, 4) for i in range(1, self.sizes.cities + 1)]
        cities = [
            {
                "id": city,
                "name": Text(en=f"Synthetic City {i:04d}"),
                "country": countries[(i - 1) % len(countries)]["id"],
                "description": Text(en=f"A made-up city for testing ekipgraph at scale ({i})."),
                "sources": [self.context(f"city/{i:04d}")],
            }
            for i, city in enumerate(self.cities, 1)
        ]
        project = _sid("project", 1, 2)
        projects = [
            {
                "id": project,
                "name": Text(en="Synthetic Project 01"),
                "start": Raw("2023-06-01"),
                "end": Raw("2026-11-30"),
                "description": Text(en="A made-up funded project that the synthetic corpus uses."),
                "sources": [self.context("project/01")],
            }
        ]
        self.organisations = [
            _sid("organisation", i) for i in range(1, self.sizes.organisations + 1)
        ]
        #: organisations by city, so that a case's actors are mostly local (as in ekip)
        self.local: dict[str, list[str]] = {city: [] for city in self.cities}
        organisations = []
        for i, org in enumerate(self.organisations, 1):
            city = self.cities[(i - 1) % len(self.cities)]
            self.local[city].append(org)
            organisations.append(
                {
                    "id": org,
                    "name": Text(en=f"Synthetic Organisation {i:05d}"),
                    "actor_types": c.sample(rng, "actor-type", 1, 2),
                    "based_in": city,
                    "partner_in": [project] if i <= 10 else [],
                    "coordinates": [project] if i == 1 else [],
                    "sources": [self.context(f"organisation/{i:05d}")],
                }
            )
        self.people = [_sid("person", i) for i in range(1, self.sizes.people + 1)]
        people = [
            {
                "id": person,
                "name": f"Synthetic Person {i:05d}",
                "member_of": sorted(rng.sample(self.organisations, 1)),
                "sources": [self.context(f"person/{i:05d}")],
            }
            for i, person in enumerate(self.people, 1)
        ]
        self.labs: dict[str, str] = {}
        policy_labs = []
        for i, area in enumerate(self.areas, 1):
            lab = _sid("policy-lab", i, 2)
            self.labs[area] = lab
            policy_labs.append(
                {
                    "id": lab,
                    "name": Text(
                        en=f"Synthetic Policy Lab {i:02d}: {c.label('policy-area', area)}"
                    ),
                    "policy_areas": [area],
                    "number": i,
                    "held_in": self.cities[(i - 1) % len(self.cities)],
                    "start": Raw(f"{2024 + i % 3}-{i % 12 + 1:02d}"),
                    "organised_by": [self.organisations[i % len(self.organisations)]],
                    "project": project,
                    "sources": [self.context(f"policy-lab/{i:02d}")],
                }
            )
        self.recommendations: dict[str, list[str]] = {}
        recommendations = []
        for a, area in enumerate(self.areas, 1):
            for r in range(1, 7):
                rec = f"{ID_PREFIX}recommendation-{a:02d}-{r}"
                self.recommendations.setdefault(area, []).append(rec)
                resource = c.pick(rng, "resource-type")
                recommendations.append(
                    {
                        "id": rec,
                        "title": Text(
                            en=f"Synthetic recommendation {a:02d}-{r} on "
                            f"{c.label('resource-type', resource).lower()}"
                        ),
                        "status": c.pick(rng, "recommendation-status"),
                        "policy_areas": [area],
                        "levels": c.sample(rng, "recommendation-level", 1, 2),
                        "text": Text(
                            en="A made-up recommendation: improve "
                            f"{c.label('resource-type', resource).lower()} for the CCIs."
                        ),
                        "drafted_in": self.labs[area],
                        "resource_types": [resource],
                        "sectors": c.sample(rng, "cci-sector", 0, 2),
                        "year": 2024 + r % 3,
                        "sources": [self.context(f"recommendation/{a:02d}-{r}")],
                    }
                )
        # One workshop per city and policy area that a case of that city addresses first.
        self.case_plan = [
            (self.cities[rng.randrange(len(self.cities))], rng.choice(self.areas))
            for _ in range(self.n)
        ]
        self.workshops: dict[tuple[str, str], str] = {}
        workshops: list[dict[str, Any]] = []
        for city, area in sorted(set(self.case_plan)):
            if rng.random() < 0.3:
                continue  # not every case comes out of a workshop
            number = len(workshops) + 1
            workshop = _sid("workshop", number)
            self.workshops[(city, area)] = workshop
            organisers = self.local[city][:2]
            workshops.append(
                {
                    "id": workshop,
                    "name": Text(en=f"Synthetic workshop {number:05d}"),
                    "city": city,
                    "policy_areas": [area],
                    "start": Raw(f"{2024 + number % 2}-{number % 12 + 1:02d}"),
                    "organised_by": organisers,
                    "participant_types": c.sample(rng, "actor-type", 2, 4),
                    "participants": self.local[city][:3],
                    "participant_count": rng.randint(8, 40),
                    "project": project,
                    "sources": [self.report()],
                }
            )
        return {
            "countries": countries,
            "cities": cities,
            "projects": projects,
            "organisations": organisations,
            "people": people,
            "policy_labs": policy_labs,
            "workshops": workshops,
            "recommendations": recommendations,
        }

    # -- cases

    def actors(self, city: str, low: int, high: int) -> list[str]:
        rng = self.rng
        count = rng.randint(low, high)
        local = self.local[city]
        chosen = set(rng.sample(local, min(len(local), max(1, count - 1))))
        if rng.random() < 0.5:  # an actor from elsewhere: what makes bridges between cities
            chosen.add(rng.choice(self.organisations))
        if rng.random() < 0.2:
            chosen.add(rng.choice(self.people))
        return sorted(chosen)

    def involvements(self, actors: Sequence[str], sources: list[str]) -> list[dict[str, Any]]:
        roles = ("leads the work", "takes part", "offers space", "funds a pilot", "advises")
        return [
            {
                "actor": actor,
                "role": Text(en=f"Synthetic role: {self.rng.choice(roles)}"),
                "sources": sources[:1],
            }
            for actor in actors
        ]

    def case(self, number: int) -> tuple[str, dict[str, Any]]:
        rng, c = self.rng, self.concepts
        city, area = self.case_plan[number - 1]
        case_id = _sid("case", number)
        page = self.sources.source(f"case/{number:05d}", "case-page", f"case page {number:05d}")
        sources = [page, self.report()]
        actors = self.actors(city, 3, 7)
        sectors = c.sample(rng, "cci-sector", 1, 3)
        areas = [area] + ([rng.choice(self.areas)] if rng.random() < 0.2 else [])
        area_label = c.label("policy-area", area)
        portfolios = []
        targets: list[str] = []
        for p in range(1, rng.randint(2, 4) + 1):
            portfolio_id = f"portfolio-{p}"
            targets.append(portfolio_id)
            items = []
            for i in range(1, rng.randint(2, 4) + 1):
                item_id = f"p{p}-item-{i}"
                targets.append(item_id)
                theme = rng.choice(_THEMES)
                items.append(
                    {
                        "id": item_id,
                        "kind": rng.choice(_ITEM_KINDS),
                        "title": Text(en=f"Synthetic item {p}.{i}: {theme}"),
                        "description": Text(en=f"A made-up portfolio item: {theme}."),
                        "zone": c.pick(rng, "innovation-zone"),
                        "facets": c.sample(rng, "opsi-facet", 0, 2),
                        "layer": c.pick(rng, "liept-layer") if rng.random() < 0.6 else None,
                        "sectors": sorted(rng.sample(sectors, 1)),
                        "actors": self.involvements(
                            sorted(rng.sample(actors, rng.randint(0, 2))), sources
                        ),
                        "sources": sources[:1],
                    }
                )
            portfolios.append(
                {
                    "id": portfolio_id,
                    "title": Text(en=f"Synthetic portfolio {p} of case {number:05d}"),
                    "description": Text(en=f"A made-up portfolio on {area_label.lower()}."),
                    "sectors": sectors,
                    "facets": c.sample(rng, "opsi-facet", 0, 2),
                    "actors": self.involvements(sorted(rng.sample(actors, 1)), sources),
                    "sources": sources,
                    "items": items,
                }
            )
        needs = []
        for n in range(1, rng.randint(3, 8) + 1):
            resource = c.pick(rng, "resource-type")
            what = c.label("resource-type", resource).lower()
            needs.append(
                {
                    "id": f"need-{n}",
                    "resource_type": resource,
                    "status": c.pick(rng, "availability-status"),
                    "for": rng.choice(targets),
                    "providers": sorted(rng.sample(actors, rng.randint(0, 2))),
                    "description": Text(
                        en="Synthetic need: it " + rng.choice(_NEEDS).format(what=what)
                    ),
                    "sources": sources[:1],
                }
            )

        def findings(kind: str, low: int, high: int) -> list[dict[str, Any]]:
            chosen = c.sample(rng, "resource-type", low, high)
            return [
                {
                    "id": f"{kind}-{index}",
                    "resource_type": resource,
                    "description": Text(
                        en=f"Synthetic {kind}: {c.label('resource-type', resource).lower()}."
                    ),
                    "sources": sources[:1],
                }
                for index, resource in enumerate(chosen, 1)
            ]

        recommendations = self.recommendations[area]
        tested = sorted(rng.sample(recommendations, rng.randint(0, 2)))
        stimuli = [
            {
                "id": f"stimulus-{index}",
                "recommendation": rec,
                "description": Text(en="Synthetic stimulus: a local measure the case expects."),
                "sources": sources[:1],
            }
            for index, rec in enumerate(sorted(rng.sample(recommendations, rng.randint(0, 2))), 1)
        ]
        case = {
            "id": case_id,
            "title": Text(
                en=f"Synthetic case {number:05d}: {area_label} in synthetic city {city[-4:]}"
            ),
            "city": city,
            "policy_areas": sorted(set(areas)),
            "sectors": sectors,
            "year": rng.choice((2024, 2025, 2026)),
            "url": page,
            "workshop": self.workshops.get((city, area)),
            "recorded": Raw(RECORDED),
            "viewpoint": Text(
                en="Synthetic data made by ekipgraph synth; it describes no real place."
            ),
            "summary": Text(
                en=f"A made-up City Case Description on {area_label.lower()}, for testing at scale."
            ),
            "tests_recommendations": tested,
            "sources": sources,
            "actors": self.involvements(actors, sources),
            "portfolios": portfolios,
            "needs": needs,
            "strengths": findings("strength", 1, 3),
            "gaps": findings("gap", 1, 4),
            "stimuli": stimuli,
        }
        return case_id, case


_SHARED_ORDER = (
    ("countries.yaml", "countries"),
    ("cities.yaml", "cities"),
    ("projects.yaml", "projects"),
    ("organisations.yaml", "organisations"),
    ("people.yaml", "people"),
    ("policy-labs.yaml", "policy_labs"),
    ("workshops.yaml", "workshops"),
    ("recommendations.yaml", "recommendations"),
)
_HEADER = "Synthetic data written by `ekipgraph synth` (N={n}, seed={seed}); not ekip data."


def _marker_text(cases: int, seed: int) -> str:
    return (
        "# Synthetic ekipgraph project\n\n"
        f"Written by `ekipgraph synth {cases} --seed {seed}`. Everything under `data/` is made "
        "up to measure and test ekipgraph at scale: it describes no real city, organisation, "
        "person or event. Ids start with `synthetic-`, names and titles say *Synthetic*, and "
        f"source URLs are under `{SOURCE_BASE}` (a reserved, unresolvable domain). The "
        "concept ids are the project's own. `ontology/`, `shapes/` and `queries/` are copies "
        "of the project's.\n"
    )


def _check_target(out: Path) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        raise SynthError(f"{out} exists and is not a folder")
    if any(out.iterdir()) and not (out / MARKER_FILE).is_file():
        raise SynthError(
            f"{out} is not empty and was not written by ekipgraph synth; "
            "choose an empty or new folder"
        )


@contextmanager
def _replace(out: Path) -> Iterator[Path]:
    """A staging folder beside ``out`` that replaces it on success (``_check_target`` has
    made sure ``out`` is new, empty or synthetic). Not the shared output-folder rules: they
    refuse the project folder, and ``EKIPGRAPH_HOME=OUT ekipgraph synth N --out OUT`` makes
    ``out`` the project."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.synth-", dir=out.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = out.with_name(f".{out.name}.synth-previous")
    shutil.rmtree(previous, ignore_errors=True)
    if out.exists():
        out.rename(previous)
    staging.rename(out)
    shutil.rmtree(previous, ignore_errors=True)


def synthesise(
    cases: int, out: Path, seed: int = 0, source: ProjectLayout | None = None
) -> ProjectLayout:
    """Write a synthetic project of ``cases`` cases to ``out``, all or nothing.

    ``out`` must be new, empty, or an earlier synthetic folder (which is replaced whole).
    The TBox, shapes and queries are copied from ``source`` (by default the project that
    ships with ekipgraph, whatever ``EKIPGRAPH_HOME`` says).
    """
    if cases < 1:
        raise SynthError("the number of cases must be at least 1")
    out = Path(out)
    _check_target(out)
    # The project that ships with ekipgraph, not EKIPGRAPH_HOME (which may name ``out``).
    source = source or ProjectLayout(Path(__file__).resolve().parent.parent)
    missing = [name for name in COPIED if not (source.root / name).is_dir()]
    if missing:
        raise SynthError(f"{source.root} lacks {', '.join(missing)}: nothing to copy from")
    if Path(out).resolve() == source.root.resolve():
        raise SynthError(f"{out} is the project itself")
    generator = _Generator(cases, seed, Concepts.from_layout(source))
    header = _HEADER.format(n=cases, seed=seed)
    with _replace(out) as staging:
        for name in COPIED:
            shutil.copytree(source.root / name, staging / name)
        shared_dir = staging / "data" / "shared"
        cases_dir = staging / "data" / "cases"
        shared_dir.mkdir(parents=True)
        cases_dir.mkdir()
        shared = generator.shared()
        for number in range(1, cases + 1):
            case_id, case = generator.case(number)
            (cases_dir / f"{case_id}.yaml").write_text(to_yaml(case, header), encoding="utf-8")
        for file_name, key in _SHARED_ORDER:
            (shared_dir / file_name).write_text(
                to_yaml({key: shared[key]}, header), encoding="utf-8"
            )
        sources = sorted(generator.sources.entries.values(), key=lambda e: e["url"])
        (shared_dir / "sources.yaml").write_text(
            to_yaml({"sources": sources}, header), encoding="utf-8"
        )
        (staging / MARKER_FILE).write_text(_marker_text(cases, seed), encoding="utf-8")
    return ProjectLayout(out)
