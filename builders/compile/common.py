"""What the source compilers share: the registry index, one file's output, naming a file's lines.

Compiling is pure per file: :func:`.article.compile_article_file` and :func:`.registry.compile_registry_file`
take a file (and the registry index) and return its rows and findings; :mod:`.corpus` runs them, on every
core, and merges their results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diplonews.builders.sources.yamlsource import LineDict, LineList
from diplonews.errors import UserError
from diplonews.validators.findings import Finding
from diplonews.validators.source_rules import UNKNOWN_REFERENCE, SourceRule

REGISTRY_KINDS = ("actor", "event", "topic")
"""Kinds of ID defined by the registries, whose references are checked against the registry index."""


def id_kind(registry: str) -> str:
    """The kind of ID a registry defines: actors -> actor, events -> event, topics -> topic."""
    return registry.removesuffix("s")


def require_seeds(seeds: Path, given_with: str = "--seeds") -> None:
    """Refuse (UserError) a seeds folder that does not exist or lacks ``registry/`` or ``annotations/``;
    ``given_with`` says how the command takes the folder, for the hint."""
    if not seeds.is_dir():
        raise UserError(f"seeds folder {seeds} not found" + (" (it is a file)" if seeds.exists() else ""),
                        f"run this in a diplonews checkout, or give the folder with {given_with}")
    missing = [name for name in ("registry", "annotations") if not (seeds / name).is_dir()]
    if missing:
        raise UserError(f"{seeds} is not a seeds folder: it has no {' and no '.join(f'{m}/' for m in missing)}",
                        "a seeds folder holds registry/, annotations/ and texts/ (see docs/annotation-guide.md)")


def item_line(data: Any, key: str, index: int) -> int | None:
    """The line of item ``index`` of the sequence ``data[key]``, if the loader recorded it."""
    seq = data.get(key) if isinstance(data, LineDict) else None
    return seq.item_lines[index] if isinstance(seq, LineList) and index < len(seq.item_lines) else None


def key_line(item: Any, key: str, default: int | None) -> int | None:
    """The line of ``key`` in the mapping ``item``, else ``default``."""
    return item.key_lines.get(key, default) if isinstance(item, LineDict) else default


@dataclass(frozen=True)
class RegistryIndex:
    """The registry IDs annotation entries may reference, per kind (actor, event, topic).

    ``unread`` names the kinds whose registry did not load: references to them are not checked, as each
    would be reported unknown (hundreds of findings hiding the one that matters)."""

    ids: dict[str, frozenset[str]]
    unread: frozenset[str] = frozenset()


@dataclass
class FileOutput:
    """What compiling one file produces, local to that one call: rows per table, findings, and (without a
    registry index) the registry references it made, checked once the registries are merged."""

    file: str
    index: RegistryIndex | None
    rows: dict[str, list[dict]]
    findings: list[Finding] = field(default_factory=list)
    refs: set[tuple[str, str]] = field(default_factory=set)

    def check(self, rule: SourceRule, *args: Any, line: int | None) -> bool:
        """Run ``rule``'s check on ``args``; report what it finds at this file and ``line``; True when nothing."""
        problems = rule.check(*args)
        if not problems:  # nearly always: the findings are made only when there are some (a hot path)
            return True
        found = rule.findings(problems, file=self.file, line=line)
        self.findings += found
        return not found

    def ref(self, kind: str, value: str | None, line: int | None) -> bool:
        """Check a reference to an ID of ``kind``; True when it resolves (or cannot be checked yet: without an
        index it is recorded; with one whose registry of that kind did not load, it is let through)."""
        if value is None:
            return True
        if kind in REGISTRY_KINDS:
            if self.index is None:
                self.refs.add((kind, value))
                return True
            if kind in self.index.unread:
                return True
            return self.check(UNKNOWN_REFERENCE, kind, value, self.index.ids[kind], line=line)
        raise ValueError(f"not a registry kind: {kind}")
