"""Case- and diacritic-folding that keeps the way back to the original offsets."""

from __future__ import annotations

import unicodedata


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
