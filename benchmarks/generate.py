"""Deterministic synthetic corpus at scale factor S, as annotation sources and as a built dataset.

    python benchmarks/generate.py --scale S --out DIR [--inject N] [--no-seeds]

writes ``DIR/seeds/`` (texts, registries, one annotation file per article: what
``diplonews build --seeds DIR/seeds`` compiles) and ``DIR/dataset/parquet/`` (the same
tables, written directly, so validate and load can be measured without a build).
Building the seeds gives exactly the generated tables. At S=1: 100,000 articles of
about 2,000 characters (diacritics, characters outside the BMP), 20,000 actors with
aliases, 300,000 events, ~700,000 participants, 1,000,000 actor mentions, 1,000,000
event mentions, 400,000 positions and 200,000 demands; actors and events are drawn
from a Zipf law, so a few are mentioned very often.

``--inject N`` plants exactly N violations of every dataset rule in DIR/dataset (the
seeds stay clean: the source rules would stop most of them before a build).
Everything is streamed in batches; no table is ever held whole in Python.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import shutil
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from diplonews.builders.assemble import finalize, to_arrow
from diplonews.builders.compile.codebook import codebook_rows
from diplonews.builders.compile.evidence import occurrences
from diplonews.builders.publish.package import sha256sums
from diplonews.builders.write.tables import row_group_rows
from diplonews.schema import TABLES_BY_NAME
from diplonews.schema.fields import alias_key
from diplonews.schema.generate import arrow_schema
from diplonews.validators.dataset_rules import RULES

SEED = 20250316

# Per S=1.
PER_SCALE = {"articles": 100_000, "actors": 20_000, "events": 300_000, "topics": 500}

FIRST = ["Recep", "Ayşe", "Vladimir", "Hakan", "Marco", "Ελένη", "Zoë", "Łukasz", "Şükrü", "Jürgen", "Олена",
         "François", "Çağla", "Dragoș", "Nuño", "İlhan", "𝔄lma"]
LAST = ["Erdoğan", "Fidan", "Kılıç", "Müller", "Dvořák", "Ødegaard", "Popescu", "Łęcki", "Σαμαράς", "Özdemir",
        "García", "Ковальчук", "Nguyễn"]
PLACES = ["Ankara", "İstanbul", "Washington", "Moskva", "Genève", "Brüssel", "Αθήνα", "Kyiv", "Doha", "Zürich"]
FILLER = ["the", "talks", "officials", "said", "on", "Sunday", "Türkiye", "Kremlin", "ministry", "according",
          "to", "sources", "sanctions", "délégation", "𝔘nicode", "🇹🇷", "ceasefire", "F-35", "S-400", "NATO",
          "während", "başkan", "встреча", "—", "“statement”", "ally’s", "𝄞", "agreement", "week", "region"]
VERBS = ["said", "noted", "warned", "stated", "told reporters", "added"]
STANCES = ["support", "oppose", "neutral", "mixed"]
STANCE_WORDS = {"support": "backs", "oppose": "rejects", "neutral": "takes no side on", "mixed": "has doubts on"}
POSITION_CAMEO = "010"
"""The generated positions' CAMEO code: a plain statement (no PLOVER type, so it fits every stance)."""
ACTIONS = ["lift the sanctions", "return to the F-35 programme", "stop the strikes", "release the detainees",
           "open the border crossing", "resume the talks", "withdraw the troops", "extradite the suspects"]
EVENT_STATUSES = ["occurred", "occurred", "occurred", "occurred", "occurred", "occurred", "occurred", "ongoing",
                  "planned", "proposed"]
ACTOR_TYPES = ["person", "person", "person", "person", "government", "organization", "media", "group", "igo"]
ARTICLE_BASE = date(2025, 1, 1)
EVENT_BASE = date(2020, 1, 1)
ROLE = "minister"

RULE_NAMES = [r.name for r in RULES]
ARTICLE_RULES = [
    "primary_key_unique", "column_constraints", "foreign_key_resolves", "span_within_text", "quote_matches_span",
    "text_hash_matches", "article_date_order", "occurred_event_not_after_report", "demand_claimant_not_addressee",
    "position_has_object", "article_links_event", "voiced_event_mentioned", "text_withheld_only_if_restricted",
    "office_named_as_held",
    "attribution_targets_one_row", "attribution_chain_consistent", "assertion_has_attribution", "denial_scope_valid",
    "denial_not_contradicted", "condition_event_reported",
    "relation_not_reflexive", "no_relation_cycle", "relation_dates_consistent", "related_events_mentioned",
    "erratum_has_basis", "no_fact_from_erratum",
    "stance_matches_quad", "demand_code_is_request", "verbal_code_fits_act", "position_period_valid",
    "position_period_covers_event", "former_holder_stance_dated", "demand_addressees_complete",
]
RELATION_PLANTS = {"relation_not_reflexive", "no_relation_cycle", "relation_dates_consistent", "related_events_mentioned"}
"""Article rules planted on the article's event relation: the article mentions events 1 and 2 (dated apart)."""
EVENT_RULES = ["codes_in_codebook", "event_date_order", "role_held_on_event_date", "event_has_participant",
               "event_precision_matches_window", "event_duration_fits_window", "event_open_side_stated"]
APPENDED_RULES = ["alias_maps_to_one_actor", "no_orphan_actor", "no_orphan_topic", "anonymous_source_id_dated",
                  "anonymous_source_names_nobody", "role_period_valid"]
assert sorted(ARTICLE_RULES + EVENT_RULES + APPENDED_RULES) == sorted(RULE_NAMES), "every rule needs an injection"


@dataclass(frozen=True)
class Sizes:
    """Entity counts at a scale factor (at least enough to plant ``inject`` violations of each rule)."""

    articles: int
    actors: int
    events: int
    topics: int

    @classmethod
    def at(cls, scale: float, inject: int = 0) -> Sizes:
        n = {k: max(1, round(v * scale)) for k, v in PER_SCALE.items()}
        articles = max(n["articles"], len(ARTICLE_RULES) * inject + 2, 4)
        actors = max(n["actors"], 2 * inject + 4)
        # 2 * inject more for the pairs of events of the planted relation cycles
        events = max(n["events"], actors + (len(EVENT_RULES) + 2) * inject + 2)
        return cls(articles, actors, events, max(n["topics"], 2))


def zipf_cum_weights(n: int, s: float = 1.0) -> list[float]:
    """Cumulative Zipf weights over ranks 1..n: rank r is drawn with probability ~ 1/r^s."""
    return list(itertools.accumulate(1.0 / (r ** s) for r in range(1, n + 1)))


# --- entities derived from their index (no global tables needed) ------------------------


def actor_id(a: int) -> str:
    return f"actor-{a:06d}"


EVENTS_PER_FILE = 10_000
"""Events per registry file."""


def event_id(j: int) -> str:
    return f"ev-{j:07d}"


def article_id(i: int) -> str:
    return f"art-{i:07d}"


def topic_id(t: int) -> str:
    return f"topic-{t:04d}"


def actor_name(a: int) -> str:
    return f"{FIRST[a % len(FIRST)]} {LAST[(a // len(FIRST)) % len(LAST)]} {a}"


def actor_aliases(a: int) -> list[str]:
    """Every alias of actor ``a``, unique across actors (case-insensitively); sorted like the built table."""
    last = LAST[(a // len(FIRST)) % len(LAST)]
    return sorted({actor_name(a), f"{last} №{a}"} | ({f"{last.upper()} ({a})"} if a % 3 == 0 else set()))


def event_type(j: int, types: list[dict]) -> dict:
    return types[j % len(types)]


def event_status(j: int) -> str:
    return EVENT_STATUSES[j % len(EVENT_STATUSES)]


def event_dates(j: int) -> tuple[date, date]:
    start = EVENT_BASE + timedelta(days=(j * 7919) % 1800)  # 2020-01-01 .. 2024-12-05
    return start, start + timedelta(days=j % 3)


def yaml_dates(row: dict) -> str:
    """An events row's date keys as YAML flow-map items: the duration only where the build cannot count it
    from the dates (precision day takes it from them)."""
    keys = ["date_start", "date_end", "date_precision", "date_open"]
    days = (row["date_end"] - row["date_start"]).days + 1 if row["date_start"] and row["date_end"] else None
    if row["duration_days"] is not None and (row["date_precision"] != "day" or row["duration_days"] != days):
        keys.insert(3, "duration_days")
    return "".join(f"{k}: {row[k]}, " for k in keys if row[k] is not None)


def event_phrase(j: int, types: list[dict]) -> str:
    start, _ = event_dates(j)
    return f"the {event_type(j, types)['label'].lower()} in {PLACES[j % len(PLACES)]} on {start:%d.%m.%Y}"


def is_role_holder(a: int) -> bool:
    return a % 20 == 1


def yq(s: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


# --- writers ----------------------------------------------------------------------------


class TableWriter:
    """Buffers rows of one table as columns and writes them to Parquet in batches."""

    def __init__(self, name: str, folder: Path):
        self.schema = arrow_schema(TABLES_BY_NAME[name])
        self.names = self.schema.names
        self.writer = pq.ParquetWriter(folder / f"{name}.parquet", self.schema, compression="zstd",
                                       write_statistics=True, use_dictionary=True)
        self.cols: dict[str, list] = {n: [] for n in self.names}
        self.rows = 0
        self.rows_per_group = row_group_rows(name)

    def add(self, row: dict) -> None:
        for n in self.names:
            self.cols[n].append(row[n])
        if len(self.cols[self.names[0]]) >= self.rows_per_group:  # one row group per batch, as the builder writes
            self.flush()

    def flush(self) -> None:
        n = len(self.cols[self.names[0]])
        if n:
            self.writer.write_table(pa.Table.from_pydict(self.cols, schema=self.schema))
            self.rows += n
            self.cols = {c: [] for c in self.names}

    def close(self) -> None:
        self.flush()
        self.writer.close()


class Out:
    """All outputs: one TableWriter per table, and the seeds folder (or none)."""

    def __init__(self, out: Path, seeds: bool):
        self.dataset = out / "dataset" / "parquet"
        self.seeds = out / "seeds" if seeds else None
        for folder in (out / "dataset", self.seeds):
            if folder is not None and folder.exists():
                shutil.rmtree(folder)
        self.dataset.mkdir(parents=True)
        if self.seeds:
            for sub in ("texts", "annotations", "registry"):
                (self.seeds / sub).mkdir(parents=True)
        self.tables = {name: TableWriter(name, self.dataset) for name in TABLES_BY_NAME}

    def add(self, table: str, row: dict) -> None:
        self.tables[table].add(row)

    def close(self) -> dict[str, int]:
        for w in self.tables.values():
            w.close()
        # A published folder is checked as one: a descriptor naming its tables and checksums of its
        # files (the JSON copies are not generated, so the descriptor points at the Parquet files).
        folder = self.dataset.parent
        resources = [{"name": name, "path": f"parquet/{name}.parquet"} for name in self.tables]
        (folder / "datapackage.json").write_text(json.dumps({"name": "diplonews", "resources": resources}),
                                                 encoding="utf-8")
        (folder / "SHA256SUMS").write_text(sha256sums(folder), encoding="utf-8")
        return {name: w.rows for name, w in self.tables.items()}


# --- the generator ----------------------------------------------------------------------


class Generator:
    """Writes the corpus; ``inject`` plants that many violations of each dataset rule in the dataset."""

    def __init__(self, scale: float, out: Path, inject: int = 0, seeds: bool = True):
        self.n = Sizes.at(scale, inject)
        self.inject = inject
        self.out = Out(out, seeds)
        self.types = codebook_rows()["event_types"]
        self.actor_cw = zipf_cum_weights(self.n.actors)
        self.event_cw = zipf_cum_weights(self.n.events)
        # Which indexes carry which planted violation (disjoint ranges per rule).
        self.article_rule = {i: r for k, r in enumerate(ARTICLE_RULES) for i in range(k * inject, (k + 1) * inject)}
        last = self.n.events - 1
        self.event_rule = {last - (k * inject + m): r for k, r in enumerate(EVENT_RULES) for m in range(inject)}
        # A planted cycle links two events of its own, dated alike, both ways: it breaks no date order.
        cycles = [i for i, r in self.article_rule.items() if r == "no_relation_cycle"]
        below = last - len(EVENT_RULES) * inject
        self.cycle_pair = {i: (below - 2 * m, below - 2 * m - 1) for m, i in enumerate(cycles)}
        self.cycle_events = {j for pair in self.cycle_pair.values() for j in pair}

    def run(self) -> dict[str, int]:
        self.codebooks()
        self.topics()
        self.actors()
        self.events()
        self.articles()
        return self.out.close()

    def _draw_actor(self, rng: random.Random) -> int:
        return rng.choices(range(self.n.actors), cum_weights=self.actor_cw)[0]

    def _draw_event(self, rng: random.Random) -> int:
        return rng.choices(range(self.n.events), cum_weights=self.event_cw)[0]

    def codebooks(self) -> None:
        for name, rows in codebook_rows().items():
            for row in finalize(name, to_arrow(name, rows)).to_pylist():
                self.out.add(name, row)

    def topics(self) -> None:
        lines = ["topics:"]
        for t in range(self.n.topics):
            label, desc = f"Topic {t}: {ACTIONS[t % len(ACTIONS)]}", f"Synthetic topic {t} (Türkiye–NATO 𝔗)."
            self.out.add("topics", {"topic_id": topic_id(t), "label": label, "description": desc})
            lines.append(f"  - {{id: {topic_id(t)}, label: {yq(label)}, description: {yq(desc)}}}")
        if self.inject:
            for m in range(self.inject):  # no_orphan_topic
                self.out.add("topics", {"topic_id": f"zz-unused-topic-{m}", "label": "Unused", "description": "x"})
        self._registry("topics.yaml", lines)

    def _registry(self, name: str, lines: list[str]) -> None:
        if self.out.seeds:
            (self.out.seeds / "registry" / name).write_text("\n".join(lines) + "\n", encoding="utf-8")

    def actors(self) -> None:
        n_states = max(2, self.n.actors // 50)
        fh = open(self.out.seeds / "registry" / "actors.yaml", "w", encoding="utf-8") if self.out.seeds else None
        if fh:
            fh.write("actors:\n")
        for a in range(self.n.actors):
            state = a < n_states
            kind = "state" if state else ACTOR_TYPES[a % len(ACTOR_TYPES)]
            country = "".join(chr(65 + (a // 26 ** k) % 26) for k in (2, 1, 0)) if state else None
            parent = a % n_states if kind == "government" and a % n_states != a else None
            aliases = actor_aliases(a)
            row = {"actor_id": actor_id(a), "name": actor_name(a), "actor_type": kind, "country_code": country,
                   "wikidata_id": None, "parent_actor_id": actor_id(parent) if parent is not None else None,
                   "note": None}
            self.out.add("actors", row)
            all_aliases = list(aliases)
            if self.inject and a % 2 == 0 and a < 2 * self.inject:  # alias_maps_to_one_actor
                all_aliases.append(actor_aliases(a + 1)[0])
            for alias in all_aliases:
                self.out.add("actor_aliases", {"actor_id": row["actor_id"], "alias": alias,
                                                   "alias_key": alias_key(alias)})
            entry = [f"id: {row['actor_id']}", f"name: {yq(row['name'])}", f"type: {kind}"]
            if country:
                entry.append(f"country: {country}")
            if parent is not None:
                entry.append(f"parent: {actor_id(parent)}")
            entry.append("aliases: [" + ", ".join(yq(x) for x in aliases) + "]")
            if is_role_holder(a):
                org = actor_id(a % n_states)
                self.out.add("actor_roles", {"actor_id": row["actor_id"], "role": ROLE, "organization_actor_id": org,
                                             "role_seq": 1, "start_date": date(2000, 1, 1), "end_date": None,
                                             "source": "synthetic", "role_state": "held"})
                entry.append(f"roles: [{{role: {ROLE}, organization: {org}, start: 2000-01-01, source: synthetic}}]")
            if fh:
                fh.write("  - {" + ", ".join(entry) + "}\n")
        for m in range(self.inject):  # former_holder_stance_dated: an office that ended, held by a planted position
            self.out.add("actors", {"actor_id": f"zz-former-{m}", "name": "Former minister", "actor_type": "person",
                                    "country_code": None, "wikidata_id": None, "parent_actor_id": None, "note": None})
            self.out.add("actor_roles", {"actor_id": f"zz-former-{m}", "role": ROLE,
                                         "organization_actor_id": actor_id(0), "role_seq": 1,
                                         "start_date": date(2000, 1, 1), "end_date": date(2001, 1, 1),
                                         "source": "synthetic", "role_state": "held"})
        self.formers_used = 0
        for m in range(self.inject):  # role_period_valid: a term ending before it starts, in an office of the
            # actor's own (so the actor is no orphan) that nothing else refers to (so no other rule sees it)
            backwards = f"zz-backwards-{m}"
            self.out.add("actors", {"actor_id": backwards, "name": "Backwards", "actor_type": "person",
                                    "country_code": None, "wikidata_id": None, "parent_actor_id": None, "note": None})
            self.out.add("actor_roles", {"actor_id": backwards, "role": ROLE, "organization_actor_id": backwards,
                                         "role_seq": 1, "start_date": date(2001, 1, 1), "end_date": date(2000, 12, 31),
                                         "source": "synthetic", "role_state": "held"})
        for m in range(self.inject):  # no_orphan_actor
            self.out.add("actors", {"actor_id": f"zz-unused-actor-{m}", "name": "Unused", "actor_type": "person",
                                    "country_code": None, "wikidata_id": None, "parent_actor_id": None, "note": None})
        named_after = self._person_named_alone(n_states) if self.inject else None
        for m in range(self.inject):  # anonymous_source_id_dated, anonymous_source_names_nobody
            # Each is the other's parent, so that neither is an orphan (no_orphan_actor stays exact).
            undated, named = f"anon-zz-undated-{m}", f"anon-zz-named-{m}-2025-03"
            for aid, name, parent in ((undated, "Unnamed source", named),
                                      (named, f"Sources close to {actor_name(named_after)}", undated)):
                self.out.add("actors", {"actor_id": aid, "name": name, "actor_type": "anonymous_source",
                                        "country_code": None, "wikidata_id": None, "parent_actor_id": parent,
                                        "note": None})
        if fh:
            fh.close()

    def _person_named_alone(self, n_states: int) -> int:
        """A person actor whose name contains no other actor's alias, so a source named after it is one finding."""
        persons = [a for a in range(n_states, self.n.actors) if ACTOR_TYPES[a % len(ACTOR_TYPES)] == "person"]
        aliases = [alias.lower() for a in persons for alias in actor_aliases(a)]
        return next(a for a in persons if a >= 2 * self.inject + 2
                    and sum(alias in actor_name(a).lower() for alias in aliases) == 1)

    def events(self) -> None:
        rng = random.Random(SEED + 1)
        fh = None
        for j in range(self.n.events):
            if self.out.seeds and j % EVENTS_PER_FILE == 0:
                # A large registry is split into parts (events.yaml, events-0001.yaml, ...) that parse
                # in parallel, in the build and in the parse floor alike.
                if fh:
                    fh.close()
                name = "events.yaml" if j == 0 else f"events-{j // EVENTS_PER_FILE:04d}.yaml"
                fh = open(self.out.seeds / "registry" / name, "w", encoding="utf-8")
                fh.write("events:\n")
            planted = self.event_rule.get(j)
            et = event_type(j, self.types)
            start, end = event_dates(0 if j in self.cycle_events else j)
            eid = event_id(j)
            # The first participant of event j < actors is actor j, so every actor is used somewhere.
            people = {j} if j < self.n.actors else {self._draw_actor(rng)}
            while len(people) < (3 if rng.random() < 1 / 3 else 2):
                people.add(self._draw_actor(rng))
            summary = f"Synthetic {et['label'].lower()} {j} in {PLACES[j % len(PLACES)]}."
            row = {"event_id": eid, "event_type": et["event_type"], "status": event_status(j), "date_start": start,
                   "date_end": end, "date_precision": "day", "duration_days": (end - start).days + 1,
                   "date_open": None, "date_basis": "stated", "date_note": None,
                   "location": PLACES[j % len(PLACES)], "country_code": None, "summary": summary,
                   "cameo_code": et["cameo_code"], "plover_type": et["plover_type"]}
            if planted == "codes_in_codebook":
                row["cameo_code"] = "2099"  # well-formed, so only this rule fires, but not a CAMEO code
            elif planted == "event_date_order":
                row["date_end"], row["duration_days"] = start - timedelta(days=1), None
            elif planted == "event_precision_matches_window":
                row["date_precision"], row["duration_days"] = "month", None  # a window of 1-3 days is week
            elif planted == "event_duration_fits_window":
                row["date_precision"], row["duration_days"] = "week", (end - start).days + 2
            elif planted == "event_open_side_stated":
                row["date_start"], row["duration_days"] = None, None  # open at the start, and not said so
            self.out.add("events", row)
            parts = []
            for k, a in enumerate(sorted(people, key=actor_id)):
                capacity = ROLE if is_role_holder(a) and (j + k) % 2 == 0 else None
                parts.append((a, ["participant", "initiator", "recipient", "host"][(j + k) % 4], capacity))
            if planted != "event_has_participant":
                for k, (a, role, capacity) in enumerate(parts):
                    if planted == "role_held_on_event_date" and k == 0:
                        capacity = "emperor"
                    self.out.add("event_participants", {"event_id": eid, "actor_id": actor_id(a), "participant_role": role,
                                                        "capacity": capacity})
            if fh:
                ps = ", ".join(f"{{actor: {actor_id(a)}, role: {r}" + (f", capacity: {c}}}" if c else "}")
                               for a, r, c in parts)
                fh.write(f"  - {{id: {eid}, type: {et['event_type']}, status: {event_status(j)}, "
                         f"{yaml_dates(row)}date_basis: stated, "
                         f"location: {yq(row['location'])}, summary: {yq(summary)}, participants: [{ps}]}}\n")
        if fh:
            fh.close()

    def articles(self) -> None:
        for i in range(self.n.articles):
            self.article(i, random.Random(SEED * 1_000_003 + i), self.article_rule.get(i))

    def article(self, i: int, rng: random.Random, planted: str | None) -> None:
        aid = article_id(i)
        published = ARTICLE_BASE + timedelta(days=i % 360)
        # Sentences: (text, quote offset within the sentence, quote, annotation) - annotation None for filler.
        parts: list[str] = []
        notes: list[tuple[str, int, str, tuple]] = []  # (section, start, quote, payload)
        pos = 0

        def say(before: str, quote: str, after: str, section: str, payload: tuple) -> None:
            nonlocal pos
            notes.append((section, pos + len(before), quote, payload))
            sentence = before + quote + after
            parts.append(sentence)
            pos += len(sentence)

        def fill(k: int) -> None:
            nonlocal pos
            sentence = " ".join(rng.choice(FILLER) for _ in range(k)).capitalize() + ". "
            parts.append(sentence)
            pos += len(sentence)

        title = f"Synthetic report {i} — {PLACES[i % len(PLACES)]} talks"
        parts.append(title + "\n\n")
        pos += len(title) + 2
        n_em = 0 if planted == "article_links_event" else 1 if planted == "occurred_event_not_after_report" \
            else 1 + rng.randrange(19)
        mentioned: list[int] = []
        for _ in range(n_em):
            j = self._draw_event(rng)
            if planted in ("occurred_event_not_after_report", "denial_not_contradicted"):
                j -= j % len(EVENT_STATUSES)  # an event with status occurred
            mentioned.append(j)
            say(f"{rng.choice(FILLER).capitalize()} ", event_phrase(j, self.types), " was reported. ", "event", (j,))
            fill(rng.randint(2, 6))
        extra = [1, 2] if planted in RELATION_PLANTS else []
        extra += list(self.cycle_pair[i]) if planted == "no_relation_cycle" else []
        for j in extra:
            mentioned.append(j)
            say("Also ", event_phrase(j, self.types), " was reported. ", "event", (j,))
        linked = sorted(set(mentioned))
        if len(linked) > 1:  # a report has no date order to keep, so any two events may be linked by one
            src, tgt = (1, 2) if extra else (linked[-1], linked[0])
            say("", f"{event_phrase(src, self.types)} reported {event_phrase(tgt, self.types)}", ". ", "relation",
                ("r1", src, "reports", tgt))
        say("Officials noted ", "teh talks", ", a misprint. ", "erratum", ("e1", "typo"))
        for _ in range(1 + rng.randrange(19)):
            a = self._draw_actor(rng)
            say("", rng.choice(actor_aliases(a)), f" {rng.choice(VERBS)} {rng.choice(FILLER)}. ", "actor", (a,))
        for k in range(1 + rng.randrange(7)):
            holder = self._draw_actor(rng)
            target = (holder + 1 + rng.randrange(self.n.actors - 1)) % self.n.actors if k % 2 else None
            topic = rng.randrange(self.n.topics) if target is None or k % 4 == 1 else None
            stance = rng.choice(STANCES)
            ev = rng.choice(mentioned) if mentioned and k % 3 == 0 else None
            obj = f"topic {topic}" if topic is not None else actor_name(target)
            say("", f"{actor_name(holder)} {STANCE_WORDS[stance]} {obj}", ". ", "position",
                (f"p{k + 1}", holder, topic, target, stance, ev))
            fill(rng.randint(1, 4))
        for k in range(1 + rng.randrange(3)):
            claimant = self._draw_actor(rng)
            addressee = (claimant + 1 + rng.randrange(self.n.actors - 1)) % self.n.actors
            topic = i % self.n.topics if k == 0 else rng.randrange(self.n.topics)  # every topic is used
            action = ACTIONS[rng.randrange(len(ACTIONS))]
            ev = rng.choice(mentioned) if mentioned and k % 2 == 0 else None
            say("", f"{actor_name(claimant)} urged {actor_name(addressee)} to {action}", ". ", "demand",
                (f"d{k + 1}", claimant, addressee, topic, action, ev))
        while pos < 1900:
            fill(rng.randint(4, 12))
        text = "".join(parts)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        self._rows(aid, i, text, digest, published, notes, planted, mentioned)
        if self.out.seeds:
            self._sources(aid, text, published, notes)

    def _rows(self, aid: str, i: int, text: str, digest: str, published: date, notes: list, planted: str | None,
              mentioned: list[int]) -> None:
        row = {"article_id": aid, "title": None, "outlet": None, "author": None, "url": None, "language": "en",
               "published_date": published, "published_date_earliest": published,
               "published_date_latest": published, "published_date_basis": "stated", "text": text,
               "text_sha256": digest, "text_file": f"{aid}.txt", "rights": "unknown", "text_license": "unknown",
             "redistributable": False, "rights_basis": None, "notes": None}
        if planted == "text_hash_matches":
            row["text_sha256"] = "0" * 64
        elif planted == "article_date_order":
            row["published_date"] = published + timedelta(days=1)
        elif planted == "occurred_event_not_after_report":
            row["published_date"] = row["published_date_earliest"] = row["published_date_latest"] = date(2019, 1, 1)
        self.out.add("articles", row)
        tables: dict[str, list[dict]] = {"actor_mentions": [], "event_mentions": [], "positions": [], "demands": [],
                                         "demand_addressees": [],
                                         "event_relations": [], "errata": []}
        for section, start, quote, payload in notes:
            end = start + len(quote)
            if section == "actor":
                ref = actor_id(payload[0])
                tables["actor_mentions"].append({"mention_id": f"{aid}/{start}-{end}/{ref}", "article_id": aid,
                                                 "actor_id": ref, "span_start": start, "span_end": end,
                                                 "quote": quote, "as_office": None, "office_state": None,
                                                 "office_words": None})
            elif section == "event":
                ref = event_id(payload[0])
                tables["event_mentions"].append(
                    {"mention_id": f"{aid}/{start}-{end}/{ref}", "article_id": aid, "event_id": ref,
                     "reported_status": event_status(payload[0]), "date_expression": None, "span_start": start,
                     "span_end": end, "quote": quote, "condition_event_id": None, "denial_scope_start": None,
                     "denial_scope_end": None})
            elif section == "position":
                local, holder, topic, target, stance, ev = payload
                tables["positions"].append(
                    {"position_id": f"{aid}/{local}", "article_id": aid, "actor_id": actor_id(holder),
                     "topic_id": topic_id(topic) if topic is not None else None, "stance": stance,
                     "target_actor_id": actor_id(target) if target is not None else None,
                     "event_id": event_id(ev) if ev is not None else None, "span_start": start, "span_end": end,
                     "quote": quote, "cameo_code": POSITION_CAMEO, "plover_type": None, "holds_from": None,
                     "holds_until": None, "holds_basis": None})
            elif section == "relation":
                local, src, kind, tgt = payload
                tables["event_relations"].append(
                    {"relation_id": f"{aid}/{local}", "article_id": aid, "source_event_id": event_id(src),
                     "relation_type": kind, "target_event_id": event_id(tgt), "span_start": start, "span_end": end,
                     "quote": quote})
            elif section == "erratum":
                local, kind = payload
                tables["errata"].append(
                    {"erratum_id": f"{aid}/{local}", "article_id": aid, "erratum_kind": kind,
                     "what_is_wrong": "A misprint.", "correction": "the talks", "correction_basis": None,
                     "span_start": start, "span_end": end, "quote": quote})
            else:
                local, claimant, addressee, topic, action, ev = payload
                tables["demands"].append(
                    {"demand_id": f"{aid}/{local}", "article_id": aid, "claimant_actor_id": actor_id(claimant),
                     "addressee_actor_id": actor_id(addressee), "topic_id": topic_id(topic), "action": action,
                     "event_id": event_id(ev) if ev is not None else None, "demand_status": "made",
                     "span_start": start, "span_end": end, "quote": quote, "cameo_code": "020",
                     "plover_type": "REQUEST"})
                tables["demand_addressees"].append({"demand_id": f"{aid}/{local}", "article_id": aid,
                                                    "actor_id": actor_id(addressee), "addressee_seq": 1})
        # The generated sources cite no source: every fact is the article's own (source_id null).
        tables["attribution_sources"] = []
        tables["attributions"] = [
            {"attribution_id": f"{r[key]}:author", "article_id": aid, "mention_id": None, "position_id": None,
             "demand_id": None, key: r[key], "source_id": None}
            for name, key in (("event_mentions", "mention_id"), ("positions", "position_id"), ("demands", "demand_id"))
            for r in tables[name]
        ]
        self._plant(planted, tables, text, mentioned, i)
        for name, rows in tables.items():
            pk = TABLES_BY_NAME[name].primary_key[0]
            for r in sorted(rows, key=lambda r: r[pk]):
                self.out.add(name, r)

    def _plant(self, planted: str | None, t: dict[str, list[dict]], text: str, mentioned: list[int], i: int) -> None:
        """Apply this article's planted violation (if any) to its rows: exactly one finding each."""
        if planted == "primary_key_unique":
            t["positions"].append(dict(t["positions"][0]))
        elif planted == "column_constraints":
            t["positions"][0]["stance"] = "happy"
        elif planted == "foreign_key_resolves":
            t["actor_mentions"][0]["actor_id"] = "no-such-actor"
        elif planted == "span_within_text":
            t["actor_mentions"][0]["span_end"] = len(text) + 5
        elif planted == "quote_matches_span":
            t["actor_mentions"][0]["quote"] += "!"
        elif planted == "text_withheld_only_if_restricted":
            t["actor_mentions"][0]["quote"] = None  # withheld while its text is published
        elif planted == "demand_claimant_not_addressee":
            d = t["demands"][0]
            d["addressee_actor_id"] = t["demand_addressees"][0]["actor_id"] = d["claimant_actor_id"]
        elif planted == "position_has_object":
            t["positions"][0]["topic_id"] = t["positions"][0]["target_actor_id"] = None
        elif planted == "office_named_as_held":  # no actor is designate for any office
            t["actor_mentions"][0].update(as_office=ROLE, office_state="designate",
                                          office_words=t["actor_mentions"][0]["quote"])
        elif planted == "voiced_event_mentioned":
            unmentioned = next(j for j in itertools.count() if j not in mentioned)
            t["positions"][0]["event_id"] = event_id(unmentioned)
        elif planted in ("attribution_targets_one_row", "attribution_chain_consistent"):
            # A cited source at the first actor mention's words; the chain rule's plant gives it a wrong depth.
            a = t["actor_mentions"][0]
            source = f"{a['article_id']}/s"
            t["attribution_sources"].append(
                {"source_id": source, "article_id": a["article_id"], "actor_id": a["actor_id"], "via_source_id": None,
                 "depth": 2 if planted == "attribution_chain_consistent" else 1, "event_id": None,
                 "span_start": a["span_start"], "span_end": a["span_end"], "quote": a["quote"]})
            if planted == "attribution_targets_one_row":  # one more row naming two facts, all rows citing the source
                for r in t["attributions"]:
                    r["source_id"] = source
                m, p = t["event_mentions"][0]["mention_id"], t["positions"][0]["position_id"]
                t["attributions"].append({"attribution_id": f"{m}:s", "article_id": t["positions"][0]["article_id"],
                                          "mention_id": m, "position_id": p, "demand_id": None, "source_id": source})
        elif planted == "assertion_has_attribution":
            m = t["event_mentions"][0]["mention_id"]
            t["attributions"] = [r for r in t["attributions"] if r["mention_id"] != m]
        elif planted == "denial_scope_valid":
            m = t["event_mentions"][0]
            m["denial_scope_start"] = m["denial_scope_end"] = ARTICLE_BASE  # a scope on an occurred report
        elif planted == "denial_not_contradicted":
            m = t["event_mentions"][0]
            start, end = event_dates(mentioned[0])  # an occurred event (drawn so above), denied over its own dates
            m["reported_status"], m["denial_scope_start"], m["denial_scope_end"] = "denied_for_period", start, end
        elif planted == "condition_event_reported":
            m = t["event_mentions"][0]
            m["reported_status"], m["condition_event_id"] = "proposed", m["event_id"]
        elif planted == "relation_not_reflexive":
            t["event_relations"][0]["target_event_id"] = t["event_relations"][0]["source_event_id"]
        elif planted == "no_relation_cycle":
            r = t["event_relations"][0]
            a, b = self.cycle_pair[i]
            r["relation_type"], r["source_event_id"], r["target_event_id"] = "before", event_id(a), event_id(b)
            t["event_relations"].append(dict(r, relation_id=r["relation_id"] + "-back", source_event_id=
                                             r["target_event_id"], target_event_id=r["source_event_id"]))
        elif planted == "relation_dates_consistent":  # event 2 (2023) put before event 1 (2021)
            r = t["event_relations"][0]
            r["relation_type"], r["source_event_id"], r["target_event_id"] = "before", event_id(2), event_id(1)
        elif planted == "related_events_mentioned":
            unmentioned = next(j for j in itertools.count() if j not in mentioned)
            t["event_relations"][0]["target_event_id"] = event_id(unmentioned)
        elif planted == "erratum_has_basis":
            t["errata"][0]["erratum_kind"] = "factual_error"
        elif planted == "stance_matches_quad":
            t["positions"][0].update(stance="support", cameo_code="111", plover_type="ACCUSE")
        elif planted == "demand_code_is_request":
            t["demands"][0].update(cameo_code="051", plover_type="SUPPORT")
        elif planted == "verbal_code_fits_act":  # the code's type (by the crosswalk) is material; none written
            t["positions"][0].update(stance="mixed", cameo_code="062", plover_type=None)
        elif planted == "position_period_valid":
            t["positions"][0].update(holds_from=ARTICLE_BASE + timedelta(days=1), holds_until=ARTICLE_BASE,
                                     holds_basis="synthetic", event_id=None)
        elif planted == "position_period_covers_event":  # a period that ends before every generated event
            day = EVENT_BASE - timedelta(days=400)
            t["positions"][0].update(holds_from=day, holds_until=day, holds_basis="synthetic",
                                     event_id=event_id(mentioned[0]))
        elif planted == "demand_addressees_complete":
            t["demand_addressees"][0]["actor_id"] = t["demands"][0]["claimant_actor_id"]  # not addressee_actor_id
        elif planted == "former_holder_stance_dated":
            t["positions"][0]["actor_id"] = f"zz-former-{self.formers_used}"
            self.formers_used += 1
        elif planted == "no_fact_from_erratum":
            p = t["positions"][0]
            t["errata"].append(dict(t["errata"][0], erratum_id=p["article_id"] + "/e-false", erratum_kind="factual_error",
                                    correction_basis="synthetic", span_start=p["span_start"], span_end=p["span_end"],
                                    quote=p["quote"]))

    def _sources(self, aid: str, text: str, published: date, notes: list) -> None:
        seeds = self.out.seeds
        (seeds / "texts" / f"{aid}.txt").write_bytes(text.encode("utf-8"))
        lines = ["article:", f"  id: {aid}", f"  text_file: {aid}.txt", "  language: en",
                 f"  published_date: {published}", "  published_date_basis: stated"]
        sections = {"actor": [], "event": [], "position": [], "demand": [], "relation": [], "erratum": []}
        for section, start, quote, payload in notes:
            starts = occurrences(text, quote)
            occ = f", occurrence: {starts.index(start) + 1}" if len(starts) > 1 else ""
            q = f"quote: {yq(quote)}{occ}"
            if section == "actor":
                entry = f"actor: {actor_id(payload[0])}, {q}"
            elif section == "event":
                entry = f"event: {event_id(payload[0])}, reported_status: {event_status(payload[0])}, {q}"
            elif section == "position":
                local, holder, topic, target, stance, ev = payload
                entry = f"id: {local}, holder: {actor_id(holder)}, stance: {stance}, cameo: '{POSITION_CAMEO}', {q}"
                entry += f", topic: {topic_id(topic)}" if topic is not None else ""
                entry += f", target: {actor_id(target)}" if target is not None else ""
                entry += f", event: {event_id(ev)}" if ev is not None else ""
            elif section == "relation":
                local, src, kind, tgt = payload
                entry = f"id: {local}, source_event: {event_id(src)}, type: {kind}, target_event: {event_id(tgt)}, {q}"
            elif section == "erratum":
                local, kind = payload
                entry = f"id: {local}, kind: {kind}, what_is_wrong: A misprint., correction: the talks, {q}"
            else:
                local, claimant, addressee, topic, action, ev = payload
                entry = (f"id: {local}, claimant: {actor_id(claimant)}, addressee: {actor_id(addressee)}, "
                         f"topic: {topic_id(topic)}, action: {yq(action)}, {q}")
                entry += f", event: {event_id(ev)}" if ev is not None else ""
            sections[section].append(f"  - {{{entry}}}")
        for section, key in (("actor", "actor_mentions"), ("event", "event_mentions"), ("position", "positions"),
                             ("demand", "demands"), ("relation", "event_relations"), ("erratum", "errata")):
            if sections[section]:
                lines += [f"{key}:", *sections[section]]
        (seeds / "annotations" / f"{aid}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def generate(scale: float, out: Path, inject: int = 0, seeds: bool = True) -> dict[str, int]:
    """Write the corpus at ``scale`` under ``out``; returns the row count of every dataset table."""
    return Generator(scale, Path(out), inject, seeds).run()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scale", type=float, required=True, help="scale factor S (1 = 100,000 articles)")
    p.add_argument("--out", type=Path, required=True, help="output folder (seeds/ and dataset/ are replaced)")
    p.add_argument("--inject", type=int, default=0, help="plant N violations of every dataset rule")
    p.add_argument("--no-seeds", action="store_true", help="write only the dataset, not the annotation sources")
    args = p.parse_args(argv)
    if args.scale <= 0 or args.inject < 0:
        p.error("--scale must be > 0 and --inject >= 0")
    counts = generate(args.scale, args.out, args.inject, not args.no_seeds)
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
