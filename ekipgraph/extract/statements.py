"""Statements of needs, strengths and gaps, found by cue patterns per language.

Each clause of the text (sentences split where they turn: "but", "men", "maar", "mais",
"ale", "ma") is tested against the cue patterns of its language. A strong cue ("lack of",
"brist på", "gebrek aan", "manque de", "chýba", "mancanza di", "need for", "behov av")
makes a statement alone; a weak one ("few", "strong", "must") only when the clause also
names a resource. Of several kinds in one clause the strongest cue wins (on a tie: gap,
need, strength); a strength cue under a negation ("not strong") is a gap.

The resource type is the resource-type concept the clause names (the most specific, by
the scheme's hierarchy), else the type whose cue words the clause uses most ("studio
space" -> facilities, "investors" -> funding).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from ekipgraph.extract.matching import Mention
from ekipgraph.extract.tokens import Span, Token, clauses, fold, within


def _cues(block: str) -> list[tuple[str, int]]:
    """Lines of "weight pattern" -> [(pattern, weight)]."""
    pairs = []
    for line in block.strip().splitlines():
        weight, pattern = line.strip().split(" ", 1)
        pairs.append((pattern, int(weight)))
    return pairs


def _stems(block: str) -> tuple[str, ...]:
    """Stems separated by "|" (a stem may contain spaces)."""
    return tuple(stem.strip() for stem in block.split("|") if stem.strip())


# Cue patterns on folded text, one per line: weight, then the regular expression.
# Weight 2 is enough alone; weight 1 needs a resource named in the same clause.
CUES: dict[str, dict[str, list[tuple[str, int]]]] = {
    "gap": {
        "en": _cues(
            r"""
            1 \brare\b
            2 \bleave(?:s)? for\b
            1 \bunclear\b
            1 \blow\b
            1 \bhampers?\b
            2 \black(?:s|ing)?\b
            2 \bshortage
            2 \bmissing\b
            2 \babsence of\b
            2 \bthere (?:is|are) (?:no|little|hardly)\b
            2 \binsufficient\b
            2 \btoo (?:few|little)\b
            2 \bnot enough\b
            2 \bbrain drain\b
            2 \b(?:move|moves|moving|leave|leaves) (?:away|the)\b
            2 \bunder-?developed\b
            1 \bhard to\b
            1 \bdifficult to\b
            1 \bbarriers?\b
            1 \bweak\b
            1 \blimited\b
            2 \bscarce\b
            2 \bno (?:\w+ )?(?:place|space|funding|support|access|venue)
            1 \bfew\b
            1 \bstruggle
            1 \bgaps?\b
            """
        ),
        "sv": _cues(
            r"""
            1 \boklar(?:t|a)?\b
            1 \bsallsynt\w*
            1 \blag(?:a|t)?\b
            1 \bforsvarar\b
            2 \bbrist(?:er|en)? pa\b
            2 \bbrist
            2 \bsaknas\b
            2 \bsaknar\b
            2 \bfinns (?:det )?(?:ingen|inget|inga|fa|knappt)\b
            2 \bfor (?:fa|lite)\b
            2 \botillracklig
            2 \binte tillrackligt
            2 \bflyttar (?:bort|ifran|fran)\b
            2 \blamnar\b
            1 \bsvart att\b
            1 \bhinder\b
            1 \bsvag(?:t|a)?\b
            1 \bbegransad
            2 \boutvecklad
            1 \bfa\b
            """
        ),
        "nl": _cues(
            r"""
            1 \bonduidelijk\w*
            1 \bzeldza\w*
            1 \blaag\b
            1 \bbemoeilijkt\b
            2 \bgebrek aan\b
            2 \bontbre(?:ekt|ken)\b
            2 \btekort
            2 \bte weinig\b
            2 \bonvoldoende\b
            2 \ber is (?:geen|weinig)\b
            2 \bvertrekken\b
            2 \btrekken weg\b
            2 \bonderontwikkeld
            1 \bmoeilijk om\b
            1 \bmoeilijk\b
            1 \bdrempels?\b
            1 \bzwak(?:ke)?\b
            1 \bbeperkt
            1 \bweinig\b
            1 \bgeen\b
            """
        ),
        "fr": _cues(
            r"""
            1 \bflou(?:e|s|es)?\b
            1 \brare(?:s)?\b
            1 \bbas(?:se)?\b
            1 \bfreine(?:nt)?\b
            2 \bmanque(?:nt)?\b
            2 \bpenurie
            2 \babsence d
            2 \binsuffisant
            2 \btrop peu\b
            2 \bil n.y a (?:pas|guere|aucun)
            2 \bquittent\b
            1 \bpartent\b
            2 \bfaute d
            1 \bpeu de\b
            1 \bdifficile\b
            1 \bobstacles?\b
            1 \bfaibles?\b
            1 \blimite(?:e|s|es)?\b
            1 \baucun(?:e)?\b
            1 \bfreins?\b
            """
        ),
        "sk": _cues(
            r"""
            1 \bnejasn\w*
            1 \bzriedk\w*
            1 \bnizk\w*
            1 \bstazuj\w*
            2 \bchyb(?:a|aju|al|ali|at)\b
            2 \bnedostat(?:ok|ku|kom)\b
            2 \bnedostatocn
            2 \bodchadza(?:ju)?\b
            2 \bneexistuje\b
            1 \bmalo\b
            1 \bslab
            1 \btazk
            1 \bprekazk
            1 \bziadn
            1 \bobmedzen
            2 \bnerozvinut
            1 \bneskor
            """
        ),
        "it": _cues(
            r"""
            1 \bpoco chiar\w*
            1 \brar[oaie]\b
            1 \bbass[oa]\b
            1 \bostacola\w*
            2 \bmancanza\b
            2 \bmanca(?:no)?\b
            2 \bcarenza\b
            2 \bscarsita\b
            2 \binsufficient
            2 \bnon c.e\b
            2 \blasciano\b
            2 \bse ne vanno\b
            2 \btroppo poch
            1 \bpoch[ie]\b
            1 \bpoco\b
            1 \bdeboli?\b
            1 \bdifficile\b
            1 \bostacol
            1 \bnessun
            1 \blimitat
            """
        ),
    },
    "need": {
        "en": _cues(
            r"""
            2 \bneed(?:s|ed)?\b
            2 \brequire(?:s|d)?\b
            2 \bcalls? for\b
            2 \bwould benefit from\b
            1 \bdepends? on\b
            1 \bmust\b
            1 \bshould\b
            1 \blooking for\b
            1 \bwants?\b
            """
        ),
        "sv": _cues(
            r"""
            2 \bbehov(?:et)? av\b
            2 \bbehov\b
            2 \bbehover\b
            2 \bbehovs\b
            2 \bkraver\b
            2 \bkravs\b
            2 \bskulle behova\b
            1 \bmaste\b
            1 \befterfragar\b
            """
        ),
        "nl": _cues(
            r"""
            2 \bbehoefte aan\b
            2 \bnodig\b
            2 \bvereist\b
            2 \bvraagt om\b
            2 \bzou baat hebben\b
            1 \bmoet(?:en)?\b
            1 \bzou(?:den)? moeten\b
            """
        ),
        "fr": _cues(
            r"""
            2 \bbesoins? d
            2 \bbesoin\b
            2 \bnecessite
            2 \bil faut\b
            2 \bfaudrait\b
            2 \brequiert\b
            1 \bdoi(?:t|vent)\b
            1 \bdemande(?:nt)?\b
            """
        ),
        "sk": _cues(
            r"""
            2 \bpotreb\w*
            2 \bpotreb(?:uje|uju|a|u|ne|ny|ovat|ovali)\b
            2 \bpotrebn
            2 \bvyzaduj
            2 \btreba\b
            1 \bmusi(?:a)?\b
            """
        ),
        "it": _cues(
            r"""
            2 \bbisogno\b
            2 \bnecessit
            2 \bnecessari
            2 \bserv(?:e|ono|irebbe|irebbero)\b
            2 \brichied
            2 \boccorr
            1 \bdovrebbe(?:ro)?\b
            """
        ),
    },
    "strength": {
        "en": _cues(
            r"""
            2 \bwell[- ]equipped\b
            1 \battracts?\b
            1 \boffers?\b
            1 \bstrong\b
            2 \bstrengths?\b
            2 \bwell[- ]developed\b
            2 \bthriving\b
            2 \bvibrant\b
            2 \bworld[- ]class\b
            2 \brenowned\b
            2 \bexcellent\b
            2 \basset\b
            2 \badvantage\b
            2 \bcan (?:rely|draw|count) on\b
            2 \bbenefits? from\b
            2 \bwell[- ]connected\b
            1 \brich\b
            2 \bplenty of\b
            1 \bleading\b
            1 \bestablished\b
            2 \bgood access\b
            1 \bactive\b
            """
        ),
        "sv": _cues(
            r"""
            1 \blockar\b
            1 \berbjuder\b
            2 \bvalutrustad\w*
            1 \bstark(?:t|a)?\b
            2 \bstyrk(?:a|or|an)\b
            2 \bvalutveckla
            1 \blevande\b
            1 \bledande\b
            2 \bframstaende\b
            1 \btillgang\b
            2 \bfordel
            2 \bkan luta sig mot\b
            2 \bgod tillgang\b
            2 \bgott om\b
            1 \betablerad
            1 \brik(?:t|a)?\b
            1 \baktiv(?:t|a)?\b
            2 \bvarldsledande\b
            """
        ),
        "nl": _cues(
            r"""
            2 \bgoed uitgerust\w*
            1 \btrekt\b
            1 \bbiedt\b
            1 \bsterk(?:e)?\b
            2 \bkracht(?:en)?\b
            2 \bgoed ontwikkeld
            2 \bbloeiend
            2 \blevendig
            2 \btoonaangevend
            2 \btroef\b
            2 \bvoordeel\b
            2 \bgoede toegang\b
            2 \bkan rekenen op\b
            1 \brijk(?:e)?\b
            1 \bgevestigd
            1 \bactiev?e?\b
            """
        ),
        "fr": _cues(
            r"""
            1 \b(?:tres |bien )?developpe(?:e|s|es)?\b
            1 \battire\b
            1 \boffre\b
            1 \bforte?s?\b
            1 \bforces?\b
            2 \batouts?\b
            1 \bdynamique\b
            1 \briches?\b
            2 \brepute
            1 \breconnu
            2 \bavantage
            2 \bbien developpe
            2 \bexcellent
            2 \bpeu(?:t|vent) compter sur\b
            2 \bbon acces\b
            2 \bvivier\b
            2 \bpoint fort\b
            2 \bpoints forts\b
            """
        ),
        "sk": _cues(
            r"""
            2 \bdobre vybaven\w*
            1 \bpritahuje\b
            1 \bponuka\b
            1 \bsiln
            2 \bsilnou strankou\b
            2 \bvyhod
            1 \bbohat
            1 \brozvinut
            1 \bziv(?:a|e|u|y)\b
            2 \bpopredn
            2 \bmoze sa oprie
            2 \bdobry pristup\b
            1 \betablovan
            1 \buspesn
            1 \baktivn
            2 \bsilnou\b
            """
        ),
        "it": _cues(
            r"""
            2 \bben attrezzat\w*
            1 \bsviluppat\w*
            1 \battira\b
            1 \boffre\b
            1 \bfort[ei]\b
            2 \bpunt[oi] di forza\b
            1 \bricc[oahe]\b
            2 \bvivac
            2 \brinomat
            2 \beccellen
            2 \bvantaggi
            2 \bben svilupp
            2 \bpuo contare su\b
            2 \bbuon accesso\b
            1 \baffermat
            1 \battiv[oaie]\b
            """
        ),
    },
}

_NEGATION = {
    "en": r"\b(?:not|no|hardly|lacks?|lack of)\s+(?:\w+\s+)?$",
    "sv": r"\b(?:inte|ej|inga|ingen|knappast)\s+(?:\w+\s+)?$",
    "nl": r"\b(?:niet|geen|nauwelijks)\s+(?:\w+\s+)?$",
    "fr": r"\b(?:pas|peu|guere|ne)\s+(?:\w+\s+)?$",
    "sk": r"\b(?:nie|nie je|ziadn\w*)\s+(?:\w+\s+)?$",
    "it": r"\b(?:non|poco|nessun\w*)\s+(?:\w+\s+)?$",
}

# Folded word beginnings that point to a resource type, in any of the six languages.
RESOURCE_CUES: dict[str, tuple[str, ...]] = {
    "funding": _stems(
        """
        fund | grant | money | financ | invest | subsid | budget | capital | sponsor |
        pengar | bidrag | anslag | finansi | geld | subsidie | argent | subvention | peniaz
        | penazi | dotaci | dotac | financov | finanz | fondi | soldi | investi | grantov
        """
    ),
    "facilities": _stems(
        """
        space | premise | studio | venue | room | workspace | building | lokal | ruimte |
        werkplek | atelier | locaux | espace | salle | priestor | budov | miestnost | spazi
        | sede | edifici | hall | scen | podium | infrastruct | infrastrukt | infrastrutt |
        faciliteit | facilit | kontor | bureau
        """
    ),
    "talent": _stems(
        """
        talent | talang | young people | graduates | retain | retention | brain | flyttar |
        behalla | vertrek | quittent | odchadza | lasciano | absolvent | diplom | laureat |
        mlad | giovani | jongeren | unga | jeunes
        """
    ),
    "skills": _stems(
        """
        skill | competen | training | expertise | know-how | kompeten | utbildning |
        kunnande | vaardigh | opleiding | formation | savoir | zrucnost | vzdelav |
        odbornost | formazion | abilit | competenz | kurs | cursus | cours | corsi |
        workshop | educat
        """
    ),
    "networks-intermediaries": _stems(
        """
        network | collaborat | cooperat | partnership | meeting place | communit | contact |
        natverk | samarbet | motesplats | netwerk | samenwerk | ontmoet | reseau | partenari
        | rencontre | siet | spoluprac | komunit | kontakt | collabor | cooperaz | comunit |
        incontr | intermedia | cluster | klaster | meetup | stretnut
        """
    ),
    "incubation-business-support": _stems(
        """
        incubat | accelerat | mentor | coach | business support | advice | advisory |
        radgivning | affarsstod | inkubat | begeleid | accompagn | conseil | poradenst |
        podpor | consulenz | tutor | start-up | startup
        """
    ),
    "regulation-legal-support": _stems(
        """
        law | legal | regulat | bureaucra | red tape | permit | jurid | byrakrat | tillstand
        | regel | juridisch | regelgev | vergunning | reglement | administrat | permis |
        pravn | byrokrac | legisl | zakon | povolen | giuridic | burocraz | normativ |
        permess | legge
        """
    ),
    "intellectual-property": _stems(
        """
        copyright | intellectual property | upphovsr | auteursrecht | droit d'auteur |
        droits d'auteur | autorsk | diritto d'autore | diritti d'autore | licens | licenc |
        licenz
        """
    ),
    "data-digital-infrastructure": _stems(
        """
        data | broadband | server | computing | cloud | gpu | bredband | datorkraft |
        rekenkracht | donnee | calcul | vypoct | dati | calcolo | banda larga
        """
    ),
    "market-access-visibility": _stems(
        """
        visib | market | audience | export | promot | customer | client | synlig | marknad |
        publik | kund | zichtbaar | markt | publiek | klant | marche | viditeln | trh |
        zakazn | mercat | pubblic | clien | buyer | kopare | acheteur | kupc | acquirent
        """
    ),
    "knowledge-evidence": _stems(
        """
        knowledge | research | evidence | statistic | study | studies | kunskap | forskning
        | kennis | onderzoek | connaissance | recherche | etude | znalost | vyskum | studi |
        conoscenz | ricerca | evidenz | mapping | kartl
        """
    ),
    "test-bed": _stems(
        """
        test | pilot | try out | prototyp | testbadd | experiment | testov | sperimen |
        prova | provare
        """
    ),
}
# Each resource type's one-word stems as one pattern: at the start of a word, and (for the
# compounding languages) anywhere in it for stems of five letters or more.
_STEM_PATTERNS = {
    resource: (
        re.compile("|".join(re.escape(s) for s in stems if " " not in s)),
        re.compile("|".join(re.escape(s) for s in stems if " " not in s and len(s) >= 5) or "(?!)"),
    )
    for resource, stems in RESOURCE_CUES.items()
}
PARTIAL_CUES = (
    r"\b(?:partly|partially|some|limited|delvis|viss|gedeeltelijk|deels|beperkt|"
    r"partiellement|en partie|ciastocne|sciastocne|parzialmente|in parte)\b"
)
AVAILABLE_CUES = (
    r"\b(?:available|exists?|already has|finns redan|tillganglig|beschikbaar|bestaat al|"
    r"disponible|existe deja|dostupn|existuje|disponibil|esiste gia)\b"
)


@dataclass(frozen=True)
class Statement:
    kind: str  # "need", "strength" or "gap"
    start: int
    end: int
    text: str
    cue: str
    resource_type: str | None
    resource_evidence: str | None
    resource_span: tuple[int, int] | None  # where resource_evidence stands in the text
    status: str | None  # for needs: available | partial | missing, when the words say
    confidence: float


def find_statements(
    text: str,
    tokens: list[Token],
    mentions: list[Mention],
    sentence_spans: list[Span],
    language: str,
    broader: dict[str, str],
) -> list[Statement]:
    """Every clause of ``text`` that states a need, a strength or a gap."""
    statements = []
    starts = [token.start for token in tokens]
    resources = sorted(
        (m for m in mentions if m.entry.scheme == "resource-type"), key=lambda m: m.start
    )
    resource_starts = [m.start for m in resources]
    for sentence in sentence_spans:
        for clause in clauses(text, sentence, language):
            words = within(tokens, starts, clause.start, clause.end)
            named = resources[
                bisect_left(resource_starts, clause.start) : bisect_left(
                    resource_starts, clause.end
                )
            ]
            statement = _classify(text, clause, words, named, language, broader)
            if statement is not None:
                statements.append(statement)
    return statements


def _classify(
    text: str,
    clause: Span,
    tokens: list[Token],
    mentions: list[Mention],
    language: str,
    broader: dict[str, str],
) -> Statement | None:
    raw = text[clause.start : clause.end]
    folded = fold(raw)
    found: dict[str, tuple[int, str]] = {}
    for kind, per_language in CUES.items():
        for pattern, weight in per_language.get(language, []):
            for match in re.finditer(pattern, folded):
                if kind == "strength" and re.search(
                    _NEGATION.get(language, _NEGATION["en"]), folded[: match.start()]
                ):
                    kind_found = "gap"
                else:
                    kind_found = kind
                best = found.get(kind_found)
                if best is None or weight > best[0]:
                    found[kind_found] = (weight, match.group())
    if not found:
        return None
    resource, evidence, from_concept, where = _resource(
        folded, clause, tokens, mentions, broader, language
    )
    # The strongest cue decides; on equal strength a gap, then a need, then a strength.
    order = ("gap", "need", "strength")
    kind = max(found, key=lambda k: (found[k][0], -order.index(k)))
    weight, cue = found[kind]
    if weight + (1 if resource else 0) < 2:
        return None  # a weak cue, and no resource named
    confidence = (
        0.35 + (0.15 if weight >= 2 else 0) + (0.2 if from_concept else 0.1 * bool(resource))
    )
    status = _status(folded, kind) if kind == "need" else None
    return Statement(
        kind,
        clause.start,
        clause.end,
        raw,
        cue,
        resource,
        evidence,
        where,
        status,
        round(confidence, 2),
    )


def _resource(
    folded: str,
    clause: Span,
    tokens: list[Token],
    mentions: list[Mention],
    broader: dict[str, str],
    language: str,
) -> tuple[str | None, str | None, bool, tuple[int, int] | None]:
    """The resource type the clause is about, the words that say so, and whether those
    words are a label of the concept (rather than a cue word)."""
    named = mentions  # the clause's resource-type mentions
    if named:
        keys = [m.entry.key for m in named]
        # the most specific: a concept none of the others is narrower than
        specific = [k for k in keys if not any(broader.get(other) == k for other in keys)]
        key = specific[0]
        mention = next(m for m in named if m.entry.key == key)
        return key, mention.text, True, (mention.start, mention.end)
    words = tokens  # the clause's tokens
    compounding = language in ("sv", "nl")
    scores: dict[str, tuple[int, int, Token]] = {}
    for position, token in enumerate(words):
        for resource, stems in RESOURCE_CUES.items():
            prefix, inner = _STEM_PATTERNS[resource]
            hit = bool(prefix.match(token.fold) or prefix.match(token.lemma))
            # Swedish and Dutch write compounds as one word ("konsertlokaler")
            hit = hit or bool(compounding and inner.search(token.fold))
            if not hit:
                hit = any(
                    token.fold == stem.split()[0] and stem in folded
                    for stem in stems
                    if " " in stem
                )
            if hit:
                count, first, word = scores.get(resource, (0, position, token))
                scores[resource] = (count + 1, first, word)
    if not scores:
        return None, None, False, None
    resource, (_, _, word) = max(scores.items(), key=lambda item: (item[1][0], -item[1][1]))
    return resource, word.text, False, (word.start, word.end)


def _status(folded: str, kind: str) -> str | None:
    if re.search(PARTIAL_CUES, folded):
        return "partial"
    if re.search(AVAILABLE_CUES, folded):
        return "available"
    return None
