"""Finding date expressions in a text and resolving them against the article's date.

TimeML-style: each expression is normalised relative to an anchor (the publication date, or the
interval an undated article was inferred to) and the suggestion says how (``resolution``), with
what ``basis`` (stated: the words give the calendar date; relative: they need the anchor) and
``precision`` (day, week, month, year). The annotator confirms it.

Finding is done here (a span must be exact, and a general date search proposes "may" and "March"
in "March on Ankara"); resolving is ``dateparser``'s where it is right: weekdays ("on Tuesday",
"last Saturday", "next Monday"), calendar dates ("March 16", "16 March 2025"), months and years
("in April", "in 2019"), "N days ago", "yesterday", "this/next/last week|month|year". It gives a day
and a period, which we widen to the calendar period (weeks run Monday to Sunday). Our own code
resolves what dateparser returns nothing or a wrong day for: "later/earlier this week|month|year",
"a few days ago", ranges ("March 16-18", "from Monday to Wednesday") and "days after".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Callable

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_WD = "|".join(calendar.day_name)
_MO = "|".join(m for m in calendar.month_name if m)
_NUM = r"a few|several|a couple of|two|three|four|five|six|seven|eight|nine|ten|\d{1,3}"

PATTERNS = [
    ("range", re.compile(rf"\b({_MO})\s+(\d{{1,2}})\s*(?:-|–|to|and)\s*(\d{{1,2}})\b(?:,?\s+(\d{{4}}))?")),
    ("range", re.compile(rf"\b(\d{{1,2}})\s*(?:-|–|to|and)\s*(\d{{1,2}})\s+({_MO})\b(?:\s+(\d{{4}}))?")),
    ("weekday_range", re.compile(rf"\b(?:[Ff]rom|[Bb]etween)\s+({_WD})\s+(?:to|and|until)\s+({_WD})\b")),
    ("calendar", re.compile(rf"\b(?:{_MO})\s+\d{{1,2}}\b(?:,?\s+\d{{4}})?")),
    ("calendar", re.compile(rf"\b\d{{1,2}}\s+(?:{_MO})\b(?:\s+\d{{4}})?")),
    ("edge_of_period", re.compile(r"\b([Ll]ater|[Ee]arlier)\s+this\s+(week|month|year)\b")),
    ("period", re.compile(r"\b(?:[Tt]his|[Nn]ext|[Ll]ast|[Pp]ast)\s+(?:week|month|year)\b")),
    ("weekday", re.compile(rf"\b(?:(?:[Ll]ast|[Tt]his|[Nn]ext|[Oo]n)\s+)?(?:{_WD})\b")),
    ("month", re.compile(rf"\b(?:(?:in|since|by|until|early|late|mid-|of)\s+)({_MO})\b(?:\s+(\d{{4}}))?")),
    ("month", re.compile(rf"\b({_MO})\s+(\d{{4}})\b")),
    ("year", re.compile(r"\b(?:in|since|by|until|of|from)\s+((?:19|20)\d{2})\b")),
    ("days_ago", re.compile(rf"\b({_NUM})\s+days?\s+ago\b", re.I)),
    ("days_after", re.compile(rf"\b(?:(?:{_NUM}|a)\s+)?(days?|weeks?)\s+(after|before)\b", re.I)),
    ("deictic", re.compile(r"\b(?:yesterday|today|tomorrow|currently)\b", re.I)),
]
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
FUTURE_CUES = re.compile(
    r"\b(?:will|would|shall|is|are)\s+(?:\w+\s+)?(?:to\s+be|be|set\s+to|expected|scheduled|due|likely)\b|\bwill\b|"
    r"\b(?:plans?|planned|planning|expected|scheduled|set|due|intends?|hopes?)\s+to\b|\bmight\b|\bmay\b|\bcould\b|"
    r"\bupcoming\b|\bcoming\b|\bnext\b", re.I)
"""Words that put a sentence's event after the anchor: a weekday or month there is the next one, not the last."""


@dataclass(frozen=True)
class DateExpression:
    """A date expression found in a text, with its resolution against an anchor date (or interval)."""

    start: int
    end: int
    text: str
    earliest: date | None
    latest: date | None
    resolution: str
    basis: str = "relative"
    precision: str | None = None


@lru_cache(maxsize=8)
def _parser(anchor: date, prefer: str):
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": datetime(anchor.year, anchor.month, anchor.day), "PREFER_DATES_FROM": prefer,
        "REQUIRE_PARTS": [], "STRICT_PARSING": False})


def _period_of(day: date, period: str) -> tuple[date, date]:
    if period == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if period == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if period == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    return day, day


def _dateparser(words: str, anchor: date, future: bool) -> tuple[date, date, str] | None:
    """dateparser's day and period for ``words``, widened to that calendar period; None when it finds none."""
    prefer = "future" if future else "current_period"
    data = _parser(anchor, prefer).get_date_data(words)
    if data.date_obj is None:
        return None
    first, last = _period_of(data.date_obj.date(), data.period or "day")
    return first, last, data.period or "day"


def _own(kind: str, m: re.Match, anchor: date, future: bool) -> tuple[date | None, date | None, str, str]:
    """What dateparser gets wrong or leaves out: (earliest, latest, period, how)."""
    g = m.groups()
    if kind == "range":
        month_name, a, b, year = (g[0], g[1], g[2], g[3]) if not g[0].isdigit() else (g[2], g[0], g[1], g[3])
        y = int(year) if year else anchor.year
        month = MONTHS[month_name.lower()]
        first, last = date(y, month, int(a)), date(y, month, int(b))
        if last < first:
            raise ValueError("a range that ends before it starts")
        return first, last, "day", f"{first}..{last}" + ("" if year else f" (year of the anchor {anchor})")
    if kind == "weekday_range":
        first = _weekday(anchor, g[0], future)
        last = first + timedelta(days=(WEEKDAYS[g[1].lower()] - first.weekday()) % 7)
        return first, last, "day", f"{g[0]} to {g[1]} of the week {'after' if future else 'up to'} the anchor {anchor}"
    if kind == "edge_of_period":
        edge, period = g[0].lower(), g[1].lower()
        first, last = _period_of(anchor, period)
        if edge == "later":
            return anchor, last, period, f"from the anchor {anchor} to the end of its {period}"
        return first, anchor, period, f"from the start of the anchor's {period} to the anchor {anchor}"
    if kind == "days_ago":
        word = g[0].lower()
        if word in ("a few", "several", "a couple of"):
            low, high = (2, 3) if word == "a couple of" else (2, 7)
            return (anchor - timedelta(days=high), anchor - timedelta(days=low), "week",
                    f"{low}-{high} days before the anchor {anchor}")
        n = _NUMBERS.get(word) or int(word)
        d = anchor - timedelta(days=n)
        return d, d, "day", f"{n} days before the anchor {anchor}"
    if kind == "days_after":
        return None, None, "", (f"'{m.group(0)}' counts from another event: take that event's date "
                                "(its registry entry), not the article's")
    raise ValueError(kind)


def _weekday(anchor: date, name: str, future: bool) -> date:
    back = (anchor.weekday() - WEEKDAYS[name.lower()]) % 7
    if future:
        return anchor + timedelta(days=(WEEKDAYS[name.lower()] - anchor.weekday()) % 7 or 7)
    return anchor - timedelta(days=back)


def _precision(first: date, last: date, period: str) -> str:
    if first == last:
        return "day"
    if period and _period_of(first, period) == (first, last):
        return period
    span = (last - first).days
    return "week" if span < 7 else "month" if span < 31 else "year"


_DATEPARSER_KINDS = {"calendar", "period", "weekday", "month", "year", "deictic", "days_ago"}


def _resolve_one(kind: str, m: re.Match, anchor: date, future: bool) -> tuple[date | None, date | None, str, str]:
    if kind == "days_ago" and m.group(1).lower() in ("a few", "several", "a couple of"):
        return _own(kind, m, anchor, future)
    if kind in _DATEPARSER_KINDS:
        words = m.group(0)
        if kind == "deictic" and words.lower() == "currently":
            return anchor, anchor, "day", f"the anchor {anchor} ('currently')"
        if kind == "month":  # "in April": dateparser wants the month (and year) alone
            words = " ".join(p for p in m.groups() if p)
        found = _dateparser(words, anchor, future)
        if found is None:
            return None, None, "", "dateparser found no date"
        first, last, period = found
        when = "after" if future else "of or before"
        return first, last, period, f"{first}..{last} ({period} {when} the anchor {anchor}, dateparser)"
    return _own(kind, m, anchor, future)


def _is_stated(kind: str, m: re.Match) -> bool:
    """Whether the words alone name the calendar date (a stated year or month and day)."""
    return (kind in ("calendar", "range") and bool(re.search(r"\d{4}", m.group(0)))) or kind == "year" or (
        kind == "month" and bool(re.search(r"\d{4}", m.group(0))))


def find_dates(text: str, anchor: date, latest: date | None = None,
               future: Callable[[int], bool] | None = None) -> list[DateExpression]:
    """Every date expression in ``text``, resolved against ``anchor`` (or the interval ``anchor``..``latest``
    of an undated article: from the earliest resolution against its first day to the latest against its
    last), in text order, without overlaps. ``future(start)`` says whether the sentence at ``start`` speaks
    of what is to come (default: the cue words of :data:`FUTURE_CUES` in the same clause)."""
    latest = latest or anchor
    future = future or _future_by_clause(text)
    found: list[DateExpression] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in PATTERNS:
        for m in rx.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            ahead = future(m.start())
            try:
                a = _resolve_one(kind, m, anchor, ahead)
                b = a if latest == anchor else _resolve_one(kind, m, latest, ahead)
            except (OverflowError, ValueError):
                continue  # it resolves outside the calendar (years 1 to 9999): nothing to suggest
            taken.append((m.start(), m.end()))
            first, last = a[0], b[1]
            how = a[3] if latest == anchor else f"{a[3]}; against the latest date: {b[3]}"
            if first is None or last is None:
                if kind != "days_after":
                    taken.pop()
                    continue
                found.append(DateExpression(m.start(), m.end(), m.group(0), None, None, how))
                continue
            basis = "stated" if _is_stated(kind, m) else "relative"
            # days named one by one ("March 16-18") are known to the day; a spread that comes from an undated
            # article's interval is not
            precision = "day" if a[2] == "day" and latest == anchor else _precision(first, last, a[2])
            found.append(DateExpression(m.start(), m.end(), m.group(0), first, last, how, basis, precision))
    return sorted(found, key=lambda d: d.start)


def _future_by_clause(text: str) -> Callable[[int], bool]:
    ends = [m.end() for m in re.finditer(r"[.!?\n,;:—–()]", text)]

    def future(pos: int) -> bool:
        start = max((e for e in ends if e <= pos), default=0)
        end = min((e for e in ends if e > pos), default=len(text))
        return bool(FUTURE_CUES.search(text, start, end))

    return future
