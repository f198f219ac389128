"""Property: for generated texts and annotations, export -> import -> build gives the same dataset in
every format (few examples, built in-process: seconds, not minutes)."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplonews.api import export_annotations, import_annotations
from diplonews.builders.compile.evidence import occurrences

from tests.interchange_support import built, empty_layers

REPO = Path(__file__).resolve().parent.parent
ARTICLE = "2025-12-31-generated"
ACTORS = ["recep-tayyip-erdogan", "donald-trump", "turkiye", "united-states", "russia"]
TOPICS = ["counterterrorism", "f-35-program", "russia-ukraine-peace"]
EVENTS = ["2025-03-16-erdogan-trump-call", "russia-ukraine-war"]
# what trips offset arithmetic: astral characters, combining marks, CRLF, runs of spaces
PIECES = ["Ankara", "Trump", "Türkiye", " ", "  ", "\r\n", "\n", "🙂", "𝐓𝐫𝐮𝐦𝐩", "e\u0301", "🇹🇷", ".", "x"]

texts = st.lists(st.sampled_from(PIECES), min_size=8, max_size=40).map(lambda ps: "Generated: " + "".join(ps) + "\n")


# errata kinds that do not mark words as false (those may not overlap a position's or demand's quote)
ERRATA_KINDS = ["wrong_title", "unclear_attribution", "simplification"]
# later event first: the war (2022-) before, causing, or being proposed for the call (2025-03-16)
RELATIONS = ["before", "causes", "for"]


def _source_ref(draw, ids: list[str]):
    """No source, one source's local id, or a list of independent ones."""
    if not ids or draw(st.booleans()):
        return {}
    chosen = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=min(2, len(ids)), unique=True))
    return {"source": chosen[0] if len(chosen) == 1 and draw(st.booleans()) else chosen}


@st.composite
def annotated(draw):
    text = draw(texts)
    # spans start and end on characters that are neither white space nor a lone combining mark
    bounds = [i for i, ch in enumerate(text) if not ch.isspace() and ch != "\u0301"]

    def span():
        a, b = sorted(draw(st.lists(st.sampled_from(bounds), min_size=2, max_size=2)))
        start, end = a, b + 1
        if text[end] == "\u0301":
            end += 1  # with its accent: a quote that cuts a letter in two is refused (quote_found)
        quote = text[start:end]
        where = {"quote": quote}
        hits = occurrences(text, quote)
        if len(hits) > 1:
            where["occurrence"] = hits.index(start) + 1
        return start, end, where

    sections: dict[str, list] = {"actor_mentions": [], "event_mentions": [], "positions": [], "demands": [],
                                 "sources": [], "event_relations": [], "errata": []}
    # sources first, so entries (and later sources, through via) can name them
    for k in range(draw(st.integers(0, 3))):
        _, _, where = span()
        via = {"via": draw(st.sampled_from([s["id"] for s in sections["sources"]]))} \
            if sections["sources"] and draw(st.booleans()) else {}
        event = {"event": EVENTS[0]} if draw(st.booleans()) else {}
        sections["sources"].append({"id": f"s{k}", "actor": draw(st.sampled_from(ACTORS)), **via, **event, **where})
    source_ids = [s["id"] for s in sections["sources"]]
    n = draw(st.integers(1, 8))
    seen = set()
    kinds = ["actor_mentions", "demands", "event_mentions", "event_relations", "errata", "positions"]
    for k in range(n):
        start, end, where = span()
        kind = draw(st.sampled_from(kinds))
        actor, other = draw(st.lists(st.sampled_from(ACTORS), min_size=2, max_size=2, unique=True))
        if kind == "actor_mentions":
            if (start, end, actor) in seen:
                continue
            seen.add((start, end, actor))
            office = {"as_office": "president", "office_words": where["quote"],
                      "office_state": draw(st.sampled_from(["held", "acting", "former"]))} \
                if draw(st.booleans()) else {}
            sections[kind].append({"actor": actor, **office, **where})
        elif kind == "event_mentions":
            event = draw(st.sampled_from(EVENTS))
            if (start, end, event) in seen:
                continue
            seen.add((start, end, event))
            status = {"reported_status": "ongoing"}
            if draw(st.booleans()):  # a scoped denial: two dates
                first = draw(st.dates(date(2025, 1, 1), date(2025, 12, 31)))
                status = {"reported_status": "denied_for_period", "denial_scope_start": first,
                          "denial_scope_end": first + timedelta(days=draw(st.integers(0, 9)))}
            sections[kind].append({"event": event, **status, **_source_ref(draw, source_ids), **where})
        elif kind == "event_relations":
            sections[kind].append({"id": f"r{k}", "source_event": EVENTS[1], "type": draw(st.sampled_from(RELATIONS)),
                                   "target_event": EVENTS[0], **where})
        elif kind == "errata":
            sections[kind].append({"id": f"e{k}", "kind": draw(st.sampled_from(ERRATA_KINDS)),
                                   "what_is_wrong": "a detail 🙂", "correction": "the right detail",
                                   "basis": "the text itself", **where})
        elif kind == "positions":
            sections[kind].append({"id": f"p{k}", "holder": actor, "topic": draw(st.sampled_from(TOPICS)),
                                   "stance": draw(st.sampled_from(["support", "oppose", "neutral", "mixed"])),
                                   "cameo": "010",  # a plain statement: no quad class, so any stance fits
                                   **({"target": other} if draw(st.booleans()) else {}),
                                   **_source_ref(draw, source_ids), **where})
        else:
            # one addressee, or several (a list, first named first), none of them the claimant
            more = draw(st.lists(st.sampled_from([a for a in ACTORS if a not in (actor, other)]), max_size=2, unique=True))
            sections[kind].append({"id": f"d{k}", "claimant": actor, "addressee": [other, *more] if more else other,
                                   "topic": draw(st.sampled_from(TOPICS)), "action": draw(st.sampled_from(
                                       ["talk", "stop  it 🙂", "lift sanctions"])), **_source_ref(draw, source_ids),
                                   **where})
    return text, sections


def _seeds(root: Path, text: str, sections: dict) -> Path:
    seeds = root / "seeds"
    shutil.copytree(REPO / "seeds" / "registry", seeds / "registry")
    (seeds / "texts").mkdir()
    (seeds / "annotations").mkdir()
    (seeds / "texts" / f"{ARTICLE}.txt").write_bytes(text.encode("utf-8"))
    doc = {"article": {"id": ARTICLE, "text_file": f"{ARTICLE}.txt", "published_date": "2025-12-31",
                       "published_date_basis": "stated"}, **sections}
    (seeds / "annotations" / f"{ARTICLE}.yaml").write_text(
        yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return seeds


@pytest.mark.parametrize("fmt", ["brat", "labelstudio", "inception"])
def test_generated_annotations_round_trip(fmt, tmp_path_factory):
    @settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(annotated())
    def check(case):
        text, sections = case
        root = tmp_path_factory.mktemp("prop")
        seeds = _seeds(root, text, sections)
        before = built(seeds, root / "before")
        export_annotations(fmt, root / "export", seeds)
        empty_layers(seeds)
        source = root / "export" / ("tasks.json" if fmt == "labelstudio" else "")
        import_annotations(fmt, source, seeds)
        assert built(seeds, root / "after") == before

    check()
