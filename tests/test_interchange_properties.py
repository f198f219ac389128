"""Property: for generated texts and annotations, export -> import -> build gives the same dataset in
every format (few examples, built in-process: seconds, not minutes)."""

from __future__ import annotations

import shutil
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


@st.composite
def annotated(draw):
    text = draw(texts)
    # spans start and end on characters that are neither white space nor a lone combining mark
    bounds = [i for i, ch in enumerate(text) if not ch.isspace() and ch != "\u0301"]
    n = draw(st.integers(1, 8))
    sections: dict[str, list] = {"actor_mentions": [], "event_mentions": [], "positions": [], "demands": []}
    seen = set()
    for k in range(n):
        a, b = sorted(draw(st.lists(st.sampled_from(bounds), min_size=2, max_size=2)))
        start, end = a, b + 1
        quote = text[start:end]
        where = {"quote": quote}
        hits = occurrences(text, quote)
        if len(hits) > 1:
            where["occurrence"] = hits.index(start) + 1
        kind = draw(st.sampled_from(sorted(sections)))
        actor, other = draw(st.lists(st.sampled_from(ACTORS), min_size=2, max_size=2, unique=True))
        if kind == "actor_mentions":
            if (start, end, actor) in seen:
                continue
            seen.add((start, end, actor))
            sections[kind].append({"actor": actor, **where})
        elif kind == "event_mentions":
            event = draw(st.sampled_from(EVENTS))
            if (start, end, event) in seen:
                continue
            seen.add((start, end, event))
            sections[kind].append({"event": event, "reported_status": "ongoing", **where})
        elif kind == "positions":
            sections[kind].append({"id": f"p{k}", "holder": actor, "topic": draw(st.sampled_from(TOPICS)),
                                   "stance": draw(st.sampled_from(["support", "oppose", "neutral", "mixed"])),
                                   **({"target": other} if draw(st.booleans()) else {}), **where})
        else:
            sections[kind].append({"id": f"d{k}", "claimant": actor, "addressee": other,
                                   "topic": draw(st.sampled_from(TOPICS)), "action": draw(st.sampled_from(
                                       ["talk", "stop  it 🙂", "lift sanctions"])), **where})
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
    @settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
