"""Suggestions for a new article: what an annotator should look at first.

Nothing here enters the tables: suggestions are written to the `suggestions:` section of the
annotation file, and an annotator confirms (moves) or deletes each one. Every suggestion carries a
quote and occurrence that resolve to the exact place in the text. How good they are is measured
leave-one-out over the seed articles by benchmarks/suggestions.py.

- actor mentions: registered names and aliases; a capital city stands for its country's government
  when the registry has one; roles held on the article date ("the Turkish president", "Secretary of
  State"); not a name used as a modifier ("US officials", "US-led"), a metonym used as a place ("a
  visit to Washington"), or words in breadcrumbs and section headings (annotation guide, §6);
- new actors: capitalised names that match no actor, never a nationality adjective, weekday,
  month or plain place name (builders/authoring/wordlists.py);
- events: each event word with the event type it suggests; the registry event it looks like (type,
  participants, dates and summary words), or else a new event with proposed type, status (from
  tense and modality cues) and date;
- dates (builders/authoring/reldates.py) and direct quotations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from diplonews.builders.authoring.folding import fold
from diplonews.builders.authoring.reldates import DateExpression, find_dates
from diplonews.builders.authoring.wordlists import MONTH_NAMES, WEEKDAY_NAMES, capitals, demonyms, not_an_actor
from diplonews.builders.compile.evidence import occurrences

if TYPE_CHECKING:
    from diplonews.builders.authoring.registry_index import Registry
    from diplonews.schema.annotation import ActorEntry, EventEntry

__all__ = ["EVENT_TRIGGERS", "Match", "fold", "match_aliases", "reported_status", "sentences", "suggest"]

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
                                     r"(?:ongoing|continuing|under\s+way|underway)\b", re.I))]
"""Passive future or continuing state just after an event word ("talks will be held", "protests are ongoing")."""

SAY_VERBS = r"(?:said|says|stated|told|added|remarked|noted|wrote|warned|stressed|underlined)"
_STOP = {
    "The", "A", "An", "In", "On", "At", "But", "And", "However", "During", "After", "Before", "Since", "Under", "As",
    "It", "He", "She", "They", "We", "This", "That", "Thus", "Still", "Previously", "Additionally", "Further",
    "To", "For", "Of", "If", "By", "With", "From", "Sources", "Reports", "According", "Amid", "While", "Home",
    "Related", "Posts", "Press", "President", "Minister", "Foreign", "Secretary", "Mayor", "Spokesperson",
}
_ROLE_NOUNS = (
    "official", "officials", "president", "presidents", "minister", "ministers", "secretary", "ambassador", "envoy",
    "allies", "ally", "partners", "partner", "member", "members", "statement", "statements", "forces", "troops",
    "military", "delegation", "embassy", "counterpart", "counterparts", "side", "spokesperson", "spokesman",
    "spokeswoman", "sources", "source", "leader", "leaders", "lawmakers", "diplomats", "diplomat", "authorities",
    "citizens", "companies", "firms", "jets", "sanctions", "policy", "interests", "aid", "bases", "soil",
    "territory", "border", "airspace", "economy", "administration", "government", "ties", "relations",
)
"""Nouns that a country or organisation name modifies ("US officials", "NATO allies", "US sanctions"): the name is
then a modifier, not a mention (annotation guide, "These do not count")."""
_MODIFIER_AFTER = re.compile(r"(?:-(?:led|backed|based|brokered|made|owned)\b|\s+(?:" + "|".join(_ROLE_NOUNS)
                             + r")\b|\s+[A-Z][a-z]+|\s+and\s+[A-Z][\w.]*\s+(?:" + "|".join(_ROLE_NOUNS) + r")\b)")
_PLACE_BEFORE = re.compile(
    r"\b(?:in|at|inside|outside|near|(?:visit|visits|visited|visiting|trip|travell?ed|travel|flew|arrived|returned|"
    r"went)(?:\s+(?:to|in))?)\s+(?:the\s+)?$", re.I)
"""Words before a metonym that make it the place ("a visit to Washington", "at the White House")."""
_ADMINISTRATION = re.compile(r"(?:[’']s)?\s+administration\b")
_ADMINISTRATION_OF = re.compile(r"\b[Tt]he\s+administration\s+of\s+(?:(?:former|then|US|U\.S\.|[Pp]resident)\s+)*$")
_CONTENT_STOP = {"with", "that", "this", "from", "their", "have", "were", "which", "about", "between", "after",
                 "before", "over", "also", "said", "says", "will", "would", "could", "they", "them", "into", "been",
                 "being", "there", "these", "those", "than", "then", "when", "where", "while", "what", "whose"}


@dataclass(frozen=True)
class Match:
    """A span of the text with what it was matched to."""

    start: int
    end: int
    ref: str


def _evidence(text: str, start: int, end: int) -> dict:
    quote = text[start:end]
    starts = occurrences(text, quote)
    out: dict = {"quote": quote}
    if len(starts) > 1:
        out["occurrence"] = starts.index(start) + 1
    return out


def match_aliases(text: str, aliases: dict[str, str]) -> list[Match]:
    """Non-overlapping alias matches (longest first), across case and diacritics, on word boundaries."""
    folded, index = fold(text)
    candidates: list[Match] = []
    for alias, actor in aliases.items():
        key, _ = fold(alias)
        if not key.strip():
            continue
        for m in re.finditer(r"(?<!\w)" + re.escape(key) + r"(?!\w)", folded):
            start, end = index[m.start()], index[m.end() - 1] + 1
            candidates.append(Match(start, end, actor))
    taken: list[Match] = []
    for c in sorted(candidates, key=lambda c: (-(c.end - c.start), c.start, c.ref)):
        if not any(t.start < c.end and c.start < t.end for t in taken):
            taken.append(c)
    return sorted(taken, key=lambda m: (m.start, m.ref))


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


def _inside(spans: list[tuple[int, int]], start: int) -> bool:
    return any(s <= start < e for s, e in spans)


@dataclass(frozen=True)
class _Actors:
    """What the registry says about actors, as the matchers need it."""

    by_id: dict[str, ActorEntry]
    aliases: dict[str, str]

    def country_of(self, actor_id: str) -> str | None:
        a = self.by_id.get(actor_id)
        return a.country if a else None

    def lineage(self, actor_id: str) -> set[str]:
        """The actor, its parents, and the organisations it holds roles in."""
        out, todo = set(), [actor_id]
        while todo:
            a = self.by_id.get(todo.pop())
            if a is None or a.id in out:
                continue
            out.add(a.id)
            todo += [p for p in [a.parent, *(r.organization for r in a.roles)] if p]
        return out


def _actors(registry: Registry) -> _Actors:
    by_id = {a.id: a for a in registry.actors}
    aliases = registry.aliases()
    taken = {fold(a)[0] for a in aliases}
    # A capital stands for its country's government (Ankara -> the government of Türkiye) when the registry
    # has exactly one government directly under that country's state, and the capital is no one's alias yet.
    states = {a.country: a.id for a in registry.actors if a.type.value == "state" and a.country}
    for capital, code in capitals().items():
        govs = [a.id for a in registry.actors if a.type.value == "government" and a.parent == states.get(code)]
        if len(govs) == 1 and fold(capital)[0] not in taken:
            aliases[capital] = govs[0]
    return _Actors(by_id, aliases)


_ROLE_SYNONYMS = {"leader": "president"}
"""Role words that name a role by another word: "the Russian leader" is the president of Russia."""
_DETERMINER = re.compile(r"\b(?:the|The|his|her|its|their)\s+$")


def _role_holders(actors: _Actors, anchor: date) -> dict[str, list[tuple[str, str | None]]]:
    """Role slug -> (holder, country of the organisation) for every role held on ``anchor``."""
    holders: dict[str, list[tuple[str, str | None]]] = {}
    for a in actors.by_id.values():
        for r in a.roles:
            if (r.start is None or r.start <= anchor) and (r.end is None or anchor <= r.end):
                holders.setdefault(r.role, []).append((a.id, actors.country_of(r.organization)))
    return holders


def _modifier_country(text: str, start: int, actors: _Actors, known: list[Match]) -> tuple[str | None, int | None]:
    """The country named just before ``start`` ("Turkish", "US", "Russia's") and where that name starts."""
    m = re.search(r"([A-Z][\w.]*?)(?:[’']s)?\s+$", text[max(0, start - 40):start])
    if not m:
        return None, None
    at = max(0, start - 40) + m.start(1)
    word = m.group(1)
    if word.rstrip(".") in demonyms():
        return demonyms()[word.rstrip(".")], at
    hit = next((k for k in known if k.start == at), None)
    if hit is not None and actors.by_id[hit.ref].type.value in ("state", "government"):
        return actors.country_of(hit.ref), at
    return None, None


def _role_mentions(text: str, actors: _Actors, anchor: date, known: list[Match]) -> list[Match]:
    """Descriptions by role held on ``anchor``: "the Turkish president" and "the U.S. president" (quoted without
    the article), "US Secretary of State" (the role words: a name without a determiner is a modifier), "his
    Russian counterpart" (the same role as the person just named, in that country), and "The president" (the
    first holder of that role named in the previous sentence and not in this one). Not when a name follows
    ("President Donald Trump": the name is the mention)."""
    holders = _role_holders(actors, anchor)
    if not holders:
        return []
    words = {" ".join(r.split("-")): r for r in holders} | {w: r for w, r in _ROLE_SYNONYMS.items() if r in holders}
    rx = re.compile(r"(?<!\w)(" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in
                                          sorted(words, key=len, reverse=True)) + r"|counterpart)(?!\w)", re.I)
    spans = sentences(text)
    persons = [k for k in known if actors.by_id[k.ref].type.value == "person"]
    out = []
    for m in rx.finditer(text):
        if re.match(r"\s+[A-Z][a-z]", text[m.end():m.end() + 3]):
            continue  # "President Donald Trump": the name is the mention
        sent = next(((s, e) for s, e in spans if s <= m.start() < e), (0, len(text)))
        country, mod_at = _modifier_country(text, m.start(), actors, known)
        key = m.group(0).lower()
        if key == "counterpart":
            if country is None:
                continue
            before = [p for p in persons if sent[0] <= p.start < m.start()]
            if not before:
                continue
            roles = {r for r, hs in holders.items() if any(h == before[-1].ref for h, _ in hs)}
            who = sorted({h for r in roles for h, c in holders[r] if c == country and h != before[-1].ref})
        else:
            role = words[" ".join(key.split())]
            if country is not None:
                who = [h for h, c in holders[role] if c == country]
            elif _DETERMINER.search(text[max(0, m.start() - 6):m.start()]):
                prev = next(((s, e) for s, e in reversed(spans) if e <= sent[0]), None)
                here = {p.ref for p in persons if sent[0] <= p.start < sent[1]}
                named = [p.ref for p in persons if prev and prev[0] <= p.start < prev[1] and p.ref not in here
                         and any(h == p.ref for h, _ in holders[role])]
                the = re.search(r"\b[Tt]he\s+$", text[max(0, m.start() - 4):m.start()])
                if named and the:
                    out.append(Match(max(0, m.start() - 4) + the.start(), m.end(), named[0]))
                continue
            elif m.group(0)[0].isupper():
                who = [h for h, _ in holders[role]] if len({h for h, _ in holders[role]}) == 1 else []
            else:
                who = []
        if len(set(who)) != 1:
            continue
        start = m.start()
        if mod_at is not None and _DETERMINER.search(text[max(0, mod_at - 6):mod_at]):
            start = mod_at
        out.append(Match(start, m.end(), who[0]))
    return out


def _is_modifier(text: str, m: Match, actors: _Actors) -> bool:
    """Whether a country or organisation name modifies a noun ("US officials", "US-led", "NATO allies") rather
    than refers to the actor; the parts of a compound ("Turkey-US ties") are mentions, and so is a possessive
    ("Turkey's support"), except inside a name ("Countering America's Adversaries")."""
    kind = actors.by_id[m.ref].type.value if m.ref in actors.by_id else ""
    if kind not in ("state", "igo", "government", "organization", "media"):
        return False
    before, after = text[max(0, m.start - 30):m.start], text[m.end:m.end + 40]
    if before.endswith("-") or re.match(r"-[A-Z]", after):
        return False  # one side of a compound: "Turkey-US ties", "US-Turkey relations"
    if re.match(r"[’']s\s+[A-Z]", after) and re.search(r"[A-Z]\w+\s+$", before):
        return True  # inside a capitalised name
    hit = _MODIFIER_AFTER.match(after)
    if not hit:
        return False
    word = hit.group(0).strip()
    return not (word in WEEKDAY_NAMES or word in MONTH_NAMES or word in demonyms())


def _is_place(text: str, m: Match, actors: _Actors) -> bool:
    """Whether a metonym (an alias of a government body) names the place: "a visit to Washington", or a dateline
    ("ANKARA —" at the start of a line)."""
    a = actors.by_id.get(m.ref)
    line_start = text.rfind("\n", 0, m.start) + 1
    if text[m.start:m.end].isupper() and not text[line_start:m.start].strip() and re.match(r"\s*(?:[—–-]|,)",
                                                                                            text[m.end:m.end + 3]):
        return True
    if not (a and a.type.value == "government") or re.match(r"[’']s\b", text[m.end:m.end + 2]):
        return False
    return bool(_PLACE_BEFORE.search(text[max(0, m.start - 30):m.start]))


def _government_of(actors: _Actors, country: str | None) -> str | None:
    """The one government actor directly under the state of ``country``, if the registry has exactly one."""
    states = {a.id for a in actors.by_id.values() if a.type.value == "state" and a.country == country}
    govs = [a.id for a in actors.by_id.values() if a.type.value == "government" and a.parent in states]
    return govs[0] if len(govs) == 1 else None


def _heads_of_state(actors: _Actors, anchor: date | None) -> dict[str, str]:
    """Person -> country of the organisation they are (or were) president of, by the registry's roles."""
    out = {}
    for a in actors.by_id.values():
        for r in a.roles:
            if r.role == "president" and actors.country_of(r.organization):
                out[a.id] = actors.country_of(r.organization)
    return out


def _administrations(text: str, actors: _Actors, persons: list[Match], anchor: date | None) -> list[Match]:
    """"the Biden administration", "Donald Trump's administration", "the administration of President Donald
    Trump": the government of the country that person is president of (the person stays a mention too)."""
    heads = _heads_of_state(actors, anchor)
    out = []
    for p in persons:
        gov = _government_of(actors, heads.get(p.ref))
        if gov is None:
            continue
        after = _ADMINISTRATION.match(text, p.end)
        if after:
            out.append(Match(p.start, after.end(), gov))
            continue
        before = _ADMINISTRATION_OF.search(text, max(0, p.start - 60), p.start)
        if before:
            out.append(Match(before.start(), before.start() + len("the administration"), gov))
    return out


def _split_administration_aliases(text: str, found: list[Match], actors: _Actors) -> list[Match]:
    """A registered "<name> administration" alias also mentions the person it names (guide: both count)."""
    out = []
    persons = {fold(s)[0]: a.id for a in actors.by_id.values() if a.type.value == "person" for s in [a.name, *a.aliases]}
    for m in found:
        words = text[m.start:m.end]
        if actors.by_id.get(m.ref) and actors.by_id[m.ref].type.value == "government" and \
                fold(words)[0].endswith(" administration"):
            name = re.sub(r"(?:[’']s)?\s+administration$", "", words)
            if fold(name)[0] in persons:
                out.append(Match(m.start, m.start + len(name), persons[fold(name)[0]]))
    return out


def _short_names(text: str, actors: _Actors, mentions: list[Match]) -> list[Match]:
    """"the directorate" after "the Directorate of Communications": a body named again by the first or last word
    of a name already mentioned (bodies, not people; the word alone is quoted)."""
    heads: dict[str, tuple[int, str]] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        a = actors.by_id.get(m.ref)
        words = text[m.start:m.end].split()
        if a is None or a.type.value == "person" or len(words) < 2:
            continue
        for w in {words[0], words[-1]}:
            heads.setdefault(fold(w)[0], (m.end, m.ref))
    out = []
    for w, (after, ref) in heads.items():
        for m in re.finditer(r"\b[Tt]he\s+(" + re.escape(w) + r")\b", text):
            if m.start(1) >= after and text[m.start(1)].islower():
                out.append(Match(m.start(1), m.end(1), ref))
    return out


def actor_mentions(text: str, registry: Registry, anchor: date | None, title: str | None = None) -> list[Match]:
    """Suggested actor mentions (see the module docstring), in text order."""
    actors = _actors(registry)
    skip = skipped_lines(text, title)
    found = [m for m in match_aliases(text, actors.aliases) if not _inside(skip, m.start)]
    kept = [m for m in found if not _is_modifier(text, m, actors) and not _is_place(text, m, actors)]
    kept += _split_administration_aliases(text, kept, actors)
    persons = [m for m in kept if actors.by_id[m.ref].type.value == "person"]
    taken = {(m.start, m.end) for m in kept}
    kept += [m for m in _administrations(text, actors, persons, anchor) if (m.start, m.end) not in taken]
    kept += [m for m in _short_names(text, actors, kept)
             if not _inside(skip, m.start) and not any(k.start < m.end and m.start < k.end for k in kept)]
    if anchor is not None:
        roles = _role_mentions(text, actors, anchor, found + [k for k in kept if k not in found])
        kept += [r for r in roles if not _inside(skip, r.start) and not any(k.start < r.end and r.start < k.end
                                                                             for k in kept)]
    return sorted(set(kept), key=lambda m: (m.start, m.ref))


_REGIONAL = {"European", "Western", "Eastern", "Northern", "Southern", "Arab", "African", "Asian", "Latin",
             "Nordic", "Baltic", "Balkan", "Gulf", "Middle Eastern", "Transatlantic", "Atlantic", "Pacific"}
"""Regional adjectives, which no country list has: like nationality adjectives, never an actor by themselves."""
_ANONYMOUS = re.compile(
    r"\b(?:[Aa]n?|[Tt]wo|[Tt]hree|[Ss]everal|[Uu]nnamed|[Aa]nonymous)\s+(?:(?:senior|top|unnamed|anonymous|[A-Z][\w.]+)\s+)*"
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
    return not text[:start].strip() or bool(re.search(r"(?:[.!?:]|[.!?][”\"’])\s*$|\n\s*[“\"]?$|[“\"]$", text[:start]))


_FUNCTION_WORDS = {"There", "Here", "No", "Yes", "His", "Her", "Its", "Their", "Our", "It’s", "It's", "Really", "Also",
                   "Then", "Now", "What", "When", "Where", "Why", "How", "Who", "Some", "Many", "Most", "All", "Both",
                   "Each", "Such", "Other", "Another", "These", "Those", "Meanwhile", "Instead", "Yet", "So", "Not"}


def _common_word(word: str, text: str) -> bool:
    """Whether a capitalised word at the start of a sentence is an ordinary word: a function word, a word the
    text also writes in lower case, or one with an ending names rarely have (-ing, -ly, -ion, -ment, -ness)."""
    return (word in _FUNCTION_WORDS or re.search(rf"\b{re.escape(word.lower())}\b", text) is not None
            or re.search(r"(?:ing|ly|ions?|ments?|ness)$", word) is not None)


def _new_actor_candidates(text: str, known: list[Match], skip: list[tuple[int, int]]) -> list[dict]:
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
        if name in seen or _inside(skip, start) or (overlaps and kind is None):
            continue
        if kind is not None and any(k.start <= start and end <= k.end for k in known):
            continue
        seen.add(name)
        context = text[max(0, start - 40):min(len(text), end + 40)].replace("\n", " ")
        entry = {"kind": "new_actor", **_evidence(text, start, end)}
        if kind:
            entry["type"] = kind
        out.append({**entry, "context": context})
    return out


def _quotations(text: str, actors: list[Match]) -> list[dict]:
    out = []
    spans = sentences(text)
    for m in re.finditer(r"“[^”]{3,}”|\"[^\"\n]{3,}\"", text):
        s, e = next(((s, e) for s, e in spans if s <= m.start() < e), (m.start(), m.end()))
        speaker = None
        if re.search(SAY_VERBS, text[s:e]):
            outside = [a for a in actors if s <= a.start < e and not (m.start() <= a.start < m.end())]
            if outside:
                speaker = min(outside, key=lambda a: min(abs(a.start - m.end()), abs(m.start() - a.end))).ref
        out.append({"kind": "quotation", **_evidence(text, m.start(), m.end()), "speaker": speaker})
    return out


def reported_status(clause: str, at: int | None = None, end: int | None = None) -> str:
    """The status a clause reports of the event word at ``clause[at:end]`` (default: the whole clause): denied
    when the clause negates it, else the first tense or modality cue before the word (:data:`STATUS_CUES`) or a
    passive future just after it (:data:`AFTER_CUES`); occurred when none."""
    at = len(clause) if at is None else at
    end = len(clause) if end is None else end
    if DENIAL.search(clause):
        return "denied"
    before = next((status for status, rx in STATUS_CUES if rx.search(clause[:at])), None)
    if before:
        return before
    return next((status for status, rx in AFTER_CUES if rx.search(clause[end:])), "occurred")


def clause(text: str, start: int, end: int, pos: int) -> tuple[int, int]:
    """The clause of the sentence ``text[start:end]`` around ``pos``: between commas, semicolons, colons, dashes
    and brackets."""
    left = max((m.end() for m in re.finditer(r"[,;:—–()]", text[start:pos])), default=0) + start
    right = next((m.start() for m in re.finditer(r"[,;:—–()]", text[pos:end])), end - pos) + pos
    return left, right


def _content_words(s: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z-]{3,}", fold(s)[0]) if w not in _CONTENT_STOP}


def _event_score(event: EventEntry, etype: str, status: str, involved: set[str], when: DateExpression | None,
                 words: set[str], actors: _Actors, anchor: tuple[date, date] | None) -> float:
    """How much an event word looks like a registry event: type (3, or 1.5 for a close type, then only with two
    participants named), each participant named in the sentence (1.5; 0.5 for a body or person it belongs to; none
    in common rules the event out), a date in the clause that overlaps the event's (2, 0.5 for an event longer
    than a month, -5 when it does not), summary words (0.5 each, at most 2); minus what is unlikely: an event
    reported as having happened that is dated after the article (-5), a statement two months before it or a
    dated event a month before it named without a date (-2), a registry event still only planned or proposed
    reported as having happened (-1)."""
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
    if direct + near == 0 or (event.type != etype and direct < 2):
        return float("-inf")  # no one in common, or only a close type without two of its participants
    score += 1.5 * direct + 0.5 * near
    if when is not None and when.earliest and event.date_start:
        overlap = when.earliest <= (event.date_end or event.date_start) and event.date_start <= when.latest
        long = event.date_end is None or (event.date_end - event.date_start).days > 31
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


def _trigger_regex() -> re.Pattern:
    words = sorted({w for ws in EVENT_TRIGGERS.values() for w in ws}, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.I)


_TRIGGER_TYPE = {w: t for t, ws in EVENT_TRIGGERS.items() for w in ws}
_TRIGGERS = _trigger_regex()
THRESHOLD = 4.5
"""The least score for "looks like event X": the type and two participants, or the type, one participant and a
date or some summary words."""


def _events(text: str, registry: Registry, actors: _Actors, mentions: list[Match], dates: list[DateExpression],
            skip: list[tuple[int, int]], anchor: tuple[date, date] | None) -> list[dict]:
    out = []
    for s, e in sentences(text):
        if _inside(skip, s):
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
            entry = {"kind": "event", **_evidence(text, m.start(), m.end()), "type": etype,
                     "reported_status": status, "actors": sorted(involved)}
            scored = sorted(((_event_score(ev, etype, status, involved, when, words, actors, anchor), ev.id)
                             for ev in registry.events), key=lambda x: (-x[0], x[1]))
            best = [(sc, i) for sc, i in scored if sc >= THRESHOLD]
            if best:
                entry["looks_like"] = best[0][1]
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


_TENURE_BEFORE = re.compile(r"\b(?:[Uu]nder|[Dd]uring|[Ii]n)\s+(?:the\s+)?(?:(?:former|then|US|U\.S\.)\s+)*(?:[Pp]resident\s+)?$")
_TENURE_AFTER = re.compile(r"(?:[’']s)?(?:\s+(?:administration|presidency|era|term|tenure|government))?")


def tenure_dates(text: str, actors: _Actors, persons: list[Match], anchor: date) -> list[DateExpression]:
    """"under Biden", "during Donald Trump's administration", "the Biden era": the dates of that person's
    presidency from the registry's roles (of several terms, the last that ended before the anchor, else the one
    under way); basis inferred, as the dates come from the registry, not the words."""
    out = []
    for p in persons:
        before = _TENURE_BEFORE.search(text, max(0, p.start - 40), p.start)
        if before is None or before.end() != p.start:
            continue
        after = _TENURE_AFTER.match(text, p.end)
        if before.group(0).split()[0].lower() == "in" and not after.group(0).strip():
            continue  # "in Trump" is no period
        terms = [r for r in actors.by_id[p.ref].roles if r.role == "president" and r.start]
        past = [r for r in terms if r.end and r.end < anchor]
        now = [r for r in terms if r.start <= anchor and (r.end is None or anchor <= r.end)]
        term = (past[-1] if past else now[0] if now else None) if terms else None
        if term is None:
            continue
        last = term.end or anchor
        out.append(DateExpression(before.start(), after.end(), text[before.start():after.end()], term.start, last,
                                  f"{actors.by_id[p.ref].name}'s presidency {term.start}..{term.end or 'ongoing'} "
                                  f"(registry roles{', ' + term.source if term.source else ''})", "inferred", "day"))
    return out


def suggest(text: str, registry: Registry, anchor: date | None, latest: date | None = None,
            title: str | None = None) -> list[dict]:
    """All suggestions for ``text`` against ``registry``: actor mentions, new actors, dates, quotations and
    events. ``anchor`` is the publication date (or the first day of an undated article's interval, ``latest``
    its last); ``title`` the headline, which tells the title line from breadcrumbs that repeat it."""
    latest = latest or anchor
    actors = _actors(registry)
    skip = skipped_lines(text, title)
    mentions = actor_mentions(text, registry, latest, title)
    out: list[dict] = [{"kind": "actor_mention", "actor": a.ref, **_evidence(text, a.start, a.end)} for a in mentions]
    out += _new_actor_candidates(text, match_aliases(text, actors.aliases) + mentions, skip)
    dates = find_dates(text, anchor, latest) if anchor is not None else []
    if anchor is not None:
        persons = [m for m in mentions if actors.by_id.get(m.ref) and actors.by_id[m.ref].type.value == "person"]
        tenures = tenure_dates(text, actors, persons, latest)
        dates = sorted([d for d in dates if not any(t.start < d.end and d.start < t.end for t in tenures)] + tenures,
                       key=lambda d: d.start)
    for d in dates:
        entry = {"kind": "date", **_evidence(text, d.start, d.end), "resolution": d.resolution}
        if d.earliest is not None:
            entry.update(earliest=d.earliest.isoformat(), latest=d.latest.isoformat(), basis=d.basis,
                         precision=d.precision)
        out.append(entry)
    out += _quotations(text, mentions)
    out += _events(text, registry, actors, mentions, dates, skip, (anchor, latest) if anchor else None)
    return out
