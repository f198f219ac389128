"""Event suggestions: event words, the status their clause reports (tense, modality, negation), and the
registry event each looks like (type, participants, dates, summary words), or a proposed new event."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from diplonews.builders.authoring.folding import fold
from diplonews.builders.authoring.mentions import ActorIndex
from diplonews.builders.authoring.registry_index import event_period
from diplonews.builders.authoring.reldates import DateExpression
from diplonews.builders.authoring.textspans import Match, clause, evidence, inside, sentences

if TYPE_CHECKING:
    from diplonews.builders.authoring.registry_index import Registry
    from diplonews.schema.annotation import EventEntry


EVENT_TRIGGERS: dict[str, tuple[str, ...]] = {
    "phone_call": ("phone call", "phone calls", "phone conversation", "telephone conversation", "telephone call",
                   "call", "calls", "phoned", "spoke by phone", "spoke with", "spoke", "conversation"),
    "meeting": ("meeting", "meetings", "met", "meet", "reception", "hosted", "discussed"),
    "visit": ("visit", "visits", "visited", "trip"),
    "summit": ("summit",),
    "peace_talks": ("peace talks", "peace negotiations"),
    "negotiation": ("talks", "negotiations", "negotiated", "discussions", "technical discussions"),
    "statement": ("said", "says", "stated", "statement", "readout", "told", "remarked", "noted", "described",
                  "announced", "post", "interview", "report", "reported", "reports", "confirmed"),
    "agreement": ("agreed", "agreement", "signed", "deal", "agreeing"),
    "arms_purchase": ("acquisition", "purchase", "purchased", "procurement", "bought"),
    "arrest": ("arrest", "arrests", "arrested", "jailed", "detained", "detention"),
    "protest": ("protests", "protest", "demonstrations", "rallies"),
    "impose_sanctions": ("imposed sanctions", "sanctions imposed", "sanctions were also applied", "sanctions"),
    "program_exclusion": ("removal from", "removed from", "expelled from", "excluded from", "exclusion from"),
    "warning": ("warned", "warning", "warnings"),
    "accusation": ("accused", "blamed", "criticised", "criticized"),
    "pledge": ("pledged", "promised", "vowed", "offered to", "committed to"),
    "appeal": ("urged", "called for", "appealed"),
    "war": ("war", "invasion", "conflict", "offensive"),
}
"""Event words (English, general) and the event type (schema/codebook/event_types.csv) each suggests."""

_FAMILY = {t: "contact" for t in ("meeting", "summit", "visit", "phone_call", "negotiation", "peace_talks")} | {
    "warning": "criticism", "accusation": "criticism", "pledge": "commitment", "agreement": "commitment"}
"""Event types close enough that an event word of one may report an event of another ("discussed" a call)."""

STATUS_CUES: list[tuple[str, re.Pattern]] = [
    ("speculated", re.compile(r"\b(?:may|might|could|possible|possibly|reportedly|rumou?red|suggested)\b", re.I)),
    ("planned", re.compile(r"\b(?:will|shall|plans? to|planned|planning|scheduled|to be held|expected to|"
                           r"anticipated|set to|is due to|are due to|upcoming)\b", re.I)),
    ("proposed", re.compile(r"\b(?:proposed|offered to|ready to|willing to|called for|suggests?)\b", re.I)),
    ("ongoing", re.compile(r"\b(?:ongoing|continuing|continues|currently|under way|underway|is contending)\b", re.I)),
]
"""Tense and modality cues before an event word, strongest first: the first found gives the status."""
DENIAL = re.compile(r"\b(?:denied|denies|deny|dismissed|rejected)\b|\bno\b[^.;]{0,80}\b(?:scheduled|planned)\b|"
                    r"\bnot\s+(?:been\s+)?(?:scheduled|planned)\b|\bthere\s+(?:are|were)\s+no\b", re.I)
"""Negation of the event anywhere in its clause: reported as denied."""
AFTER_CUES = [("planned", re.compile(r"^\W*(?:\w+\s+){0,2}?(?:will|would|to|is\s+set\s+to|are\s+set\s+to)\s+"
                                     r"(?:be\s+held|take\s+place|be)\b", re.I)),
              ("speculated", re.compile(r"^\W*(?:\w+\s+){0,2}?(?:may|might|could)\s+(?:be\s+held|take\s+place|"
                                        r"happen|be)\b", re.I)),
              ("ongoing", re.compile(r"^\W*(?:\w+\s+){0,2}?(?:are|is|remain|remains|continue|continues)\s+"
                                     r"(?:ongoing|continuing|under\s+way|underway)\b", re.I)),
              ("planned", re.compile(r"^\W*(?:\w+\s+){0,2}?(?:are|is)\s+(?:anticipated|expected|planned|scheduled)\b",
                                     re.I))]
"""Passive future or continuing state just after an event word ("talks will be held", "protests are ongoing")."""


_CONTENT_STOP = {"with", "that", "this", "from", "their", "have", "were", "which", "about", "between", "after",
                 "before", "over", "also", "said", "says", "will", "would", "could", "they", "them", "into", "been",
                 "being", "there", "these", "those", "than", "then", "when", "where", "while", "what", "whose"}


def reported_status(clause: str, at: int | None = None, end: int | None = None) -> str:
    """The status a clause reports of the event word at ``clause[at:end]`` (default: the end of the clause):
    denied when the clause negates it, else the first tense or modality cue in the six words before it
    (:data:`STATUS_CUES`) or a passive future or continuing state just after it (:data:`AFTER_CUES`); occurred
    when none."""
    at = len(clause) if at is None else at
    end = len(clause) if end is None else end
    if DENIAL.search(clause):
        return "denied"
    # the cue must govern this word: the last six words before it, after any "and"/"but" that starts another verb
    window = " ".join(clause[:at].split()[-6:])
    window = re.split(r"\b(?:and|but|while)\b", window)[-1]
    before = next((status for status, rx in STATUS_CUES if rx.search(window)), None)
    if before:
        return before
    return next((status for status, rx in AFTER_CUES if rx.search(clause[end:])), "occurred")


def _content_words(s: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z-]{3,}", fold(s)[0]) if w not in _CONTENT_STOP}


def _event_score(event: EventEntry, etype: str, status: str, involved: set[str], when: DateExpression | None,
                 words: set[str], actors: ActorIndex, anchor: tuple[date, date] | None) -> float:
    """How much an event word looks like a registry event: type (3, or 1.5 for a close type, then only with two
    participants named), each participant named in the sentence (1.5; 0.5 for a body or person it belongs to; none
    in common rules the event out, unless the type is the same and an actor of the event's country is named: 0.5),
    a date in the clause that overlaps the event's (2, 0.5 for an event longer than a month, -5 when it does not),
    summary words (0.5 each, at most 2); minus what is unlikely: an event reported as having happened that is
    dated after the article (-5), a statement two months before it or a dated event a month before it named
    without a date (-2), a registry event still only planned or proposed reported as having happened (-1)."""
    score = 0.0
    if event.type == etype:
        score += 3
    elif _FAMILY.get(event.type, event.type) == _FAMILY.get(etype, etype):
        score += 1.5
    else:
        score -= 1
    parts = {p.actor for p in event.participants}
    direct = len(parts & involved)
    near = sum(1 for p in parts - involved if any(p in actors.lineage(i) for i in involved))
    same_country = bool(event.country) and any(actors.country_of(i) == event.country for i in involved)
    if (direct + near == 0 and not (event.type == etype and same_country)) or \
            (event.type != etype and direct < 2):
        return float("-inf")  # no one in common, or only a close type without two of its participants
    score += 1.5 * direct + 0.5 * near + (0.5 if same_country else 0)
    # Matching asks whether the dates can agree, so an open side runs on (unlike a search by date, which
    # finds a one-sided event by its one date); a long window earns little.
    period = event_period(event)
    if when is not None and when.earliest and period:
        overlap = when.earliest <= period[1] and period[0] <= when.latest
        long = (period[1] - period[0]).days > 31
        score += (0.5 if long else 2) if overlap else -5
    elif anchor is not None and event.date_start:
        last = (event.date_end or event.date_start).toordinal()
        if status in ("occurred", "ongoing") and event.date_start > anchor[1]:
            score -= 5
        if event.type == "statement" and last < anchor[0].toordinal() - 60:
            score -= 2
        elif event.date_end and last < anchor[0].toordinal() - 30 and (event.date_end - event.date_start).days <= 7:
            score -= 2  # a dated event a month before the article is usually named with its date
    if status == "occurred" and event.status.value in ("planned", "proposed", "speculated") and not event.date_start:
        score -= 1
    score += min(2.0, 0.5 * len(words & _content_words(event.summary + " " + (event.location or ""))))
    return score


def _because(event: EventEntry, etype: str, involved: set[str], when: DateExpression | None) -> str:
    """Why an event word looks like ``event``, in words an annotator can check against the text."""
    parts = [p.actor for p in event.participants if p.actor in involved]
    why = [f"type {event.type}" + ("" if event.type == etype else f" (close to {etype})")]
    if parts:
        why.append("participants " + ", ".join(parts))
    period = event_period(event)
    if when is not None and when.earliest and period:
        why.append(f"'{when.text}' falls in its dates")
    return "; ".join(why)


def _trigger_regex() -> re.Pattern:
    words = sorted({w for ws in EVENT_TRIGGERS.values() for w in ws}, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.I)


_TRIGGER_TYPE = {w: t for t, ws in EVENT_TRIGGERS.items() for w in ws}
_TRIGGERS = _trigger_regex()
THRESHOLD = 4.5
"""The least score for "looks like event X": the type and two participants, or the type, one participant and a
date or some summary words."""


def event_suggestions(text: str, registry: Registry, actors: ActorIndex, mentions: list[Match],
                      dates: list[DateExpression], skip: list[tuple[int, int]],
                      anchor: tuple[date, date] | None) -> list[dict]:
    """One suggestion per event word and type in each sentence (outside skipped lines; a statement only where an
    actor is named): its type and reported status, and the registry event it looks like (``looks_like``, with
    ``because`` and close runners-up in ``also``) or a proposed new event (``new_event``)."""
    by_id = {ev.id: ev for ev in registry.events}
    out = []
    for s, e in sentences(text):
        if inside(skip, s):
            continue
        sentence = text[s:e]
        involved = {a.ref for a in mentions if s <= a.start < e}
        words = _content_words(sentence)
        seen_types: set[str] = set()
        for m in _TRIGGERS.finditer(text, s, e):
            etype = _TRIGGER_TYPE[m.group(0).lower()]
            if etype in seen_types or (etype == "statement" and not involved):
                continue
            seen_types.add(etype)
            c0, c1 = clause(text, s, e, m.start())
            when = min((d for d in dates if c0 <= d.start < c1 and d.earliest), key=lambda d: abs(d.start - m.start()),
                       default=None)
            status = reported_status(text[c0:c1], m.start() - c0, m.end() - c0)
            entry = {"kind": "event", **evidence(text, m.start(), m.end()), "type": etype,
                     "reported_status": status, "actors": sorted(involved)}
            scored = sorted(((_event_score(ev, etype, status, involved, when, words, actors, anchor), ev.id)
                             for ev in registry.events), key=lambda x: (-x[0], x[1]))
            best = [(sc, i) for sc, i in scored if sc >= THRESHOLD]
            if best:
                entry["looks_like"] = best[0][1]
                entry["because"] = _because(by_id[best[0][1]], etype, involved, when)
                entry["also"] = [i for sc, i in best[1:3] if sc >= best[0][0] - 1]
                if when is not None:
                    entry["date_expression"] = when.text
            else:
                entry["new_event"] = _new_event(etype, status, when, involved)
            entry["sentence"] = sentence.strip()
            out.append(entry)
    return out


def _new_event(etype: str, status: str, when: DateExpression | None, involved: set[str]) -> dict:
    proposal: dict = {"type": etype, "status": status}
    if when is not None:
        proposal.update(date_start=when.earliest.isoformat(), date_end=when.latest.isoformat(),
                        date_precision=when.precision, date_basis=when.basis, date_expression=when.text)
    else:
        proposal["date_basis"] = "inferred"
    proposal["participants"] = sorted(involved)
    return proposal
