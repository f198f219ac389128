"""Compiling the annotation sources (registries + per-article YAML + texts) into table rows.

Source-level rules (see :mod:`diplonews.validators.source_rules`) are checked here,
where file and line are known; cross-table rules run later on the written tables.
"""

from __future__ import annotations

import difflib
import hashlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
from pydantic import ValidationError

from diplonews.schema.annotation import (
    ActorMentionEntry,
    ActorRegistry,
    AnnotationFile,
    ArticleMeta,
    DemandEntry,
    EventMentionEntry,
    Evidence,
    EventRegistry,
    PositionEntry,
    TopicRegistry,
)
from diplonews.validators.findings import Finding, Report
from diplonews.validators.source_rules import (
    DUPLICATE_ID,
    FILE_NAME_MATCHES_ID,
    OPEN_SUGGESTIONS,
    QUOTE_FOUND,
    QUOTE_UNAMBIGUOUS,
    SOURCE_RULES,
    SOURCE_SCHEMA,
    TEXT_FILE_READABLE,
    TEXT_NOT_SHARED,
    UNKNOWN_REFERENCE,
    SourceRule,
)

from .cache import ARTICLE_TABLES, BuildCache, finding_from_dict, finding_to_dict, stat_key
from .codebook import codebook_rows
from .evidence import closest_text, resolve
from .yamlsource import LineDict, LineList, SourceFileError, load_source, parse_yaml, validate_source

SECTIONS: dict[str, type] = {
    "actor_mentions": ActorMentionEntry,
    "event_mentions": EventMentionEntry,
    "positions": PositionEntry,
    "demands": DemandEntry,
}
"""The confirmed sections of an annotation file and the model of one entry of each."""


REFERENCE_KEYS = {
    "actor": "actor", "holder": "actor", "target": "actor", "claimant": "actor", "addressee": "actor",
    "event": "event", "topic": "topic",
}
"""Keys of annotation entries that hold an ID, and the kind of ID."""


@dataclass
class ArticleSource:
    """One annotation file: its article block, the valid entries of each section with their index,
    and the indexes of invalid entries (still checked for quotes and references)."""

    meta: ArticleMeta
    sections: dict[str, list[tuple[int, Any]]]
    suggestions: int
    invalid: dict[str, list[int]] = field(default_factory=dict)


PARALLEL_MIN_FILES = 64
"""Below this many annotation files, compiling in one process is faster than starting workers."""

BATCH_MAX_FILES = 500
"""Annotation files compiled per task: large enough that Arrow conversion pays, small enough to balance."""

PARALLEL_MIN_BYTES = 1 << 20
"""Below this many bytes of registry files, parsing them in one process is faster."""

REGISTRIES: dict[str, type] = {"topics": TopicRegistry, "actors": ActorRegistry, "events": EventRegistry}
"""Registry kinds, in the order they are compiled, and the model of one file of each."""

DEFERRED_KINDS = ("actor", "event", "topic")
"""Kinds of ID defined by the registries, whose references are checked after the registries are read."""

REGISTRY_TABLES = ("topics", "actors", "actor_aliases", "actor_roles", "events", "event_participants")
"""Tables whose rows come from the registries."""


@dataclass
class RegistryResult:
    """One registry file compiled on its own: its rows as Arrow tables, (ID, line) pairs and references
    to check later."""

    kind: str
    file: str
    tables: dict[str, pa.Table] = field(default_factory=dict)
    ids: list[tuple[str, int | None]] = field(default_factory=list)
    refs: list[tuple[str, str, str, int | None]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class FileResult:
    """One annotation file compiled on its own (possibly in a worker process)."""

    file: str
    article_id: str | None = None
    id_line: int | None = None
    text_file: str | None = None
    text_line: int | None = None
    digest: str | None = None
    rows: dict[str, list[dict]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    refs: set[tuple[str, str]] = field(default_factory=set)  # (kind, ID) referenced, while deferred
    reused: bool = False  # rows come from the build cache, not from compiling the file
    yaml_sha: str | None = None
    text_stat: list[int] | None = None  # the text's stat_key, taken before it was read

    entry: dict | None = None  # the cache entry this result was read from

    @classmethod
    def from_cache(cls, file: str, entry: dict) -> FileResult:
        """A file unchanged since the cached build: its facts and findings, its rows still in the cache."""
        return cls(file, entry["article_id"], entry["id_line"], entry["text_file"], entry["text_line"],
                   entry["digest"], findings=[finding_from_dict(f) for f in entry["findings"]], reused=True,
                   yaml_sha=entry["yaml_sha"], entry=entry)

    def cache_entry(self) -> dict:
        """What the cache keeps of this file."""
        if self.entry is not None:
            return self.entry
        return {"yaml_sha": self.yaml_sha, "article_id": self.article_id, "id_line": self.id_line,
                "text_file": self.text_file, "text_line": self.text_line, "digest": self.digest,
                "findings": [finding_to_dict(f) for f in self.findings]}


@dataclass
class BatchResult:
    """Annotation files compiled together: each file's facts and findings, and all their rows as Arrow."""

    files: list[FileResult]
    tables: dict[str, pa.Table]


@dataclass
class Compiled:
    """Table rows compiled from the sources, and what the source rules found.

    In an incremental build, ``reused`` holds the cached rows of the unchanged articles, and
    ``cache_state`` what to write back to the cache once the build succeeds."""

    rows: dict[str, list[dict]] = field(default_factory=dict)
    report: Report = field(default_factory=Report)
    parts: dict[str, list[pa.Table]] = field(default_factory=dict)  # article rows built as Arrow by workers
    reused: dict[str, pa.Table] = field(default_factory=dict)
    cache_state: dict = field(default_factory=dict)
    signatures: dict[str, str] = field(default_factory=dict)  # see _signatures; empty without a cache
    reused_articles: set[str] = field(default_factory=set)  # IDs of the articles taken from the cache

    def tables(self) -> dict[str, pa.Table]:
        """Every table as one Arrow table (rows in no particular order: see ``tables.finalize``)."""
        from diplonews.schema import TABLES

        from .tables import to_arrow

        out = {}
        for t in TABLES:
            name = t.table_name
            pieces = [to_arrow(name, self.rows.get(name, [])), *self.parts.get(name, [])]
            if name in self.reused:
                pieces.append(self.reused[name])
            out[name] = pa.concat_tables(pieces) if len(pieces) > 1 else pieces[0]
        return out


def _item_line(data: Any, key: str, index: int) -> int | None:
    seq = data.get(key) if isinstance(data, LineDict) else None
    return seq.item_lines[index] if isinstance(seq, LineList) and index < len(seq.item_lines) else None


def _key_line(item: Any, key: str, default: int | None) -> int | None:
    return item.key_lines.get(key, default) if isinstance(item, LineDict) else default


class _Compiler:
    def __init__(self, seeds: Path):
        self.seeds = seeds
        self._prefix = os.path.join(str(seeds.parent), "") if str(seeds.parent) != "." else ""
        self.report = Report(rules_run=[r.name for r in SOURCE_RULES])
        self.rows: dict[str, list[dict]] = {
            name: []
            for name in (
                "articles", "actors", "actor_aliases", "actor_roles", "actor_mentions", "topics",
                "events", "event_participants", "event_mentions", "positions", "demands",
            )
        }
        self.rows.update({k: list(v) for k, v in codebook_rows().items()})
        self.actor_ids: set[str] = set()
        self.event_ids: set[str] = set()
        self.topic_ids: set[str] = set()
        self.mention_ids: set[str] = set()
        self.refs: list[tuple[str, str, str, int | None]] = []
        self.cache: BuildCache | None = None
        self.registry_used: dict[str, tuple[str | None, RegistryResult]] = {}
        self.article_entries: dict[str, dict] = {}
        self.reused_ids: set[str] = set()
        self.parts: dict[str, list[pa.Table]] = {}
        self.defer_refs = False
        self.seen_refs: set[tuple[str, str]] = set()
        self.signatures: dict[str, str] = {}

    # -- helpers -------------------------------------------------------------------
    def find(self, rule: SourceRule, message: str, file: str, line: int | None, hint: str | None = None) -> None:
        self.report.findings.append(Finding(rule.name, rule.severity, message, file=file, line=line, hint=hint))

    def rel(self, path: Path) -> str:
        """The path as reports name it: relative to the folder holding ``seeds/``."""
        text = str(path)
        # String work, not Path.relative_to: this runs for every file of a large corpus.
        return text[len(self._prefix):] if text.startswith(self._prefix) else text

    def check_ref(self, kind: str, value: str | None, known: set[str], file: str, line: int | None) -> bool:
        """Report an unknown ID with the closest known one as hint; True when the reference resolves.

        While the registries are still being read (``defer_refs``), registry IDs are only recorded.
        """
        if value is None:
            return True
        if self.defer_refs and kind in DEFERRED_KINDS:
            self.seen_refs.add((kind, value))
            return True
        if value in known:
            return True
        close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else f"add it to seeds/registry/ ({kind}s) first"
        self.find(UNKNOWN_REFERENCE, f"unknown {kind} ID '{value}'", file, line, hint)
        return False

    def load(self, path: Path, model: type) -> tuple[Any, Any] | None:
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

    # -- registries ----------------------------------------------------------------
    def registry_files(self) -> list[tuple[str, Path]]:
        """(kind, path) of every registry file: <kind>.yaml, then <kind>-*.yaml (a large registry
        may be split so that its parts parse in parallel)."""
        reg = self.seeds / "registry"
        out = []
        for kind in REGISTRIES:
            parts = sorted(reg.glob(f"{kind}-*.yaml"))
            main = reg / f"{kind}.yaml"
            out += [(kind, path) for path in ([main] if main.is_file() or not parts else []) + parts]
        return out

    def merge_registries(self, results: list[RegistryResult]) -> None:
        """Add the registry files' rows in file order; check IDs and references across files."""
        ids: dict[str, list[tuple[str, str, int | None]]] = {kind: [] for kind in REGISTRIES}
        refs: list[tuple[str, str, str, int | None]] = []
        for res in results:
            self.report.findings.extend(res.findings)
            for name, table in res.tables.items():
                self.parts.setdefault(name, []).append(table)
            ids[res.kind] += [(value, res.file, line) for value, line in res.ids]
            refs += res.refs
        for kind, table in (("topics", "topic"), ("actors", "actor"), ("events", "event")):
            self.unique(table, ids[kind])
        self.topic_ids = {v for v, _, _ in ids["topics"]}
        self.actor_ids = {v for v, _, _ in ids["actors"]}
        self.event_ids = {v for v, _, _ in ids["events"]}
        # References between registry entries (a parent, a role's organisation, a participant) may
        # point into another file, so they are checked once every file is in.
        for kind, value, file, line in refs:
            self.check_ref(kind, value, self.actor_ids, file, line)

    def compile_registry_file(self, kind: str, path: Path) -> RegistryResult:
        """Compile one registry file on its own: rows, IDs and references to check after the merge."""
        marks = {t: len(self.rows[t]) for t in REGISTRY_TABLES}
        mark = len(self.report.findings)
        result = RegistryResult(kind, self.rel(path))
        self.refs = result.refs
        loaded = self.load(path, REGISTRIES[kind])
        if loaded is not None:
            model, data = loaded
            entries = getattr(model, kind)
            result.ids = [(e.id, _item_line(data, kind, i)) for i, e in enumerate(entries)]
            if kind == "topics":
                self.rows["topics"] += [
                    {"topic_id": t.id, "label": t.label, "description": t.description} for t in entries
                ]
            elif kind == "actors":
                self.compile_actors(model, data, result.file)
            else:
                self.compile_events(model, data, result.file)
        from .tables import to_arrow

        for t in REGISTRY_TABLES:
            result.tables[t] = to_arrow(t, self.rows[t][marks[t]:])
            del self.rows[t][marks[t]:]
        result.findings = self.report.findings[mark:]
        del self.report.findings[mark:]
        return result

    def compile_actors(self, model: ActorRegistry, data: Any, file: str) -> None:
        lines = [_item_line(data, "actors", i) for i in range(len(model.actors))]
        for i, a in enumerate(model.actors):
            raw = data["actors"][i]
            if a.parent is not None:
                self.refs.append(("actor", a.parent, file, _key_line(raw, "parent", lines[i])))
            self.rows["actors"].append(
                {
                    "actor_id": a.id, "name": a.name, "actor_type": a.type.value, "country_code": a.country,
                    "wikidata_id": a.wikidata, "parent_actor_id": a.parent, "note": a.note,
                }
            )
            for alias in dict.fromkeys(a.aliases):
                self.rows["actor_aliases"].append({"actor_id": a.id, "alias": alias})
            seq: dict[tuple[str, str], int] = {}
            for role in sorted(a.roles, key=lambda r: (r.role, r.organization, r.start or date.min)):
                self.refs.append(("actor", role.organization, file, _key_line(raw, "roles", lines[i])))
                n = seq[(role.role, role.organization)] = seq.get((role.role, role.organization), 0) + 1
                self.rows["actor_roles"].append(
                    {
                        "actor_id": a.id, "role": role.role, "organization_actor_id": role.organization,
                        "role_seq": n, "start_date": role.start, "end_date": role.end, "source": role.source,
                    }
                )

    def compile_events(self, model: EventRegistry, data: Any, file: str) -> None:
        lines = [_item_line(data, "events", i) for i in range(len(model.events))]
        types = {t["event_type"]: t for t in self.rows["event_types"]}
        for i, e in enumerate(model.events):
            raw = data["events"][i]
            known_type = self.check_ref("event type", e.type, set(types), file, _key_line(raw, "type", lines[i]))
            default = types.get(e.type, {}) if known_type else {}
            self.rows["events"].append(
                {
                    "event_id": e.id, "event_type": e.type, "status": e.status.value,
                    "date_start": e.date_start, "date_end": e.date_end,
                    "date_precision": e.date_precision.value if e.date_precision else None,
                    "date_basis": e.date_basis.value, "date_note": e.date_note, "location": e.location,
                    "country_code": e.country, "summary": e.summary,
                    "cameo_code": e.cameo or default.get("cameo_code") or "",
                    "plover_type": e.plover or default.get("plover_type"),
                }
            )
            seen: set[str] = set()
            for j, p in enumerate(e.participants):
                pline = raw["participants"].item_lines[j] if "participants" in raw else lines[i]
                self.refs.append(("actor", p.actor, file, pline))
                if p.actor in seen:
                    self.find(DUPLICATE_ID, f"actor '{p.actor}' listed twice in event '{e.id}'", file, pline,
                              "list each participant once")
                    continue
                seen.add(p.actor)
                self.rows["event_participants"].append(
                    {"event_id": e.id, "actor_id": p.actor, "role": p.role.value, "capacity": p.capacity}
                )

    # -- articles ------------------------------------------------------------------
    def load_article(self, path: Path) -> tuple[ArticleSource, Any] | None:
        """Load an annotation file; on schema errors keep every entry that is valid on its own.

        So one bad entry does not hide the problems (missing quotes, unknown IDs) of the others:
        a work-in-progress file gets every problem reported at once.
        """
        file = self.rel(path)
        try:
            data = parse_yaml(path.read_text(encoding="utf-8"), file)
        except SourceFileError as exc:
            self.report.findings.extend(exc.findings)
            return None
        except (OSError, UnicodeDecodeError) as exc:
            self.find(SOURCE_SCHEMA, f"cannot read file: {exc}", file, None)
            return None
        try:
            model = validate_source(AnnotationFile, data, file)
            sections = {key: list(enumerate(getattr(model, key))) for key in SECTIONS}
            return ArticleSource(model.article, sections, len(model.suggestions)), data
        except SourceFileError as exc:
            self.report.findings.extend(exc.findings)
        if not isinstance(data, LineDict) or not isinstance(data.get("article"), LineDict):
            return None
        try:
            meta = ArticleMeta.model_validate(data["article"])
        except ValidationError:
            return None
        sections: dict[str, list[tuple[int, Any]]] = {}
        invalid: dict[str, list[int]] = {}
        for key, model in SECTIONS.items():
            items = data.get(key)
            sections[key], invalid[key] = [], []
            for i, item in enumerate(items if isinstance(items, list) else []):
                try:
                    sections[key].append((i, model.model_validate(item)))
                except ValidationError:
                    invalid[key].append(i)  # its schema error is already reported above
        suggestions = data.get("suggestions")
        count = len(suggestions) if isinstance(suggestions, list) else 0
        return ArticleSource(meta, sections, count, invalid), data

    def compile_all(self, only: str | None = None) -> None:
        """Compile the registries and the annotation files (only ``only``'s, when given).

        Every file compiles on its own, on every core: annotation files do not wait for the
        registries, they record which IDs they reference, and once the registries are merged
        any file that references an unknown ID is compiled again here to report it with its line.
        With a cache, unchanged files are not compiled at all (see :mod:`.cache`).
        """
        cache = self.cache
        registry_files = self.registry_files()
        folder = self.seeds / "annotations"
        # Names and strings, not Path objects, for the per-file work of a large corpus.
        names = sorted(e.name for e in os.scandir(folder) if e.name.endswith(".yaml")) if folder.is_dir() else []
        if only is not None:
            names = [n for n in names if n == f"{only}.yaml"]
        folder_str, folder_rel = str(folder), self.rel(folder)
        rels = [f"{folder_rel}/{n}" for n in names]
        registry: list[RegistryResult | None] = [None] * len(registry_files)
        articles: list[FileResult | None] = [None] * len(names)
        registry_shas = [cache.sha(p, self.rel(p)) if cache and p.is_file() else None for _, p in registry_files]
        yaml_shas = [cache.sha(f"{folder_str}/{n}", r) if cache else None for n, r in zip(names, rels)]
        if cache is not None:
            for i, (_, path) in enumerate(registry_files):
                registry[i] = cache.registry_result(self.rel(path), registry_shas[i]) if registry_shas[i] else None
            if cache.articles_reusable():
                texts, texts_rel = str(self.seeds / "texts"), self.rel(self.seeds / "texts")
                for j, rel in enumerate(rels):
                    entry = cache.article(rel, yaml_shas[j], texts, texts_rel)
                    articles[j] = FileResult.from_cache(rel, entry) if entry else None
        registry_todo = [("registry", *registry_files[i]) for i, r in enumerate(registry) if r is None]
        reused = [j for j, a in enumerate(articles) if a is not None]
        registry_changed = bool(registry_todo) or (cache is not None and set(cache.manifest.get("registry", {}))
                                                   != {self.rel(p) for _, p in registry_files})
        if reused and registry_changed:
            # Reused articles stay valid only while every registry ID they could reference exists.
            self._fill(registry, registry_todo, [], [])
            self.merge_registries(registry)
            old = cache.registry_ids() if cache else None
            new = {"actor": self.actor_ids, "event": self.event_ids, "topic": self.topic_ids}
            if old is None or any(not old[k] <= new[k] for k in new):
                for j in reused:
                    articles[j] = None
            registry_todo = []
        article_todo = [("article", folder / names[j], None) for j, a in enumerate(articles) if a is None]
        self._fill(registry, registry_todo, articles, article_todo)
        if registry_todo or not (reused and registry_changed):
            self.merge_registries(registry)
        known = {"actor": self.actor_ids, "event": self.event_ids, "topic": self.topic_ids}
        for j, res in enumerate(articles):
            if not res.reused and any(value not in known[kind] for kind, value in res.refs):
                articles[j] = self.compile_file(folder / names[j])
        for j, res in enumerate(articles):
            res.yaml_sha = yaml_shas[j]
            if cache is not None and res.text_stat is not None:
                cache.shas[self.rel(self.seeds / "texts" / res.text_file)] = [res.text_stat, res.digest]
        self.registry_used = {self.rel(p): (registry_shas[i], registry[i]) for i, (_, p) in enumerate(registry_files)}
        self.merge(articles)
        self.signatures = _signatures(registry_files, registry_shas, articles, self.rel)

    def _fill(self, registry: list, registry_todo: list[tuple], articles: list, article_todo: list[tuple]) -> None:
        """Compile the tasks (on every core when worth it) and put each result in its empty slot.

        Annotation files go in batches, whose rows the worker turns into Arrow tables: compact to
        send back, and no row dicts pile up in this process."""
        cores = os.cpu_count() or 1
        size = max(1, min(BATCH_MAX_FILES, len(article_todo) // (4 * cores)))
        paths = [path for _, path, _ in article_todo]
        batches = [("batch", paths[i:i + size], None) for i in range(0, len(paths), size)]
        parallel = len(article_todo) >= PARALLEL_MIN_FILES or _registry_bytes(registry_todo) >= PARALLEL_MIN_BYTES
        self.defer_refs = True
        results = _run(registry_todo + batches, self, parallel)
        self.defer_refs = False
        files: list[FileResult] = []
        for batch in results[len(registry_todo):]:
            files += batch.files
            for name, table in batch.tables.items():
                self.parts.setdefault(name, []).append(table)
        for slots, done in ((registry, results[: len(registry_todo)]), (articles, files)):
            empty = [i for i, r in enumerate(slots) if r is None]
            for i, result in zip(empty, done):
                slots[i] = result

    def compile_batch(self, paths: list[Path]) -> BatchResult:
        """Compile annotation files; their rows come back as Arrow tables, their facts per file."""
        from .tables import to_arrow

        files = [self.compile_file(p) for p in paths]
        tables = {name: to_arrow(name, [row for f in files for row in f.rows[name]]) for name in ARTICLE_TABLES}
        for f in files:
            f.rows = {}
        return BatchResult(files, tables)

    def merge(self, results: list[FileResult]) -> None:
        """Add each file's rows in path order, refusing a second article with a used ID or text."""
        article_files: dict[str, str] = {}
        hashes: dict[str, str] = {}
        for res in results:
            self.report.findings.extend(res.findings)
            if res.article_id is None:
                continue
            if res.article_id in article_files:
                self.find(DUPLICATE_ID, f"article ID '{res.article_id}' is also used by "
                          f"{article_files[res.article_id]}", res.file, res.id_line, "give each article its own ID")
                continue
            article_files[res.article_id] = res.file
            if res.digest is None:
                continue
            if res.digest in hashes:
                self.find(TEXT_NOT_SHARED, f"text '{res.text_file}' is the same text as article "
                          f"'{hashes[res.digest]}'", res.file, res.text_line,
                          "annotate the existing article instead of adding the text twice")
                continue
            hashes[res.digest] = res.article_id
            self.article_entries[res.file] = res.cache_entry()
            if res.reused:
                self.reused_ids.add(res.article_id)
            for table, rows in res.rows.items():
                self.rows[table].extend(rows)

    def compile_file(self, path: Path) -> FileResult:
        """Compile one annotation file on its own: its rows and findings, not yet merged."""
        marks = {t: len(self.rows[t]) for t in ARTICLE_TABLES}
        mark = len(self.report.findings)
        result = FileResult(self.rel(path))
        self.seen_refs = result.refs
        loaded = self.load_article(path)
        if loaded is not None:
            model, data = loaded
            meta = model.meta
            result.article_id = meta.id
            result.id_line = _key_line(data["article"], "id", data.key_lines.get("article"))
            result.text_file = meta.text_file
            result.text_line = _key_line(data["article"], "text_file", result.id_line)
            if path.stem != meta.id:
                self.find(FILE_NAME_MATCHES_ID, f"file name '{path.name}' does not match article id '{meta.id}'",
                          result.file, result.id_line, f"rename the file to {meta.id}.yaml")
            text = self.read_text(meta.text_file, result.file, result.text_line)
            if text is not None:
                result.digest, result.text_stat = text[1], text[2]
                self.compile_article(model, data, result.file, text)
        for t in ARTICLE_TABLES:
            result.rows[t] = self.rows[t][marks[t]:]
            del self.rows[t][marks[t]:]
        result.findings = self.report.findings[mark:]
        del self.report.findings[mark:]
        return result

    def read_text(self, name: str, file: str, line: int | None) -> tuple[str, str, list[int]] | None:
        """An article's text, its SHA-256 and its stat_key (taken first, so it never outlives a change)."""
        path = self.seeds / "texts" / name
        if Path(name).name != name or not path.is_file():
            self.find(TEXT_FILE_READABLE, f"text file '{name}' not found in seeds/texts/", file, line,
                      "text_file is a file name in seeds/texts/ (copy the text there byte-identical)")
            return None
        stat = stat_key(path)
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.find(TEXT_FILE_READABLE, f"text file '{name}' is not UTF-8 ({exc.reason} at byte {exc.start})",
                      file, line, "convert the text to UTF-8 before adding it")
            return None
        return text, hashlib.sha256(raw).hexdigest(), stat

    def evidence(self, entry: Any, raw: Any, text: str, file: str, line: int | None) -> tuple[int, int] | None:
        res = resolve(text, entry.quote, entry.occurrence)
        qline = _key_line(raw, "quote", line)
        if res.problem == "missing":
            self.find(QUOTE_FOUND, f"quote not found in the article text: {entry.quote!r}", file, qline,
                      f"closest text: {closest_text(text, entry.quote)!r} (copy it verbatim: curly quotes, "
                      "diacritics and spaces matter)")
            return None
        if res.problem == "ambiguous":
            self.find(QUOTE_UNAMBIGUOUS, f"quote occurs {res.count} times: {entry.quote!r}", file, qline,
                      f"add 'occurrence: N' (1..{res.count}) or quote a longer, unique passage")
            return None
        if res.problem == "occurrence":
            self.find(QUOTE_UNAMBIGUOUS, f"occurrence {entry.occurrence} asked, but the quote occurs "
                      f"{res.count} time(s): {entry.quote!r}", file, _key_line(raw, "occurrence", qline),
                      f"use an occurrence between 1 and {res.count}")
            return None
        return res.start, res.end

    def compile_article(self, model: ArticleSource, data: Any, file: str, text_and_hash: tuple) -> None:
        text, digest = text_and_hash[:2]
        meta = model.meta
        aid = meta.id
        self.rows["articles"].append(
            {
                "article_id": aid, "title": meta.title, "outlet": meta.outlet, "author": meta.author,
                "url": meta.url, "language": meta.language, "published_date": meta.published_date,
                "published_date_earliest": meta.published_date_earliest or meta.published_date,
                "published_date_latest": meta.published_date_latest or meta.published_date,
                "published_date_basis": meta.published_date_basis.value, "text": text, "text_sha256": digest,
                "text_file": meta.text_file, "notes": "\n".join(meta.notes) or None,
            }
        )
        if model.suggestions:
            self.find(OPEN_SUGGESTIONS, f"{model.suggestions} suggestion(s) awaiting confirmation", file,
                      data.key_lines.get("suggestions"), "confirm each by moving it to its table, or delete it")
        handlers = {
            "actor_mentions": self.actor_mention,
            "event_mentions": self.event_mention,
            "positions": self.position,
            "demands": self.demand,
        }
        local_ids: dict[str, int | None] = {}
        for key, handler in handlers.items():
            for i, entry in model.sections[key]:
                raw = data[key][i]
                line = _item_line(data, key, i)
                if hasattr(entry, "id") and key in ("positions", "demands"):
                    if entry.id in local_ids:
                        self.find(DUPLICATE_ID, f"ID '{entry.id}' used twice in this file (first at line "
                                  f"{local_ids[entry.id]})", file, line, "give each position and demand its own id")
                        continue
                    local_ids[entry.id] = line
                span = self.evidence(entry, raw, text, file, line)
                handler(aid, entry, raw, file, line, span)
            for i in model.invalid.get(key, []):
                self.check_invalid_entry(data[key][i], text, file, _item_line(data, key, i))

    def check_invalid_entry(self, raw: Any, text: str, file: str, line: int | None) -> None:
        """Check the quote and IDs of an entry that failed schema validation, so all its problems show."""
        if not isinstance(raw, LineDict):
            return
        known = {"actor": self.actor_ids, "event": self.event_ids, "topic": self.topic_ids}
        for key, kind in REFERENCE_KEYS.items():
            if isinstance(raw.get(key), str):
                self.check_ref(kind, raw[key], known[kind], file, _key_line(raw, key, line))
        occurrence = raw.get("occurrence")
        if isinstance(raw.get("quote"), str) and raw["quote"] and (occurrence is None or isinstance(occurrence, int)):
            entry = Evidence.model_construct(quote=raw["quote"], occurrence=occurrence)
            self.evidence(entry, raw, text, file, line)

    def _refs(self, raw: Any, file: str, line: int | None, refs: list[tuple[str, str, str | None, set[str]]]) -> bool:
        ok = True
        for key, kind, value, known in refs:
            ok &= self.check_ref(kind, value, known, file, _key_line(raw, key, line))
        return ok

    def actor_mention(self, aid: str, e: Any, raw: Any, file: str, line: int | None, span: Any) -> bool:
        ok = self._refs(raw, file, line, [("actor", "actor", e.actor, self.actor_ids)])
        if ok and span:
            self.add_mention("actor_mentions", aid, "actor_id", e.actor, span, e.quote, file, line, {})
        return ok

    def event_mention(self, aid: str, e: Any, raw: Any, file: str, line: int | None, span: Any) -> bool:
        ok = self._refs(raw, file, line, [("event", "event", e.event, self.event_ids)])
        if ok and span:
            extra = {"reported_status": e.reported_status.value, "date_expression": e.date_expression}
            self.add_mention("event_mentions", aid, "event_id", e.event, span, e.quote, file, line, extra)
        return ok

    def add_mention(self, table: str, aid: str, key: str, ref: str, span: tuple[int, int], quote: str,
                    file: str, line: int | None, extra: dict) -> None:
        mention_id = f"{aid}/{span[0]}-{span[1]}/{ref}"
        if mention_id in self.mention_ids:
            self.find(DUPLICATE_ID, f"the same {key[:-3]} is annotated twice at this quote", file, line,
                      "delete the duplicate entry")
            return
        self.mention_ids.add(mention_id)
        row = {"mention_id": mention_id, "article_id": aid, key: ref}
        if table == "event_mentions":
            row.update(extra)
        row.update({"span_start": span[0], "span_end": span[1], "quote": quote})
        self.rows[table].append(row)

    def position(self, aid: str, e: Any, raw: Any, file: str, line: int | None, span: Any) -> bool:
        ok = self._refs(raw, file, line, [
            ("holder", "actor", e.holder, self.actor_ids), ("target", "actor", e.target, self.actor_ids),
            ("topic", "topic", e.topic, self.topic_ids), ("event", "event", e.event, self.event_ids),
        ])
        if ok and span:
            self.rows["positions"].append(
                {
                    "position_id": f"{aid}/{e.id}", "article_id": aid, "actor_id": e.holder, "topic_id": e.topic,
                    "stance": e.stance.value, "target_actor_id": e.target, "event_id": e.event,
                    "span_start": span[0], "span_end": span[1], "quote": e.quote,
                }
            )
        return ok

    def demand(self, aid: str, e: Any, raw: Any, file: str, line: int | None, span: Any) -> bool:
        ok = self._refs(raw, file, line, [
            ("claimant", "actor", e.claimant, self.actor_ids), ("addressee", "actor", e.addressee, self.actor_ids),
            ("topic", "topic", e.topic, self.topic_ids), ("event", "event", e.event, self.event_ids),
        ])
        if ok and span:
            self.rows["demands"].append(
                {
                    "demand_id": f"{aid}/{e.id}", "article_id": aid, "claimant_actor_id": e.claimant,
                    "addressee_actor_id": e.addressee, "topic_id": e.topic, "action": e.action,
                    "event_id": e.event, "status": e.status.value,
                    "span_start": span[0], "span_end": span[1], "quote": e.quote,
                }
            )
        return ok


CODEBOOK_TABLES = ("cameo_codes", "plover_types", "event_types")
REGISTRY_OUTPUTS = {
    "actors": ("actors", "actor_aliases", "actor_roles"),
    "events": ("events", "event_participants"),
    "topics": ("topics",),
}
"""The tables each registry's files alone decide (given the code, which keys the whole cache)."""


def _signatures(registry_files: list[tuple[str, Path]], registry_shas: list[str | None],
                articles: list[FileResult], rel: Any) -> dict[str, str]:
    """Per table, a hash of every source its rows come from, when all of them were hashed.

    Rows of a successful build depend only on these sources and the code: a reference that does not
    resolve is an error, so no build is written whose rows a registry change could have altered.
    Equal signatures mean the table is the one the last build wrote, so its files can be reused.
    """
    out = {name: "codebook" for name in CODEBOOK_TABLES}
    for kind, tables in REGISTRY_OUTPUTS.items():
        h = hashlib.sha256(kind.encode())
        for (k, path), sha in zip(registry_files, registry_shas):
            if k == kind:
                if sha is None:
                    return {}
                h.update(f"{rel(path)}\0{sha}\n".encode())
        out.update(dict.fromkeys(tables, h.hexdigest()))
    if any(res.yaml_sha is None for res in articles):
        return {}
    listing = "".join(f"{res.file}\0{res.yaml_sha}\0{res.text_file}\0{res.digest}\n" for res in articles)
    out.update(dict.fromkeys(ARTICLE_TABLES, hashlib.sha256(f"articles\n{listing}".encode()).hexdigest()))
    return out


_WORKER: _Compiler | None = None


def _init_worker(compiler: _Compiler) -> None:
    global _WORKER
    _WORKER = compiler


def _task_in_worker(kind: str, a: Any, b: Any) -> BatchResult | RegistryResult:
    assert _WORKER is not None
    return _WORKER.compile_registry_file(a, b) if kind == "registry" else _WORKER.compile_batch(a)


def _registry_bytes(tasks: list[tuple]) -> int:
    return sum(path.stat().st_size for _, _, path in tasks)


def _run(tasks: list[tuple], compiler: _Compiler, parallel: bool) -> list:
    """Compile every task, results in task order; on every core when ``parallel`` and the machine has several.

    Workers are forked, so they inherit ``compiler`` (codebooks, settings) without pickling it.
    """
    if not parallel or (os.cpu_count() or 1) < 2:
        _init_worker(compiler)
        return [_task_in_worker(*task) for task in tasks]
    context = multiprocessing.get_context("fork")
    chunk = max(1, min(32, len(tasks) // (4 * (os.cpu_count() or 1))))
    with ProcessPoolExecutor(os.cpu_count(), mp_context=context, initializer=_init_worker,
                             initargs=(compiler,)) as pool:
        return list(pool.map(_task_in_worker, *zip(*tasks), chunksize=chunk))


def compile_sources(seeds: Path, only_article: str | None = None, cache: BuildCache | None = None) -> Compiled:
    """Compile ``seeds/`` into rows of every table; source-rule findings go in the report.

    With ``only_article``, the registries and that one article are compiled (a quick check).
    With ``cache``, files unchanged since the cached build are taken from it instead.
    """
    compiler = _Compiler(Path(seeds))
    compiler.cache = cache
    compiler.compile_all(only_article)
    compiled = Compiled(compiler.rows, compiler.report, compiler.parts, signatures=compiler.signatures,
                        reused_articles=compiler.reused_ids)
    if cache is not None and compiler.reused_ids:
        compiled.reused = cache.article_tables(compiler.reused_ids)
    compiled.cache_state = {
        "registry": compiler.registry_used, "articles": compiler.article_entries,
        "ids": {"actor": compiler.actor_ids, "event": compiler.event_ids, "topic": compiler.topic_ids},
    }
    return compiled
