"""``ekipgraph new-case``: a new City Case Description with every field and a comment on each.

The scaffold parses as it is. What the author must still write (the title, the viewpoint,
the summary, the sources) is left empty, and ``ekipgraph validate`` lists exactly those
fields until they are filled in; no placeholder text can slip into the data unnoticed.
"""

from __future__ import annotations

import datetime as dt

from ekipgraph.cases.fields import is_valid_id

_TEMPLATE = """\
# City Case Description '{case_id}'. The format is explained in docs/authoring.md.
#
# Write only what the sources say, in your own words (summarise, never copy sentences).
# Every entity lists under `sources:` the URLs where its facts can be read; register each URL
# once in data/shared/sources.yaml with its kind (case-page, workshop-report, project-page,
# context-page). An optional key left empty, or left out, means "the sources do not say";
# list a key under `not_stated:` to record that the sources were read and do not say it.
# `ekipgraph validate` lists what is still missing, with file, line and column.

# The case's id: this file's name without .yaml.
id: {case_id}
# The title of the case page: a text (read as English) or {{en: "...", sv: "..."}}.
title: {{en: ""}}
# The city the case is about: an id from data/shared/cities.yaml.
city: {city}
# Policy areas the case addresses: ids from ontology/vocab/policy-area.ttl.
policy_areas: [{policy_area}]
# Cultural and creative sectors it concerns, if the source says: ontology/vocab/cci-sector.ttl.
sectors: []
# The year the case was published, if the source says (a number, e.g. 2025).
year:
# The address of the City Case Description page.
url:
# The policy assessment workshop that produced the case: an id from data/shared/workshops.yaml.
workshop:
# Policy labs, workshops, events or recommendations the case builds on: ids from data/shared/.
builds_on: []
# The day this file was written from its sources (YYYY-MM-DD).
recorded: {recorded}
# The case's statement of whose views it reflects (usually only the participants'), paraphrased.
viewpoint: {{en: ""}}
# The local context and area of focus, summarised in your own words.
summary: {{en: ""}}
# The draft recommendations the case tests: ids from data/shared/recommendations.yaml.
tests_recommendations: []
# Keys above that no source states, e.g. [viewpoint] when the page's statement cannot be read:
# a required key listed here may be left out (docs/authoring.md, "Not stated by the source").
not_stated: []
# Where the case's own facts can be read: URLs registered in data/shared/sources.yaml.
sources: []

# Who takes part in the case, and in which role; one entry per actor:
#   - actor: future-by-lund              # an organisation or person id from data/shared/
#     role: {{en: "co-led the workshop"}}  # optional
#     sources: [https://...]
actors: []

# The simulated innovation portfolio(s):
#   - id: heritage-immersive             # unique among this case's portfolios
#     title: {{en: "..."}}
#     description: {{en: "..."}}           # optional
#     sectors: []                        # cci-sector concepts
#     facets: []                         # opsi-facet concepts: adaptive, anticipatory, ...
#     actors: []                         # as above: actor, role, sources
#     sources: [https://...]
#     items:                             # the portfolio's ideas, projects and initiatives
#       - id: uppakra-storytelling       # unique among this case's items
#         kind: idea                     # idea | project | initiative
#         title: {{en: "..."}}
#         description: {{en: "..."}}       # optional
#         zone: yellow                   # innovation-zone concept: yellow | green | blue
#         facets: []                     # opsi-facet concepts
#         layer: layer-2                 # liept-layer concept: layer-1 ... layer-4
#         sectors: []                    # cci-sector concepts
#         actors: []                     # as above
#         sources: [https://...]
portfolios: []

# Resources and support the portfolio would need:
#   - id: immersive-test-facilities
#     resource_type: test-bed            # resource-type concept
#     status: available                  # available | partial | missing
#     for: heritage-immersive            # a portfolio or item id of this case
#     providers: []                      # organisation or person ids
#     description: {{en: "..."}}           # optional
#     sources: [https://...]
needs: []

# What the local support system offers well:
#   - id: creative-spaces
#     resource_type: facilities          # resource-type concept
#     description: {{en: "..."}}           # optional
#     sources: [https://...]
strengths: []

# What the local support system lacks (same fields as strengths):
gaps: []

# What the draft recommendation could stimulate locally:
#   - id: ai-collaboration
#     recommendation: ai-and-cci-small-actors-ai-capacity   # an id from recommendations.yaml
#     description: {{en: "..."}}           # optional
#     sources: [https://...]
stimuli: []
"""


def new_case(case_id: str, city: str, policy_area: str, recorded: dt.date | None = None) -> str:
    """The YAML text of a new case file (``data/cases/<case_id>.yaml``).

    ``recorded`` defaults to today. Raises ``ValueError`` for an id that is not a valid slug.
    """
    for label, value in (("case id", case_id), ("city", city), ("policy area", policy_area)):
        if not is_valid_id(value):
            raise ValueError(
                f"not a valid {label}: {value!r} "
                "(use lower-case letters and digits in words joined by hyphens)"
            )
    day = recorded or dt.date.today()
    return _TEMPLATE.format(
        case_id=case_id, city=city, policy_area=policy_area, recorded=day.isoformat()
    )
