"""Loading YAML sources with line numbers, and validating them, so every error can name file and line.

Dates are left as strings by the loaders (pydantic parses them), so an invalid
date such as 2025-02-30 becomes a clean validation error, not a traceback.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ValidationError

from diplonews.builders.sources import yamlfast
from diplonews.builders.sources.yamllines import LineDict, LineList, Loader
from diplonews.errors import UserError
from diplonews.validators.findings import Finding
from diplonews.validators.source_rules import REGULAR_FILE, SOURCE_SCHEMA, YAML_SYNTAX, file_kind

if TYPE_CHECKING:  # ruamel is imported only by the commands that edit sources, not by the build
    from ruamel.yaml import YAML

__all__ = ["LineDict", "LineList", "NotRegularFile", "SourceFileError", "load_source", "not_loaded", "parse_yaml",
           "read_regular", "read_yaml", "round_trip_yaml", "validate_source"]


class SourceFileError(Exception):
    """A source file could not be loaded; carries the findings that say why."""

    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.render() for f in findings))
        self.findings = findings


class NotRegularFile(Exception):
    """A source path names a FIFO, device, socket or folder: something that is not a file of fixed bytes."""

    def __init__(self, path: str | Path, mode: int):
        self.mode = mode
        super().__init__(f"{path} is {file_kind(mode)}")

    def finding(self, file: str, line: int | None = None, what: str | None = None) -> Finding:
        """The finding that refuses this path: at ``file``:``line``, the path named ``what`` (default: ``file``)."""
        [finding] = REGULAR_FILE.run(self.mode, what or file, file=file, line=line)
        return finding


def read_regular(path: str | Path) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed); :class:`NotRegularFile` for anything else,
    which is never read (a FIFO would block the read until some other process writes to it)."""
    # O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer; no effect on a regular file.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, mode)
        with open(fd, "rb", closefd=False) as fh:
            return fh.read()
    finally:
        os.close(fd)


def parse_yaml(text: str, file: str) -> Any:
    """Parse YAML text, raising SourceFileError (with line) on a syntax error.

    The fast loader handles ordinary files; the rest (and every error) goes through the full loader.
    """
    try:
        return yamlfast.load(text)
    except yamlfast.Unsupported:
        pass
    try:
        return yaml.load(text, Loader=Loader)  # noqa: S506 - Loader is a SafeLoader
    except (RecursionError, yaml.YAMLError) as exc:
        raise _syntax_error(exc, file) from None


def _syntax_error(error: BaseException, file: str, raw: bytes = b"") -> SourceFileError:
    return SourceFileError(YAML_SYNTAX.run(error, raw, file=file))


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest element along a pydantic error location."""
    line = getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line


def validate_source(model: type[BaseModel], data: Any, file: str) -> Any:
    """Validate parsed YAML against a source model; SourceFileError lists every problem with its line."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        raise SourceFileError(SOURCE_SCHEMA.run(model, errors, lambda loc: line_of(data, loc), file=file)) from None


def not_loaded(exc: SourceFileError, seeds: Path) -> UserError:
    """The UserError of a command that needs a source which does not load: its first problem, at file:line."""
    first = exc.findings[0]
    more = f" (and {len(exc.findings) - 1} more)" if len(exc.findings) > 1 else ""
    return UserError(f"{first.location()}: {first.message}{more}; nothing was changed",
                     f"fix it first ({first.hint or 'see the line'}); check every source with: diplonews validate {seeds}")


def read_yaml(path: Path, file: str) -> Any:
    """Read and parse one YAML source (``file`` is its name in reports); SourceFileError when it is not a
    regular file, cannot be read, is not UTF-8 or does not parse."""
    try:
        raw = read_regular(path)
    except NotRegularFile as exc:
        raise SourceFileError([exc.finding(file)]) from None
    except OSError as exc:
        raise _syntax_error(exc, file) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _syntax_error(exc, file, raw) from None
    return parse_yaml(text, file)


def load_source(path: Path, model: type[BaseModel], display: str | None = None) -> tuple[Any, Any]:
    """Read, parse and validate one YAML source; returns (model instance, raw data with lines)."""
    file = display or str(path)
    data = read_yaml(path, file)
    return validate_source(model, data, file), data


def round_trip_yaml() -> YAML:
    """ruamel.yaml set up as the source files are written (2-space maps, '  - ' items, long lines, quotes
    kept), for edits that keep a file's comments and order: registry additions and imports from tools.

    A null value of a mapping keeps its spelling (``null``, ``~`` or nothing); a null without one (a
    new entry's, a sequence item's) is written ``null``, as ``diplonews new`` and the seeds write it.
    Left to itself, ruamel writes every null of a block as nothing, so an edit rewrote unchanged lines.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.representer import RoundTripRepresenter

    null, text = "tag:yaml.org,2002:null", "tag:yaml.org,2002:str"
    # id of a loaded mapping -> (the mapping, kept alive so its id stays its own; {key: spelling of its null})
    spelled: dict[int, tuple[Any, dict[str, str]]] = {}

    class Constructor(RoundTripConstructor):
        def construct_mapping(self, node: Any, maptyp: Any, deep: bool = False) -> None:
            super().construct_mapping(node, maptyp, deep=deep)
            nulls = {k.value: v.value for k, v in node.value if v.tag == null and k.tag == text}
            if nulls:
                spelled[id(maptyp)] = (maptyp, nulls)

    class Representer(RoundTripRepresenter):
        def represent_none(self, data: Any) -> Any:
            return self.represent_scalar(null, "null")

        def represent_mapping(self, tag: Any, mapping: Any, flow_style: Any = None) -> Any:
            node = super().represent_mapping(tag, mapping, flow_style=flow_style)
            _, nulls = spelled.get(id(mapping), (None, {}))
            for key, value in node.value:
                if value.tag == null and key.tag == text and key.value in nulls:
                    value.value = nulls[key.value]
            return node

    Representer.add_representer(type(None), Representer.represent_none)
    y = YAML()
    y.Constructor, y.Representer = Constructor, Representer
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y
