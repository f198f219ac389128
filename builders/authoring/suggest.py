"""Suggestions for a new article: what an annotator should look at first.

Nothing here enters the tables: suggestions are written to the `suggestions:`
section of the annotation file, and an annotator confirms (moves) or deletes
each one. Every suggestion carries a quote and occurrence that resolve to the
exact place in the text.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from diplonews.builders.authoring.reldates import find_dates
from diplonews.builders.compile.evidence import occurrences

EVENT_VERBS = (
    "called", "phoned", "spoke", "met", "meeting", "visited", "visit", "held talks", "talks", "phone call",
    "phone conversation", "summit", "imposed sanctions", "sanctions", "signed", "agreed", "hosted", "discussed",
    "arrested", "jailed", "protests", "warned", "accused", "pledged", "demanded", "urged", "called for",
)
SAY_VERBS = r"(?:said|says|stated|told|added|remarked|noted|wrote|warned|stressed|underlined)"
_STOP = {
    "The", "A", "An", "In", "On", "At", "But", "And", "However", "During", "After", "Before", "Since", "Under", "As",
    "It", "He", "She", "They", "We", "This", "That", "Thus", "Still", "Previously", "Additionally", "Further",
    "To", "For", "Of", "If", "By", "With", "From", "Sources", "Reports", "According",
}


_CALENDAR = {*calendar.day_name, *calendar.month_name} - {""}


def fold(text: str) -> tuple[str, list[int]]:
    """Case- and diacritic-folded text, and the original index of every folded character.

    Erdoğan ~ Erdogan ~ ERDOGAN; Turkish dotted/dotless i fold to i.
    """
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch in "ıİ":
            ch = "i"
        for part in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(part):
                continue
            for folded in part.casefold():
                out.append(folded)
                index.append(i)
    return "".join(out), index


@dataclass(frozen=True)
class Match:
    """A span of the text with what it was matched to."""

    start: int
    end: int
    ref: str


def _evidence(text: str, start: int, end: int) -> dict:
    quote = text[start:end]
    starts = occurrences(text, quote)
    out: dict = {"quote": quote}
    if len(starts) > 1:
        out["occurrence"] = starts.index(start) + 1
    return out


def match_aliases(text: str, aliases: dict[str, str]) -> list[Match]:
    """Non-overlapping alias matches (longest first), across case and diacritics, on word boundaries."""
    folded, index = fold(text)
    candidates: list[Match] = []
    for alias, actor in aliases.items():
        key, _ = fold(alias)
        if not key.strip():
            continue
        for m in re.finditer(r"(?<!\w)" + re.escape(key) + r"(?!\w)", folded):
            start, end = index[m.start()], index[m.end() - 1] + 1
            candidates.append(Match(start, end, actor))
    taken: list[Match] = []
    for c in sorted(candidates, key=lambda c: (-(c.end - c.start), c.start, c.ref)):
        if not any(t.start < c.end and c.start < t.end for t in taken):
            taken.append(c)
    return sorted(taken, key=lambda m: (m.start, m.ref))


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    # a sentence ends at . ! ? (optionally inside a closing quote) before a capital or an opening quote
    for m in re.finditer(r"(?:(?<=[.!?])|(?<=[.!?][”\"]))\s+(?=[A-Z“\"])|\n+", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _new_actor_candidates(text: str, known: list[Match]) -> list[dict]:
    out, seen = [], set()
    for m in re.finditer(r"\b[A-Z][\w’'.-]*[a-z]\w*(?:\s+(?:[A-Z][\w’'.-]*\w|of|the|for|al)){0,4}\b", text):
        name, start = m.group(0), m.start()
        while name.split()[-1] in ("of", "the", "for", "al"):
            name = name.rsplit(" ", 1)[0]
        while " " in name and name.split()[0] in _STOP:
            first = name.split()[0]
            name, start = name[len(first) + 1:].lstrip(), start + len(first) + 1
        end = start + len(name)
        if name in _STOP or name in _CALENDAR or name in seen or any(k.start < end and start < k.end for k in known):
            continue
        seen.add(name)
        context = text[max(0, start - 40):min(len(text), end + 40)].replace("\n", " ")
        out.append({"kind": "new_actor", **_evidence(text, start, end), "context": context})
    return out


def _quotations(text: str, actors: list[Match]) -> list[dict]:
    out = []
    for m in re.finditer(r"“[^”]{3,}”|\"[^\"\n]{3,}\"", text):
        sentence = next(((s, e) for s, e in _sentences(text) if s <= m.start() < e), (m.start(), m.end()))
        s, e = sentence
        around = text[s:e]
        speaker = None
        if re.search(SAY_VERBS, around):
            outside = [a for a in actors if s <= a.start < e and not (m.start() <= a.start < m.end())]
            if outside:
                speaker = min(outside, key=lambda a: min(abs(a.start - m.end()), abs(m.start() - a.end))).ref
        out.append({"kind": "quotation", **_evidence(text, m.start(), m.end()), "speaker": speaker})
    return out


def _events(text: str, actors: list[Match]) -> list[dict]:
    out = []
    verbs = sorted(EVENT_VERBS, key=len, reverse=True)
    rx = re.compile(r"\b(" + "|".join(re.escape(v) for v in verbs) + r")\b", re.I)
    for s, e in _sentences(text):
        m = rx.search(text, s, e)
        if not m:
            continue
        involved = sorted({a.ref for a in actors if s <= a.start < e})
        out.append({"kind": "event", **_evidence(text, m.start(), m.end()),
                    "sentence": text[s:e].strip(), "actors": involved})
    return out


def suggest(text: str, aliases: dict[str, str], anchor: date | None) -> list[dict]:
    """All suggestions for ``text``: actor mentions, new actors, dates, quotations and events."""
    actors = match_aliases(text, aliases)
    out: list[dict] = [{"kind": "actor_mention", "actor": a.ref, **_evidence(text, a.start, a.end)} for a in actors]
    out += _new_actor_candidates(text, actors)
    if anchor is not None:
        for d in find_dates(text, anchor):
            entry = {"kind": "date", **_evidence(text, d.start, d.end), "resolution": d.resolution}
            if d.earliest is not None:
                entry.update(earliest=d.earliest.isoformat(), latest=d.latest.isoformat())
            out.append(entry)
    out += _quotations(text, actors)
    out += _events(text, actors)
    return out
