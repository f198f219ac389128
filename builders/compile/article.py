"""Compiling annotation files (one per article) and their texts into table rows."""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from diplonews.builders.compile.codebook import plover_of
from diplonews.builders.compile.common import CompilerBase, clip, item_line, key_line
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
    registry_references,
)
from diplonews.schema.enums import NamedOfficeState
from diplonews.validators.findings import Finding, finding_from_dict, finding_to_dict
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


REFERENCE_KEYS = {key: registry.removesuffix("s") for key, registry in registry_references().items()}
"""Keys of annotation entries that hold an ID, and the kind of ID (actor, event, topic): read from the models'
``refers_to`` metadata, as the annotation-tool exports read it."""


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


class ArticleCompiler(CompilerBase):
    """Compiles annotation files, each on its own (so in any worker), against the registry IDs."""

    mention_ids: set[str]  # of the file being compiled

    def load_article(self, path: Path) -> tuple[ArticleSource, Any] | None:
        """Load an annotation file; on schema errors keep every entry that is valid on its own.

        So one bad entry does not hide the problems (missing quotes, unknown IDs) of the others:
        a work-in-progress file gets every problem reported at once.
        """
        file = self.rel(path)
        try:
            data = read_yaml(path, file)
        except SourceFileError as exc:
            self.report.findings.extend(exc.findings)
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

    def compile_file(self, path: Path) -> FileResult:
        """Compile one annotation file on its own: its rows and findings, not yet merged."""
        marks = {t: len(self.rows[t]) for t in ARTICLE_TABLES}
        mark = len(self.report.findings)
        result = FileResult(self.rel(path))
        self.seen_refs = result.refs
        # Mention IDs start with the article ID, so they can only clash within one file; a set per file
        # also keeps a file compiled again (to report an unknown reference) from clashing with itself.
        self.mention_ids = set()
        loaded = self.load_article(path)
        if loaded is not None:
            model, data = loaded
            meta = model.meta
            result.article_id = meta.id
            result.id_line = key_line(data["article"], "id", data.key_lines.get("article"))
            result.text_file = meta.text_file
            result.text_line = key_line(data["article"], "text_file", result.id_line)
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
        texts = self.seeds / "texts"
        path = texts / name
        try:
            if Path(name).name != name or "\0" in name:
                raise FileNotFoundError(name)
            if path.is_symlink():
                target = os.path.realpath(path)
                if not Path(target).is_relative_to(os.path.realpath(texts)):
                    # A link within the corpus is allowed: its content is a corpus file all the same (two
                    # articles over it are refused by text_not_shared). A link out publishes whatever it reaches.
                    self.find(TEXT_IN_CORPUS, f"text file '{name}' is a link to {clip(target)}, outside "
                              "seeds/texts/", file, line, "copy the text itself into seeds/texts/ instead of linking to it")
                    return None
            stat = stat_key(path)
            raw = read_regular(path)
        except FileNotFoundError:
            self.find(TEXT_FILE_READABLE, f"text file '{clip(name)}' not found in seeds/texts/", file, line,
                      "text_file is a file name in seeds/texts/ (copy the text there byte-identical)")
            return None
        except NotRegularFile as exc:
            self.report.findings.append(exc.finding(file, line, f"text file '{name}'"))
            return None
        except OSError as exc:
            self.find(TEXT_FILE_READABLE, f"text file '{clip(name)}' cannot be read: {exc.strerror}", file, line,
                      "text_file is a file name in seeds/texts/, readable by you")
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.find(TEXT_FILE_READABLE, f"text file '{name}' is not UTF-8 ({exc.reason} at byte {exc.start})",
                      file, line, "convert the text to UTF-8 before adding it")
            return None
        if not text.strip():
            self.find(TEXT_NOT_EMPTY, f"text file '{name}' is empty" + (" (only white space)" if text else ""),
                      file, line, "put the article's text in the file, or remove this annotation file")
            return None
        return text, hashlib.sha256(raw).hexdigest(), stat

    def evidence(self, entry: Any, raw: Any, text: str, file: str, line: int | None) -> tuple[int, int] | None:
        quote = entry.quote
        qline = key_line(raw, "quote", line)
        if len(quote) > len(text):
            self.find(QUOTE_FOUND, f"quote of {len(quote):,} characters is longer than the article text "
                      f"({len(text):,}), so it cannot be in it: {clip(quote)!r}", file, qline,
                      "quote a passage of the text, copied verbatim")
            return None
        res = resolve(text, quote, entry.occurrence)
        if res.problem == "missing":
            closest = closest_text(text, quote)
            self.find(QUOTE_FOUND, f"quote not found in the article text: {clip(quote)!r}", file, qline,
                      (f"closest text: {closest!r} (" if closest else "copy it from the text (")
                      + "verbatim: curly quotes, diacritics and spaces matter)")
            return None
        if res.problem == "ambiguous":
            self.find(QUOTE_UNAMBIGUOUS, f"quote occurs {res.count} times: {clip(quote)!r}", file, qline,
                      f"add 'occurrence: N' (1..{res.count}) or quote a longer, unique passage")
            return None
        if res.problem == "occurrence":
            self.find(QUOTE_UNAMBIGUOUS, f"occurrence {entry.occurrence} asked, but the quote occurs "
                      f"{res.count} time(s): {clip(quote)!r}", file, key_line(raw, "occurrence", qline),
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
                "text_file": meta.text_file, "rights": meta.rights, "text_license": meta.text_license,
                "redistributable": meta.redistributable, "rights_basis": meta.rights_basis,
                "notes": "\n".join(meta.notes) or None,
            }
        )
        if meta.redistributable and not (meta.rights_basis or "").strip():
            self.find(REDISTRIBUTION_HAS_BASIS, "redistributable: true without a rights_basis", file,
                      key_line(data["article"], "redistributable", data.key_lines.get("article")),
                      "add rights_basis naming the licence notice or permission, or set redistributable: false")
        if model.suggestions:
            self.find(OPEN_SUGGESTIONS, f"{model.suggestions} suggestion(s) awaiting confirmation", file,
                      data.key_lines.get("suggestions"), "confirm each by moving it to its table, or delete it")
        handlers = {
            "actor_mentions": functools.partial(self.actor_mention, text=text),
            "event_mentions": self.event_mention,
            "positions": self.position,
            "demands": self.demand,
            "event_relations": self.event_relation,
            "errata": self.erratum,
        }
        sources = self.cited_sources(aid, model, data, file, text)
        local_ids: dict[str, int | None] = {}
        for key, handler in handlers.items():
            for i, entry in model.sections[key]:
                raw = data[key][i]
                line = item_line(data, key, i)
                if hasattr(entry, "id") and key in LOCAL_ID_SECTIONS:
                    if entry.id in local_ids:
                        self.find(LOCAL_ID_UNIQUE, f"ID '{entry.id}' used twice in this file (first at line "
                                  f"{local_ids[entry.id]})", file, line, "give each position, demand, relation and erratum its own id")
                        continue
                    local_ids[entry.id] = line
                cited = self.cited_by(entry, raw, sources, file, line)
                if cited is None:
                    continue  # an unknown source: the fact is broken, like one with an unknown ID
                span = self.evidence(entry, raw, text, file, line)
                before = len(self.rows[key])
                handler(aid, entry, raw, file, line, span)
                if len(self.rows[key]) > before:
                    self.attribute(aid, key, self.rows[key][-1], cited)
            for i in model.invalid.get(key, []):
                self.check_invalid_entry(data[key][i], text, file, item_line(data, key, i))
        for i in model.invalid.get("sources", []):
            self.check_invalid_entry(data["sources"][i], text, file, item_line(data, "sources", i))

    def cited_sources(self, aid: str, model: ArticleSource, data: Any, file: str, text: str) -> dict[str, str | None]:
        """Compile the file's `sources:` into attribution_sources rows; local id -> source_id (None for a
        source that is defined but broken, so entries citing it are not reported twice as unknown)."""
        entries: dict[str, tuple[Any, Any, int | None]] = {}
        out: dict[str, str | None] = {}
        for i, entry in model.sections.get("sources", []):
            raw, line = data["sources"][i], item_line(data, "sources", i)
            if entry.id in entries:
                self.find(LOCAL_ID_UNIQUE, f"source id '{entry.id}' used twice in this file (first at line "
                          f"{entries[entry.id][2]})", file, line, "give each source its own id")
                continue
            entries[entry.id] = (entry, raw, line)
        for i in model.invalid.get("sources", []):
            raw = data["sources"][i]
            if isinstance(raw, LineDict) and isinstance(raw.get("id"), str):
                out[raw["id"]] = None  # its schema error is reported; do not call it unknown as well
        rows = []
        for local, (entry, raw, line) in entries.items():
            out[local] = None
            ok = self._refs(raw, file, line, [("actor", "actor", entry.actor, self.actor_ids),
                                              ("event", "event", entry.event, self.event_ids)])
            depth, seen, via = 1, [local], entry.via
            while via is not None and ok:
                if via in out and via not in entries:
                    ok = False  # relayed by a source with a schema error, reported already
                elif via not in entries:
                    known = ", ".join(sorted(entries)) or "none"
                    self.find(SOURCE_DEFINED, f"via: '{clip(via)}' is not a source of this file", file,
                              key_line(raw, "via", line), f"name one of this file's sources ({clip(known)}), or "
                              "omit via when the article cites the source itself")
                    ok = False
                elif via in seen:
                    self.find(SOURCE_CHAIN_ACYCLIC, "sources relay each other in a circle: "
                              + " -> ".join([*seen, via]), file, key_line(raw, "via", line),
                              "the chain must end at a source the article cites itself (one without via)")
                    ok = False
                else:
                    seen.append(via)
                    depth, via = depth + 1, entries[via][0].via
            span = self.evidence(entry, raw, text, file, line)
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

    def cited_by(self, entry: Any, raw: Any, sources: dict[str, str | None], file: str,
                 line: int | None) -> list[str | None] | None:
        """The source_ids an entry names in `source:` ([None] = the article itself); None when one is unknown."""
        names = getattr(entry, "source", None)
        if names is None:
            return [None]
        names = [names] if isinstance(names, str) else list(dict.fromkeys(names))
        unknown = [n for n in names if n not in sources]
        if unknown:
            known = ", ".join(sorted(sources)) or "none"
            self.find(SOURCE_DEFINED, f"source: '{clip(unknown[0])}' is not a source of this file", file,
                      key_line(raw, "source", line), f"add it under sources: (with the words that cite it), or "
                      f"name one of {clip(known)}")
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

    def check_invalid_entry(self, raw: Any, text: str, file: str, line: int | None) -> None:
        """Check the quote and IDs of an entry that failed schema validation, so all its problems show."""
        if not isinstance(raw, LineDict):
            return
        known = {"actor": self.actor_ids, "event": self.event_ids, "topic": self.topic_ids}
        for key, kind in REFERENCE_KEYS.items():
            value = raw.get(key)
            for one in value if isinstance(value, list) else [value]:  # several addressees are a list
                if isinstance(one, str):
                    self.check_ref(kind, one, known[kind], file, key_line(raw, key, line))
        occurrence = raw.get("occurrence")
        if isinstance(raw.get("quote"), str) and raw["quote"] and (occurrence is None or isinstance(occurrence, int)):
            entry = Evidence.model_construct(quote=raw["quote"], occurrence=occurrence)
            self.evidence(entry, raw, text, file, line)

    def _refs(self, raw: Any, file: str, line: int | None, refs: list[tuple[str, str, str | None, set[str]]]) -> bool:
        ok = True
        for key, kind, value, known in refs:
            ok &= self.check_ref(kind, value, known, file, key_line(raw, key, line))
        return ok

    def actor_mention(self, aid: str, e: Any, raw: Any, file: str, line: int | None, span: Any, *, text: str) -> bool:
        ok = self._refs(raw, file, line, [("actor", "actor", e.actor, self.actor_ids)])
        if ok and span and self.office_words_at(e, raw, text, file, line, span):
            office = {"as_office": e.as_office, "office_words": e.office_words,
                      "office_state": (e.office_state or NamedOfficeState.held).value if e.as_office else None}
            self.add_mention("actor_mentions", aid, "actor_id", e.actor, span, e.quote, file, line, office)
        return ok

    def office_words_at(self, e: Any, raw: Any, text: str, file: str, line: int | None, span: tuple[int, int]) -> bool:
        """Whether the words naming the office are in the mention's quote or end just before it (spaces between)."""
        words = e.office_words
        if words is None or words in e.quote or text[:span[0]].rstrip().endswith(words):
            return True
        before = text[max(0, span[0] - 60):span[0]]
        self.find(OFFICE_WORDS_AT_MENTION, f"office_words {clip(words)!r} are neither in the quote {clip(e.quote)!r} "
                  f"nor directly before it", file, key_line(raw, "office_words", line),
                  f"copy the title verbatim from the text at the mention; it is preceded by: {before!r}")
        return False

    def event_mention(self, aid: str, e: Any, raw: Any, file: str, line: int | None, span: Any) -> bool:
        ok = self._refs(raw, file, line, [("event", "event", e.event, self.event_ids),
                                          ("condition_event", "event", e.condition_event, self.event_ids)])
        if ok and span:
            extra = {"reported_status": e.reported_status.value, "date_expression": e.date_expression,
                     "condition_event_id": e.condition_event, "denial_scope_start": e.denial_scope_start,
                     "denial_scope_end": e.denial_scope_end}
            self.add_mention("event_mentions", aid, "event_id", e.event, span, e.quote, file, line, extra)
        return ok

    def add_mention(self, table: str, aid: str, key: str, ref: str, span: tuple[int, int], quote: str,
                    file: str, line: int | None, extra: dict) -> None:
        mention_id = f"{aid}/{span[0]}-{span[1]}/{ref}"
        if mention_id in self.mention_ids:
            self.find(MENTION_ANNOTATED_ONCE, f"the same {key[:-3]} is annotated twice at this quote", file, line,
                      "delete the duplicate entry")
            return
        self.mention_ids.add(mention_id)
        # ``extra``: the columns of this table beyond the referent and the evidence (assemble orders them).
        self.rows[table].append({"mention_id": mention_id, "article_id": aid, key: ref, **extra,
                                 "span_start": span[0], "span_end": span[1], "quote": quote})

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
                    "cameo_code": e.cameo, "plover_type": e.plover or plover_of(e.cameo),
                    "holds_from": e.holds_from, "holds_until": e.holds_until, "holds_basis": e.holds_basis,
                }
            )
        return ok

    def demand(self, aid: str, e: Any, raw: Any, file: str, line: int | None, span: Any) -> bool:
        ok = self._refs(raw, file, line, [
            ("claimant", "actor", e.claimant, self.actor_ids),
            *[("addressee", "actor", a, self.actor_ids) for a in e.addressees],
            ("topic", "topic", e.topic, self.topic_ids), ("event", "event", e.event, self.event_ids),
        ])
        if ok and span:
            self.rows["demands"].append(
                {
                    "demand_id": f"{aid}/{e.id}", "article_id": aid, "claimant_actor_id": e.claimant,
                    "addressee_actor_id": e.addressees[0], "topic_id": e.topic, "action": e.action,
                    "event_id": e.event, "demand_status": e.status.value,
                    "span_start": span[0], "span_end": span[1], "quote": e.quote,
                    "cameo_code": e.cameo, "plover_type": e.plover or plover_of(e.cameo) or DEMAND_PLOVER,
                }
            )
            self.rows["demand_addressees"] += [
                {"demand_id": f"{aid}/{e.id}", "article_id": aid, "actor_id": a, "addressee_seq": n}
                for n, a in enumerate(e.addressees, start=1)]
        return ok

    def event_relation(self, aid: str, e: Any, raw: Any, file: str, line: int | None, span: Any) -> bool:
        ok = self._refs(raw, file, line, [
            ("source_event", "event", e.source_event, self.event_ids),
            ("target_event", "event", e.target_event, self.event_ids),
        ])
        if ok and span:
            self.rows["event_relations"].append(
                {
                    "relation_id": f"{aid}/{e.id}", "article_id": aid, "source_event_id": e.source_event,
                    "relation_type": e.type.value, "target_event_id": e.target_event,
                    "span_start": span[0], "span_end": span[1], "quote": e.quote,
                }
            )
        return ok

    def erratum(self, aid: str, e: Any, raw: Any, file: str, line: int | None, span: Any) -> bool:
        if span:
            self.rows["errata"].append(
                {
                    "erratum_id": f"{aid}/{e.id}", "article_id": aid, "erratum_kind": e.kind.value,
                    "what_is_wrong": e.what_is_wrong, "correction": e.correction, "correction_basis": e.basis,
                    "span_start": span[0], "span_end": span[1], "quote": e.quote,
                }
            )
        return True
