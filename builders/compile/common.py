"""What the source compilers share: reporting a finding, naming a file, checking a reference.

The compiler of :mod:`.compile` combines :class:`.compile_registry.RegistryCompiler` and
:class:`.compile_article.ArticleCompiler`, both built on :class:`CompilerBase`.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any

from diplonews.builders.sources.yamlsource import LineDict, LineList, SourceFileError, load_source
from diplonews.errors import UserError
from diplonews.validators.findings import Finding, Report
from diplonews.validators.source_rules import DUPLICATE_ID, UNKNOWN_REFERENCE, SourceRule

DEFERRED_KINDS = ("actor", "event", "topic")
"""Kinds of ID defined by the registries, whose references are checked after the registries are read."""


def require_seeds(seeds: Path) -> None:
    """Refuse (UserError) a seeds folder that does not exist or lacks ``registry/`` or ``annotations/``."""
    if not seeds.is_dir():
        raise UserError(f"seeds folder {seeds} not found" + (" (it is a file)" if seeds.exists() else ""),
                        "run this in a diplonews checkout, or give the folder with --seeds")
    missing = [name for name in ("registry", "annotations") if not (seeds / name).is_dir()]
    if missing:
        raise UserError(f"{seeds} is not a seeds folder: it has no {' and no '.join(f'{m}/' for m in missing)}",
                        "a seeds folder holds registry/, annotations/ and texts/ (see docs/annotation-guide.md)")


def texts_are_plain(texts: Path) -> bool:
    """Whether every entry of the corpus folder is a regular file or a link to one inside the folder (or a
    folder, which no text_file can name); else a text may be a pipe or lead out, and must be compiled to be
    reported, never hashed from the build cache."""
    if not texts.is_dir():
        return True
    root = os.path.realpath(texts)
    with os.scandir(texts) as entries:
        for entry in entries:
            # Cheap for a large corpus: the entry's type comes with the listing, no stat per file.
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if not (os.path.isfile(target) and os.path.commonpath([root, target]) == root):
                    return False
            elif not (entry.is_file(follow_symlinks=False) or entry.is_dir(follow_symlinks=False)):
                return False
    return True


CLIP_CHARS = 200
"""Longest user value quoted in full in a message; longer ones are cut (a value may be megabytes long)."""


def clip(value: str, limit: int = CLIP_CHARS) -> str:
    """``value``, cut to ``limit`` characters with a note of its length when longer."""
    return value if len(value) <= limit else f"{value[:limit]}... ({len(value):,} characters)"


def item_line(data: Any, key: str, index: int) -> int | None:
    """The line of item ``index`` of the sequence ``data[key]``, if the loader recorded it."""
    seq = data.get(key) if isinstance(data, LineDict) else None
    return seq.item_lines[index] if isinstance(seq, LineList) and index < len(seq.item_lines) else None


def key_line(item: Any, key: str, default: int | None) -> int | None:
    """The line of ``key`` in the mapping ``item``, else ``default``."""
    return item.key_lines.get(key, default) if isinstance(item, LineDict) else default


class CompilerBase:
    """The state every part of the compiler reads and writes (set up by ``compile._Compiler``)."""

    seeds: Path
    _prefix: str
    report: Report
    rows: dict[str, list[dict]]
    actor_ids: set[str]
    event_ids: set[str]
    topic_ids: set[str]
    defer_refs: bool
    seen_refs: set[tuple[str, str]]
    unread_kinds: frozenset[str] = frozenset()  # kinds of ID whose registry did not load: not checked

    def find(self, rule: SourceRule, message: str, file: str, line: int | None, hint: str | None = None) -> None:
        """Report a source-rule finding at file:line."""
        self.report.findings.append(Finding(rule.name, rule.severity, message, file=file, line=line, hint=hint))

    def rel(self, path: Path) -> str:
        """The path as reports name it: relative to the folder holding ``seeds/``."""
        text = str(path)
        # String work, not Path.relative_to: this runs for every file of a large corpus.
        return text[len(self._prefix):] if text.startswith(self._prefix) else text

    def check_ref(self, kind: str, value: str | None, known: set[str], file: str, line: int | None) -> bool:
        """Report an unknown ID with the closest known one as hint; True when the reference resolves (or cannot
        be checked: its registry did not load).

        While the registries are still being read (``defer_refs``), registry IDs are only recorded.
        """
        if value is None:
            return True
        if self.defer_refs and kind in DEFERRED_KINDS:
            self.seen_refs.add((kind, value))
            return True
        if kind in self.unread_kinds:
            return True
        if value in known:
            return True
        # No ID is longer than a line; comparing a longer value with every ID would only cost time.
        close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.5) if len(value) <= CLIP_CHARS else []
        hint = f"did you mean '{close[0]}'?" if close else f"add it to seeds/registry/ ({kind}s) first"
        self.find(UNKNOWN_REFERENCE, f"unknown {kind} ID '{clip(value)}'", file, line, hint)
        return False

    def load(self, path: Path, model: type) -> tuple[Any, Any] | None:
        """Load and validate a registry file; on failure its findings are reported and None returned."""
        try:
            return load_source(path, model, self.rel(path))
        except SourceFileError as exc:
            self.report.findings.extend(exc.findings)
            return None

    def unique(self, kind: str, ids: list[tuple[str, str, int | None]]) -> None:
        """Report every ID given twice; ``ids`` holds (ID, file, line) in file order."""
        seen: dict[str, tuple[str, int | None]] = {}
        for value, file, line in ids:
            if value in seen:
                first_file, first_line = seen[value]
                where = f"line {first_line}" if first_file == file else f"{first_file}:{first_line}"
                self.find(DUPLICATE_ID, f"duplicate {kind} ID '{value}' (first at {where})", file, line,
                          "give each entry its own ID")
            else:
                seen[value] = (file, line)
