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
    title line (the line equal to ``title``, else the first heading line that repeats no other)."""
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
    else:
        keep = next((h for h, b in zip(heads, bodies) if not any(o != b and o in b for o in bodies)), None)
        if keep is not None and keep != heads[0] and bodies[0] not in text[keep[0]:keep[1]] \
                and not any(o in bodies[0] for o in bodies[1:]):
            keep = heads[0]
    return [h for h in heads if h != keep]


def inside(spans: list[tuple[int, int]], start: int) -> bool:
    return any(s <= start < e for s, e in spans)


def clause(text: str, start: int, end: int, pos: int) -> tuple[int, int]:
    """The clause of the sentence ``text[start:end]`` around ``pos``: between commas, semicolons, colons, dashes
    and brackets."""
    left = max((m.end() for m in re.finditer(r"[,;:—–()]", text[start:pos])), default=0) + start
    right = next((m.start() for m in re.finditer(r"[,;:—–()]", text[pos:end])), end - pos) + pos
    return left, right
