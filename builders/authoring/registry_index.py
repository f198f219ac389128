"""The registries as one read-only index: what ``diplonews new`` matches against and what
``diplonews actor|event list|search`` and ``topic list`` print, so nobody greps the YAML.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from diplonews.builders.authoring.folding import fold
from diplonews.builders.compile.registry import REGISTRIES, registry_files
from diplonews.builders.sources.yamlsource import SourceFileError, load_source, not_loaded
from diplonews.schema.annotation import ActorEntry, EventEntry, TopicEntry
from diplonews.schema.enums import DateOpenSide, EventStatus


@dataclass(frozen=True)
class Registry:
    """The actors, events and topics of a seeds folder, in file order."""

    actors: list[ActorEntry] = field(default_factory=list)
    events: list[EventEntry] = field(default_factory=list)
    topics: list[TopicEntry] = field(default_factory=list)

    def aliases(self) -> dict[str, str]:
        """Every name and alias of the actors, mapped to the actor's ID."""
        return {alias: a.id for a in self.actors for alias in [a.name, *a.aliases]}


def load_registry(seeds: Path) -> Registry:
    """Every registry file of ``seeds`` (``<kind>.yaml`` and ``<kind>-*.yaml``), validated; a file that does
    not load is a UserError at its file and line. A missing registry is an empty one."""
    found: dict[str, list] = {kind: [] for kind in REGISTRIES}
    for kind, path in registry_files(Path(seeds)):
        if not path.exists():
            continue
        try:
            registry, _ = load_source(path, REGISTRIES[kind])
        except SourceFileError as exc:
            raise not_loaded(exc, Path(seeds)) from None
        found[kind] += getattr(registry, kind)
    return Registry(actors=found["actors"], events=found["events"], topics=found["topics"])


def event_period(event: EventEntry) -> tuple[date, date] | None:
    """The window of a dated event; an open side runs on (to ``date.min`` or ``date.max``)."""
    if event.date_start is None and event.date_end is None:
        return None
    return event.date_start or date.min, event.date_end or date.max


def _has(haystack: str, needle: str) -> bool:
    return fold(needle)[0] in fold(haystack)[0]


def search_actors(registry: Registry, query: str) -> list[ActorEntry]:
    """Actors whose ID, name or an alias contains ``query`` (case and diacritics ignored): the exact
    ID or alias first, then the rest in registry order."""
    key = fold(query.strip())[0]
    if not key:
        return []
    exact = [a for a in registry.actors if key in {fold(s)[0] for s in [a.id, a.name, *a.aliases]}]
    partial = [a for a in registry.actors if a not in exact and any(_has(s, query.strip()) for s in
                                                                      [a.id, a.name, *a.aliases])]
    return exact + partial


def _dates_searched(event: EventEntry) -> tuple[date, date] | None:
    # An ongoing event runs on from its start; a window bounded on one side only because the date is
    # uncertain ("on or before 25 March", "will be held") is found by its one date: 1999-02 finding
    # "on or before 2025-03-25" would be possible, but is not what a search by date asks for.
    ongoing = event.status is EventStatus.ongoing and event.date_open is DateOpenSide.end
    if event.date_open is not None and not ongoing and (event.date_start or event.date_end):
        day = event.date_start or event.date_end
        return day, day
    return event_period(event)


def search_events(registry: Registry, query: str) -> list[EventEntry]:
    """Events matching ``query``: a date (YYYY-MM-DD: events whose dates include it; YYYY-MM or YYYY:
    events that overlap that month or year; an ongoing event runs on, an event bounded on one side
    only because its date is uncertain is found by its one date), else an ID, type or summary containing
    it, or a participant whose ID, name or alias contains it (so ``Erdogan`` finds his calls)."""
    q = query.strip()
    if not q:
        return []
    period = _period(q)
    if period is not None:
        first, last = period
        return [e for e in registry.events if (p := _dates_searched(e)) and p[0] <= last and first <= p[1]]
    actors = {a.id for a in search_actors(registry, q)}
    return [e for e in registry.events
            if _has(e.id, q) or _has(e.type, q) or _has(e.summary, q) or _has(e.location or "", q)
            or any(p.actor in actors for p in e.participants)]


def search_topics(registry: Registry, query: str) -> list[TopicEntry]:
    """Topics whose ID, label or description contains ``query`` (case and diacritics ignored)."""
    q = query.strip()
    return [t for t in registry.topics if q and any(_has(s, q) for s in (t.id, t.label, t.description))]


SEARCHES = {"actors": search_actors, "events": search_events, "topics": search_topics}


def search(registry: Registry, kind: str, query: str) -> list:
    """The entries of ``kind`` (actors, events, topics) that ``query`` finds."""
    return SEARCHES[kind](registry, query)


def closest(registry: Registry, kind: str, query: str) -> str | None:
    """The registry word nearest to a query that found nothing (an ID, name, alias or label), for a hint."""
    import difflib

    words = {"actors": lambda: [s for a in registry.actors for s in [a.id, a.name, *a.aliases]],
             "events": lambda: [e.id for e in registry.events]
             + [s for a in registry.actors for s in [a.name, *a.aliases]],
             "topics": lambda: [s for t in registry.topics for s in (t.id, t.label)]}[kind]()
    close = difflib.get_close_matches(query, words, n=1, cutoff=0.6)
    return close[0] if close else None


def _period(q: str) -> tuple[date, date] | None:
    """The days a date query covers, or None when ``q`` is not YYYY, YYYY-MM or YYYY-MM-DD."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", q)
    if not m:
        return None
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    try:
        if day:
            d = date(year, month, day)
            return d, d
        if month:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


__all__ = ["Registry", "closest", "event_period", "load_registry", "search", "search_actors", "search_events",
           "search_topics"]
