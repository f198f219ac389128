"""Where things are in a text: sentences, clauses, lines to skip, and the evidence (quote and occurrence) of
a span, shared by the suggestion makers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from diplonews.builders.compile.evidence import occurrences


@dataclass(frozen=True)
class Match:
    """A span of the text with what it was matched to."""

    start: int
    end: int
    ref: str


def evidence(text: str, start: int, end: int) -> dict:
    """The quote of ``text[start:end]``, with its occurrence when the same words come more than once."""
    quote = text[start:end]
    starts = occurrences(text, quote)
    out: dict = {"quote": quote}
    if len(starts) > 1:
        out["occurrence"] = starts.index(start) + 1
    return out


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence (and line without one): ends at . ! ? (optionally inside a closing
    quote) before a capital or an opening quote, and at line breaks."""
    spans, start = [], 0
    for m in re.finditer(r"(?:(?<=[.!?])|(?<=[.!?][”\"]))\s+(?=[A-Z“\"])|\n+", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def skipped_lines(text: str, title: str | None) -> list[tuple[int, int]]:
    """Breadcrumbs, section headings and site furniture: short lines without a sentence's end, other than the
    title line (the line that starts with ``title``; without one, the first such line, or the later line a
    breadcrumb repeats)."""
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    heads = [(s, e) for s, e in lines if text[s:e].strip() and len(text[s:e].split()) <= 14
             and not re.search(r"[.!?:;”\"’)]\s*$", text[s:e]) and not re.search(r"\d{1,2}:\d{2}", text[s:e])
             and not re.match(r"\s*By\s+[A-Z]", text[s:e])]  # a byline names the author: not site furniture
    if not heads:
        return []
    bodies = [text[s:e].strip() for s, e in heads]
    if title:
        keep = next((h for h, b in zip(heads, bodies) if b.startswith(title.strip())), None)
    else:  # the first heading line, unless it is a breadcrumb that repeats a later one
        keep = next((h for h, b in zip(heads[1:], bodies[1:]) if b in bodies[0]), heads[0])
    return [h for h in heads if h != keep]


def inside(spans: list[tuple[int, int]], start: int) -> bool:
    """Whether ``start`` falls in one of ``spans``."""
    return any(s <= start < e for s, e in spans)


def clause(text: str, start: int, end: int, pos: int) -> tuple[int, int]:
    """The clause of the sentence ``text[start:end]`` around ``pos``: between commas, semicolons, colons, dashes
    and brackets."""
    left = max((m.end() for m in re.finditer(r"[,;:—–()]", text[start:pos])), default=0) + start
    right = next((m.start() for m in re.finditer(r"[,;:—–()]", text[pos:end])), end - pos) + pos
    return left, right
