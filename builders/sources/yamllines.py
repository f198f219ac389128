"""The full line-tracking YAML loader: PyYAML's safe loader on libyaml, recording the line of every
key and item (so errors can name file and line) and keeping timestamps as strings (so pydantic
parses dates, and an invalid date such as 2025-02-30 is a clean validation error)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import yaml


class LineDict(dict):
    """A mapping that remembers the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list):
    """A sequence that remembers the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


# libyaml's C parser when PyYAML was built with it (about 20x faster); the pure-Python one otherwise.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_BaseLoader):
    """Safe loader that records lines and keeps timestamps as strings."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: Loader, node: yaml.MappingNode) -> LineDict:
    # Keys written in this mapping; the others come from a merge ('<<: *anchor'), which they override.
    own = {id(key_node) for key_node, _ in node.value}
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    written: set[Any] = set()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):  # e.g. '? [1, 2]': a traceback otherwise
            raise yaml.constructor.ConstructorError(None, None, "a key must be a plain value", key_node.start_mark)
        if key in written:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        if id(key_node) in own:
            written.add(key)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: Loader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
