"""Loading YAML sources with line numbers, and validating them, so every error can name file and line.

Dates are left as strings by the loaders (pydantic parses them), so an invalid
date such as 2025-02-30 becomes a clean validation error, not a traceback.
"""

from __future__ import annotations

import difflib
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
from diplonews.validators.source_rules import REGULAR_FILE, SOURCE_SCHEMA, YAML_SYNTAX

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
        self.kind = ("a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
                     else "a socket" if stat.S_ISSOCK(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                     else "not a regular file")
        super().__init__(f"{path} is {self.kind}")

    def finding(self, file: str, line: int | None = None, what: str | None = None) -> Finding:
        """The finding that refuses this path: at ``file``:``line``, the path named ``what`` (default: ``file``)."""
        return Finding(REGULAR_FILE.name, REGULAR_FILE.severity, f"{what or file} is {self.kind}, not a regular file",
                       file=file, line=line, hint="replace it with a regular file holding the content (it was not read)")


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
    except RecursionError:
        raise _syntax_error("YAML nests too deep to load", file, None,
                            "an annotation file needs a few levels, not hundreds") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise _syntax_error(f"YAML does not parse: {problem}", file, mark.line + 1 if mark else None,
                            "check indentation and quoting; a value with ': ' or a leading '\"' must be quoted") from None


def _syntax_error(message: str, file: str, line: int | None, hint: str) -> SourceFileError:
    return SourceFileError([Finding(YAML_SYNTAX.name, YAML_SYNTAX.severity, message, file=file, line=line, hint=hint)])


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


def _hint(model: type[BaseModel], err: dict) -> str | None:
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, err["loc"][:-1])
        close = difflib.get_close_matches(str(err["loc"][-1]), allowed, n=1)
        return f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(sorted(allowed))}"
    if kind == "date_range":
        return "a date this far ahead is a typo: check the year"
    if kind.startswith("date"):
        return "write dates as YYYY-MM-DD, e.g. 2025-03-16 (a real calendar day)"
    if kind == "string_too_long":
        return "a value this long is a mistake (a pasted file?): quote a passage, not the whole text"
    if kind == "string_pattern_mismatch":
        return "IDs are lowercase slugs such as 'recep-tayyip-erdogan'; country codes are ISO alpha-3 such as TUR"
    if kind == "missing":
        return f"add the key '{err['loc'][-1]}'"
    return None


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names of the (sub)model at ``loc``, for 'did you mean' hints."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    for arg in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def validate_source(model: type[BaseModel], data: Any, file: str) -> Any:
    """Validate parsed YAML against a source model; SourceFileError lists every problem with its line."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        findings = []
        for err in exc.errors(include_url=False):
            where = ".".join(str(p) for p in err["loc"]) or "(top level)"
            findings.append(
                Finding(
                    SOURCE_SCHEMA.name,
                    SOURCE_SCHEMA.severity,
                    f"{where}: {err['msg']}",
                    file=file,
                    line=line_of(data, err["loc"]),
                    hint=_hint(model, err),
                )
            )
        raise SourceFileError(findings) from None


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
    except FileNotFoundError:
        raise _syntax_error("file not found", file, None, "create it, or restore it with git") from None
    except OSError as exc:
        raise _syntax_error(f"cannot read file: {exc.strerror}", file, None, "check the file's permissions") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise _syntax_error(f"not UTF-8 ({exc.reason} at byte {exc.start})", file, line,
                            "save the file as UTF-8") from None
    return parse_yaml(text, file)


def load_source(path: Path, model: type[BaseModel], display: str | None = None) -> tuple[Any, Any]:
    """Read, parse and validate one YAML source; returns (model instance, raw data with lines)."""
    file = display or str(path)
    data = read_yaml(path, file)
    return validate_source(model, data, file), data


def round_trip_yaml() -> YAML:
    """ruamel.yaml set up as the source files are written (2-space maps, '  - ' items, long lines, quotes
    kept), for edits that keep a file's comments and order: registry additions and imports from tools."""
    from ruamel.yaml import YAML

    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y
