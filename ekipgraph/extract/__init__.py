"""From prose to a draft case: ``ekipgraph extract``.

The pipeline, one module per step::

    intake      a text, Markdown or HTML file -> the text analysed (HTML: its main text)
    language    which of en, sv, nl, fr, sk, it it is in (lingua, checked with simplemma)
    lexicon     what the graph knows: SKOS labels of the schemes, names in data/shared/
    tokens      words with offsets, folded and lemmatised (simplemma); sentences, clauses
    matching    known entities and concepts in the text (exact, lemma, fuzzy: rapidfuzz)
    candidates  organisations and people the graph does not know yet, typed by cue words
    statements  needs, strengths and gaps, by cue patterns, tied to a resource type
    areas       policy areas a text is about by the distinctive words of their labels
    pipeline    the steps above for a list of files
    draft       the draft case YAML, each suggestion commented with confidence and span
    annotations W3C Web Annotations from each suggestion to its span
    run         the command: inputs in, draft and annotations out (never into data/)
    evaluation  precision and recall on annotated texts (``make eval``)
"""
