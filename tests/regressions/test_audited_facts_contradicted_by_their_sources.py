"""An audit of data/ against its cited pages found facts that the pages contradict or do not
show: Policy Lab 6 dated to the TwitchCon Europe days, the TU Delft Policy Corner dated to
the day of ekip's later article, recommendations called drafts, a 2024 Košice workshop on AI,
Uppåkra placed in Lund, people cited to pages that do not name them, the crafts-led
recommendations merged into the DPP set and the ekip consortium named as publisher of the
vocabularies. Each is checked here against the data as written."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS
from ruamel.yaml import YAML

from ekipgraph.project import default_layout

LAYOUT = default_layout()
SHARED = LAYOUT.data_dir / "shared"


def _list(name: str) -> list[dict]:
    path = SHARED / f"{name}.yaml"
    # pure: libyaml (ruamel.yaml.clib) reads a URL in a flow list as YAML 1.1 does, and fails
    tree = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    return tree[name.replace("-", "_")]


def _by_id(name: str) -> dict[str, dict]:
    return {entry["id"]: entry for entry in _list(name)}


def test_policy_lab_6_has_its_own_date_and_organisers() -> None:
    lab = _by_id("policy-labs")["policy-lab-6"]
    assert str(lab["start"]) == "2025-05-30" and "end" not in lab
    assert {"technopolis-group-belgium", "gemeente-rotterdam"} <= set(lab["organised_by"])


def test_the_tu_delft_policy_corner_is_not_dated_to_the_article() -> None:
    text = str(_by_id("organisations")["tu-delft"]["description"])
    assert "18 and 19 October 2023" in text
    assert not re.search(r"held[^.]*January 2024", text)


def test_no_recommendation_is_called_a_draft_and_crafts_have_their_own_set() -> None:
    recommendations = _list("recommendations")
    assert all(r.get("status") in (None, "final") for r in recommendations)
    crafts = [r for r in recommendations if "crafts-led-innovation" in r["policy_areas"]]
    assert len(crafts) >= 5
    assert all("sustainable-manufacturing-dpp" not in r["policy_areas"] for r in crafts)


def test_kosice_2024_workshop_is_the_neb_one_not_ai() -> None:
    kosice = [w for w in _list("workshops") if w["city"] == "kosice"]
    assert kosice and all("ai-and-cci" not in w["policy_areas"] for w in kosice)
    assert any(str(w.get("start")) == "2024-06-20" for w in kosice)


def test_uppakra_is_not_placed_in_lund() -> None:
    assert _by_id("organisations")["uppakra-archaeological-centre"]["based_in"] != "lund"


def test_people_are_not_cited_to_pages_that_do_not_name_them() -> None:
    wrong = {
        "peter-kisch": "https://www.futurebylund.se/en/projekt/ekip-en-policyplattform-for-kkn",
        "lars-mattiasson": "https://www.futurebylund.se/en/projekt/ekip-en-policyplattform-for-kkn",
        "laura-galante": "http://ekipengine.eu/bridging-the-gap-co-formulating-policies-for-creative-industries/",
        "katerina-kalimera": "https://www.news247.gr/oikonomia/egkainiazetai-i-knowledge-bank-apo-to-ekip/",
        "michal-hladky": "https://www.cike.sk/en/project/ekip-2/",
        "isabelle-verilhac": "https://citedudesign.com/fr/a-propos",
    }
    people = _by_id("people")
    for person, page in wrong.items():
        if person in people:
            assert page not in people[person]["sources"], person
    larsson = people["jesper-larsson"]
    if "malmo-opera" in larsson.get("member_of", []):
        assert (
            "https://www.futurebylund.se/en/nyheter/upplev-innovationslandskapet"
            in (larsson["sources"])
        )


def test_the_vocabularies_are_not_published_by_the_ekip_consortium() -> None:
    consortium = URIRef("https://w3id.org/ekip/id/organisation/ekip-consortium")
    for path in [LAYOUT.ontology_file, *LAYOUT.vocab_files()]:
        graph = Graph().parse(Path(path))
        assert (None, DCTERMS.publisher, consortium) not in graph, path
        assert any(graph.objects(None, DCTERMS.publisher)), path
