"""Metadata every catalogue reads: Data Package v2, Croissant 1.1, the dataset card, CITATION.cff, CHANGELOG."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
import yaml

from diplonews import metadata
from diplonews.builders.publish.release import SEMVER, changelog_entry
from diplonews.files import sha256_file
from diplonews.schema import TABLES


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _v2_profile() -> dict:
    import dplib

    return json.loads((Path(dplib.__file__).parent / "profiles" / "2.0" / "datapackage.json").read_text())


# --- Data Package v2 ----------------------------------------------------------------------------

def test_datapackage_is_valid_against_the_v2_profile(seed_build, offline):
    import jsonschema

    descriptor = json.loads((seed_build / "datapackage.json").read_text())
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    errors = list(jsonschema.Draft7Validator(_v2_profile()).iter_errors(descriptor))
    assert errors == []


def test_v2_profile_check_catches_a_bad_descriptor(seed_build):
    import jsonschema

    descriptor = json.loads((seed_build / "datapackage.json").read_text())
    descriptor["resources"][0]["hash"] = "sha256:not-hex"
    descriptor["resources"][1]["schema"]["fields"][0]["type"] = "text"
    errors = list(jsonschema.Draft7Validator(_v2_profile()).iter_errors(descriptor))
    assert errors


def test_datapackage_has_version_keys_categories_and_hashes(seed_build):
    descriptor = json.loads((seed_build / "datapackage.json").read_text())
    assert descriptor["version"] == metadata.DATASET_VERSION
    by_name = {r["name"]: r for r in descriptor["resources"]}
    assert sorted(by_name) == sorted(t.table_name for t in TABLES)
    for t in TABLES:
        r = by_name[t.table_name]
        assert r["hash"] == f"sha256:{sha256_file(seed_build / r['path'])}"
        assert r["schema"]["primaryKey"] == list(t.primary_key)
        assert len(r["schema"].get("foreignKeys", [])) == len(t.foreign_keys)
    status = next(f for f in by_name["events"]["schema"]["fields"] if f["name"] == "status")
    assert status["categories"] == ["occurred", "ongoing", "planned", "proposed", "speculated", "denied",
                                    "hypothetical", "denied_for_period"]


# --- Croissant ----------------------------------------------------------------------------------

def _croissant(folder: Path) -> dict:
    return json.loads((folder / "croissant.json").read_text())


def test_croissant_describes_every_file_with_its_sha256(seed_build):
    doc = _croissant(seed_build)
    assert doc["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    assert doc["version"] == metadata.DATASET_VERSION
    files = {f["contentUrl"]: f["sha256"] for f in doc["distribution"] if f["@type"] == "cr:FileObject"}
    on_disk = {p.relative_to(seed_build).as_posix() for p in seed_build.rglob("*") if p.is_file()}
    assert set(files) == on_disk - {"croissant.json", "SHA256SUMS", ".diplonews-dataset"}
    assert all(sha256_file(seed_build / rel) == h for rel, h in files.items())


def test_croissant_record_sets_have_keys_and_references(seed_build):
    sets = {rs["@id"]: rs for rs in _croissant(seed_build)["recordSet"]}
    assert sorted(sets) == sorted(t.table_name for t in TABLES)
    for t in TABLES:
        rs = sets[t.table_name]
        keys = rs["key"] if isinstance(rs["key"], list) else [rs["key"]]
        assert [k["@id"] for k in keys] == [f"{t.table_name}/{c}" for c in t.primary_key]
        refs = {f["name"]: f["references"] for f in rs["field"] if "references" in f}
        expected = {
            col: {"fileObject": {"@id": f"parquet/{k.table}.parquet"}, "extract": {"column": ref}}
            for k in t.foreign_keys if k.table != t.table_name
            for col, ref in zip(k.fields, k.ref_fields)
        }
        assert refs == expected, t.table_name


def test_mlcroissant_validates_offline(seed_build, offline):
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=str(seed_build / "croissant.json"))
    assert dataset.metadata.version == metadata.DATASET_VERSION


def test_mlcroissant_refuses_a_broken_croissant(seed_build, tmp_path, offline):
    import mlcroissant as mlc

    copy = tmp_path / "ds"
    shutil.copytree(seed_build, copy)
    doc = _croissant(copy)
    doc["recordSet"][0]["field"][0]["source"]["fileObject"]["@id"] = "parquet/no-such-file.parquet"
    (copy / "croissant.json").write_text(json.dumps(doc))
    with pytest.raises(mlc.ValidationError):
        mlc.Dataset(jsonld=str(copy / "croissant.json"))


def _plain(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    if isinstance(value, float) and value != value:  # NaN stands for null in pandas-backed records
        return None
    return value


def test_mlcroissant_loads_records_equal_to_the_tables(seed_build, offline):
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=str(seed_build / "croissant.json"))
    for t in TABLES:
        rows = json.loads((seed_build / "json" / f"{t.table_name}.json").read_text())
        records = [
            {k.split("/", 1)[1]: _plain(v) for k, v in r.items()}
            for r in dataset.records(record_set=t.table_name)
        ]
        assert records == rows, t.table_name


# --- dataset card -------------------------------------------------------------------------------

def _front_matter(card: str) -> dict:
    match = re.match(r"^---\n(.*?)\n---\n", card, re.S)
    assert match, "card has no front matter"
    return yaml.safe_load(match.group(1))


def test_card_front_matter_for_hugging_face(seed_build):
    meta = _front_matter((seed_build / "README.md").read_text())
    # The full build carries the seed texts, which diplonews may not license: not all of it is CC-BY-4.0
    # (the standoff release is; tests/test_standoff.py).
    assert meta["license"] == "other" and meta["license_name"] == "cc-by-4.0-annotations-texts-of-their-owners"
    languages = {r["language"] for r in json.loads((seed_build / "json" / "articles.json").read_text())}
    assert meta["language"] == sorted(languages)
    assert meta["tags"]
    configs = {c["config_name"]: c["data_files"] for c in meta["configs"]}
    assert sorted(configs) == sorted(t.table_name for t in TABLES)
    for name, files in configs.items():
        assert all((seed_build / f["path"]).is_file() for f in files), name


def test_card_describes_columns_and_limits(seed_build):
    card = (seed_build / "README.md").read_text()
    for heading in ("## What it is", "## How it was made", "## Limits", "## Tables"):
        assert heading in card
    n = len(json.loads((seed_build / "json" / "articles.json").read_text()))
    assert f"- Small: {n} articles" in card
    for t in TABLES:
        assert f"### `{t.table_name}`" in card
        for column in t.model_fields:
            assert f"| `{column}` |" in card


def test_card_lists_every_table_on_one_row_with_its_row_count(seed_build):
    # A multi-line model docstring broke the table: its second line started a paragraph (indented: a code block).
    card = (seed_build / "README.md").read_text()
    block = card.split("| table | rows | what a row is |\n|---|---:|---|\n", 1)[1].split("\n\n", 1)[0]
    rows = [re.fullmatch(r"\| `(\w+)` \| (\d+) \| (\S.*\S) \|", line) for line in block.splitlines()]
    assert all(rows), block
    counts = {t.table_name: len(json.loads((seed_build / "json" / f"{t.table_name}.json").read_text()))
              for t in TABLES}
    assert {m[1]: int(m[2]) for m in rows} == counts


def test_table_descriptions_carry_no_source_indentation(seed_build):
    package = json.loads((seed_build / "datapackage.json").read_text())
    croissant = json.loads((seed_build / "croissant.json").read_text())
    descriptions = [r["description"] for r in package["resources"]] + [r["description"] for r in croissant["recordSet"]]
    assert len(descriptions) == 2 * len(TABLES)
    assert not [d for d in descriptions if re.search(r"\n[ \t]", d)]


def _svg(path: Path) -> ET.Element:
    return ET.fromstring(path.read_text())


def test_timeline_shows_every_dated_event(seed_build):
    con = duckdb.connect()
    events = seed_build / "parquet" / "events.parquet"
    dated, undated = con.sql(
        # A window open at the start (date_end only) is drawn too.
        f"SELECT count(*) FILTER (coalesce(date_start, date_end) IS NOT NULL), "
        f"count(*) FILTER (coalesce(date_start, date_end) IS NULL) FROM '{events}'"
    ).fetchall()[0]
    svg = _svg(seed_build / "figures" / "timeline.svg")
    groups = [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "event"]
    assert len(groups) == dated
    card = (seed_build / "README.md").read_text()
    assert f"the {dated} dated events" in card and f"{undated} undated events are not shown" in card


def test_network_shows_every_linked_actor(seed_build):
    con = duckdb.connect()
    p, d = seed_build / "parquet" / "event_participants.parquet", seed_build / "parquet" / "demands.parquet"
    shared = con.sql(
        f"SELECT DISTINCT a.actor_id AS x, b.actor_id AS y FROM '{p}' a JOIN '{p}' b "
        "ON a.event_id = b.event_id AND a.actor_id < b.actor_id"
    )
    demanded = con.sql(f"SELECT DISTINCT claimant_actor_id AS x, addressee_actor_id AS y FROM '{d}'")
    actors = {a for row in shared.fetchall() + demanded.fetchall() for a in row}
    n_shared, n_demanded = len(shared.fetchall()), len(demanded.fetchall())
    svg = _svg(seed_build / "figures" / "network.svg")
    ns = "{http://www.w3.org/2000/svg}"
    assert len([c for c in svg.iter(f"{ns}circle") if c.get("class") == "actor"]) == len(actors)
    assert len([c for c in svg.iter(f"{ns}line") if c.get("class") == "shared"]) == n_shared
    assert len([c for c in svg.iter(f"{ns}path") if c.get("class") == "demand"]) == n_demanded
    card = (seed_build / "README.md").read_text()
    assert (f"the {len(actors)} actors" in card and f"{n_shared} pairs of actors" in card
            and f"{n_demanded} claimant → addressee pairs" in card)


def test_figures_change_with_the_data():
    from diplonews.builders.publish.figures import network, timeline

    event = {"event_id": "e1", "status": "occurred", "date_start": date(2025, 3, 16), "date_end": date(2025, 3, 16),
             "date_precision": "day", "duration_days": 1, "date_open": None, "summary": "a call"}
    table = pa.Table.from_pylist
    one = timeline(table([event]))
    two = timeline(table([event, {**event, "event_id": "e2", "status": "denied", "date_start": date(2024, 5, 1)}]))
    assert one.counts == {"dated_events": 1, "undated_events": 0} and two.counts["dated_events"] == 2
    assert one.svg != two.svg
    # A window open at the start is drawn from the left edge, dashed: not the event's own days.
    before = {**event, "event_id": "e3", "date_start": None, "date_end": date(2025, 3, 20), "date_precision": None,
              "duration_days": None, "date_open": "start"}
    three = timeline(table([event, before]))
    assert three.counts["dated_events"] == 2 and 'stroke-dasharray="3,2"' in three.svg
    assert 'stroke-dasharray="3,2"' not in one.svg and "open to 2025-03-20" in three.svg
    actors = [{"actor_id": a, "name": a.upper(), "actor_type": "person", "country_code": None} for a in "abc"]
    net = network(table(actors), table([{"event_id": "e1", "actor_id": "a"}, {"event_id": "e1", "actor_id": "b"}]),
                  table([{"claimant_actor_id": "c", "addressee_actor_id": "a"}]))
    assert net.counts == {"actors": 3, "shared_pairs": 1, "demand_pairs": 1}


# --- CITATION.cff, CHANGELOG.md, version ----------------------------------------------------------

def test_dataset_version_is_semver_and_used_everywhere(seed_build):
    assert SEMVER.match(metadata.DATASET_VERSION)
    assert f"Version {metadata.DATASET_VERSION}." in (seed_build / "README.md").read_text()


def test_citation_cff(repo):
    cff = yaml.safe_load((repo / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    assert cff["version"] == metadata.DATASET_VERSION
    assert cff["title"] == metadata.DATASET_TITLE
    assert cff["license"] == metadata.DATA_LICENSE["name"]
    assert cff["authors"] and cff["message"]


def test_changelog_covers_every_table_for_this_version(repo):
    entry = changelog_entry((repo / "CHANGELOG.md").read_text(), metadata.DATASET_VERSION)
    assert entry is not None
    missing = [t.table_name for t in TABLES if f"`{t.table_name}`" not in entry]
    assert missing == []


def test_import_diplonews_stays_cheap():
    code = "import sys, diplonews; print(sorted(m for m in ('pooch', 'pandas', 'duckdb', 'mlcroissant', " \
           "'matplotlib', 'pyarrow') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_figures_stay_small_at_scale():
    import random

    from diplonews.builders.assemble import to_arrow
    from diplonews.builders.publish.figures import MAX_NETWORK_ACTORS, figures

    from .synthetic import make_rows

    rows = make_rows(random.Random(5), n_articles=2, n_actors=120, n_events=2000)
    # many events, each shared by two distinct actors, so the network has far more actors than it shows
    for j, e in enumerate(rows["events"]):
        rows["event_participants"].append({"event_id": e["event_id"], "actor_id": f"actor-{1 + j % 119}",
                                           "participant_role": "participant", "capacity": None})
    pictures = figures({name: to_arrow(name, rows[name]) for name in ("events", "actors", "event_participants",
                                                                    "demands")})
    timeline, network = pictures["figures/timeline.svg"], pictures["figures/network.svg"]
    assert timeline.svg.count('class="event"') == 0 and timeline.svg.count('class="month"') > 0
    assert "by month" in timeline.svg and timeline.counts["dated_events"] == 2000
    assert network.svg.count('class="actor"') == MAX_NETWORK_ACTORS
    assert "most connected of 120 actors" in network.svg
    assert len(timeline.svg) + len(network.svg) < 500_000


def test_network_counts_links_as_the_tables_say():
    """Pairs in the same event are counted once per event (a repeated participant row counts once),
    demands per direction, and a tooltip states each pair's count."""
    import random

    from diplonews.builders.publish.figures import network

    rng = random.Random(3)
    ids = [f"a{i:02d}" for i in range(30)]
    actors = pa.Table.from_pylist([{"actor_id": a, "name": a.upper(), "actor_type": "person", "country_code": "TUR"}
                                   for a in ids])
    parts = [{"event_id": f"e{rng.randrange(40)}", "actor_id": rng.choice(ids)} for _ in range(150)]
    demands = [{"claimant_actor_id": rng.choice(ids), "addressee_actor_id": rng.choice(ids)} for _ in range(60)]
    by_event: dict[str, set[str]] = {}
    for p in parts:
        by_event.setdefault(p["event_id"], set()).add(p["actor_id"])
    shared: dict[tuple[str, str], int] = {}
    for members in by_event.values():
        for a in members:
            for b in members:
                if a < b:
                    shared[(a, b)] = shared.get((a, b), 0) + 1
    net = network(actors, pa.Table.from_pylist(parts), pa.Table.from_pylist(demands))
    pairs = {(d["claimant_actor_id"], d["addressee_actor_id"]) for d in demands}
    assert net.counts == {"actors": len({x for pair in [*shared, *pairs] for x in pair}),
                          "shared_pairs": len(shared), "demand_pairs": len(pairs)}
    (a, b), n = max(shared.items(), key=lambda kv: (kv[1], kv[0]))
    assert f"{a.upper()} and {b.upper()}: {n} shared event(s)" in net.svg
