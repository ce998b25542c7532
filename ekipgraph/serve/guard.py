"""What an operation may ask for, read from its tokens before any parser sees it.

Oxigraph's SPARQL parser and evaluator recurse: a query nested a few thousand levels deep
(``{{{…}}}``, ``FILTER((((…))))``, ``!!!…``, ``1+1+…``, long ``OPTIONAL`` or ``UNION`` chains)
overflows the stack and kills the process. ``scan`` is a small SPARQL tokenizer that knows
strings (short and long, with escapes), IRIs, comments and prefixed names, so that brackets,
operators and keywords are counted only where the parser would see them. From its tokens:

* ``nesting_depth`` bounds the depth of the tree the parser will build: every open bracket
  adds a level, and so does every operator or ``UNION``/``OPTIONAL``/``MINUS``/``BIND`` chained
  inside one bracket (they nest to the left);
* ``service_targets`` lists the ``SERVICE`` clauses (their IRI, or None for a variable), which
  the public endpoint refuses unless the operator allowed the IRI: a ``SERVICE`` clause makes
  the server fetch a URL of the caller's choosing;
* ``add_using`` writes the protocol's ``using-graph-uri``/``using-named-graph-uri`` into each
  ``DELETE``/``INSERT … WHERE`` as ``USING`` clauses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ekipgraph.serve.executor import EndpointError

#: IRIREF: no spaces, quotes, braces, pipes, carets, backquotes or backslashes inside.
_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_VARIABLE = re.compile(r"[?$][A-Za-z0-9_\u00b7\u00c0-\U000effff]+")
#: keywords, numbers, prefixed names, blank node labels (escapes as in PN_LOCAL_ESC)
_WORD = re.compile(
    r"(?:[A-Za-z0-9_:\u00b7\u00c0-\U000effff]|\\.|%[0-9A-Fa-f]{2})"
    r"(?:[A-Za-z0-9_:.\-\u00b7\u00c0-\U000effff]|\\.|%[0-9A-Fa-f]{2})*"
)
_OPERATORS = ("||", "&&", "!=", "<=", ">=", "^^")
#: tokens that deepen the tree when chained inside one bracket
_CHAINING = {"||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "!", "|", "^"}
_CHAINING_KEYWORDS = {"UNION", "OPTIONAL", "MINUS", "BIND"}
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = set(_OPEN.values())


@dataclass(frozen=True)
class Token:
    kind: str  # iri, string, var, word, pname, punct
    text: str
    start: int

    @property
    def keyword(self) -> str | None:
        return self.text.upper() if self.kind == "word" else None


def _string_end(text: str, start: int) -> int:
    """Index just past the string literal opening at ``start``."""
    quote = text[start]
    long_quote = text.startswith(quote * 3, start)
    index = start + (3 if long_quote else 1)
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if long_quote:
            if text.startswith(quote * 3, index):
                return index + 3
        elif char == quote:
            return index + 1
        elif char in "\r\n":  # a short string cannot span lines: the parser will refuse it
            return index
        index += 1
    return len(text)


def scan(text: str) -> Iterator[Token]:
    """The tokens of a SPARQL query or update, comments and whitespace left out."""
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char.isspace():
            index += 1
        elif char == "#":
            newline = min(
                (p for p in (text.find("\n", index), text.find("\r", index)) if p >= 0),
                default=length,
            )
            index = newline
        elif char in "\"'":
            end = _string_end(text, index)
            yield Token("string", text[index:end], index)
            index = end
        elif char == "<" and (match := _IRI.match(text, index)):
            yield Token("iri", match.group(), index)
            index = match.end()
        elif char in "?$" and (match := _VARIABLE.match(text, index)):
            yield Token("var", match.group(), index)
            index = match.end()
        elif match := _WORD.match(text, index):
            word = match.group().rstrip(".")  # a name never ends in '.': that is punctuation
            if ":" in word:
                yield Token("pname", word, index)
            else:
                # keywords never contain '.' or '-': read each piece as a word of its own
                offset = index
                for piece in re.split(r"([.\-])", word):
                    if piece in (".", "-"):
                        yield Token("punct", piece, offset)
                    elif piece:
                        yield Token("word", piece, offset)
                    offset += len(piece)
            index += len(word)
        else:
            operator = next((op for op in _OPERATORS if text.startswith(op, index)), char)
            yield Token("punct", operator, index)
            index += len(operator)


def nesting_depth(tokens: list[Token]) -> int:
    """An upper bound of the depth of the syntax tree the tokens make."""
    stack: list[int] = []  # per open bracket: operators chained inside it so far
    depth = deepest = 0
    for token in tokens:
        if token.kind == "punct" and token.text in _OPEN:
            stack.append(0)
            depth += 1
        elif token.kind == "punct" and token.text in _CLOSE:
            if stack:
                depth -= 1 + stack.pop()
        elif stack and (
            (token.kind == "punct" and token.text in _CHAINING)
            or token.keyword in _CHAINING_KEYWORDS
        ):  # outside brackets (SELECT *) nothing nests
            stack[-1] += 1
            depth += 1
        deepest = max(deepest, depth)
    return deepest


def service_targets(tokens: list[Token]) -> list[str | None]:
    """The IRI of every SERVICE clause (None when the target is a variable or unreadable)."""
    targets: list[str | None] = []
    for position, token in enumerate(tokens):
        if token.keyword != "SERVICE":
            continue
        following = tokens[position + 1 : position + 3]
        if following and following[0].keyword == "SILENT":
            following = following[1:]
        target = following[0] if following else None
        targets.append(target.text[1:-1] if target is not None and target.kind == "iri" else None)
    return targets


def check_operation(
    text: str, max_depth: int, allowed_services: frozenset[str] = frozenset()
) -> list[Token]:
    """Refuse (400) an operation nested deeper than ``max_depth`` or calling a SERVICE that
    is not in ``allowed_services``; return its tokens."""
    tokens = list(scan(text))
    depth = nesting_depth(tokens)
    if depth > max_depth:
        raise EndpointError(
            400,
            f"the query nests {depth} levels deep (brackets, and operators or UNION/OPTIONAL/"
            f"MINUS/BIND chained inside one bracket); this endpoint's limit is {max_depth}",
        )
    for target in service_targets(tokens):
        if target is None or target not in allowed_services:
            named = "a variable endpoint" if target is None else f"<{target}>"
            allowed = (
                "this endpoint allows no SERVICE calls"
                if not allowed_services
                else "it allows " + ", ".join(f"<{iri}>" for iri in sorted(allowed_services))
            )
            raise EndpointError(
                400, f"SERVICE {named} is refused: federated queries reach other servers; {allowed}"
            )
    return tokens


def add_using(
    text: str, tokens: list[Token], default: tuple[str, ...], named: tuple[str, ...]
) -> str:
    """``text`` with USING clauses for the protocol's dataset before each top-level WHERE of
    a DELETE/INSERT operation; 400 when the update already says USING or WITH."""
    if any(token.keyword in ("USING", "WITH") for token in tokens):
        raise EndpointError(
            400,
            "using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH "
            "in the update itself",
        )
    clauses = " ".join(
        [f"USING <{iri}>" for iri in default] + [f"USING NAMED <{iri}>" for iri in named]
    )
    insert_at: list[int] = []
    depth = 0
    modifies = False  # the current operation has a DELETE or INSERT template
    for index, token in enumerate(tokens):
        if token.kind == "punct" and token.text in _OPEN:
            depth += 1
        elif token.kind == "punct" and token.text in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and token.kind == "punct" and token.text == ";":
            modifies = False
        elif depth == 0 and token.keyword in ("DELETE", "INSERT"):
            modifies = True
        elif (
            depth == 0
            and token.keyword == "WHERE"
            and modifies
            # DELETE WHERE { … } takes no USING; DELETE { … } / INSERT { … } … WHERE does
            and tokens[index - 1].keyword != "DELETE"
        ):
            insert_at.append(token.start)
    for position in reversed(insert_at):
        text = text[:position] + clauses + " " + text[position:]
    return text
