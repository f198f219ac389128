"""Suggestions for a new article: what an annotator should look at first.

Nothing here enters the tables: suggestions are written to the `suggestions:` section of the
annotation file, and an annotator confirms (moves) or deletes each one. Every suggestion carries a
quote and occurrence that resolve to the exact place in the text. How good they are is measured
leave-one-out over the seed articles by benchmarks/suggestions.py.

- actor mentions: registered names and aliases; a capital city stands for its country's government
  when the registry has one; roles held on the article date ("the Turkish president", "Secretary of
  State"); not a name used as a modifier ("US officials", "US-led"), a metonym used as a place ("a
  visit to Washington"), or words in breadcrumbs and section headings (annotation guide, §6);
- new actors: capitalised names that match no actor, never a nationality adjective, weekday,
  month or plain place name (builders/authoring/wordlists.py);
- events: each event word with the event type it suggests; the registry event it looks like (type,
  participants, dates and summary words), or else a new event with proposed type, status (from
  tense and modality cues) and date;
- dates (builders/authoring/reldates.py) and direct quotations.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from diplonews.builders.authoring.eventmatch import event_suggestions, reported_status
from diplonews.builders.authoring.folding import fold
from diplonews.builders.authoring.mentions import actor_index, actor_mentions, match_aliases, tenure_dates
from diplonews.builders.authoring.newactors import new_actor_candidates
from diplonews.builders.authoring.reldates import find_dates
from diplonews.builders.authoring.textspans import Match, evidence, sentences, skipped_lines

if TYPE_CHECKING:
    from diplonews.builders.authoring.registry_index import Registry

__all__ = ["actor_mentions", "fold", "match_aliases", "reported_status", "sentences", "suggest"]
"""Re-exported: the parts a caller (and the tests) may use on their own."""


SAY_VERBS = r"(?:said|says|stated|told|added|remarked|noted|wrote|warned|stressed|underlined)"


def _quotations(text: str, actors: list[Match]) -> list[dict]:
    out = []
    spans = sentences(text)
    for m in re.finditer(r"“[^”]{3,}”|\"[^\"\n]{3,}\"", text):
        s, e = next(((s, e) for s, e in spans if s <= m.start() < e), (m.start(), m.end()))
        speaker = None
        if re.search(SAY_VERBS, text[s:e]):
            outside = [a for a in actors if s <= a.start < e and not (m.start() <= a.start < m.end())]
            if outside:
                speaker = min(outside, key=lambda a: min(abs(a.start - m.end()), abs(m.start() - a.end))).ref
        out.append({"kind": "quotation", **evidence(text, m.start(), m.end()), "speaker": speaker})
    return out


def suggest(text: str, registry: Registry, anchor: date | None, latest: date | None = None,
            title: str | None = None) -> list[dict]:
    """All suggestions for ``text`` against ``registry``: actor mentions, new actors, dates, quotations and
    events. ``anchor`` is the publication date (or the first day of an undated article's interval, ``latest``
    its last); ``title`` the headline, which tells the title line from breadcrumbs that repeat it."""
    latest = latest or anchor
    actors = actor_index(registry)
    skip = skipped_lines(text, title)
    mentions = actor_mentions(text, registry, latest, title)
    out: list[dict] = [{"kind": "actor_mention", "actor": a.ref, **evidence(text, a.start, a.end)} for a in mentions]
    out += new_actor_candidates(text, match_aliases(text, actors.aliases) + mentions, skip)
    dates = find_dates(text, anchor, latest) if anchor is not None else []
    if anchor is not None:
        persons = [m for m in mentions if actors.by_id.get(m.ref) and actors.by_id[m.ref].type.value == "person"]
        tenures = tenure_dates(text, actors, persons, latest)
        dates = sorted([d for d in dates if not any(t.start < d.end and d.start < t.end for t in tenures)] + tenures,
                       key=lambda d: d.start)
    for d in dates:
        entry = {"kind": "date", **evidence(text, d.start, d.end), "resolution": d.resolution}
        if d.earliest is not None:
            entry.update(earliest=d.earliest.isoformat(), latest=d.latest.isoformat(), basis=d.basis,
                         precision=d.precision)
        out.append(entry)
    out += _quotations(text, mentions)
    out += event_suggestions(text, registry, actors, mentions, dates, skip, (anchor, latest) if anchor else None)
    return out
