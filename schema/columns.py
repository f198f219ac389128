"""Introspection of the table models: one ``Column`` per field, used by every generator."""

from __future__ import annotations

import inspect
import types
import typing
from dataclasses import dataclass
from datetime import date
from enum import Enum

from annotated_types import Ge, MinLen
from pydantic.fields import FieldInfo

from .tables import Table


@dataclass(frozen=True)
class Column:
    """What the generators need to know about one column."""

    name: str
    kind: str  # "string" | "integer" | "number" | "boolean" | "date"
    nullable: bool
    description: str
    enum: tuple[str, ...] | None
    pattern: str | None
    minimum: int | None
    min_length: int | None


def _unwrap(annotation: object) -> tuple[object, bool, list[object]]:
    """Strip ``Annotated[X, ...] | None`` to ``(X, True, metadata)``."""
    nullable = False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            annotation, nullable = args[0], True
    metadata: list[object] = []
    if typing.get_origin(annotation) is typing.Annotated:
        annotation, *extra = typing.get_args(annotation)
        for e in extra:
            metadata.extend(e.metadata if isinstance(e, FieldInfo) else [e])
    return annotation, nullable, metadata


def _kind(tp: object) -> tuple[str, tuple[str, ...] | None]:
    if isinstance(tp, type) and issubclass(tp, Enum):
        return "string", tuple(m.value for m in tp)
    if tp is str:
        return "string", None
    if tp is int:
        return "integer", None
    if tp is float:
        return "number", None
    if tp is bool:
        return "boolean", None
    if tp is date:
        return "date", None
    raise TypeError(f"unsupported column type {tp!r}")


def _constraints(metadata: list[object]) -> tuple[str | None, int | None, int | None]:
    pattern = minimum = min_length = None
    for m in metadata:
        if isinstance(m, Ge):
            minimum = m.ge
        elif isinstance(m, MinLen):
            min_length = m.min_length
        elif getattr(m, "pattern", None):
            pattern = m.pattern
    return pattern, minimum, min_length


def columns(model: type[Table]) -> list[Column]:
    """The columns of a table model, in order."""
    out = []
    for name, info in model.model_fields.items():
        tp, nullable, inner = _unwrap(info.annotation)
        kind, enum = _kind(tp)
        pattern, minimum, min_length = _constraints([*info.metadata, *inner])
        if not info.description:
            raise ValueError(f"{model.table_name}.{name} has no description")
        out.append(Column(name, kind, nullable, info.description, enum, pattern, minimum, min_length))
    return out


def table_description(model: type[Table]) -> str:
    """What a row of the table is: the model's docstring without its source indentation (which would
    show in JSON and turn a Markdown paragraph into a code block)."""
    return inspect.cleandoc(model.__doc__ or "")
