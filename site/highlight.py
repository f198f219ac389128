"""Overlapping and nested spans of a text as properly nested HTML marks.

Offsets are Unicode code points, as in the dataset; Python ``str`` indexing counts code points too,
so ``text[start:end]`` is exactly the quote. The text is cut at every span boundary; a span that
crosses another one is split into fragments, each carrying the span's key, and only the first
fragment gets the anchor ``id`` (so a link lands at the start of the words).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Span:
    """One highlighted stretch of text: a row of an evidence table."""

    start: int
    end: int
    layer: str
    key: str  # the anchor id, unique within the page
    label: str  # plain text shown as a tooltip without JavaScript


def _order(span: Span) -> tuple:
    # Outer spans open first: earlier start, then longer; ties by layer and key, so output is stable.
    return (span.start, -span.end, span.layer, span.key)


def _open(span: Span, first: bool) -> str:
    attrs = f' class="hl hl-{escape(span.layer)}" data-layer="{escape(span.layer)}" data-k="{escape(span.key)}"'
    attrs += f' title="{escape(span.label)}"'
    if first:
        attrs += f' id="{escape(span.key)}" tabindex="0" data-first=""'
    return f"<mark{attrs}>"


def render(text: str, spans: list[Span]) -> Markup:
    """The escaped ``text`` with every span wrapped in ``<mark>`` elements, properly nested.

    At each boundary the marks of ending spans are closed; marks closed only because they were
    opened later than an ending one are reopened as continuation fragments.
    """
    spans = sorted((s for s in spans if s.start < s.end), key=_order)
    starts: dict[int, list[Span]] = {}
    ends: dict[int, set[Span]] = {}
    for span in spans:
        starts.setdefault(span.start, []).append(span)
        ends.setdefault(span.end, set()).add(span)
    bounds = sorted({0, len(text), *starts, *ends})
    out: list[str] = []
    stack: list[Span] = []
    for i, pos in enumerate(bounds):
        ending = ends.get(pos, set())
        if ending & set(stack):
            # Close down to the deepest ending span; reopen the survivors in their old order.
            depth = min(stack.index(s) for s in ending if s in stack)
            survivors = [s for s in stack[depth:] if s not in ending]
            out.append("</mark>" * (len(stack) - depth))
            del stack[depth:]
            for span in survivors:
                out.append(_open(span, first=False))
                stack.append(span)
        for span in starts.get(pos, []):
            out.append(_open(span, first=True))
            stack.append(span)
        if i + 1 < len(bounds):
            # A browser turns a raw CR (and CRLF) into LF before parsing, which would shift every
            # offset after it; a character reference keeps it.
            out.append(str(escape(text[pos:bounds[i + 1]])).replace("\r", "&#13;"))
    out.append("</mark>" * len(stack))
    return Markup("".join(out))
