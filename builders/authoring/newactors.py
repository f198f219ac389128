"""Candidate new actors: capitalised names, anonymous sources and groups that match no registered actor, never
a nationality or regional adjective, weekday, month or plain place name."""

from __future__ import annotations

import re

from diplonews.builders.authoring.textspans import Match, evidence, inside
from diplonews.builders.authoring.wordlists import demonyms, not_an_actor


_STOP = {
    "The", "A", "An", "In", "On", "At", "But", "And", "However", "During", "After", "Before", "Since", "Under", "As",
    "It", "He", "She", "They", "We", "This", "That", "Thus", "Still", "Previously", "Additionally", "Further",
    "To", "For", "Of", "If", "By", "With", "From", "Sources", "Reports", "According", "Amid", "While", "Home",
    "Related", "Posts", "Press", "President", "Minister", "Foreign", "Secretary", "Mayor", "Spokesperson",
}


_REGIONAL = {"European", "Western", "Eastern", "Northern", "Southern", "Arab", "African", "Asian", "Latin",
             "Nordic", "Baltic", "Balkan", "Gulf", "Middle Eastern", "Transatlantic", "Atlantic", "Pacific"}
"""Regional adjectives, which no country list has: like nationality adjectives, never an actor by themselves."""
_ANONYMOUS = re.compile(
    r"\b(?:[Aa]n?|[Tt]wo|[Tt]hree|[Ss]everal|[Uu]nnamed|[Aa]nonymous)\s+"
    r"(?:(?:senior|top|unnamed|anonymous|[A-Z][\w.]+)\s+)*"
    r"(?:(?:foreign|defen[cs]e|government|ministry|security|intelligence|diplomatic)\s+)*(?:official|source|diplomat)s?"
    r"(?:\s+familiar\s+with\s+the\s+\w+)?\b|\b(?:[Ss]ources|[Oo]fficials)\s+familiar\s+with\s+the\s+\w+\b")
"""Anonymous sources ("A Turkish official", "a source familiar with the discussions", "unnamed sources"), which the
guide records as actors of type anonymous_source."""
_GROUP_NOUNS = r"(?:media|press|opposition(?:\s+(?:leaders|parties|figures))?|protesters|demonstrators|" \
               r"(?:defen[cs]e\s+)?industry|military\s+chiefs|leaders)"


def _groups(text: str, known: list[Match]) -> list[tuple[int, int]]:
    """Collectives the text treats as one party: a nationality adjective or a known body's name with a group noun
    ("Russian media", "NATO military chiefs"), or "opposition leaders"."""
    names = "|".join(sorted(map(re.escape, demonyms()), key=len, reverse=True))
    out = [(m.start(), m.end()) for m in re.finditer(rf"\b(?:{names})\s+{_GROUP_NOUNS}\b", text)]
    out += [(m.start(), m.end()) for m in re.finditer(r"\bopposition\s+(?:leaders|parties|figures)\b", text)]
    for k in known:
        m = re.match(r"\s+" + _GROUP_NOUNS + r"\b", text[k.end:k.end + 40])
        if m and re.search(r"[a-z]", m.group(0)) and text[k.start:k.end].isupper():
            out.append((k.start, k.end + m.end()))
    return out


def _sentence_initial(text: str, start: int) -> bool:
    before = text[:start]
    return not before.strip() or bool(re.search(r"(?:[.!?:]|[.!?][”\"’])\s*$|\n\s*[“\"]?$|[“\"]$", before))


_FUNCTION_WORDS = {"There", "Here", "No", "Yes", "His", "Her", "Its", "Their", "Our", "It’s", "It's", "Really",
                   "Also",
                   "Then", "Now", "What", "When", "Where", "Why", "How", "Who", "Some", "Many", "Most", "All", "Both",
                   "Each", "Such", "Other", "Another", "These", "Those", "Meanwhile", "Instead", "Yet", "So", "Not"}


def _common_word(word: str, text: str) -> bool:
    """Whether a capitalised word at the start of a sentence is an ordinary word: a function word, a word the
    text also writes in lower case, or one with an ending names rarely have (-ing, -ly, -ion, -ment, -ness)."""
    return (word in _FUNCTION_WORDS or re.search(rf"\b{re.escape(word.lower())}\b", text) is not None
            or re.search(r"(?:ing|ly|ions?|ments?|ness)$", word) is not None)


def new_actor_candidates(text: str, known: list[Match], skip: list[tuple[int, int]]) -> list[dict]:
    """Capitalised names that match no actor (never a nationality or regional adjective, weekday, month, plain place
    name, a single common word that is capitalised only because it starts a sentence, or a name with digits such as
    a weapon system), anonymous sources and groups; one suggestion per name."""
    out, seen = [], set()
    names = [(m.start(), m.group(0), None) for m in
             re.finditer(r"\b[A-Z][\w’'.-]*[a-z]\w*(?:\s+(?:[A-Z][\w’'.-]*\w|of|the|for|al)){0,4}\b", text)]
    names += [(m.start(), m.group(0), "anonymous_source") for m in _ANONYMOUS.finditer(text)]
    names += [(s, text[s:e], "group") for s, e in _groups(text, known)]
    for start, name, kind in sorted(names, key=lambda n: (n[0], n[2] is None)):
        if kind is None:
            name = re.split(r"\s+(?=\S*\d)", name)[0]  # "Lockheed Martin Block-70F-16": stop at a model number
            name = re.sub(r"[’']s$", "", name)
            while name.split() and name.split()[-1] in ("of", "the", "for", "al"):
                name = name.rsplit(" ", 1)[0]
            while " " in name and (name.split()[0] in _STOP or not_an_actor(name.split()[0])
                                   or name.split()[0] in _REGIONAL):
                first = name.split()[0]
                name, start = name[len(first) + 1:].lstrip(), start + len(first) + 1
            if (not name or re.search(r"\d", name) or name in _STOP or not_an_actor(name) or name in _REGIONAL
                    or (" " not in name and _sentence_initial(text, start) and _common_word(name, text))):
                continue
        end = start + len(name)
        overlaps = any(k.start < end and start < k.end for k in known)
        if name in seen or inside(skip, start) or (overlaps and kind is None):
            continue
        if kind is not None and any(k.start <= start and end <= k.end for k in known):
            continue
        seen.add(name)
        context = text[max(0, start - 40):min(len(text), end + 40)].replace("\n", " ")
        entry = {"kind": "new_actor", **evidence(text, start, end)}
        if kind:
            entry["type"] = kind
        out.append({**entry, "context": context})
    return out
