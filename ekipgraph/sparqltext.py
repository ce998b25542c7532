"""SPARQL as people write it: the project's prefixes without declaring them, and syntax errors
that point at the place in the query.

Oxigraph takes the prefixes as a parameter (its ``prefixes=``), which keeps the user's line
numbers; rdflib takes them as ``initNs``. An endpoint of unknown make gets the declarations
the query lacks written before it, and the line numbers of its errors are shifted back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ekipgraph.prefixes import PREFIXES

# PREFIX declarations, read past comments, strings and IRIs by the caller's blanking.
_DECLARATION = re.compile(r"\bPREFIX\s+([^\s:]*):", re.IGNORECASE)
# Oxigraph lists whole Unicode character classes among what it expected; they say nothing
# to a person, so only the quoted tokens are kept.
_CHARACTER_CLASS = re.compile(r",?\s*\[[^\]]*\](?:\s*\|\s*\[[^\]]*\])*", re.S)
_POSITION = re.compile(r"(?:error )?at (\d+):(\d+):?\s*")
# A prefixed name's prefix: not inside a word, an IRI, a string or a variable.
_PREFIX_USE = re.compile(r"(?<![\w.:?$-])([A-Za-z][\w.-]*)?:(?=[\w\\%-]|\s|$)")


_TOKENS_WITH_TEXT = re.compile(
    r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\''
    r"|<[^<>\s\"{}|^`\\]*>|#[^\n]*"
)


def blank_out_literals(query: str) -> str:
    """The query with comments, strings and IRIs replaced by spaces (same length)."""
    return _TOKENS_WITH_TEXT.sub(lambda match: " " * len(match.group(0)), query)


def without_comments(query: str) -> str:
    """The query with its comments blanked out, strings and IRIs kept."""
    return _TOKENS_WITH_TEXT.sub(
        lambda match: " " * len(match.group(0)) if match.group(0)[0] == "#" else match.group(0),
        query,
    )


def declared_prefixes(query: str) -> set[str]:
    """The prefixes the query declares itself."""
    return {match.group(1) for match in _DECLARATION.finditer(blank_out_literals(query))}


def implicit_prefixes(query: str) -> dict[str, str]:
    """The project's prefixes the query does not declare (its own declarations win)."""
    own = declared_prefixes(query)
    return {prefix: iri for prefix, iri in PREFIXES.items() if prefix not in own}


def used_prefixes(query: str) -> set[str]:
    """The prefixes of the prefixed names the query writes (outside strings and IRIs)."""
    return {match.group(1) or "" for match in _PREFIX_USE.finditer(blank_out_literals(query))}


def with_prologue(query: str) -> tuple[str, int]:
    """The query with PREFIX lines for the project's prefixes it uses without declaring them,
    and how many lines were put before it. Only those it uses: a short query stays short
    enough to go as GET. A BASE or PREFIX of the query keeps working: the added lines come
    first and the query's own declarations follow and override them."""
    used = used_prefixes(query)
    added = {prefix: iri for prefix, iri in implicit_prefixes(query).items() if prefix in used}
    prologue = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in added.items())
    return prologue + query, len(added)


@dataclass(frozen=True)
class SyntaxProblem:
    """Where a query fails to parse and why, in words a person can act on."""

    reason: str
    line: int | None = None
    column: int | None = None
    text: str = ""

    def __str__(self) -> str:
        if self.line is None:
            return f"SPARQL syntax error: {self.reason}"
        lines = self.text.splitlines() or [""]
        shown = lines[self.line - 1] if 0 < self.line <= len(lines) else ""
        caret = " " * (max(self.column or 1, 1) - 1) + "^"
        return (
            f"SPARQL syntax error at line {self.line}, column {self.column}: {self.reason}\n"
            f"  {shown}\n  {caret}"
        )


def unknown_prefix_problem(query: str, line_offset: int = 0) -> SyntaxProblem | None:
    """The first prefixed name whose prefix neither the query nor the project declares."""
    known = declared_prefixes(query) | set(PREFIXES)
    text = blank_out_literals(query)
    for match in _PREFIX_USE.finditer(text):
        name = match.group(1) or ""
        if name in known or text[: match.start()].rstrip().upper().endswith("PREFIX"):
            continue
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        return SyntaxProblem(
            f"unknown prefix '{name}:'; declare it (PREFIX {name}: <...>) or use one of "
            "the project's prefixes (ekip, case, city, organisation, resource-type, prov, "
            "skos, ...: see docs/model.md)",
            line - line_offset,
            column,
            query,
        )
    return None


def syntax_problem(query: str, message: str, line_offset: int = 0) -> SyntaxProblem:
    """A parser's message made readable: position, the line with a caret, a short reason.
    An undeclared prefix is named as such, whatever the parser made of it."""
    unknown = unknown_prefix_problem(query)
    if unknown is not None:
        return unknown
    text = str(message).strip()
    match = _POSITION.search(text)
    line = column = None
    if match:
        line = int(match.group(1)) - line_offset
        column = int(match.group(2))
        text = (text[: match.start()] + text[match.end() :]).strip()
        if line < 1:
            line = column = None
    reason = _CHARACTER_CLASS.sub("", text)
    reason = re.sub(r"\s+", " ", reason).strip(" ,") or "the query does not parse"
    if len(reason) > 300:
        reason = reason[:297] + "..."
    return SyntaxProblem(reason, line, column, query)


def rdflib_syntax_problem(query: str, error: Exception) -> SyntaxProblem:
    """The same for rdflib's parser (pyparsing): its line and column, its message without
    the echo of the query."""
    line = getattr(error, "lineno", None)
    column = getattr(error, "col", None)
    unknown = unknown_prefix_problem(query)
    if unknown is not None:
        return unknown
    reason = str(getattr(error, "msg", "") or "the query does not parse")
    return SyntaxProblem(reason, line, column, query)
