"""Compiling annotation files (one per article) and their texts into table rows.

:func:`compile_article_file` reads one annotation file and its text; :func:`compile_article` turns the
parsed entries, the text and the registry index into rows and findings. Both are pure: everything they
produce is returned, nothing is shared between files.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from diplonews.builders.compile.codebook import plover_of
from diplonews.builders.compile.common import FileOutput, RegistryIndex, id_kind, item_line, key_line
from diplonews.builders.compile.evidence import closest_text, resolve
from diplonews.builders.sources.yamlsource import (
    LineDict,
    NotRegularFile,
    SourceFileError,
    read_regular,
    read_yaml,
    validate_source,
)
from diplonews.files import stat_key
from diplonews.schema import ARTICLE_TABLES
from diplonews.schema.annotation import (
    DEMAND_PLOVER,
    ActorMentionEntry,
    AnnotationFile,
    ArticleMeta,
    DemandEntry,
    ErratumEntry,
    EventMentionEntry,
    EventRelationEntry,
    Evidence,
    PositionEntry,
    SourceEntry,
    entry_columns,
    registry_references,
)
from diplonews.schema.enums import NamedOfficeState
from diplonews.validators.findings import Finding
from diplonews.validators.source_rules import (
    FILE_NAME_MATCHES_ID,
    LOCAL_ID_UNIQUE,
    MENTION_ANNOTATED_ONCE,
    OFFICE_WORDS_AT_MENTION,
    OPEN_SUGGESTIONS,
    QUOTE_FOUND,
    QUOTE_UNAMBIGUOUS,
    REDISTRIBUTION_HAS_BASIS,
    SOURCE_CHAIN_ACYCLIC,
    SOURCE_DEFINED,
    TEXT_FILE_READABLE,
    TEXT_IN_CORPUS,
    TEXT_NOT_EMPTY,
)

SECTIONS: dict[str, type] = {
    "actor_mentions": ActorMentionEntry,
    "event_mentions": EventMentionEntry,
    "positions": PositionEntry,
    "demands": DemandEntry,
    "sources": SourceEntry,
    "event_relations": EventRelationEntry,
    "errata": ErratumEntry,
}
"""The confirmed sections of an annotation file and the model of one entry of each."""


REFERENCE_KEYS = {key: id_kind(registry) for key, registry in registry_references().items()}
"""Keys of annotation entries that hold an ID, and the kind of ID (actor, event, topic): read from the models'
``refers_to`` metadata, as the annotation-tool exports read it."""


ENTRY_COLUMNS = {model: tuple(entry_columns(model).items()) for model in (PositionEntry, DemandEntry)}
"""Per entry model whose rows are built from its declarations, (field, column) of the fields that fill a column."""


def entry_row(entry: Any) -> dict[str, Any]:
    """The columns an entry fills, as its model declares them (``column`` metadata), enums by their value."""
    row = {}
    for name, column in ENTRY_COLUMNS[type(entry)]:
        value = getattr(entry, name)
        row[column] = value.value if isinstance(value, Enum) else value
    return row


LOCAL_ID_SECTIONS = ("positions", "demands", "event_relations", "errata")
"""Sections whose entries have an annotator-given id, published as '<article_id>/<id>'."""


@dataclass
class ArticleSource:
    """One annotation file: its article block, the valid entries of each section with their index,
    and the indexes of invalid entries (still checked for quotes and references)."""

    meta: ArticleMeta
    sections: dict[str, list[tuple[int, Any]]]
    suggestions: int
    invalid: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class FileResult:
    """One annotation file compiled on its own (possibly in a worker process): the facts the merge needs
    (article ID, text and their lines), its rows and its findings."""

    file: str
    article_id: str | None = None
    id_line: int | None = None
    text_file: str | None = None
    text_line: int | None = None
    digest: str | None = None
    rows: dict[str, list[dict]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    refs: set[tuple[str, str]] = field(default_factory=set)  # (kind, ID) referenced, when compiled without an index
    reused: bool = False  # taken from an earlier build (rows elsewhere), not compiled now
    text_stat: list[int] | None = None  # the text's stat_key, taken before it was read


def load_article(path: Path, file: str) -> tuple[ArticleSource | None, Any, list[Finding]]:
    """Load an annotation file (``file``: its name in reports): its entries, the parsed YAML, and the findings
    of loading it. On schema errors every entry that is valid on its own is kept, so one bad entry does not
    hide the problems (missing quotes, unknown IDs) of the others: a work-in-progress file gets every
    problem reported at once."""
    try:
        data = read_yaml(path, file)
    except SourceFileError as exc:
        return None, None, exc.findings
    try:
        model = validate_source(AnnotationFile, data, file)
        sections = {key: list(enumerate(getattr(model, key))) for key in SECTIONS}
        return ArticleSource(model.article, sections, len(model.suggestions)), data, []
    except SourceFileError as exc:
        findings = exc.findings
    if not isinstance(data, LineDict) or not isinstance(data.get("article"), LineDict):
        return None, data, findings
    try:
        meta = ArticleMeta.model_validate(data["article"])
    except ValidationError:
        return None, data, findings
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
    return ArticleSource(meta, sections, count, invalid), data, findings


@dataclass(frozen=True)
class ArticleText:
    """An article's text as read: the text, its SHA-256 and its stat_key (taken before reading)."""

    text: str
    digest: str
    stat: list[int]


def read_text(texts: Path, name: str, out: FileOutput, line: int | None) -> ArticleText | None:
    """The text named ``name`` in the corpus folder ``texts``; None (its problem reported in ``out``) when it
    is not a readable, non-empty UTF-8 file of the corpus."""
    path = texts / name
    try:
        if Path(name).name != name or "\0" in name:
            raise FileNotFoundError(name)
        # A link within the corpus is allowed: its content is a corpus file all the same (two articles
        # over it are refused by text_not_shared). A link out publishes whatever it reaches.
        if path.is_symlink() and not out.check(TEXT_IN_CORPUS, name, os.path.realpath(path),
                                               os.path.realpath(texts), str(texts), line=line):
            return None
        stat = stat_key(path)
        raw = read_regular(path)
        text = raw.decode("utf-8")
    except NotRegularFile as exc:
        out.findings.append(exc.finding(out.file, line, f"text file '{name}'"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        out.check(TEXT_FILE_READABLE, name, exc, str(texts), line=line)
        return None
    if not out.check(TEXT_NOT_EMPTY, name, text, line=line):
        return None
    return ArticleText(text, hashlib.sha256(raw).hexdigest(), stat)


def compile_article_file(path: Path, file: str, texts: Path, index: RegistryIndex | None) -> FileResult:
    """Compile one annotation file (``file``: its name in reports) with its text from the corpus folder
    ``texts``: its rows and findings, not yet merged with any other file's.

    Without a registry ``index`` the references to registry IDs are not checked but recorded in the result
    (``refs``), so files compile while the registries are still being read."""
    result = FileResult(file)
    out = FileOutput(file, index, {t: [] for t in ARTICLE_TABLES})
    model, data, out.findings = load_article(path, file)
    if model is not None:
        meta = model.meta
        result.article_id = meta.id
        result.id_line = key_line(data["article"], "id", data.key_lines.get("article"))
        result.text_file = meta.text_file
        result.text_line = key_line(data["article"], "text_file", result.id_line)
        out.check(FILE_NAME_MATCHES_ID, path.name, meta.id, line=result.id_line)
        text = read_text(texts, meta.text_file, out, result.text_line)
        if text is not None:
            result.digest, result.text_stat = text.digest, text.stat
            compiled = compile_article(model, data, file, text, index)
            out.rows, out.findings, out.refs = compiled.rows, out.findings + compiled.findings, compiled.refs
    result.rows, result.findings, result.refs = out.rows, out.findings, out.refs
    return result


def compile_article(model: ArticleSource, data: Any, file: str, text: ArticleText,
                    index: RegistryIndex | None) -> FileOutput:
    """The rows (per article table) and findings of one parsed annotation file over its text."""
    out = FileOutput(file, index, {t: [] for t in ARTICLE_TABLES})
    _Article(out, model, data, text).compile()
    return out


class _Article:
    """Compiling one annotation file: the state of that one call (its output, its mention IDs)."""

    def __init__(self, out: FileOutput, model: ArticleSource, data: Any, text: ArticleText):
        self.out, self.model, self.data, self.text = out, model, data, text.text
        self.digest = text.digest
        self.file = out.file
        self.rows = out.rows
        # Mention IDs start with the article ID, so they can only clash within one file.
        self.mention_ids: set[str] = set()

    def evidence(self, entry: Any, raw: Any, line: int | None) -> tuple[int, int] | None:
        """The span of an entry's quote in the text; None (reported) when it is not there exactly once, or
        at the occurrence the entry names."""
        quote, text = entry.quote, self.text
        qline = key_line(raw, "quote", line)
        found = resolve(text, quote, entry.occurrence)
        if not self.out.check(QUOTE_FOUND, quote, text, found, lambda: closest_text(text, quote), line=qline):
            return None
        if not self.out.check(QUOTE_UNAMBIGUOUS, quote, found, entry.occurrence,
                              key_line(raw, "occurrence", qline), line=qline):
            return None
        if found.problem:
            return None  # an occurrence below 1: only an entry that failed its schema (reported) has one
        return found.start, found.end

    def compile(self) -> None:
        model, data, text = self.model, self.data, self.text
        meta = model.meta
        aid = meta.id
        self.rows["articles"].append(
            {
                "article_id": aid, "title": meta.title, "outlet": meta.outlet, "author": meta.author,
                "url": meta.url, "language": meta.language, "published_date": meta.published_date,
                "published_date_earliest": meta.published_date_earliest or meta.published_date,
                "published_date_latest": meta.published_date_latest or meta.published_date,
                "published_date_basis": meta.published_date_basis.value, "text": text, "text_sha256": self.digest,
                "text_file": meta.text_file, "rights": meta.rights, "text_license": meta.text_license,
                "redistributable": meta.redistributable, "rights_basis": meta.rights_basis,
                "notes": "\n".join(meta.notes) or None,
            }
        )
        self.out.check(REDISTRIBUTION_HAS_BASIS, meta,
                       line=key_line(data["article"], "redistributable", data.key_lines.get("article")))
        self.out.check(OPEN_SUGGESTIONS, model.suggestions, line=data.key_lines.get("suggestions"))
        handlers = {
            "actor_mentions": self.actor_mention,
            "event_mentions": self.event_mention,
            "positions": self.position,
            "demands": self.demand,
            "event_relations": self.event_relation,
            "errata": self.erratum,
        }
        sources = self.cited_sources(aid)
        local_ids: dict[str, int | None] = {}
        for key, handler in handlers.items():
            for i, entry in model.sections[key]:
                raw = data[key][i]
                line = item_line(data, key, i)
                if key in LOCAL_ID_SECTIONS and hasattr(entry, "id"):  # hasattr only there: a miss is slow in pydantic
                    if not self.out.check(LOCAL_ID_UNIQUE, "ID", entry.id, local_ids,
                                          "give each position, demand, relation and erratum its own id", line=line):
                        continue
                    local_ids[entry.id] = line
                cited = self.cited_by(entry, raw, sources, line)
                if cited is None:
                    continue  # an unknown source: the fact is broken, like one with an unknown ID
                span = self.evidence(entry, raw, line)
                before = len(self.rows[key])
                handler(aid, entry, raw, line, span)
                if len(self.rows[key]) > before:
                    self.attribute(aid, key, self.rows[key][-1], cited)
            for i in model.invalid.get(key, []):
                self.check_invalid_entry(data[key][i], item_line(data, key, i))
        for i in model.invalid.get("sources", []):
            self.check_invalid_entry(data["sources"][i], item_line(data, "sources", i))

    def cited_sources(self, aid: str) -> dict[str, str | None]:
        """Compile the file's `sources:` into attribution_sources rows; local id -> source_id (None for a
        source that is defined but broken, so entries citing it are not reported twice as unknown)."""
        model, data = self.model, self.data
        entries: dict[str, tuple[Any, Any, int | None]] = {}
        lines: dict[str, int | None] = {}
        out: dict[str, str | None] = {}
        for i, entry in model.sections.get("sources", []):
            raw, line = data["sources"][i], item_line(data, "sources", i)
            if not self.out.check(LOCAL_ID_UNIQUE, "source id", entry.id, lines, "give each source its own id",
                                  line=line):
                continue
            entries[entry.id] = (entry, raw, line)
            lines[entry.id] = line
        for i in model.invalid.get("sources", []):
            raw = data["sources"][i]
            if isinstance(raw, LineDict) and isinstance(raw.get("id"), str):
                out[raw["id"]] = None  # its schema error is reported; do not call it unknown as well
        rows = []
        for local, (entry, raw, line) in entries.items():
            out[local] = None
            ok = self._refs(raw, line, [("actor", "actor", entry.actor), ("event", "event", entry.event)])
            depth, seen, via = 1, [local], entry.via
            while via is not None and ok:
                if via in out and via not in entries:
                    ok = False  # relayed by a source with a schema error, reported already
                elif not self.out.check(SOURCE_DEFINED, "via", via, entries, line=key_line(raw, "via", line)):
                    ok = False
                elif not self.out.check(SOURCE_CHAIN_ACYCLIC, seen, via, line=key_line(raw, "via", line)):
                    ok = False
                else:
                    seen.append(via)
                    depth, via = depth + 1, entries[via][0].via
            span = self.evidence(entry, raw, line)
            if ok and span:
                out[local] = f"{aid}/{local}"
                rows.append({
                    "source_id": f"{aid}/{local}", "article_id": aid, "actor_id": entry.actor,
                    "via_source_id": f"{aid}/{entry.via}" if entry.via else None, "depth": depth,
                    "event_id": entry.event, "span_start": span[0], "span_end": span[1], "quote": entry.quote,
                })
        # A source relayed by a broken one is left out too (down the whole chain), and so are the
        # entries citing it (cited_by).
        while True:
            built = {r["source_id"] for r in rows}
            kept = [r for r in rows if r["via_source_id"] is None or r["via_source_id"] in built]
            if len(kept) == len(rows):
                break
            rows = kept
        self.rows["attribution_sources"] += rows
        return {local: (sid if sid in built else None) for local, sid in out.items()}

    def cited_by(self, entry: Any, raw: Any, sources: dict[str, str | None],
                 line: int | None) -> list[str | None] | None:
        """The source_ids an entry names in `source:` ([None] = the article itself); None when one is unknown."""
        # Not getattr(entry, "source", None): on a model without the field, pydantic's miss path is slow.
        names = entry.source if "source" in type(entry).model_fields else None
        if names is None:
            return [None]
        names = [names] if isinstance(names, str) else list(dict.fromkeys(names))
        unknown = [n for n in names if n not in sources]
        if unknown:
            self.out.check(SOURCE_DEFINED, "source", unknown[0], sources, line=key_line(raw, "source", line))
            return None
        if any(sources[n] is None for n in names):
            return None  # the source itself is broken and already reported
        return [sources[n] for n in names]

    def attribute(self, aid: str, table: str, row: dict, cited: list[str | None]) -> None:
        """One attributions row per source of a built event mention, position or demand."""
        column = {"event_mentions": "mention_id", "positions": "position_id", "demands": "demand_id"}.get(table)
        if column is None:
            return  # actor mentions state no fact to attribute
        for source_id in cited:
            local = source_id.rsplit("/", 1)[1] if source_id else "author"
            self.rows["attributions"].append({
                "attribution_id": f"{row[column]}:{local}", "article_id": aid,
                "mention_id": None, "position_id": None, "demand_id": None, column: row[column],
                "source_id": source_id,
            })

    def check_invalid_entry(self, raw: Any, line: int | None) -> None:
        """Check the quote and IDs of an entry that failed schema validation, so all its problems show."""
        if not isinstance(raw, LineDict):
            return
        for key, kind in REFERENCE_KEYS.items():
            value = raw.get(key)
            for one in value if isinstance(value, list) else [value]:  # several addressees are a list
                if isinstance(one, str):
                    self.out.ref(kind, one, key_line(raw, key, line))
        occurrence = raw.get("occurrence")
        if isinstance(raw.get("quote"), str) and raw["quote"] and (occurrence is None or isinstance(occurrence, int)):
            entry = Evidence.model_construct(quote=raw["quote"], occurrence=occurrence)
            self.evidence(entry, raw, line)

    def _refs(self, raw: Any, line: int | None, refs: list[tuple[str, str, str | None]]) -> bool:
        """Check each (key, kind, ID) reference of an entry, at the line of its key; True when all resolve."""
        ok = True
        for key, kind, value in refs:
            ok &= self.out.ref(kind, value, key_line(raw, key, line))
        return ok

    def actor_mention(self, aid: str, e: Any, raw: Any, line: int | None, span: Any) -> bool:
        ok = self._refs(raw, line, [("actor", "actor", e.actor)])
        if ok and span and self.out.check(OFFICE_WORDS_AT_MENTION, e, self.text, span,
                                          line=key_line(raw, "office_words", line)):
            office = {"as_office": e.as_office, "office_words": e.office_words,
                      "office_state": (e.office_state or NamedOfficeState.held).value if e.as_office else None}
            self.add_mention("actor_mentions", aid, "actor_id", e.actor, span, e.quote, line, office)
        return ok

    def event_mention(self, aid: str, e: Any, raw: Any, line: int | None, span: Any) -> bool:
        ok = self._refs(raw, line, [("event", "event", e.event), ("condition_event", "event", e.condition_event)])
        if ok and span:
            extra = {"reported_status": e.reported_status.value, "date_expression": e.date_expression,
                     "condition_event_id": e.condition_event, "denial_scope_start": e.denial_scope_start,
                     "denial_scope_end": e.denial_scope_end}
            self.add_mention("event_mentions", aid, "event_id", e.event, span, e.quote, line, extra)
        return ok

    def add_mention(self, table: str, aid: str, key: str, ref: str, span: tuple[int, int], quote: str,
                    line: int | None, extra: dict) -> None:
        mention_id = f"{aid}/{span[0]}-{span[1]}/{ref}"
        if not self.out.check(MENTION_ANNOTATED_ONCE, key[:-3], mention_id, self.mention_ids, line=line):
            return
        self.mention_ids.add(mention_id)
        # ``extra``: the columns of this table beyond the referent and the evidence (assemble orders them).
        self.rows[table].append({"mention_id": mention_id, "article_id": aid, key: ref, **extra,
                                 "span_start": span[0], "span_end": span[1], "quote": quote})

    def position(self, aid: str, e: Any, raw: Any, line: int | None, span: Any) -> bool:
        ok = self._refs(raw, line, [
            ("holder", "actor", e.holder), ("target", "actor", e.target),
            ("topic", "topic", e.topic), ("event", "event", e.event),
        ])
        if ok and span:
            # The entry's own columns (holder, topic, stance, ...) come from PositionEntry's declarations.
            self.rows["positions"].append(
                {
                    "position_id": f"{aid}/{e.id}", "article_id": aid, **entry_row(e),
                    "span_start": span[0], "span_end": span[1],
                    "plover_type": e.plover or plover_of(e.cameo),
                }
            )
        return ok

    def demand(self, aid: str, e: Any, raw: Any, line: int | None, span: Any) -> bool:
        ok = self._refs(raw, line, [
            ("claimant", "actor", e.claimant), *[("addressee", "actor", a) for a in e.addressees],
            ("topic", "topic", e.topic), ("event", "event", e.event),
        ])
        if ok and span:
            # The entry's own columns (claimant, topic, action, ...) come from DemandEntry's declarations; the
            # first addressee and the PLOVER type are derived here.
            self.rows["demands"].append(
                {
                    "demand_id": f"{aid}/{e.id}", "article_id": aid, **entry_row(e),
                    "span_start": span[0], "span_end": span[1],
                    "addressee_actor_id": e.addressees[0],
                    "plover_type": e.plover or plover_of(e.cameo) or DEMAND_PLOVER,
                }
            )
            self.rows["demand_addressees"] += [
                {"demand_id": f"{aid}/{e.id}", "article_id": aid, "actor_id": a, "addressee_seq": n}
                for n, a in enumerate(e.addressees, start=1)]
        return ok

    def event_relation(self, aid: str, e: Any, raw: Any, line: int | None, span: Any) -> bool:
        ok = self._refs(raw, line, [("source_event", "event", e.source_event),
                                    ("target_event", "event", e.target_event)])
        if ok and span:
            self.rows["event_relations"].append(
                {
                    "relation_id": f"{aid}/{e.id}", "article_id": aid, "source_event_id": e.source_event,
                    "relation_type": e.type.value, "target_event_id": e.target_event,
                    "span_start": span[0], "span_end": span[1], "quote": e.quote,
                }
            )
        return ok

    def erratum(self, aid: str, e: Any, raw: Any, line: int | None, span: Any) -> bool:
        if span:
            self.rows["errata"].append(
                {
                    "erratum_id": f"{aid}/{e.id}", "article_id": aid, "erratum_kind": e.kind.value,
                    "what_is_wrong": e.what_is_wrong, "correction": e.correction, "correction_basis": e.basis,
                    "span_start": span[0], "span_end": span[1], "quote": e.quote,
                }
            )
        return True
