"""Placing findings on the built tables where the annotator wrote what they flag: file, line and values.

The cross-table rules (:mod:`diplonews.validators.dataset_rules`) see only table rows, so their
findings name a row (``events[2025-…]``). :func:`locate` maps each back to its source the way the
compiler built it: an article row comes from ``annotations/<article_id>.yaml``; registry rows are
found by their ID in the registry files; mention, position and demand IDs are taken apart as
:mod:`.compile_article` builds them. Only the files that findings point into are read again, and
only when there are such findings, so a clean build pays nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from diplonews.builders.compile.evidence import resolve
from diplonews.builders.compile.registry import registry_files
from diplonews.builders.sources.yamlsource import LineDict, LineList, SourceFileError, parse_yaml
from diplonews.schema import TABLES_BY_NAME
from diplonews.schema.fields import alias_key
from diplonews.validators.findings import Finding, Report

__all__ = ["COLUMN_KEYS", "Entry", "locate"]

_EVIDENCE_KEYS = {"span_start": ("quote",), "span_end": ("quote",)}

COLUMN_KEYS: dict[str, dict[str, tuple[str, ...]]] = {
    "articles": {
        "article_id": ("id",), "text": ("text_file",), "text_sha256": ("text_file",),
        # The compiler takes a missing interval bound from published_date.
        "published_date_earliest": ("published_date_earliest", "published_date"),
        "published_date_latest": ("published_date_latest", "published_date"),
    },
    "actors": {"actor_id": ("id",), "actor_type": ("type",), "country_code": ("country",),
               "wikidata_id": ("wikidata",), "parent_actor_id": ("parent",)},
    "actor_roles": {"organization_actor_id": ("organization",), "start_date": ("start",), "end_date": ("end",)},
    "topics": {"topic_id": ("id",)},
    "events": {"event_id": ("id",), "event_type": ("type",), "country_code": ("country",),
               # The codes default to those of the event type.
               "cameo_code": ("cameo", "type"), "plover_type": ("plover", "type")},
    "event_participants": {"actor_id": ("actor",)},
    "actor_mentions": {"actor_id": ("actor",), **_EVIDENCE_KEYS},
    "event_mentions": {"event_id": ("event",), "condition_event_id": ("condition_event",), **_EVIDENCE_KEYS},
    "positions": {"position_id": ("id",), "actor_id": ("holder",), "topic_id": ("topic",),
                  "target_actor_id": ("target",), "event_id": ("event",), "cameo_code": ("cameo",),
                  # The PLOVER type defaults to the code's.
                  "plover_type": ("plover", "cameo"), **_EVIDENCE_KEYS},
    "demands": {"demand_id": ("id",), "claimant_actor_id": ("claimant",), "addressee_actor_id": ("addressee",),
                "topic_id": ("topic",), "event_id": ("event",), "demand_status": ("status",),
                "cameo_code": ("cameo",), "plover_type": ("plover", "cameo"), **_EVIDENCE_KEYS},
    "attribution_sources": {"source_id": ("id",), "actor_id": ("actor",), "via_source_id": ("via",),
                            "depth": ("via",), "event_id": ("event",), **_EVIDENCE_KEYS},
    "attributions": {"source_id": ("source",)},
    "demand_addressees": {"demand_id": ("id",), "actor_id": ("addressee",)},
    "event_relations": {"relation_id": ("id",), "source_event_id": ("source_event",), "relation_type": ("type",),
                        "target_event_id": ("target_event",), **_EVIDENCE_KEYS},
    "errata": {"erratum_id": ("id",), "erratum_kind": ("kind",), "correction_basis": ("basis",), **_EVIDENCE_KEYS},
}
"""Per table, the source keys a column is compiled from, where they are not the column's own name."""


@dataclass(frozen=True)
class Entry:
    """Where a table row was written: its file (named as reports name source files), its line, and
    the mapping it was compiled from (keys with their lines)."""

    file: str
    line: int | None
    data: LineDict

    def key(self, *keys: str) -> str | None:
        """The first of ``keys`` given a value here, else the first written at all (as ``null``)."""
        written = [k for k in keys if k in self.data]
        return next((k for k in written if self.data[k] is not None), written[0] if written else None)

    def line_of(self, *keys: str) -> int | None:
        """The line of the first of ``keys`` written here (see :meth:`key`), else the entry's own line."""
        key = self.key(*keys)
        return self.line if key is None else self.data.key_lines.get(key, self.line)

    def where(self, here: str, line: int | None = None) -> str:
        """'line N' in the file ``here``, else 'file:N' (``line`` defaults to the entry's)."""
        line = self.line if line is None else line
        return f"line {line}" if self.file == here else f"{self.file}:{line}"

    def shown(self, keys: tuple[str, ...], here: str) -> list[str]:
        """'key value (line N)' for each of ``keys`` written here."""
        return [f"{k} {_text(self.data[k])} ({self.where(here, self.data.key_lines.get(k))})"
                for k in keys if k in self.data]


def _text(value: Any) -> str:
    return "null" if value is None else str(value)


def _items(data: Any, key: str) -> Iterator[tuple[int, Any]]:
    """(line, item) of each item of the sequence ``data[key]``; nothing if it is not one."""
    seq = data.get(key) if isinstance(data, LineDict) else None
    return zip(seq.item_lines, seq) if isinstance(seq, LineList) else iter(())


def _entries(data: Any, key: str) -> Iterator[tuple[int, LineDict]]:
    """(line, item) of each mapping in the sequence ``data[key]`` (a garbled item is skipped)."""
    return ((line, item) for line, item in _items(data, key) if isinstance(item, LineDict))


class _Sources:
    """The seed files findings point into, each read and parsed at most once, and only when asked for."""

    def __init__(self, seeds: Path):
        self.seeds = seeds
        self._texts: dict[Path, str | None] = {}
        self._docs: dict[Path, Any] = {}
        self._ids: dict[Path, dict[Any, tuple[int, LineDict]]] = {}

    def name(self, path: Path) -> str:
        """The path as the compiler names files in findings: under the seeds folder as the user gave it."""
        return str(path)

    def text(self, path: Path) -> str | None:
        """The file's text; None when it cannot be read (deleted or not UTF-8 since the build)."""
        if path not in self._texts:
            try:
                # Bytes decoded as the compiler decodes them: read_text would turn CRLF into LF and shift every
                # offset after a line end, so no entry of a CRLF text resolved to its mention's span.
                self._texts[path] = path.read_bytes().decode("utf-8")
            except (OSError, ValueError):  # ValueError: not UTF-8, or a NUL in a name taken from a key
                self._texts[path] = None
        return self._texts[path]

    def doc(self, path: Path) -> Any:
        """The file parsed with lines; None when it cannot be read or parsed."""
        if path not in self._docs:
            text = self.text(path)
            try:
                self._docs[path] = None if text is None else parse_yaml(text, self.name(path))
            except SourceFileError:
                self._docs[path] = None
        return self._docs[path]

    @cached_property
    def registry_paths(self) -> list[tuple[str, Path]]:
        """(kind, path) of every registry file, as the compiler reads them."""
        return registry_files(self.seeds)

    def registry(self, kind: str, value: Any) -> Entry | None:
        """The entry with ID ``value`` in the ``kind`` registry (actors, events or topics)."""
        if not isinstance(value, str):
            return None
        for k, path in self.registry_paths:
            if k != kind:
                continue
            if path not in self._ids:
                text = self.text(path)
                # Most parts of a split registry do not hold the ID: they are not parsed (yet).
                if text is None or value not in text:
                    continue
                self._ids[path] = {}
                for line, item in _entries(self.doc(path), kind):
                    if isinstance(item.get("id"), str):
                        self._ids[path].setdefault(item["id"], (line, item))  # the first, as the compiler
            if value in self._ids[path]:
                return Entry(self.name(path), *self._ids[path][value])
        return None

    def annotation(self, article_id: Any) -> tuple[str, LineDict] | None:
        """The name and content of an article's annotation file."""
        if not isinstance(article_id, str) or Path(article_id).name != article_id:
            return None  # not an ID that names a file in annotations/
        path = self.seeds / "annotations" / f"{article_id}.yaml"
        doc = self.doc(path)
        return (self.name(path), doc) if isinstance(doc, LineDict) else None

    def article(self, article_id: Any) -> Entry | None:
        """The ``article:`` block of an article's annotation file."""
        found = self.annotation(article_id)
        if found is None or not isinstance(found[1].get("article"), LineDict):
            return None
        file, doc = found
        return Entry(file, doc.key_lines.get("article"), doc["article"])

    def section_entry(self, article_id: str, section: str, match: Callable[[LineDict], bool]) -> Entry | None:
        """The first entry of a section (actor_mentions, positions, ...) of an annotation file that matches."""
        found = self.annotation(article_id)
        if found is None:
            return None
        file, doc = found
        return next((Entry(file, line, item) for line, item in _entries(doc, section) if match(item)), None)

    def row(self, table: str | None, key: str | None) -> Entry | None:
        """The source entry of the row ``table[key]``; None when it cannot be found."""
        find = _ROWS.get(table or "")
        if find is None or not isinstance(key, str):
            return None
        try:
            return find(self, table, key)
        except ValueError:  # a key not shaped as the compiler builds them
            return None

    def _article_row(self, table: str, key: str) -> Entry | None:
        return self.article(key)

    def _registry_row(self, table: str, key: str) -> Entry | None:
        return self.registry(table, key)

    def _alias_row(self, table: str, key: str) -> Entry | None:
        actor_id, alias = key.split("|", 1)
        actor = self.registry("actors", actor_id)
        line = next((line for line, a in _items(actor.data, "aliases") if a == alias), None) if actor else None
        return None if line is None else Entry(actor.file, line, actor.data)

    def _role_row(self, table: str, key: str) -> Entry | None:
        actor_id, role, organization, seq = key.split("|")
        actor = self.registry("actors", actor_id)
        if actor is None:
            return None
        # role_seq numbers the terms of one office by start date (undated first), as the compiler does.
        terms = sorted(((line, r) for line, r in _entries(actor.data, "roles")
                        if r.get("role") == role and r.get("organization") == organization),
                       key=lambda term: str(term[1].get("start") or ""))
        n = int(seq)
        return Entry(actor.file, *terms[n - 1]) if 1 <= n <= len(terms) else None

    def _participant_row(self, table: str, key: str) -> Entry | None:
        event_id, actor_id = key.split("|")
        event = self.registry("events", event_id)
        if event is None:
            return None
        return next((Entry(event.file, line, p) for line, p in _entries(event.data, "participants")
                     if p.get("actor") == actor_id), None)

    def _mention_row(self, table: str, key: str) -> Entry | None:
        # mention_id is '<article>/<start>-<end>/<actor or event>': the entry whose quote resolves to that span.
        article_id, span, ref = key.split("/")
        start, end = (int(x) for x in span.split("-"))
        text = self.article_text(article_id)
        if text is None:
            return None
        ref_key = "actor" if table == "actor_mentions" else "event"

        def at_span(item: LineDict) -> bool:
            quote, occurrence = item.get("quote"), item.get("occurrence")
            # resolve refuses an occurrence below 1 (no span): only the types are checked here
            valid = isinstance(quote, str) and (occurrence is None or isinstance(occurrence, int))
            if item.get(ref_key) != ref or not valid:
                return False
            found = resolve(text, quote, occurrence)
            return (found.start, found.end) == (start, end)

        return self.section_entry(article_id, table, at_span)

    def article_text(self, article_id: str) -> str | None:
        """The text an article's annotation file names (offsets index into it)."""
        article = self.article(article_id)
        name = article.data.get("text_file") if article else None
        if not isinstance(name, str) or Path(name).name != name:
            return None
        return self.text(self.seeds / "texts" / name)

    def _voiced_row(self, table: str, key: str) -> Entry | None:
        article_id, local_id = key.split("/")  # position, demand, relation and erratum IDs are '<article>/<id>'
        return self.section_entry(article_id, table, lambda item: item.get("id") == local_id)

    def _source_row(self, table: str, key: str) -> Entry | None:
        article_id, local_id = key.split("/")  # source IDs are '<article>/<id>', from the section sources:
        return self.section_entry(article_id, "sources", lambda item: item.get("id") == local_id)

    def _attribution_row(self, table: str, key: str) -> Entry | None:
        # attribution_id is '<fact id>:<local source id or author>'; a mention ID has two slashes, a position or
        # demand ID one (their local ids are unique across both sections of a file).
        fact, _ = key.rsplit(":", 1)
        if fact.count("/") == 2:
            entry = self._mention_row("event_mentions", fact)
        else:
            entry = self._voiced_row("positions", fact) or self._voiced_row("demands", fact)
        return None if entry is None else Entry(entry.file, entry.line_of("source"), entry.data)

    def _addressee_row(self, table: str, key: str) -> Entry | None:
        # '<demand id>|<actor id>' (or the demand id alone): the demand's entry, at its addressee: line.
        entry = self._voiced_row("demands", key.split("|", 1)[0])
        return None if entry is None else Entry(entry.file, entry.line_of("addressee"), entry.data)

    def alias_owners(self, key: str) -> list[Entry]:
        """Per actor listing an alias whose folded key (``alias_key``) is ``key``, its entry at the alias."""
        owners: dict[Any, Entry] = {}
        for kind, path in self.registry_paths:
            for _, actor in _entries(self.doc(path) if kind == "actors" else None, "actors"):
                for line, a in _items(actor, "aliases"):
                    if isinstance(a, str) and alias_key(a) == key:
                        owners.setdefault(_text(actor.get("id")), Entry(self.name(path), line, actor))
        return list(owners.values())


_ROWS: dict[str, Callable[[_Sources, str, str], Entry | None]] = {
    "articles": _Sources._article_row,
    "actors": _Sources._registry_row,
    "topics": _Sources._registry_row,
    "events": _Sources._registry_row,
    "actor_aliases": _Sources._alias_row,
    "actor_roles": _Sources._role_row,
    "event_participants": _Sources._participant_row,
    "actor_mentions": _Sources._mention_row,
    "event_mentions": _Sources._mention_row,
    "positions": _Sources._voiced_row,
    "demands": _Sources._voiced_row,
    "attribution_sources": _Sources._source_row,
    "attributions": _Sources._attribution_row,
    "demand_addressees": _Sources._addressee_row,
    "event_relations": _Sources._voiced_row,
    "errata": _Sources._voiced_row,
}
"""How the row of each table built from the seeds is found (codebook rows are not in the seeds)."""


def _named_keys(f: Finding) -> tuple[str, ...]:
    """The source keys of the column a message begins with ('date_end 2025-03-01 is before …'), if any.

    Messages of the cross-table rules name the faulty column first, so the finding can point at its line.
    """
    word = f.message.split(" ", 1)[0]
    table = TABLES_BY_NAME.get(f.table or "")
    if table is None or word not in table.model_fields:
        return ()
    return COLUMN_KEYS.get(f.table or "", {}).get(word, (word,))


def _at(entry: Entry, f: Finding, *keys: str, hint: str | None = None) -> dict[str, Any]:
    """The finding's new fields: the line of the first of ``keys`` (else of the column its message
    names, else of the entry), and ``hint`` if any."""
    return {"file": entry.file, "line": entry.line_of(*keys, *_named_keys(f)), "hint": hint or f.hint}


_SHOWN: dict[str, tuple[str, ...]] = {
    "article_date_order": ("published_date", "published_date_earliest", "published_date_latest"),
    "event_date_order": ("date_start", "date_end"),
    "event_precision_matches_window": ("date_start", "date_end", "duration_days", "date_precision"),
    "event_duration_fits_window": ("date_start", "date_end", "duration_days"),
    "event_open_side_stated": ("date_start", "date_end", "date_open"),
    "demand_claimant_not_addressee": ("claimant", "addressee"),
    "relation_not_reflexive": ("source_event", "target_event"),
    "relation_dates_consistent": ("source_event", "type", "target_event"),
    "no_relation_cycle": ("source_event", "type", "target_event"),
    "erratum_has_basis": ("kind", "basis"),
}
"""For a rule on values of one row: the source keys in conflict, shown with their lines in the hint."""


def _in_row(sources: _Sources, f: Finding) -> dict[str, Any] | None:
    entry = sources.row(f.table, f.key)
    if entry is None:
        return None
    shown = entry.shown(_SHOWN.get(f.rule, ()), entry.file)
    return _at(entry, f, hint="as written: " + ", ".join(shown) if shown else None)


def _occurred_after_report(sources: _Sources, f: Finding) -> dict[str, Any] | None:
    mention = sources.row(f.table, f.key)
    if mention is None:
        return None
    here = mention.file
    event = sources.registry("events", mention.data.get("event"))
    article = sources.article(f.key.split("/", 1)[0] if f.key else None)
    facts = []
    if event:
        facts.append("the event's " + ", ".join(event.shown(("date_start", "status"), here)))
    latest = article.key("published_date_latest", "published_date") if article else None
    if article and latest:
        facts.append("the article's " + ", ".join(article.shown((latest,), here)))
    hint = "; ".join(facts) + "; correct whichever date is wrong, or the event's status if it has not happened yet"
    return _at(mention, f, "event", hint=hint if facts else None)


def _role_not_held(sources: _Sources, f: Finding) -> dict[str, Any] | None:
    participant = sources.row(f.table, f.key)
    if participant is None:
        return None
    here = participant.file
    event_id, actor_id = (f.key or "").split("|")  # the row was found, so the key is well formed
    event = sources.registry("events", event_id)
    actor = sources.registry("actors", actor_id)
    facts = []
    if event:
        facts.append("the event's " + ", ".join(event.shown(("date_start", "date_end"), here)))
    if actor:
        terms = [f"{_text(r.get('role'))} of {_text(r.get('organization'))} {_text(r.get('start') or '…')}.."
                 f"{_text(r.get('end') or 'open')} ({actor.where(here, line)})"
                 for line, r in _entries(actor.data, "roles")]
        facts.append(f"{actor_id}'s roles: " + ("; ".join(terms) if terms else f"none ({actor.where(here)})"))
    hint = "; ".join(facts) + "; correct the capacity or the dates, or add the term to the actor's roles"
    return _at(participant, f, "capacity", hint=hint if facts else None)


def _alias_shared(sources: _Sources, f: Finding) -> dict[str, Any] | None:
    # This rule's key is the folded alias (alias_key), not a row of actor_aliases.
    owners = sources.alias_owners(f.key or "")
    if not owners:
        return None
    first = owners[0]
    used = ", ".join(f"{_text(o.data.get('id'))} ({o.where(first.file)})" for o in owners)
    return {"file": first.file, "line": first.line,
            "hint": f"listed by {used}; keep it on the one actor it means"}


_PLACERS: dict[str, Callable[[_Sources, Finding], dict[str, Any] | None]] = {
    "occurred_event_not_after_report": _occurred_after_report,
    "role_held_on_event_date": _role_not_held,
    "alias_maps_to_one_actor": _alias_shared,
}
"""Rules whose values in conflict are in other rows; every other rule is placed by :func:`_in_row`."""


def locate(report: Report, seeds: Path) -> Report:
    """A copy of ``report`` in which each finding on a table row also names the file and line the row
    was written at, with a hint giving the values in conflict and where each is written.

    Only findings naming a row and no file are placed. One whose source cannot be found (a codebook
    row, a file deleted or garbled since the build) is kept as it is. Only the files those findings
    point into are read, each once; nothing raises.
    """
    sources = _Sources(Path(seeds))
    findings = []
    for f in report.findings:
        placed = _PLACERS.get(f.rule, _in_row)(sources, f) if f.file is None and f.table else None
        findings.append(replace(f, **placed) if placed else f)
    return Report(findings, list(report.rules_run), dict(report.counts))
