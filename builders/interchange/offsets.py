"""Offsets: diplonews counts Unicode code points (Python string indexes); JavaScript tools (Label
Studio) and UIMA (INCEpTION) count UTF-16 code units, in which a character outside the Basic
Multilingual Plane (an emoji, a mathematical letter) takes two. Converted explicitly, both ways."""

from __future__ import annotations

from bisect import bisect_left


class OffsetError(ValueError):
    """An offset that does not fall on a character boundary of the text, or falls outside it."""


class Utf16Offsets:
    """Converts offsets in one text between code points and UTF-16 code units."""

    def __init__(self, text: str):
        self.text = text
        # units[i]: UTF-16 code units before code point i (one entry more than the text has characters)
        units = [0]
        for ch in text:
            units.append(units[-1] + (2 if ord(ch) > 0xFFFF else 1))
        self._units = units

    @property
    def length(self) -> int:
        """The text's length in UTF-16 code units."""
        return self._units[-1]

    def to_utf16(self, point: int) -> int:
        """The UTF-16 offset of code-point offset ``point``."""
        if not 0 <= point <= len(self.text):
            raise OffsetError(f"offset {point} is outside the text (0..{len(self.text)} code points)")
        return self._units[point]

    def to_points(self, unit: int) -> int:
        """The code-point offset of UTF-16 offset ``unit``; OffsetError when it is outside the text or
        between the two halves of a surrogate pair."""
        if not 0 <= unit <= self.length:
            raise OffsetError(f"offset {unit} is outside the text (0..{self.length} UTF-16 code units)")
        i = bisect_left(self._units, unit)
        if self._units[i] != unit:
            raise OffsetError(f"offset {unit} splits the surrogate pair of {self.text[i - 1]!r} "
                              f"(U+{ord(self.text[i - 1]):04X}, two UTF-16 code units)")
        return i


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2
