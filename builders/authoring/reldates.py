"""Finding date expressions in a text and resolving them against the article's date.

TimeML-style: each expression is normalised relative to an anchor (the
publication date) and the resolution says how. The annotator confirms it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_WD = "|".join(calendar.day_name)
_MO = "|".join(m for m in calendar.month_name if m)

PATTERNS = [
    ("weekday", re.compile(rf"\b(?:([Ll]ast|[Tt]his|[Nn]ext|[Oo]n)\s+)?({_WD})\b")),
    ("month_day", re.compile(rf"\b({_MO})\s+(\d{{1,2}})\b(?:,?\s+(\d{{4}}))?")),
    ("day_month", re.compile(rf"\b(\d{{1,2}})\s+({_MO})\b(?:\s+(\d{{4}}))?")),
    ("month", re.compile(rf"\b(?:in|since|by|until)\s+({_MO})\b(?:\s+(\d{{4}}))?")),
    ("year", re.compile(r"\b(?:in|since|by|until|of)\s+((?:19|20)\d{2})\b")),
    ("days_ago", re.compile(r"\b(a few|several|two|three|four|five|\d+)\s+days?\s+ago\b")),
    ("deictic", re.compile(r"\b(yesterday|today|tomorrow|this week|last week|next week|later this week)\b")),
]
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5}


@dataclass(frozen=True)
class DateExpression:
    """A date expression found in a text, with its resolution against an anchor date."""

    start: int
    end: int
    text: str
    earliest: date | None
    latest: date | None
    resolution: str


def _weekday(anchor: date, name: str, modifier: str | None) -> tuple[date, date, str]:
    target = WEEKDAYS[name.lower()]
    back = (anchor.weekday() - target) % 7
    if modifier == "next":
        d = anchor + timedelta(days=(target - anchor.weekday()) % 7 or 7)
        return d, d, f"the {name} after the anchor {anchor}"
    if modifier == "last" and back == 0:
        back = 7
    d = anchor - timedelta(days=back)
    return d, d, f"the latest {name} on or before the anchor {anchor} (news reports past days; check the tense)"


def _resolve(kind: str, m: re.Match, anchor: date) -> tuple[date | None, date | None, str]:
    g = m.groups()
    if kind == "weekday":
        return _weekday(anchor, g[1], (g[0] or "").lower() or None)
    if kind in ("month_day", "day_month"):
        month_name, day = (g[0], g[1]) if kind == "month_day" else (g[1], g[0])
        year = int(g[2]) if g[2] else anchor.year
        try:
            d = date(year, MONTHS[month_name.lower()], int(day))
        except ValueError:
            return None, None, "not a calendar date"
        basis = "stated year" if g[2] else f"year of the anchor {anchor}"
        return d, d, f"{d} ({basis})"
    if kind == "month":
        year = int(g[1]) if g[1] else anchor.year
        month = MONTHS[g[0].lower()]
        last = calendar.monthrange(year, month)[1]
        return date(year, month, 1), date(year, month, last), f"the month {year}-{month:02d}"
    if kind == "year":
        year = int(g[0])
        return date(year, 1, 1), date(year, 12, 31), f"the year {year}"
    if kind == "days_ago":
        word = g[0].lower()
        if word in ("a few", "several"):
            return anchor - timedelta(days=7), anchor - timedelta(days=2), f"2-7 days before the anchor {anchor}"
        n = _NUMBERS.get(word) or int(word)
        d = anchor - timedelta(days=n)
        return d, d, f"{n} days before the anchor {anchor}"
    word = g[0].lower()
    offsets = {"yesterday": (-1, -1), "today": (0, 0), "tomorrow": (1, 1)}
    if word in offsets:
        a, b = offsets[word]
        return anchor + timedelta(days=a), anchor + timedelta(days=b), f"{word} relative to the anchor {anchor}"
    monday = anchor - timedelta(days=anchor.weekday())
    shift = {"this week": 0, "later this week": 0, "last week": -7, "next week": 7}[word]
    start = monday + timedelta(days=shift)
    if word == "later this week":
        start = anchor
    return start, monday + timedelta(days=shift + 6), f"the week (Mon-Sun) of {monday + timedelta(days=shift)}"


def find_dates(text: str, anchor: date) -> list[DateExpression]:
    """Every date expression in ``text`` that resolves to calendar dates against ``anchor``, in text order
    (no overlaps)."""
    found: list[DateExpression] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in PATTERNS:
        for m in rx.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            try:
                earliest, latest, how = _resolve(kind, m, anchor)
            except (OverflowError, ValueError):
                continue  # it resolves outside the calendar (years 1 to 9999): nothing to suggest
            taken.append((m.start(), m.end()))
            found.append(DateExpression(m.start(), m.end(), m.group(0), earliest, latest, how))
    return sorted(found, key=lambda d: d.start)
