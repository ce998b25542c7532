"""Reading YAML into plain Python data plus the line and column of every node.

ruamel.yaml composes the document into nodes that carry their start marks; we build the
plain data ourselves from those nodes instead of letting a constructor do it, because then

- every key *and* every value has a position (round-trip ``.lc`` has none for null values),
- every duplicate key is reported, not only the first,
- aliases that loop or explode ("billion laughs") are caught instead of hanging,
- it is about a third faster than a round-trip load of the same text.

Whatever the input, the result is a ``YamlDocument`` or problems; never an exception.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from ekipgraph.cases.inputs import (
    CASE_FILE_LIMITS,
    MAX_DEPTH,
    InputLimits,
    read_input_text,
    text_problem,
)
from ekipgraph.cases.problems import ProblemList

try:  # libyaml, through ruamel.yaml's C extension
    import _ruamel_yaml  # noqa: F401

    _HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - the pure parser gives the same nodes, slower
    _HAVE_LIBYAML = False

FieldPath = tuple[str | int, ...]

# The scalar types the format uses; anything else (binary, sets, !custom) is refused.
_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{name}" for name in ("str", "null", "bool", "int", "float", "timestamp")}
_MERGE_TAG = f"{_TAG}merge"
_STR_TAG = f"{_TAG}str"
# Aliases can make a small file expand into a huge tree; no real file comes near this.
_MAX_NODES = 100_000


class _DocumentResolver(VersionedResolver):
    """ruamel.yaml's resolver, with the implicit resolvers of the document's YAML version
    found once a document: ruamel finds them twice for every scalar (a third of the time
    of reading a case file). The version is known before the first scalar: a ``%YAML``
    directive comes before the document."""

    _found: Any = None

    @property
    def versioned_resolver(self) -> Any:
        if self._found is None:
            self._found = super().versioned_resolver
        return self._found


@dataclass(frozen=True)
class Position:
    """A 1-based line and column."""

    line: int
    column: int


@dataclass(frozen=True)
class Spot:
    """Where a mapping entry's key (or a sequence item) starts, and where its value starts."""

    key: Position
    value: Position


@dataclass
class YamlDocument:
    """A parsed YAML file: its plain data and the position of every node in it."""

    path: Path
    data: Any
    spots: dict[FieldPath, Spot] = field(default_factory=dict)

    def value_position(self, path: FieldPath) -> Position:
        """Where the value at ``path`` starts (or its nearest ancestor, if it has none)."""
        spot = self._nearest(path)
        return spot.value if spot else Position(1, 1)

    def key_position(self, path: FieldPath) -> Position:
        """Where the key of the entry at ``path`` starts (the item itself in a sequence)."""
        spot = self._nearest(path)
        return spot.key if spot else Position(1, 1)

    def has(self, path: FieldPath) -> bool:
        return path in self.spots

    def _nearest(self, path: FieldPath) -> Spot | None:
        while path not in self.spots and path:
            path = path[:-1]
        return self.spots.get(path)


def format_field(path: FieldPath) -> str:
    """``("needs", 2, "status")`` -> ``needs[2].status``."""
    text = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _position(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


class _Abort(Exception):
    """Stops building one document; the problem has been recorded already."""


class _Builder:
    def __init__(self, yaml: YAML, path: Path, problems: ProblemList) -> None:
        self.yaml = yaml
        self.path = path
        self.problems = problems
        self.spots: dict[FieldPath, Spot] = {}
        self.built: set[int] = set()
        self.expanded = 0

    def fail(self, mark: Any, message: str, field_path: FieldPath = ()) -> None:
        where = _position(mark)
        self.problems.add(self.path, where.line, where.column, format_field(field_path), message)

    def build(self, node: Node, path: FieldPath, active: frozenset[int]) -> Any:
        # Only values reached again through an alias count: a long file written out plainly
        # (a shared file of 20,000 organisations) is not an alias bomb.
        if id(node) in self.built:
            self.expanded += 1
        else:
            self.built.add(id(node))
        if self.expanded > _MAX_NODES:
            self.fail(
                node.start_mark,
                f"the document expands to more than {_MAX_NODES} values "
                "(through aliases?); write it out plainly",
            )
            raise _Abort
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if len(path) >= MAX_DEPTH:
            too_deep = f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)"
            self.fail(node.start_mark, too_deep)
            raise _Abort
        if id(node) in active:
            self.fail(node.start_mark, "an alias refers to the value that contains it", path)
            raise _Abort
        active = active | {id(node)}
        if isinstance(node, SequenceNode):
            return self.sequence(node, path, active)
        if isinstance(node, MappingNode):
            return self.mapping(node, path, active)
        self.fail(node.start_mark, "unsupported YAML node", path)
        raise _Abort

    def scalar(self, node: ScalarNode, path: FieldPath) -> Any:
        tag = node.tag  # a property, made anew on every read
        if tag not in _SCALAR_TAGS:
            tag = str(tag).replace(_TAG, "!!")
            self.fail(
                node.start_mark, f"the YAML tag {tag} is not supported; write a plain value", path
            )
            return None
        if problem := text_problem(node.value):
            self.fail(node.start_mark, problem, path)
            return None
        if tag == _STR_TAG:
            return node.value  # what the constructor would return, without its overhead
        try:
            value = self.yaml.constructor.construct_object(node, deep=True)
        except Exception:  # ruamel raises KeyError, TypeError… for e.g. `!!bool maybe`
            # Looks like a date or number but is not one (2024-13-01): keep the text, so that
            # the field's own check says what is wrong with it.
            return node.value
        if isinstance(value, dt.datetime | dt.date | bool | int | float | str) or value is None:
            return value
        return str(value)

    def sequence(self, node: SequenceNode, path: FieldPath, active: frozenset[int]) -> list[Any]:
        self.check_tag(node, f"{_TAG}seq", path)
        items = []
        for index, child in enumerate(node.value):
            child_path = (*path, index)
            at = _position(child.start_mark)
            self.spots[child_path] = Spot(at, at)
            items.append(self.build(child, child_path, active))
        return items

    def mapping(self, node: MappingNode, path: FieldPath, active: frozenset[int]) -> dict[Any, Any]:
        self.check_tag(node, f"{_TAG}map", path)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                self.fail(
                    key_node.start_mark,
                    "merge keys (<<) are not supported; write the fields out",
                    path,
                )
                continue
            if not isinstance(key_node, ScalarNode):
                self.fail(
                    key_node.start_mark, "a key must be a plain word, not a list or a mapping", path
                )
                continue
            key = self.scalar(key_node, path)
            if isinstance(key, dt.date | float) or key is None:
                key = key_node.value  # a key like 2024-09-12 or ~ is meant as its text
            child_path = (*path, key)
            if key in result:
                first = self.spots[child_path].key
                self.fail(
                    key_node.start_mark,
                    f"duplicate key '{key}' (first given on line {first.line})",
                    child_path,
                )
                continue
            key_at = _position(key_node.start_mark)
            empty = isinstance(value_node, ScalarNode) and value_node.value == ""
            # An empty value has no text of its own; point at its key instead. (The C parser
            # gives a plain scalar the style '', the pure one None.)
            value_at = (
                key_at if empty and not value_node.style else _position(value_node.start_mark)
            )
            self.spots[child_path] = Spot(key_at, value_at)
            result[key] = self.build(value_node, child_path, active)
        return result

    def check_tag(self, node: Node, plain: str, path: FieldPath) -> None:
        if node.tag != plain:
            tag = str(node.tag).replace(_TAG, "!!")
            self.fail(node.start_mark, f"the YAML tag {tag} is not supported", path)


def _yaml_error_message(error: MarkedYAMLError) -> str:
    problem = (error.problem or str(error)).strip()
    if "'\\t'" in problem:
        return "a tab character: YAML is indented with spaces, not tabs"
    context = (error.context or "").strip()
    if not context or not error.context_mark:
        return f"malformed YAML: {problem}"
    start = _position(error.context_mark)
    if context.startswith("while"):  # "while parsing a flow sequence": where it began
        return (
            f"malformed YAML: {problem} ({context} that starts at line {start.line}, "
            f"column {start.column})"
        )
    return f"malformed YAML: {context}, {problem} (see line {start.line}, column {start.column})"


def _yaml(*, pure: bool) -> YAML:
    yaml = YAML(typ="safe", pure=pure)
    yaml.Resolver = _DocumentResolver
    return yaml


def parse_yaml_text(text: str, path: Path, problems: ProblemList) -> YamlDocument | None:
    """Parse ``text`` (read from ``path``); ``None`` when it is not usable YAML at all.

    The text is composed by libyaml (ruamel.yaml.clib) when it is installed: five times
    faster, the same nodes and marks. Text it rejects is parsed again by the pure-Python
    parser, whose error messages the authoring checks were written against.
    """
    root: Node | None = None
    yaml = _yaml(pure=not _HAVE_LIBYAML)
    try:
        with warnings.catch_warnings():
            # ruamel warns about legal oddities (a reused anchor); they are not the author's
            # problem and must not clutter the command's output.
            warnings.simplefilter("ignore")
            try:
                root = yaml.compose(text)
            except Exception:
                if not _HAVE_LIBYAML:
                    raise
                yaml = _yaml(pure=True)
                root = yaml.compose(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = _position(mark) if mark else Position(1, 1)
        problems.add(path, where.line, where.column, "", _yaml_error_message(error))
        return None
    except (YAMLError, RecursionError, ValueError) as error:
        problems.add(path, 1, 1, "", f"malformed YAML: {error}")
        return None
    if root is None:
        return YamlDocument(path, None, {(): Spot(Position(1, 1), Position(1, 1))})
    builder = _Builder(yaml, path, problems)
    start = _position(root.start_mark)
    builder.spots[()] = Spot(start, start)
    try:
        data = builder.build(root, (), frozenset())
    except _Abort:
        return None
    except MarkedYAMLError as error:  # a scalar the constructor rejects
        mark = error.problem_mark or error.context_mark
        where = _position(mark) if mark else Position(1, 1)
        problems.add(path, where.line, where.column, "", _yaml_error_message(error))
        return None
    except RecursionError:
        problems.add(path, start.line, start.column, "", "the YAML is nested too deeply")
        return None
    return YamlDocument(path, data, builder.spots)


def read_yaml_file(
    path: Path,
    problems: ProblemList,
    limits: InputLimits = CASE_FILE_LIMITS,
    root: Path | None = None,
) -> YamlDocument | None:
    """Read (through the input gate, see ``inputs``) and parse one file; unreadable files,
    bad encodings and oversized files become problems."""
    text = read_input_text(Path(path), problems, limits, root)
    if text is None:
        return None
    return parse_yaml_text(text, path, problems)
