"""Small synthetic datasets that satisfy every rule, and one named way to break each rule.

Used by the rule tests (break the seed dataset or a generated one, expect the rule
to fire) and by the property-based tests.
"""

from __future__ import annotations

import copy
import hashlib
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

from diplonews.builders.assemble import finalize, to_arrow
from diplonews.builders.compile.codebook import codebook_rows
from diplonews.builders.write.tables import write_parquet
from diplonews.schema.fields import alias_key

WORDS = ["Erdoğan", "Ankara", "called", "met", "the", "Kremlin", "said", "𝔘nicode", "talks", "Türkiye", "on", "Sunday"]


def make_rows(rng: random.Random, n_articles: int = 2, n_actors: int = 3, n_events: int = 2) -> dict[str, list[dict]]:
    """A valid dataset (no finding from any rule) of the given size, drawn from ``rng``."""
    rows: dict[str, list[dict]] = {k: list(v) for k, v in copy.deepcopy(codebook_rows()).items()}
    actors = [f"actor-{i}" for i in range(n_actors)]
    rows["actors"] = [
        {"actor_id": a, "name": f"Actor {i}", "actor_type": "person", "country_code": "TUR", "wikidata_id": None,
         "parent_actor_id": None, "note": None}
        for i, a in enumerate(actors)
    ]
    rows["actor_aliases"] = [{"actor_id": a, "alias": f"Alias {i}", "alias_key": f"alias {i}"}
                             for i, a in enumerate(actors)]
    rows["actor_roles"] = [
        {"actor_id": actors[0], "role": "president", "organization_actor_id": actors[-1], "role_seq": 1,
         "start_date": date(2000, 1, 1), "end_date": None, "source": "synthetic", "role_state": "held"}
    ]
    rows["topics"] = [{"topic_id": "topic-0", "label": "Topic", "description": "A topic."}]
    base = date(2025, 3, 1)
    rows["events"], rows["event_participants"] = [], []
    for j in range(n_events):
        start, days = base + timedelta(days=rng.randint(0, 20)), rng.randint(1, 3)
        rows["events"].append(
            {"event_id": f"event-{j}", "event_type": "phone_call", "status": "occurred", "date_start": start,
             "date_end": start + timedelta(days=days - 1), "date_precision": "day", "duration_days": days,
             "date_open": None, "date_basis": "stated",
             "date_note": None, "location": None, "country_code": None, "summary": "An event.",
             "cameo_code": "041", "plover_type": "CONSULT"}
        )
        rows["event_participants"].append(
            {"event_id": f"event-{j}", "actor_id": actors[0], "participant_role": "participant", "capacity": "president"}
        )
    for name in ("articles", "actor_mentions", "event_mentions", "positions", "demands", "demand_addressees",
                 "attribution_sources",
                 "attributions", "event_relations", "errata"):
        rows[name] = []
    for i in range(n_articles):
        aid = f"article-{i}"
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 60)))
        published = base + timedelta(days=40 + rng.randint(0, 10))
        rows["articles"].append(
            {"article_id": aid, "title": None, "outlet": None, "author": None, "url": None, "language": "en",
             "published_date": published, "published_date_earliest": published, "published_date_latest": published,
             "published_date_basis": "stated", "text": text,
             "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "text_file": f"{aid}.txt",
             "rights": "unknown", "text_license": "unknown",
             "redistributable": False, "rights_basis": None, "notes": None}
        )

        def span() -> tuple[int, int, str]:
            s = rng.randrange(0, len(text) - 1)
            e = rng.randint(s + 1, min(len(text), s + 30))
            return s, e, text[s:e]

        for a in actors:
            s, e, q = span()
            # The role holder is called by the office it holds (office_named_as_held stays quiet).
            office = ("president", "held", "President") if a == actors[0] else (None, None, None)
            rows["actor_mentions"].append({"mention_id": f"{aid}/{s}-{e}/{a}", "article_id": aid, "actor_id": a,
                                           "span_start": s, "span_end": e, "quote": q,
                                           **dict(zip(("as_office", "office_state", "office_words"), office))})
        for j in range(n_events):
            s, e, q = span()
            rows["event_mentions"].append(
                {"mention_id": f"{aid}/{s}-{e}/event-{j}", "article_id": aid, "event_id": f"event-{j}",
                 "reported_status": "occurred", "date_expression": None, "span_start": s, "span_end": e, "quote": q,
                 "condition_event_id": None, "denial_scope_start": None, "denial_scope_end": None}
            )
        s, e, q = span()
        rows["positions"].append(
            {"position_id": f"{aid}/p", "article_id": aid, "actor_id": actors[0], "topic_id": "topic-0",
             "stance": rng.choice(["support", "oppose", "neutral", "mixed"]), "target_actor_id": actors[-1],
             "event_id": "event-0", "span_start": s, "span_end": e, "quote": q,
             # A plain comment (CAMEO 010) has no PLOVER type, so any stance fits it.
             "cameo_code": "010", "plover_type": None, "holds_from": None, "holds_until": None, "holds_basis": None}
        )
        s, e, q = span()
        rows["demands"].append(
            {"demand_id": f"{aid}/d", "article_id": aid, "claimant_actor_id": actors[0],
             "addressee_actor_id": actors[-1], "topic_id": "topic-0", "action": "act", "event_id": "event-0",
             "demand_status": "made", "span_start": s, "span_end": e, "quote": q, "cameo_code": "020",
             "plover_type": "REQUEST"}
        )
        rows["demand_addressees"].append({"demand_id": f"{aid}/d", "article_id": aid, "actor_id": actors[-1],
                                          "addressee_seq": 1})
        # One cited source, whose words the position is; every other fact is the article's own.
        s, e, q = span()
        rows["attribution_sources"].append(
            {"source_id": f"{aid}/s", "article_id": aid, "actor_id": actors[-1], "via_source_id": None, "depth": 1,
             "event_id": None, "span_start": s, "span_end": e, "quote": q}
        )
        facts = [("mention_id", m["mention_id"], None) for m in rows["event_mentions"] if m["article_id"] == aid]
        facts += [("position_id", f"{aid}/p", f"{aid}/s"), ("demand_id", f"{aid}/d", None)]
        for column, key, source in facts:
            rows["attributions"].append(
                {"attribution_id": f"{key}:{'s' if source else 'author'}", "article_id": aid, "mention_id": None,
                 "position_id": None, "demand_id": None, column: key, "source_id": source}
            )
        if n_events > 1:  # a report has no date order to keep, so any two events may be linked by one
            s, e, q = span()
            rows["event_relations"].append(
                {"relation_id": f"{aid}/r", "article_id": aid, "source_event_id": "event-1",
                 "relation_type": "reports", "target_event_id": "event-0", "span_start": s, "span_end": e, "quote": q}
            )
        s, e, q = span()
        rows["errata"].append(
            {"erratum_id": f"{aid}/e", "article_id": aid, "erratum_kind": "typo", "what_is_wrong": "A misprint.",
             "correction": "The word as meant.", "correction_basis": None, "span_start": s, "span_end": e, "quote": q}
        )
    return rows


def write_dataset(rows: dict[str, list[dict]], folder: Path) -> Path:
    """Write rows as a dataset folder's Parquet tables (what the dataset rules read)."""
    (folder / "parquet").mkdir(parents=True, exist_ok=True)
    for name, table_rows in rows.items():
        write_parquet(finalize(name, to_arrow(name, table_rows)), folder / "parquet" / f"{name}.parquet")
    return folder


# --- one way to break each dataset rule -------------------------------------------------


def _first(rows: dict, table: str, **where) -> dict:
    return next(r for r in rows[table] if all(r.get(k) == v for k, v in where.items()))


def _dup_pk(rows):
    rows["actors"].append(dict(rows["actors"][0]))


def _bad_enum(rows):
    rows["events"][0]["status"] = "happened"


def _dangling_fk(rows):
    rows["actor_mentions"][0]["actor_id"] = "no-such-actor"


def _bad_code(rows):
    rows["events"][0]["cameo_code"] = "2099"  # well-formed (unlike ICEWS's "13y", which the pattern catches) but not a CAMEO code


def _span_outside(rows):
    m = rows["actor_mentions"][0]
    text = _first(rows, "articles", article_id=m["article_id"])["text"]
    m["span_end"] = len(text) + 5


def _quote_mismatch(rows):
    m = rows["actor_mentions"][0]
    m["quote"] = m["quote"] + "!"


def _hash_mismatch(rows):
    rows["articles"][0]["text_sha256"] = "0" * 64


def _article_dates(rows):
    a = rows["articles"][0]
    a["published_date_earliest"] = a["published_date_latest"] + timedelta(days=1)


def _event_dates(rows):
    e = next(e for e in rows["events"] if e["date_start"] is not None)
    e["date_end"] = e["date_start"] - timedelta(days=1)


def _new_event(rows, suffix: str, **fields) -> dict:
    """A copy of the first event (with its participants) under a new ID and with ``fields`` changed, so that a
    date break does not undo another break of the same event when all are applied at once."""
    first = rows["events"][0]
    event = {**first, "event_id": f"{first['event_id']}-zz-{suffix}", **fields}
    rows["events"].append(event)
    rows["event_participants"] += [dict(p, event_id=event["event_id"]) for p in rows["event_participants"]
                                   if p["event_id"] == first["event_id"]]
    return event


def _month_across_months(rows):
    # The window leaves its month, as the rumoured call of 17 March-6 April once did.
    _new_event(rows, "month", date_start=date(2025, 3, 17), date_end=date(2025, 4, 6), date_precision="month",
               duration_days=1, date_open=None)


def _longer_than_window(rows):
    # Precision week is what a 7-day window gives an event of 8 days: only the duration is wrong.
    _new_event(rows, "long", date_start=date(2025, 3, 17), date_end=date(2025, 3, 23), date_precision="week",
               duration_days=8, date_open=None)


def _open_side_unstated(rows):
    _new_event(rows, "open", date_start=None, date_end=date(2025, 3, 23), date_precision=None, duration_days=None,
               date_open=None)


def _occurred_after_report(rows):
    m = rows["event_mentions"][0]
    a = _first(rows, "articles", article_id=m["article_id"])
    e = _first(rows, "events", event_id=m["event_id"])
    e["status"], e["date_start"], e["date_end"] = "occurred", a["published_date_latest"] + timedelta(days=30), None


def _role_not_held(rows):
    next(p for p in rows["event_participants"] if p["capacity"])["capacity"] = "emperor"


def _no_participant(rows):
    event_id = rows["events"][0]["event_id"]
    rows["event_participants"] = [p for p in rows["event_participants"] if p["event_id"] != event_id]


def _self_demand(rows):
    d = rows["demands"][0]
    d["addressee_actor_id"] = d["claimant_actor_id"]


def _empty_position(rows):
    p = rows["positions"][0]
    p["topic_id"] = p["target_actor_id"] = None


def _shared_alias(rows):
    first = rows["actor_aliases"][0]
    other = next(a["actor_id"] for a in rows["actors"] if a["actor_id"] != first["actor_id"])
    shouted = first["alias"].upper()
    rows["actor_aliases"].append({"actor_id": other, "alias": shouted, "alias_key": alias_key(shouted)})


def _article_without_event(rows):
    aid = rows["articles"][0]["article_id"]
    rows["event_mentions"] = [m for m in rows["event_mentions"] if m["article_id"] != aid]


def _voiced_event_unmentioned(rows):
    p = next(p for p in rows["positions"] if p["event_id"])
    rows["event_mentions"] = [
        m for m in rows["event_mentions"] if not (m["article_id"] == p["article_id"] and m["event_id"] == p["event_id"])
    ]


def _quote_withheld_alone(rows):
    rows["actor_mentions"][0]["quote"] = None


def _orphan_actor(rows):
    rows["actors"].append({**rows["actors"][0], "actor_id": "nobody-mentions-me", "parent_actor_id": None})


def _orphan_topic(rows):
    rows["topics"].append({"topic_id": "nobody-uses-me", "label": "Unused", "description": "Unused."})


def _office_not_yet_held(rows):
    next(m for m in rows["actor_mentions"] if m["as_office"])["office_state"] = "nominee"


def _anonymous_source_undated(rows):
    rows["actors"].append({**rows["actors"][0], "actor_id": "anon-official", "actor_type": "anonymous_source",
                           "name": "Anonymous official", "parent_actor_id": None})


def _anonymous_source_named_after_person(rows):
    persons = {a["actor_id"] for a in rows["actors"] if a["actor_type"] == "person"}
    alias = next(al["alias"] for al in rows["actor_aliases"] if al["actor_id"] in persons)
    rows["actors"].append({**rows["actors"][0], "actor_id": "anon-sources-2025-03", "actor_type": "anonymous_source",
                           "name": f"Sources close to {alias}", "parent_actor_id": None})


def _attribution_of_nothing(rows):
    next(t for t in rows["attributions"] if t["mention_id"])["mention_id"] = None


def _depth_skips(rows):
    # Breaks any source: a relayed one must sit one below its relay, one cited by the article at depth 1.
    rows["attribution_sources"][0]["depth"] += 1


def _unattributed_fact(rows):
    m = rows["event_mentions"][0]["mention_id"]
    rows["attributions"] = [t for t in rows["attributions"] if t["mention_id"] != m]


# The modality breaks make the report they break, so they work on any dataset (the synthetic ones have
# no denial or condition of their own).
def _denial_without_scope(rows):
    m = rows["event_mentions"][0]
    m["reported_status"], m["denial_scope_start"], m["denial_scope_end"] = "denied_for_period", date(2025, 3, 17), None


def _denied_event_occurred(rows):
    m = rows["event_mentions"][0]
    e = _first(rows, "events", event_id=m["event_id"])
    day = e["date_start"] or date(2025, 3, 17)
    e["status"], e["date_start"], e["date_end"] = "occurred", day, None
    m["reported_status"], m["denial_scope_start"], m["denial_scope_end"] = "denied_for_period", day, day


def _self_condition(rows):
    m = rows["event_mentions"][0]
    m["reported_status"], m["condition_event_id"] = "proposed", m["event_id"]


def _relation(rows, relation_type: str, source: str, target: str, local: str) -> dict:
    """A relation of the first article between two events, at the evidence of its first actor mention."""
    m = rows["actor_mentions"][0]
    row = {"relation_id": f"{m['article_id']}/{local}", "article_id": m["article_id"], "source_event_id": source,
           "relation_type": relation_type, "target_event_id": target, "span_start": m["span_start"],
           "span_end": m["span_end"], "quote": m["quote"]}
    rows["event_relations"].append(row)
    return row


def _two_events(rows) -> list[dict]:
    """The first two events, dated; a dataset with one event gets a dated copy of it (with a participant), so
    a break between two events works on any dataset (the copy's own findings do not matter to it)."""
    events = rows["events"]
    if not any(e["date_start"] for e in events):
        events[0].update(date_start=date(2025, 3, 17), date_end=date(2025, 3, 17), date_precision="day",
                         duration_days=1, date_open=None)
    dated = [e for e in events if e["date_start"] is not None]
    while len(dated) < 2:
        first = dated[0]
        copy_ = {**first, "event_id": f"{first['event_id']}-zz-copy",
                 "date_start": first["date_start"] + timedelta(days=10),
                 "date_end": (first["date_end"] or first["date_start"]) + timedelta(days=10)}
        events.append(copy_)
        rows["event_participants"] += [dict(p, event_id=copy_["event_id"]) for p in rows["event_participants"]
                                       if p["event_id"] == first["event_id"]]
        dated.append(copy_)
    return dated[:2]


def _dated_pair(rows) -> tuple[dict, dict]:
    """The first two dated events, in order of their start."""
    a, b = _two_events(rows)
    return (a, b) if a["date_start"] <= b["date_start"] else (b, a)


def _self_relation(rows):
    e = rows["events"][0]["event_id"]
    _relation(rows, "reports", e, e, "zz-self")


def _relation_cycle(rows):
    a, b = (e["event_id"] for e in _two_events(rows))
    _relation(rows, "part_of", a, b, "zz-cycle-1")
    _relation(rows, "part_of", b, a, "zz-cycle-2")


def _relation_backwards_in_time(rows):
    earlier, later = _dated_pair(rows)
    later["date_start"] = later["date_end"] = earlier["date_end"] + timedelta(days=3)
    later["date_precision"], later["duration_days"], later["date_open"] = "day", 1, None
    _relation(rows, "before", later["event_id"], earlier["event_id"], "zz-backwards")


def _erratum_without_basis(rows):
    e = rows["errata"][0]
    e["erratum_kind"], e["correction_basis"] = "factual_error", None


def _fact_from_erratum(rows):
    p = rows["positions"][0]
    rows["errata"].append({"erratum_id": f"{p['article_id']}/zz-false", "article_id": p["article_id"],
                           "erratum_kind": "factual_error", "what_is_wrong": "False.", "correction": "True.",
                           "correction_basis": "synthetic", "span_start": p["span_start"], "span_end": p["span_end"],
                           "quote": p["quote"]})


def _related_event_unmentioned(rows):
    a, b = _two_events(rows)
    r = _relation(rows, "reports", a["event_id"], b["event_id"], "zz-unmentioned")
    rows["event_mentions"] = [m for m in rows["event_mentions"]
                              if not (m["article_id"] == r["article_id"] and m["event_id"] == r["target_event_id"])]


def window_relation_rows() -> dict[str, list[dict]]:
    """A valid dataset plus dated events related in six ways: three that some reading of the windows allows
    (relation IDs ok-*) and three that none does (bad-*), for relation_dates_consistent on both engines."""
    rows = make_rows(random.Random(8), n_articles=1, n_events=1)
    m, first = rows["actor_mentions"][0], rows["events"][0]

    def d(day: int) -> date:
        return date(2025, 3, day)

    def event(name, start, end, precision, days=None, open_=None):
        rows["events"].append({**first, "event_id": name, "date_start": start, "date_end": end,
                               "date_precision": precision, "duration_days": days, "date_open": open_})
        rows["event_participants"].append({**rows["event_participants"][0], "event_id": name})

    def rel(local, kind, a, b):
        rows["event_relations"].append(
            {"relation_id": f"{m['article_id']}/{local}", "article_id": m["article_id"], "source_event_id": a,
             "relation_type": kind, "target_event_id": b, "span_start": m["span_start"],
             "span_end": m["span_end"], "quote": m["quote"]})

    event("on-20", d(20), d(20), "day", 1)
    event("call-in-week", d(17), d(23), "week", 1)          # one day of 17..23
    event("call-late-week", d(21), d(23), "week", 1)        # one day of 21..23: after the 20th in every reading
    event("three-days-in-week", d(17), d(23), "week", 3)    # starts by the 21st, ends on the 19th at the earliest
    event("visit-17-19", d(17), d(19), "day", 3)
    event("visit-17-18", d(17), d(18), "day", 2)
    event("before-25", None, d(25), None, None, "start")    # "ahead of the visit": open at the start
    event("war", date(2022, 2, 24), None, "day", None, "end")
    event("in-2021", date(2021, 1, 1), date(2021, 12, 31), "year")
    rel("ok-window", "before", "call-in-week", "on-20")      # it may have been on the 17th
    rel("bad-window", "before", "call-late-week", "on-20")
    rel("ok-duration", "part_of", "three-days-in-week", "visit-17-19")   # 17..19 is one reading
    rel("bad-duration", "part_of", "three-days-in-week", "visit-17-18")
    rel("ok-open", "before", "before-25", "on-20")           # nothing bounds its start
    rel("bad-open-day", "before", "war", "in-2021")          # the war's first day is its own (precision day)
    return rows


def _support_coded_as_conflict(rows):
    p = rows["positions"][-1]
    p["stance"], p["cameo_code"], p["plover_type"] = "support", "111", "ACCUSE"


def _demand_coded_as_praise(rows):
    d = rows["demands"][-1]
    d["cameo_code"], d["plover_type"] = "051", "SUPPORT"


def _from_end(items: list[dict], k: int) -> dict:
    """``items[-k]``: applied all at once to the seed dataset, each break takes its own position; a small
    generated dataset may have fewer, and a break applied alone may take any."""
    return items[-min(k, len(items))]


def _material_code_on_words(rows):
    p = _from_end(rows["positions"], 2)
    p["stance"], p["cameo_code"], p["plover_type"] = "mixed", "062", "COOPERATE"


def _period_backwards(rows):
    p = _from_end(rows["positions"], 3)
    p["holds_from"], p["holds_until"], p["holds_basis"] = date(2024, 1, 2), date(2024, 1, 1), "synthetic"


def _period_before_voicing(rows):
    dated = {e["event_id"]: e for e in rows["events"] if e["date_start"] is not None}
    p = next(p for p in reversed(rows["positions"][:-3] or rows["positions"]) if p["event_id"] in dated)
    day = dated[p["event_id"]]["date_start"] - timedelta(days=1)
    p["holds_from"], p["holds_until"], p["holds_basis"] = day - timedelta(days=10), day, "synthetic"


def _addressee_list_disagrees(rows):
    d = rows["demands"][-2 if len(rows["demands"]) > 1 else -1]  # the last is another break's, when there are two
    rows["demand_addressees"] = [x for x in rows["demand_addressees"] if x["demand_id"] != d["demand_id"]]


def _former_holder_undated(rows):
    # Not one of the last three positions (other breaks' in the seed dataset), unless there are no others.
    p = next(p for p in reversed(rows["positions"][:-3] or rows["positions"])
             if p["event_id"] is None or p["holds_until"] is None)
    rows["actors"].append({"actor_id": "zz-former", "name": "A former president", "actor_type": "person",
                           "country_code": None, "wikidata_id": None, "parent_actor_id": None, "note": None})
    rows["actor_roles"].append({"actor_id": "zz-former", "role": "president", "organization_actor_id": p["actor_id"],
                                "role_seq": 1, "start_date": date(1990, 1, 1), "end_date": date(1999, 12, 31),
                                "source": "synthetic", "role_state": "held"})
    p["actor_id"], p["holds_from"], p["holds_until"], p["holds_basis"] = "zz-former", None, None, None



def _role_backwards(rows):
    # A second office of an actor who also holds one still open, so no rule on who held what when (or on
    # former holders' stances) sees anything but this term.
    actor = next(r["actor_id"] for r in rows["actor_roles"] if r["end_date"] is None)
    rows["actor_roles"].append({"actor_id": actor, "role": "zz-envoy", "organization_actor_id": actor, "role_seq": 1,
                                "start_date": date(2001, 1, 1), "end_date": date(2000, 12, 31),
                                "source": "synthetic", "role_state": "held"})

BREAKS = {
    "primary_key_unique": _dup_pk,
    "column_constraints": _bad_enum,
    "foreign_key_resolves": _dangling_fk,
    "codes_in_codebook": _bad_code,
    "span_within_text": _span_outside,
    "quote_matches_span": _quote_mismatch,
    "text_hash_matches": _hash_mismatch,
    "article_date_order": _article_dates,
    "event_date_order": _event_dates,
    "role_period_valid": _role_backwards,
    "event_precision_matches_window": _month_across_months,
    "event_duration_fits_window": _longer_than_window,
    "event_open_side_stated": _open_side_unstated,
    "occurred_event_not_after_report": _occurred_after_report,
    "role_held_on_event_date": _role_not_held,
    "event_has_participant": _no_participant,
    "demand_claimant_not_addressee": _self_demand,
    "position_has_object": _empty_position,
    "alias_maps_to_one_actor": _shared_alias,
    "article_links_event": _article_without_event,
    "voiced_event_mentioned": _voiced_event_unmentioned,
    "no_orphan_actor": _orphan_actor,
    "no_orphan_topic": _orphan_topic,
    "text_withheld_only_if_restricted": _quote_withheld_alone,
    "office_named_as_held": _office_not_yet_held,
    "anonymous_source_id_dated": _anonymous_source_undated,
    "anonymous_source_names_nobody": _anonymous_source_named_after_person,
    "attribution_targets_one_row": _attribution_of_nothing,
    "attribution_chain_consistent": _depth_skips,
    "assertion_has_attribution": _unattributed_fact,
    "denial_scope_valid": _denial_without_scope,
    "denial_not_contradicted": _denied_event_occurred,
    "condition_event_reported": _self_condition,
    "relation_not_reflexive": _self_relation,
    "no_relation_cycle": _relation_cycle,
    "relation_dates_consistent": _relation_backwards_in_time,
    "erratum_has_basis": _erratum_without_basis,
    "no_fact_from_erratum": _fact_from_erratum,
    "related_events_mentioned": _related_event_unmentioned,
    "stance_matches_quad": _support_coded_as_conflict,
    "demand_code_is_request": _demand_coded_as_praise,
    "verbal_code_fits_act": _material_code_on_words,
    "position_period_valid": _period_backwards,
    "position_period_covers_event": _period_before_voicing,
    "former_holder_stance_dated": _former_holder_undated,
    "demand_addressees_complete": _addressee_list_disagrees,
}
"""Rule name -> a mutation of a valid dataset's rows that this rule must report."""


def unreadable_copy(folder: Path, at: Path) -> None:
    """A copy of the dataset ``folder`` at ``at`` whose Parquet files are not Parquet: a check that reads it
    by mistake (a glob matching its name) fails."""
    shutil.copytree(folder, at)
    for part in at.rglob("*.parquet"):
        part.write_bytes(b"not a Parquet file")
