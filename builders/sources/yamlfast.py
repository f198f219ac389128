"""A fast path for loading YAML with lines: libyaml's event stream straight into LineDict/LineList.

PyYAML's constructor spends more time in Python (composing nodes, resolving and constructing
every scalar through generic dispatch) than libyaml spends parsing. Annotation files are plain
block/flow mappings, sequences and scalars, so this loader builds them directly from the C
parser's events, resolving plain scalars with the very resolvers of the line-tracking loader.
It is about twice as fast as ``yaml.load(..., CSafeLoader)``.

Anything outside that subset (anchors, aliases, tags, merge keys, duplicate or complex keys,
several documents, a syntax error) raises :class:`Unsupported`; the caller then loads the file
with the full loader, so results and error messages are exactly those of the full loader
(``tests/test_yamlfast.py`` checks the two agree, lines included).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml import events

from diplonews.builders.sources.yamllines import LineDict, LineList, Loader

STR = "tag:yaml.org,2002:str"
_RESOLVERS = Loader.yaml_implicit_resolvers
_WILDCARD = _RESOLVERS.get(None, [])
_constructor = yaml.constructor.SafeConstructor()
_CONSTRUCT = {
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    "tag:yaml.org,2002:null": _constructor.construct_yaml_null,
}
_CParser = getattr(yaml, "CSafeLoader", None)
_KEY = object()  # "the next scalar is a key"


class Unsupported(Exception):
    """The document is outside the fast path's subset; load it with the full loader."""


def _plain(value: str) -> Any:
    """A plain scalar, resolved as PyYAML's SafeLoader resolves it (YAML 1.1 types)."""
    for tag, regexp in _RESOLVERS.get(value[:1], []) + _WILDCARD:
        if regexp.match(value):
            if tag == STR:
                return value
            construct = _CONSTRUCT.get(tag)
            if construct is None:  # e.g. a merge key '<<'
                raise Unsupported(tag)
            return construct(yaml.ScalarNode(tag, value))
    return value


def load(text: str | bytes) -> Any:
    """Load one YAML document as LineDict/LineList/scalars; :class:`Unsupported` outside the subset."""
    if _CParser is None:
        raise Unsupported("PyYAML was built without libyaml")
    parser = _CParser(text)
    try:
        return _build(parser.get_event)
    except yaml.YAMLError as exc:
        raise Unsupported(str(exc)) from None
    finally:
        parser.dispose()


def _build(get: Any) -> Any:
    scalar, map_start, seq_start = events.ScalarEvent, events.MappingStartEvent, events.SequenceStartEvent
    ends = (events.MappingEndEvent, events.SequenceEndEvent)
    skip = (events.StreamStartEvent, events.DocumentStartEvent, events.DocumentEndEvent)
    stack: list[tuple[Any, bool, Any]] = []
    current: Any = None  # the open container
    is_map = False
    key: Any = _KEY
    root: Any = None
    documents = 0
    while True:
        event = get()
        kind = event.__class__
        if kind is scalar:
            if event.anchor is not None or event.tag is not None:
                raise Unsupported("anchor or tag")
            value = _plain(event.value) if event.implicit[0] else event.value
            line = event.start_mark.line + 1
            if current is None:
                root = value
            elif is_map:
                if key is _KEY:
                    if value in current or not isinstance(value, str | int | float | bool | None):
                        raise Unsupported("duplicate or unusual key")
                    key = value
                    current.key_lines[value] = line
                else:
                    current[key] = value
                    key = _KEY
            else:
                current.append(value)
                current.item_lines.append(line)
        elif kind is map_start or kind is seq_start:
            if event.anchor is not None or event.tag is not None:
                raise Unsupported("anchor or tag")
            container: Any
            if kind is map_start:
                container = LineDict()
                container.key_lines = {}
            else:
                container = LineList()
                container.item_lines = []
            container.line = event.start_mark.line + 1
            if current is not None:
                if is_map:
                    if key is _KEY:
                        raise Unsupported("complex key")
                    current[key] = container
                else:
                    current.append(container)
                    current.item_lines.append(container.line)
            stack.append((current, is_map, _KEY))
            current, is_map, key = container, kind is map_start, _KEY
        elif kind in ends:
            finished = current
            current, is_map, key = stack.pop()
            if current is None:
                root = finished
        elif kind in skip:
            if kind is events.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise Unsupported("several documents")
        elif kind is events.StreamEndEvent:
            return root
        else:  # an alias
            raise Unsupported(kind.__name__)
