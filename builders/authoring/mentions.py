"""Actor mentions a new text most likely has, against the registry: names and aliases, capitals for their
governments, roles held on the article date, administrations; not names used as modifiers, metonyms used as
places, or words in breadcrumbs and headings (annotation guide: what counts as a mention). Also the dates of
a presidency ("under Biden"), which come from the same roles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from diplonews.builders.authoring.folding import fold
from diplonews.builders.authoring.reldates import DateExpression
from diplonews.builders.authoring.textspans import Match, inside, sentences, skipped_lines
from diplonews.builders.authoring.wordlists import MONTH_NAMES, WEEKDAY_NAMES, capitals, country_names, demonyms

if TYPE_CHECKING:
    from diplonews.builders.authoring.registry_index import Registry
    from diplonews.schema.annotation import ActorEntry


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


@dataclass(frozen=True)
class ActorIndex:
    """What the registry says about actors, as the matchers need it."""

    by_id: dict[str, ActorEntry]
    aliases: dict[str, str]

    def country_of(self, actor_id: str) -> str | None:
        """The actor's ISO 3166-1 alpha-3 country, if it has one."""
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


def actor_index(registry: Registry) -> ActorIndex:
    """The actors of ``registry`` by ID, and every name they may be mentioned by: names and aliases, capitals
    for their governments, a state's other names."""
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
    # A state is also named by its other names ("Russian Federation", "Republic of Turkey").
    for name, code in country_names().items():
        if code in states and fold(name)[0] not in taken:
            aliases[name] = states[code]
    return ActorIndex(by_id, aliases)


_ROLE_SYNONYMS = {"leader": "president"}
"""Role words that name a role by another word: "the Russian leader" is the president of Russia."""
_DETERMINER = re.compile(r"\b(?:the|The|his|her|its|their)\s+$")


def _role_holders(actors: ActorIndex, anchor: date) -> dict[str, list[tuple[str, str | None]]]:
    """Role slug -> (holder, country of the organisation) for every role held on ``anchor``."""
    holders: dict[str, list[tuple[str, str | None]]] = {}
    for a in actors.by_id.values():
        for r in a.roles:
            if (r.start is None or r.start <= anchor) and (r.end is None or anchor <= r.end):
                holders.setdefault(r.role, []).append((a.id, actors.country_of(r.organization)))
    return holders


def _modifier_country(text: str, start: int, actors: ActorIndex, known: list[Match]) -> tuple[str | None, int | None]:
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


def _role_mentions(text: str, actors: ActorIndex, anchor: date, known: list[Match]) -> list[Match]:
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


def _is_modifier(text: str, m: Match, actors: ActorIndex) -> bool:
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


def _is_place(text: str, m: Match, actors: ActorIndex) -> bool:
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


def _government_of(actors: ActorIndex, country: str | None) -> str | None:
    """The one government actor directly under the state of ``country``, if the registry has exactly one."""
    states = {a.id for a in actors.by_id.values() if a.type.value == "state" and a.country == country}
    govs = [a.id for a in actors.by_id.values() if a.type.value == "government" and a.parent in states]
    return govs[0] if len(govs) == 1 else None


def _heads_of_state(actors: ActorIndex) -> dict[str, str]:
    """Person -> country of the organisation they are (or were) president of, by the registry's roles."""
    out = {}
    for a in actors.by_id.values():
        for r in a.roles:
            if r.role == "president" and actors.country_of(r.organization):
                out[a.id] = actors.country_of(r.organization)
    return out


def _administrations(text: str, actors: ActorIndex, persons: list[Match]) -> list[Match]:
    """"the Biden administration", "Donald Trump's administration", "the administration of President Donald
    Trump": the government of the country that person is president of (the person stays a mention too)."""
    heads = _heads_of_state(actors)
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


_GOVERNMENT_NOUN = re.compile(r"\s+(?:administration|government)\b")


def _governments_by_country(text: str, actors: ActorIndex, found: list[Match]) -> list[Match]:
    """"the U.S. administration", "the Turkish government": a country's name or nationality adjective and
    *administration* or *government* name that country's government (the name alone is then a modifier)."""
    out = []
    names = "|".join(sorted(map(re.escape, demonyms()), key=len, reverse=True))
    for m in re.finditer(rf"\b(?:{names})(?=\s+(?:administration|government)\b)", text):
        out.append((m.start(), m.end(), demonyms()[m.group(0)]))
    for k in found:
        a = actors.by_id.get(k.ref)
        if a is not None and a.type.value == "state" and _GOVERNMENT_NOUN.match(text, k.end):
            out.append((k.start, k.end, a.country))
    result = []
    for start, end, country in out:
        gov = _government_of(actors, country)
        noun = _GOVERNMENT_NOUN.match(text, end)
        if gov is not None and noun:
            result.append(Match(start, noun.end(), gov))
    return result


def _split_administration_aliases(text: str, found: list[Match], actors: ActorIndex) -> list[Match]:
    """A registered "<name> administration" alias also mentions the person it names (guide: both count)."""
    out = []
    persons = {fold(s)[0]: a.id for a in actors.by_id.values() if a.type.value == "person"
               for s in [a.name, *a.aliases]}
    for m in found:
        words = text[m.start:m.end]
        if actors.by_id.get(m.ref) and actors.by_id[m.ref].type.value == "government" and \
                fold(words)[0].endswith(" administration"):
            name = re.sub(r"(?:[’']s)?\s+administration$", "", words)
            if fold(name)[0] in persons:
                out.append(Match(m.start, m.start + len(name), persons[fold(name)[0]]))
    return out


def _short_names(text: str, actors: ActorIndex, mentions: list[Match]) -> list[Match]:
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
    actors = actor_index(registry)
    skip = skipped_lines(text, title)
    found = [m for m in match_aliases(text, actors.aliases) if not inside(skip, m.start)]
    kept = [m for m in found if not _is_modifier(text, m, actors) and not _is_place(text, m, actors)]
    kept += _split_administration_aliases(text, kept, actors)
    persons = [m for m in kept if actors.by_id[m.ref].type.value == "person"]
    taken = {(m.start, m.end) for m in kept}
    kept += [m for m in _administrations(text, actors, persons) if (m.start, m.end) not in taken]
    kept += [m for m in _governments_by_country(text, actors, found)
             if not inside(skip, m.start) and not any(k.start < m.end and m.start < k.end for k in kept)]
    kept += [m for m in _short_names(text, actors, kept)
             if not inside(skip, m.start) and not any(k.start < m.end and m.start < k.end for k in kept)]
    if anchor is not None:
        roles = _role_mentions(text, actors, anchor, found + [k for k in kept if k not in found])
        kept += [r for r in roles if not inside(skip, r.start) and not any(k.start < r.end and r.start < k.end
                                                                             for k in kept)]
    return sorted(set(kept), key=lambda m: (m.start, m.ref))


_TENURE_BEFORE = re.compile(r"\b(?:[Uu]nder|[Dd]uring|[Ii]n)\s+(?:the\s+)?(?:(?:former|then|US|U\.S\.)\s+)*"
                            r"(?:[Pp]resident\s+)?$")
_TENURE_AFTER = re.compile(r"(?:[’']s)?(?:\s+(?:administration|presidency|era|term|tenure|government))?")


def tenure_dates(text: str, actors: ActorIndex, persons: list[Match], anchor: date) -> list[DateExpression]:
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
