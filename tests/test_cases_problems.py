"""Broken twins of the kitchen-sink corpus: each breaks one rule of the authoring format, and
validation must report exactly that problem, at the right file, line, column and field.

The twins are made from the fixture by replacing one piece of text (or adding one file), so
the table below is the whole test data.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from ekipgraph.cases import AuthoringError, ConceptIndex, load_corpus

CASE = "cases/exampleton-ai.yaml"
TTL = "cases/northport-games.ttl"


@dataclass(frozen=True)
class Twin:
    name: str
    file: str
    old: str | None  # None: ``new`` is the content of a new file
    new: str
    expected: str  # "file:line:col: field: message" with the file relative to the data folder


TWINS = [
    Twin(
        "malformed YAML",
        CASE,
        "sectors: [cultural-heritage, design, music]",
        "sectors: [cultural-heritage, design",
        f"{CASE}:7:5: malformed YAML: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence that starts at line 6, column 10)",
    ),
    Twin(
        "tab",
        CASE,
        "  - actor: ada-example\n    sources:",
        "  - actor: ada-example\n\tsources:",
        f"{CASE}:26:1: a tab character: YAML is indented with spaces, not tabs",
    ),
    Twin(
        "duplicate key",
        CASE,
        "city: exampleton\n",
        "city: exampleton\ncity: northport\n",
        f"{CASE}:5:1: city: duplicate key 'city' (first given on line 4)",
    ),
    Twin(
        "unknown key",
        CASE,
        "        zone: yellow",
        "        zoen: yellow",
        f"{CASE}:44:9: portfolios[0].items[0].zoen: unknown key 'zoen'; did you mean 'zone'?",
    ),
    Twin(
        "unknown key in a shared file",
        "shared/people.yaml",
        "member_of: [exampleton-lab]",
        "member_of: [exampleton-lab]\n    email: ada@example.org",
        "shared/people.yaml:5:5: people[0].email: unknown key 'email'; "
        "expected one of: id, not_stated, name, member_of, description, memberships, sources",
    ),
    Twin(
        "year as text",
        CASE,
        "year: 2025",
        'year: "2025"',
        f"{CASE}:7:7: year: expected a year such as 2024, got the text '2025'",
    ),
    Twin(
        "number where text is expected",
        "shared/projects.yaml",
        'grant_id: "123456789"',
        "grant_id: 123456789",
        "shared/projects.yaml:5:15: projects[0].grant_id: expected text, "
        "got a number (123456789); put it in quotes",
    ),
    Twin(
        "scalar where a list is expected",
        CASE,
        "    sectors: [cultural-heritage]\n    facets",
        "    sectors: cultural-heritage\n    facets",
        f"{CASE}:32:14: portfolios[0].sectors: expected a list, got the text 'cultural-heritage'",
    ),
    Twin(
        "language text that is a number",
        "shared/organisations.yaml",
        'short_name: {en: "XU"}',
        "short_name: {en: 42}",
        "shared/organisations.yaml:4:22: organisations[0].short_name.en: "
        "expected text, got a number (42)",
    ),
    Twin(
        "bad id",
        CASE,
        "- id: talent-drain",
        "- id: Talent_Drain",
        f"{CASE}:103:9: gaps[0].id: 'Talent_Drain' is not a valid id: use lower-case letters "
        "and digits in words joined by hyphens, e.g. lund-ai",
    ),
    Twin(
        "URL with a space",
        "shared/organisations.yaml",
        "homepage: https://example.org/university/",
        "homepage: https://example.org/uni versity/",
        "shared/organisations.yaml:7:15: organisations[0].homepage: "
        "'https://example.org/uni versity/' is not a valid URL: it contains a space "
        "(percent-encode it)",
    ),
    Twin(
        "relative URL",
        CASE,
        "url: https://example.org/cases/exampleton-ai",
        "url: example.org/cases/exampleton-ai",
        f"{CASE}:8:6: url: 'example.org/cases/exampleton-ai' is not an absolute http(s) URL",
    ),
    Twin(
        "bad language tag",
        CASE,
        'Exampleton and AI", sv:',
        'Exampleton and AI", svenska:',
        f"{CASE}:3:57: title.svenska: 'svenska' is not a language tag (BCP 47, e.g. en, sv, nl-BE)",
    ),
    Twin(
        "impossible date",
        "shared/workshops.yaml",
        "start: 2024-09-12",
        "start: 2024-13-12",
        "shared/workshops.yaml:6:12: workshops[0].start: '2024-13-12' is not a date; "
        "write YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    Twin(
        "date in another format",
        "shared/projects.yaml",
        "end: 2026-11-30",
        "end: 30.11.2026",
        "shared/projects.yaml:7:10: projects[0].end: '30.11.2026' is not a date; "
        "write YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    Twin(
        "end before start",
        "shared/workshops.yaml",
        "end: 2024-09-13",
        "end: 2024-09-11",
        "shared/workshops.yaml:7:10: workshops[0].end: ends (2024-09-11) before it starts "
        "(2024-09-12)",
    ),
    Twin(
        "negative count",
        "shared/workshops.yaml",
        "participant_count: 25",
        "participant_count: -1",
        "shared/workshops.yaml:11:24: workshops[0].participant_count: must be at least 0, got -1",
    ),
    Twin(
        "unknown item kind",
        CASE,
        "kind: project",
        "kind: programme",
        f"{CASE}:54:15: portfolios[0].items[1].kind: "
        "'programme' is not one of idea, project, initiative",
    ),
    Twin(
        "unknown city",
        CASE,
        "city: exampleton",
        "city: exampletown",
        f"{CASE}:4:7: city: unknown city 'exampletown'; known: exampleton, northport",
    ),
    Twin(
        "unknown actor",
        CASE,
        "providers: [exampleton-university]",
        "providers: [exampleton-univ]",
        f"{CASE}:78:17: needs[0].providers[0]: unknown actor (organisation or person) "
        "'exampleton-univ'; known: ada-example, bo-example, creative-cities-net, exampleton-lab, "
        "exampleton-university, games-hub",
    ),
    Twin(
        "unknown place",
        "shared/organisations.yaml",
        "based_in: freedonia",
        "based_in: freedom",
        "shared/organisations.yaml:15:15: organisations[1].based_in: unknown place "
        "(city or country) 'freedom'; known: exampleton, freedonia, northport, sylvania",
    ),
    Twin(
        "unknown concept",
        CASE,
        "status: available",
        "status: availble",
        f"{CASE}:76:13: needs[0].status: 'availble' is not one of available, partial, missing",
    ),
    Twin(
        "unknown concept in a list",
        "shared/recommendations.yaml",
        "levels: [eu, local]",
        "levels: [eu, municipal]",
        "shared/recommendations.yaml:6:18: recommendations[0].levels[1]: "
        "'municipal' is not one of eu, national, regional, local",
    ),
    Twin(
        "unknown source kind",
        "shared/sources.yaml",
        "kind: context-page",
        "kind: news",
        "shared/sources.yaml:15:11: sources[3].kind: "
        "'news' is not one of case-page, workshop-report, project-page, context-page",
    ),
    Twin(
        "concept of the wrong scheme",
        CASE,
        "resource_type: talent",
        "resource_type: music",
        f"{CASE}:104:20: gaps[0].resource_type: unknown resource-type concept 'music' "
        "('music' is a cci-sector and unesco-creative-field concept); "
        "see ontology/vocab/resource-type.ttl",
    ),
    Twin(
        "unregistered source",
        CASE,
        'university on AI."}\n    sources: [https://example.org/news/exampleton-workshop]',
        'university on AI."}\n    sources: [https://example.org/news/exampleton-workshop/]',
        f"{CASE}:116:15: stimuli[0].sources[0]: source https://example.org/news/exampleton-workshop/"
        " is not registered in shared/sources.yaml; did you mean "
        "https://example.org/news/exampleton-workshop?",
    ),
    Twin(
        "no source",
        "shared/cities.yaml",
        "sources: [https://example.org/cases/northport-games]",
        "sources: []",
        "shared/cities.yaml:13:14: cities[1].sources: cite at least one source "
        "(a URL registered in shared/sources.yaml)",
    ),
    Twin(
        "empty text",
        CASE,
        'role: {en: "suggested the idea"}',
        'role: {en: ""}',
        f"{CASE}:50:24: portfolios[0].items[0].actors[0].role.en: is empty; write the text, "
        "or leave the key out",
    ),
    Twin(
        "duplicate part id",
        CASE,
        "- id: early-funding",
        "- id: immersive-test-facilities",
        f"{CASE}:81:9: needs[1].id: duplicate need id 'immersive-test-facilities' "
        "(first on line 74)",
    ),
    Twin(
        "actor listed twice",
        CASE,
        "  - actor: ada-example\n    sources: [https://example.org/news/exampleton-workshop]",
        "  - actor: exampleton-lab\n    sources: [https://example.org/news/exampleton-workshop]",
        f"{CASE}:25:12: actors[1].actor: actor 'exampleton-lab' is listed twice here "
        "(first on line 22)",
    ),
    Twin(
        "duplicate shared id",
        "shared/sources.yaml",
        "  - url: https://example.org/cases/northport-games",
        "  - url: https://example.org/project/about\n    kind: project-page\n"
        '    title: "Again"\n  - url: https://example.org/cases/northport-games',
        "shared/sources.yaml:18:10: sources[4].url: duplicate source "
        "'https://example.org/project/about' (first at sources.yaml line 11)",
    ),
    Twin(
        "id is not the file name",
        CASE,
        "id: exampleton-ai\n",
        "id: exampleton-ai-2025\n",
        f"{CASE}:2:5: id: must be the file name without .yaml: 'exampleton-ai', "
        "not 'exampleton-ai-2025'",
    ),
    Twin(
        "need for nothing",
        CASE,
        "for: storytelling-app",
        "for: storytelling",
        f"{CASE}:84:10: needs[1].for: 'storytelling' is not a portfolio or item of this case; "
        "known: heritage-immersive, open-archive, storytelling-app, sound-archive, "
        "design-week, archive-portal",
    ),
    Twin(
        "missing required field",
        CASE,
        "    status: missing\n",
        "",
        f"{CASE}:81:5: needs[1].status: required field is missing; if no source states it, "
        "list it under not_stated: [status]",
    ),
    Twin(
        "unsupported YAML tag",
        CASE,
        "year: 2025",
        "year: !!binary aGVsbG8=",
        f"{CASE}:7:7: year: the YAML tag !!binary is not supported; write a plain value",
    ),
    Twin(
        "alias loop",
        CASE,
        "tests_recommendations: [ai-small-actors]",
        "tests_recommendations: &loop [*loop]",
        f"{CASE}:16:24: tests_recommendations[0]: an alias refers to the value that contains it",
    ),
    Twin(
        "empty case file",
        "cases/empty.yaml",
        None,
        "# nothing yet\n",
        "cases/empty.yaml:1:1: the file is empty; start it with "
        "`ekipgraph new-case <id> --city <city> --policy-area <area>`",
    ),
    Twin(
        ".yml case file",
        "cases/other.yml",
        None,
        "id: other\n",
        "cases/other.yml:1:1: name case files <id>.yaml, not .yml",
    ),
    Twin(
        "unknown shared file",
        "shared/citys.yaml",
        None,
        "cities: []\n",
        "shared/citys.yaml:1:1: not a shared file ekipgraph knows; expected one of "
        "sources.yaml, countries.yaml, cities.yaml, projects.yaml, organisations.yaml, "
        "people.yaml, policy-labs.yaml, workshops.yaml, events.yaml, recommendations.yaml",
    ),
    Twin(
        "Turtle syntax",
        TTL,
        "ekip:aboutCity city:northport ;",
        "ekip:aboutCity city:northport",
        f"{TTL}:19:5: cannot parse: expected '.' or '}}' or ']' at end of statement",
    ),
    Twin(
        "JSON-LD syntax",
        "cases/broken.jsonld",
        None,
        '{\n  "@id": "x",\n}\n',
        "cases/broken.jsonld:3:1: cannot parse: Expecting property name enclosed in double quotes",
    ),
    Twin(
        "unknown city in Turtle",
        TTL,
        "ekip:aboutCity city:northport ;",
        "ekip:aboutCity city:northpor ;",
        f"{TTL}:18:20: unknown city 'northpor' (<https://w3id.org/ekip/id/city/northpor>); "
        "known: exampleton, northport",
    ),
    Twin(
        "unregistered source in Turtle",
        TTL,
        "northport-games> .\n\n<https://w3id.org/ekip/id/case/northport-games/involvement",
        "northport-gamez> .\n\n<https://w3id.org/ekip/id/case/northport-games/involvement",
        f"{TTL}:25:20: source https://example.org/cases/northport-gamez is not registered in "
        "shared/sources.yaml",
    ),
    Twin(
        "bad language tag in Turtle",
        TTL,
        '"hosted the workshop"@en',
        '"hosted the workshop"@e',
        f"{TTL}:27:1: 'e' is not a language tag (BCP 47, e.g. en, sv)",
    ),
    Twin(
        "bad IRI in Turtle",
        TTL,
        "ekip:involvedActor actor:games-hub ;",
        "ekip:involvedActor <https://example.org/a{b}> ;",
        f"{TTL}:28:24: <https://example.org/a{{b}}> is not a valid IRI: "
        "Invalid IRI code point '{'",
    ),
    Twin(
        "relative IRI in Turtle",
        TTL,
        "ekip:involvedActor actor:games-hub ;",
        "ekip:involvedActor <games-hub> ;",
        f"{TTL}:28:24: <games-hub> is a relative IRI; write IRIs in full",
    ),
    Twin(
        "unknown concept in Turtle",
        TTL,
        "ekip:concernsSector sector:video-games ;",
        "ekip:concernsSector sector:video-game ;",
        f"{TTL}:20:25: unknown cci-sector concept 'video-game'; closest: video-games "
        "(<https://w3id.org/ekip/vocab/cci-sector/video-game>)",
    ),
    Twin(
        "Turtle case IRI is not the file name",
        TTL,
        "case:northport-games a ekip:CityCaseDescription ;",
        "case:northport-game a ekip:CityCaseDescription ;",
        f"{TTL}:15:1: the case must be <https://w3id.org/ekip/id/case/northport-games> "
        "a ekip:CityCaseDescription (its IRI is made from the file name), "
        "not <https://w3id.org/ekip/id/case/northport-game>",
    ),
    Twin(
        "Turtle case without provenance",
        TTL,
        "\n<https://w3id.org/ekip/graph/case/northport-games>\n"
        '    prov:generatedAtTime "2026-11-28T00:00:00Z"^^xsd:dateTime .\n',
        "\n",
        f"{TTL}:1:1: say when the case was recorded: "
        "<https://w3id.org/ekip/graph/case/northport-games> prov:generatedAtTime "
        '"YYYY-MM-DDT00:00:00Z"^^xsd:dateTime',
    ),
]


def make_twin(twin: Twin, kitchen_sink: Path, target: Path) -> Path:
    data = target / "data"
    shutil.copytree(kitchen_sink, data)
    path = data / twin.file
    if twin.old is None:
        path.write_text(twin.new, encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
        assert text.count(twin.old) == 1, f"the twin's text must occur once in {twin.file}"
        path.write_text(text.replace(twin.old, twin.new), encoding="utf-8")
    return data


def reported(error: AuthoringError, data: Path) -> list[str]:
    """The problems as the author reads them, with paths relative to the data folder."""
    return [str(p).removeprefix(f"{data}/") for p in error.problems]


def test_there_are_enough_twins() -> None:
    assert len(TWINS) >= 20
    assert len({t.name for t in TWINS}) == len(TWINS)


@pytest.mark.parametrize("twin", TWINS, ids=[t.name for t in TWINS])
def test_twin_reports_exactly_its_problem(
    twin: Twin, kitchen_sink: Path, tmp_path: Path, concepts: ConceptIndex
) -> None:
    data = make_twin(twin, kitchen_sink, tmp_path)
    with pytest.raises(AuthoringError) as caught:
        load_corpus(data, concepts)
    assert reported(caught.value, data) == [twin.expected]


def test_problems_of_all_files_are_reported_at_once(
    kitchen_sink: Path, tmp_path: Path, concepts: ConceptIndex
) -> None:
    """One run reports the problems of several twins together, in file and line order."""
    chosen = [
        t
        for t in TWINS
        if t.name
        in (
            "unknown key in a shared file",
            "number where text is expected",
            "unknown concept",
            "need for nothing",
            "unknown city in Turtle",
            "impossible date",
            "empty text",
        )
    ]
    data = tmp_path / "data"
    shutil.copytree(kitchen_sink, data)
    for twin in chosen:
        path = data / twin.file
        assert twin.old is not None
        path.write_text(
            path.read_text(encoding="utf-8").replace(twin.old, twin.new), encoding="utf-8"
        )
    with pytest.raises(AuthoringError) as caught:
        load_corpus(data, concepts)
    assert sorted(reported(caught.value, data)) == sorted(t.expected for t in chosen)
    # str() lists them all, one per line, as file:line:col: field: message
    lines = str(caught.value).splitlines()
    assert len(lines) == len(chosen)
    assert all(line.startswith(str(data)) for line in lines)
