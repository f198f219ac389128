"""Resolving verbatim quotes to code-point offsets in an article text."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz


def occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of every occurrence of ``quote`` in ``text`` (overlapping ones included)."""
    starts = []
    i = text.find(quote)
    while i != -1:
        starts.append(i)
        i = text.find(quote, i + 1)
    return starts


@dataclass(frozen=True)
class Resolved:
    """A quote resolved to its span, or the reason it could not be; ``count``: how often it occurs."""

    start: int | None
    end: int | None
    problem: str | None = None  # "missing" | "ambiguous" | "occurrence"
    count: int = 0


def resolve(text: str, quote: str, occurrence: int | None) -> Resolved:
    """Find the span of ``quote``: unique, or the ``occurrence``-th (1-based) when given.

    The one place a quote becomes a span (the build, the authoring tools and the annotation-tool exports
    all call it). Refused, with the reason as ``problem``: a quote not in the text ("missing"), one found
    several times without an occurrence ("ambiguous"), an occurrence it does not have ("occurrence":
    above its count, or below 1)."""
    starts = occurrences(text, quote)
    if not starts:
        return Resolved(None, None, "missing", 0)
    if occurrence is None:
        if len(starts) > 1:
            return Resolved(None, None, "ambiguous", len(starts))
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        return Resolved(None, None, "occurrence", len(starts))
    start = starts[occurrence - 1]
    return Resolved(start, start + len(quote), None, len(starts))


HINT_MAX_QUOTE = 1_000
"""Longest part of a quote searched for a closest-text hint: the search time grows much faster than the
quote (2,000 characters take ten times as long as 1,000), so a longer quote is searched by its beginning."""

HINT_MAX_TEXT = 1_000_000
"""Longest text searched for a closest-text hint (about half a second at HINT_MAX_QUOTE)."""


def closest_text(text: str, quote: str, width: int = 0) -> str | None:
    """The passage of ``text`` most like ``quote`` (for 'did you mean' hints on a missing quote); None
    when there is nothing to search or the text is too long to search (see HINT_MAX_TEXT)."""
    if not text or not quote or len(text) > HINT_MAX_TEXT:
        return None
    al = fuzz.partial_ratio_alignment(quote[:HINT_MAX_QUOTE], text)
    start, end = max(0, al.dest_start - width), min(len(text), al.dest_end + width)
    # widen to whole words, so the hint can be copied as a quote
    while start > 0 and _in_word(text[start - 1]):
        start -= 1
    while end < len(text) and _in_word(text[end]):
        end += 1
    return text[start:end]


def _in_word(char: str) -> bool:
    # Combining marks (a decomposed 'ğ' is 'g' and U+0306) and zero-width (non-)joiners are not alphanumeric but
    # belong to their word: stopping at them cut the hint inside a letter.
    return char.isalnum() or char in "\u200c\u200d" or unicodedata.category(char).startswith("M")
