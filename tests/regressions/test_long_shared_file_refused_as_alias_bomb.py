"""A long shared file written out plainly (more than 100,000 YAML values, as a corpus of a few
thousand cases has) was refused as if it expanded through aliases. Only values reached again
through an alias count towards the limit."""

from __future__ import annotations

from pathlib import Path

from ekipgraph.cases.problems import ProblemList
from ekipgraph.cases.yamlload import parse_yaml_text


def test_a_long_plain_file_parses() -> None:
    entries = "".join(
        f'  - id: "org-{n}"\n    name: {{en: "Organisation {n}"}}\n    actor_types: [company]\n'
        for n in range(30_000)
    )
    problems = ProblemList()
    document = parse_yaml_text(f"organisations:\n{entries}", Path("organisations.yaml"), problems)
    assert not list(problems), list(problems)[:3]
    assert document is not None and len(document.data["organisations"]) == 30_000
    assert document.value_position(("organisations", 29_999, "id")).line == 3 * 29_999 + 2


def test_an_alias_bomb_is_still_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    problems = ProblemList()
    assert parse_yaml_text("\n".join(lines) + "\n", Path("bomb.yaml"), problems) is None
    assert any("expands to more than" in p.message for p in problems)
