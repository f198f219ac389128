"""The span layers of an annotation file and their features, derived from the models.

A layer is a list field of :class:`~diplonews.schema.annotation.AnnotationFile` whose items are
:class:`~diplonews.schema.annotation.Evidence` (they carry a quote: a span of the text); its features
are the entry model's other fields. A field whose metadata says ``refers_to`` holds a registry ID (a
link); one whose metadata says ``refers_to_local`` holds the local id of an entry of another layer of the
same file (a local link, e.g. ``source:`` -> an entry of ``sources``; it may allow a list of ids); an enum
field is a choice, a boolean a flag, a date a date; the rest are text. A layer added to the models later is
exported and imported with no new mapping code.
"""

from __future__ import annotations

import enum
import types
import typing
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from diplonews.schema.annotation import REFERS_TO, REFERS_TO_LOCAL, AnnotationFile, Evidence

SPAN_FIELDS = frozenset(Evidence.model_fields)
"""Fields of every entry that say where its span is (quote, occurrence): the span itself, not features."""

REGISTRY_LABELS = {"actors": "name", "events": "summary", "topics": "label"}
"""The field of each registry's entries that reads as a label for a person choosing an ID."""

NEW_PREFIX = "new:"
"""A link written ``new:<slug>`` names an actor or event the annotator created in the tool: it is kept,
and listed with the command that would register it, never registered silently."""


@dataclass(frozen=True)
class Feature:
    """One field of a layer's entries, as a tool sees it."""

    name: str
    kind: str  # "link" (a registry ID), "local" (local ids), "choice" (an enum value), "flag", "date" or "text"
    required: bool
    choices: tuple[str, ...] = ()
    refers_to: str | None = None  # a link's registry (actors, events, topics); a local link's layer (sources)
    description: str | None = None
    many: bool = False  # a (local) link that may hold a list of ids (independent sources, several addressees)


@dataclass(frozen=True)
class Layer:
    """A list of span entries of an annotation file (e.g. ``positions``)."""

    name: str  # the AnnotationFile field, e.g. actor_mentions
    label: str  # the span type tools show, e.g. ActorMention
    model: type[BaseModel]
    features: tuple[Feature, ...]

    def feature(self, name: str) -> Feature | None:
        """The feature called ``name``, or None."""
        return next((f for f in self.features if f.name == name), None)

    @property
    def links(self) -> tuple[Feature, ...]:
        """The features that hold registry IDs."""
        return tuple(f for f in self.features if f.kind == "link")

    @property
    def local_links(self) -> tuple[Feature, ...]:
        """The features that hold local ids of entries of another layer of the same file."""
        return tuple(f for f in self.features if f.kind == "local")

    @property
    def mentions(self) -> Feature | None:
        """The link a mention layer's entries name (an actor mention's ``actor``): a layer whose entries have
        no id of their own and exactly one required link. A link of another layer may be drawn to a mention
        instead of naming the ID; None for other layers."""
        if self.identity is not None:
            return None
        required = [f for f in self.links if f.required]
        return required[0] if len(required) == 1 else None

    @property
    def suggestion_kind(self) -> str:
        """The ``kind`` of a suggestion of ``diplonews new`` that is an entry of this layer (actor_mention)."""
        return self.name.removesuffix("s")

    @property
    def identity(self) -> str | None:
        """The feature that names an entry within its file (``id``), if the layer has one."""
        return "id" if self.feature("id") is not None else None


def _inner(annotation: Any) -> Any:
    """``X | None`` -> ``X``; ``Annotated[X, ...]`` -> ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _allows_list(annotation: Any) -> bool:
    """Whether a (maybe optional, maybe union) annotation admits a list."""
    inner = _inner(annotation)
    if typing.get_origin(inner) is list:
        return True
    return typing.get_origin(inner) in (typing.Union, types.UnionType) and any(
        typing.get_origin(_inner(a)) is list for a in typing.get_args(inner))


def _feature(name: str, info: Any) -> Feature:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    inner = _inner(info.annotation)
    required = info.is_required()
    if extra.get(REFERS_TO):
        return Feature(name, "link", required, refers_to=str(extra[REFERS_TO]), description=info.description,
                       many=_allows_list(info.annotation))
    if extra.get(REFERS_TO_LOCAL):
        return Feature(name, "local", required, refers_to=str(extra[REFERS_TO_LOCAL]), description=info.description,
                       many=_allows_list(info.annotation))
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        return Feature(name, "choice", required, tuple(m.value for m in inner), description=info.description)
    if inner is bool:
        return Feature(name, "flag", required, description=info.description)
    if isinstance(inner, type) and issubclass(inner, date):
        return Feature(name, "date", required, description=info.description)
    return Feature(name, "text", required, description=info.description)


def link_ids(value: Any) -> list[str]:
    """The IDs a link feature's value names: one, or several for a feature that allows a list."""
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def add_link(features: dict[str, Any], feature: Feature, value: Any) -> str | None:
    """Give a span's link feature ``value``: set it, or add it to the list when the feature holds several
    (addressees); a problem (given twice) when it holds one and already has another."""
    have = features.get(feature.name)
    if have is None or have == value:
        features[feature.name] = value
        return None
    if not feature.many:
        return f"{feature.name} given twice ({have} and {value})"
    items = have if isinstance(have, list) else [have]
    features[feature.name] = items if value in items else [*items, value]
    return None


def _label(model: type[BaseModel]) -> str:
    return model.__name__.removesuffix("Entry")


def layers(model: type[BaseModel] = AnnotationFile) -> tuple[Layer, ...]:
    """Every span layer of the annotation file model, in the order of its fields."""
    found = []
    for name, info in model.model_fields.items():
        if typing.get_origin(info.annotation) is not list:
            continue
        (item,) = typing.get_args(info.annotation)
        if isinstance(item, type) and issubclass(item, Evidence):
            features = tuple(_feature(n, i) for n, i in item.model_fields.items() if n not in SPAN_FIELDS)
            found.append(Layer(name, _label(item), item, features))
    return tuple(found)


def layer_named(name: str, model: type[BaseModel] = AnnotationFile) -> Layer | None:
    """The layer of the annotation file field ``name`` (e.g. sources), or None."""
    return next((layer for layer in layers(model) if layer.name == name), None)


def layer_by_label(label: str) -> Layer | None:
    """The layer a tool calls ``label`` (e.g. Position), or None."""
    return next((layer for layer in layers() if layer.label == label), None)


@dataclass(frozen=True)
class RegistryLabels:
    """The IDs of each registry with a readable label: what links may point at."""

    labels: dict[str, dict[str, str]]  # registry -> ID -> label

    def label(self, registry: str, ident: str) -> str:
        """A readable label for ``ident`` (the ID itself when it has none)."""
        return self.labels.get(registry, {}).get(ident, ident)

    def knows(self, registry: str, ident: str) -> bool:
        """Whether ``ident`` is an entry of ``registry``."""
        return ident in self.labels.get(registry, {})


def load_labels(seeds: Path) -> RegistryLabels:
    """The labels of the registries of ``seeds`` (UserError at file:line when one does not load)."""
    from diplonews.builders.authoring.registry_index import load_registry

    entries = load_registry(Path(seeds))
    return RegistryLabels({kind: {entry.id: " ".join(str(getattr(entry, field)).split()) for entry in getattr(entries, kind)}
                           for kind, field in REGISTRY_LABELS.items()})
