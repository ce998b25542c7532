"""Structural validation: pydantic checks the shape, we put each error back on its YAML node.

pydantic reports an error at a ``loc`` such as ``("needs", 1, "status")``; the document knows
where that node starts, so the author reads ``cases/lund-ai.yaml:41:13: needs[1].status: …``.
The messages are rewritten for people who write YAML, not Python.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from pydantic import ValidationError

from ekipgraph.cases.fields import describe
from ekipgraph.cases.models import Model, child_model, keys_of
from ekipgraph.cases.problems import Problem, ProblemList
from ekipgraph.cases.yamlload import FieldPath, Position, YamlDocument, format_field


def validate_model(
    model: type[Model],
    data: Any,
    document: YamlDocument,
    problems: ProblemList,
    prefix: FieldPath = (),
) -> Model | None:
    """``data`` (found at ``prefix`` in ``document``) as a ``model``, or ``None`` after
    recording every structural problem."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            problems.append(_problem(detail, model, document, prefix))
        return None


def _problem(detail: Any, model: type[Model], document: YamlDocument, prefix: FieldPath) -> Problem:
    loc: FieldPath = tuple(detail["loc"])
    kind = detail["type"]
    context = detail.get("ctx") or {}
    value = detail.get("input")
    if loc and loc[-1] == "[key]":  # a bad key of a mapping: pydantic adds a marker
        loc = loc[:-1]
    path = (*prefix, *loc)
    at: Position
    if kind == "missing":
        at = document.value_position(path[:-1])
        message = "required field is missing"
    elif kind == "extra_forbidden":
        at = document.key_position(path)
        message = _unknown_key(loc[-1], _model_at(model, loc[:-1]))
    elif kind == "invalid_key":
        at = document.key_position(path)
        message = f"a key must be a word, not {describe(loc[-1] if loc else value)}"
    elif "key" in context and document.has((*path, context["key"])):
        path = (*path, context["key"])
        at = document.key_position(path)
        message = detail["msg"]
    elif "value_of" in context and document.has((*path, context["value_of"])):
        path = (*path, context["value_of"])
        at = document.value_position(path)
        message = detail["msg"]
    else:
        at = document.value_position(path)
        message = _message(kind, detail["msg"], value)
    return Problem(document.path, at.line, at.column, format_field(path), message)


def _model_at(model: type[Model] | None, loc: FieldPath) -> type[Model] | None:
    for part in loc:
        if model is None:
            return None
        if isinstance(part, str):
            model = child_model(model, part)
    return model


def _unknown_key(key: Any, model: type[Model] | None) -> str:
    keys = keys_of(model) if model else []
    close = difflib.get_close_matches(str(key), keys, n=1, cutoff=0.6)
    if close:
        return f"unknown key '{key}'; did you mean '{close[0]}'?"
    if keys:
        return f"unknown key '{key}'; expected one of: {', '.join(keys)}"
    return f"unknown key '{key}'"


def _message(kind: str, pydantic_message: str, value: Any) -> str:
    got = describe(value)
    if kind == "string_type":
        quote = isinstance(value, int | float | bool | dt.date)
        return f"expected text, got {got}" + ("; put it in quotes" if quote else "")
    if kind == "int_type":
        return f"expected a whole number, got {got}"
    if kind == "list_type":
        return f"expected a list, got {got}" + ("; write [] for none" if value is None else "")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping (key: value lines), got {got}"
    if pydantic_message.startswith("Input should be"):
        return "should be" + pydantic_message.removeprefix("Input should be")
    if pydantic_message[:1].isupper() and pydantic_message[1:2].islower():
        return pydantic_message[0].lower() + pydantic_message[1:]
    return pydantic_message
