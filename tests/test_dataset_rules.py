"""Every cross-table rule fires on a dataset broken for it, and stays quiet on valid data."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from diplonews.validators.dataset import TABLE_FILES, validate_dataset
from diplonews.validators.dataset_rules import RULES

from .synthetic import BREAKS, make_rows, window_relation_rows, write_dataset

RULE_NAMES = [r.name for r in RULES]


def test_every_rule_has_a_break():
    assert sorted(BREAKS) == sorted(RULE_NAMES)


def test_every_rule_explains_itself():
    for rule in RULES:
        assert rule.why.endswith(".") and len(rule.why) > 20, rule.name
        assert rule.queries, rule.name


def _seed_rows(seed_build):
    from diplonews.schema import TABLES

    return {t.table_name: pq.read_table(seed_build / "parquet" / f"{t.table_name}.parquet").to_pylist()
            for t in TABLES}


def test_seed_dataset_has_no_errors(seed_build):
    report = validate_dataset(seed_build)
    assert report.errors == [], report.render()
    assert set(report.rules_run) == {TABLE_FILES, *RULE_NAMES}


@pytest.mark.parametrize("rule", RULE_NAMES)
def test_rule_quiet_on_valid_synthetic_data(rule, tmp_path):
    folder = write_dataset(make_rows(random.Random(rule)), tmp_path / "ds")
    report = validate_dataset(folder)
    assert rule not in report.by_rule(), report.render()


@pytest.mark.parametrize("rule", RULE_NAMES)
def test_rule_fires_on_broken_seed_dataset(rule, seed_build, tmp_path):
    rows = _seed_rows(seed_build)
    before = validate_dataset(seed_build).by_rule().get(rule, 0)
    BREAKS[rule](rows)
    report = validate_dataset(write_dataset(rows, tmp_path / "broken"))
    assert report.by_rule().get(rule, 0) > before, report.render()
    finding = next(f for f in report.findings if f.rule == rule)
    assert finding.table and finding.message


@pytest.mark.parametrize("rule", RULE_NAMES)
def test_rule_fires_on_the_smallest_generated_dataset(rule, tmp_path):
    # The property test draws sizes at random and once found a break that needed more rows than one
    # article has; the smallest size, every time, makes that a plain failure here.
    rows = make_rows(random.Random(rule), n_articles=1, n_actors=2, n_events=1)
    BREAKS[rule](rows)
    assert rule in validate_dataset(write_dataset(rows, tmp_path / "ds")).by_rule()


def test_missing_table_file_is_reported(seed_build, tmp_path):
    import shutil

    copy = tmp_path / "ds"
    shutil.copytree(seed_build, copy)
    (copy / "parquet" / "events.parquet").unlink()
    report = validate_dataset(copy)
    assert [f.table for f in report.errors if f.rule == TABLE_FILES] == ["events"]


def test_wrong_column_type_is_reported(seed_build, tmp_path):
    import shutil

    import pyarrow as pa

    copy = tmp_path / "ds"
    shutil.copytree(seed_build, copy)
    path = copy / "parquet" / "events.parquet"
    table = pq.read_table(path)
    table = table.set_column(table.schema.get_field_index("status"), "status",
                             table.column("status").cast(pa.string()))
    pq.write_table(table, path)
    report = validate_dataset(copy)
    assert any(f.rule == TABLE_FILES and f.table == "events" for f in report.errors)


def test_counts_are_exact_beyond_the_listing_cap(tmp_path, monkeypatch):
    from diplonews.validators import dataset

    rows = make_rows(random.Random(1), n_articles=3)
    for m in rows["actor_mentions"]:
        m["quote"] += "!"
    monkeypatch.setattr(dataset, "SAMPLE_LIMIT", 2)
    report = validate_dataset(write_dataset(rows, tmp_path / "ds"))
    assert report.by_rule()["quote_matches_span"] == len(rows["actor_mentions"])
    assert sum(f.rule == "quote_matches_span" for f in report.findings) == 2


# --- incremental validation: only what changed is checked for errors ------------------------------

def _changes(unchanged=(), changed=()):
    from diplonews.validators.dataset import Changes

    return Changes(frozenset(unchanged), frozenset(changed))


def test_per_article_rules_read_only_the_changed_articles(tmp_path):
    rows = make_rows(random.Random(1), n_articles=3)
    BREAKS["quote_matches_span"](rows)
    broken = rows["actor_mentions"][0]["article_id"]
    other = next(a["article_id"] for a in rows["articles"] if a["article_id"] != broken)
    folder = write_dataset(rows, tmp_path)
    assert "quote_matches_span" in validate_dataset(folder).by_rule()
    assert "quote_matches_span" in validate_dataset(folder, changes=_changes(changed={broken})).by_rule()
    assert "quote_matches_span" not in validate_dataset(folder, changes=_changes(changed={other})).by_rule()


def test_error_queries_on_unchanged_tables_are_skipped_and_warnings_never(tmp_path):
    rows = make_rows(random.Random(2))
    BREAKS["event_date_order"](rows)
    BREAKS["no_orphan_topic"](rows)
    folder = write_dataset(rows, tmp_path)
    assert {"event_date_order", "no_orphan_topic"} <= set(validate_dataset(folder).by_rule())
    from diplonews.schema import TABLES

    every_table = {t.table_name for t in TABLES}
    quiet = validate_dataset(folder, changes=_changes(unchanged=every_table))
    assert "event_date_order" not in quiet.by_rule() and "no_orphan_topic" in quiet.by_rule()
    loud = validate_dataset(folder, changes=_changes(unchanged=every_table - {"events"}))
    assert "event_date_order" in loud.by_rule()


def test_only_error_rules_can_be_checked_per_article():
    from diplonews.validators.dataset_rules import DatasetRule
    from diplonews.validators.findings import Severity

    with pytest.raises(ValueError):
        DatasetRule("w", Severity.warning, "A warning is reported on every build.", ("SELECT 1",), per_article=True)
    assert {r.name for r in RULES if r.per_article} == {"column_constraints", "span_within_text",
                                                        "quote_matches_span", "text_hash_matches",
                                                        "article_date_order", "text_withheld_only_if_restricted",
                                                        "attribution_targets_one_row", "assertion_has_attribution",
                                                        "denial_scope_valid", "condition_event_reported",
                                                        "relation_not_reflexive", "erratum_has_basis",
                                                        "no_fact_from_erratum", "stance_matches_quad",
                                                        "demand_code_is_request", "position_period_valid",
                                                        "demand_addressees_complete"}


def test_a_row_without_article_is_checked_in_an_incremental_validation(tmp_path):
    """A row with no article_id (a file edited by hand: the build cannot write one) belongs to no
    unchanged article, so the per-article rules still read it."""
    import pyarrow as pa

    rows = make_rows(random.Random(4), n_articles=2)
    folder = write_dataset(rows, tmp_path)
    path = folder / "parquet" / "actor_mentions.parquet"
    table = pq.read_table(path)
    schema = table.schema.set(1, table.schema.field("article_id").with_nullable(True))
    assert schema.names[1] == "article_id"
    ids = table["article_id"].to_pylist()
    table = table.cast(schema).set_column(1, schema.field(1), pa.array([None, *ids[1:]], pa.string()))
    pq.write_table(table, path)
    changed = {rows["articles"][1]["article_id"]}
    assert "column_constraints" in validate_dataset(folder).by_rule()
    assert "column_constraints" in validate_dataset(folder, changes=_changes(changed=changed)).by_rule()


def test_each_rule_declares_the_tables_it_reads():
    """From DuckDB's parser, not a name search: an alias or a column named like a table is not read."""
    from diplonews.validators.dataset_rules import RULES_BY_NAME, tables_read

    assert RULES_BY_NAME["event_has_participant"].reads == {"events", "event_participants"}
    assert RULES_BY_NAME["quote_matches_span"].reads == {"articles", "actor_mentions", "event_mentions",
                                                         "positions", "demands", "attribution_sources",
                                                         "event_relations", "errata"}
    # The names of a recursive query's own tables (WITH RECURSIVE reach ...) are not tables it reads.
    assert RULES_BY_NAME["no_relation_cycle"].reads == {"event_relations"}
    assert tables_read("SELECT events FROM topics AS actors WHERE demands = 1") == {"topics"}
    assert all(rule.reads for rule in RULES_BY_NAME.values())


def test_no_relation_cycle_reports_each_cycle_once(tmp_path):
    """One finding per cycle (at its smallest relation ID), whatever its length; a chain into a cycle,
    the same pair in another order type, and a relation to itself are no cycles of their own."""
    rows = make_rows(random.Random(7), n_articles=1, n_events=7)
    m = rows["actor_mentions"][0]

    def rel(local, kind, a, b):
        rows["event_relations"].append(
            {"relation_id": f"{m['article_id']}/{local}", "article_id": m["article_id"], "source_event_id": f"event-{a}",
             "relation_type": kind, "target_event_id": f"event-{b}", "span_start": m["span_start"],
             "span_end": m["span_end"], "quote": m["quote"]})

    rel("c1", "part_of", 0, 1), rel("c2", "part_of", 1, 0)                              # a cycle of two
    rel("d1", "before", 2, 3), rel("d2", "before", 3, 4), rel("d3", "before", 4, 2)   # a cycle of three
    rel("e1", "before", 5, 2)                                                          # a chain into it
    rel("f1", "causes", 0, 1), rel("g1", "causes", 6, 6)                               # no cycle in causes
    report = validate_dataset(write_dataset(rows, tmp_path / "ds"))
    cycles = sorted(f.key.split("/")[1] for f in report.findings if f.rule == "no_relation_cycle")
    assert cycles == ["c1", "d1"], report.render()


def test_an_office_not_yet_held_is_quiet_once_an_erratum_records_it(seed_build, tmp_path):
    """The seeds call Barrack "the new US ambassador" while he was the nominee: erratum
    barrack-not-yet-ambassador records it, so office_named_as_held is quiet; without it the rule fires."""
    rows = _seed_rows(seed_build)
    assert any(e["erratum_kind"] == "wrong_title" for e in rows["errata"])
    assert "office_named_as_held" not in validate_dataset(seed_build).by_rule()
    rows["errata"] = [e for e in rows["errata"] if e["erratum_kind"] != "wrong_title"]
    report = validate_dataset(write_dataset(rows, tmp_path / "no-erratum"))
    assert report.by_rule().get("office_named_as_held") == 1, report.render()



def test_relation_dates_read_windows_durations_and_open_sides(tmp_path):
    """relation_dates_consistent reports only what no reading of the windows allows: a one-day event somewhere
    in a week starts by the week's last day, a three-day one by its fifth; an open side bounds nothing."""
    report = validate_dataset(write_dataset(window_relation_rows(), tmp_path / "ds"))
    fired = sorted(f.key.split("/")[1] for f in report.findings if f.rule == "relation_dates_consistent")
    assert fired == ["bad-duration", "bad-open-day", "bad-window"], report.render()
    assert not {"event_precision_matches_window", "event_duration_fits_window",
                "event_open_side_stated"} & set(report.by_rule()), report.render()


def test_position_period_and_open_event_sides(seed_build, tmp_path):
    """position_period_covers_event: an event open at the end (under way) does not end at its start, so a
    stance held from after that start is still voiced inside it (quiet); an event open at the start is
    checked by its end (fires when the stance begins after the event's latest end)."""
    rows = _seed_rows(seed_build)
    events = {e["event_id"]: e for e in rows["events"]}
    assert events["russia-ukraine-war"]["date_end"] is None
    assert events["turkiye-offer-to-mediate-russia-ukraine"]["date_start"] is None
    offer = next(p for p in rows["positions"] if p["event_id"] == "turkiye-offer-to-mediate-russia-ukraine")
    during = next(p for p in rows["positions"] if p["event_id"] is None and p["holds_from"] is None)
    during["event_id"] = "russia-ukraine-war"          # began 2022-02-24, still under way
    during["holds_from"], during["holds_basis"] = date(2024, 1, 1), "synthetic"
    quiet = validate_dataset(write_dataset(rows, tmp_path / "quiet"))
    assert "position_period_covers_event" not in quiet.by_rule(), quiet.render()

    offer["holds_from"], offer["holds_basis"] = events[offer["event_id"]]["date_end"] + timedelta(days=1), "synthetic"
    report = validate_dataset(write_dataset(rows, tmp_path / "fires"))
    fired = [f for f in report.findings if f.rule == "position_period_covers_event"]
    assert [f.key for f in fired] == [offer["position_id"]], report.render()
    assert "holds_from" in fired[0].message and "open..2025-03-26" in fired[0].message


@pytest.mark.parametrize("rule, table, column", [("no_orphan_actor", "actor_mentions", "actor_id"),
                                                 ("no_orphan_topic", "demands", "topic_id")])
def test_an_orphan_is_found_next_to_a_null_reference(rule, table, column, tmp_path):
    # A NULL among the references (itself a column_constraints error) must not hide an orphan: with
    # NOT IN it did, since `x NOT IN (..., NULL)` is never true.
    rows = make_rows(random.Random(5))
    BREAKS[rule](rows)
    folder = write_dataset(rows, tmp_path / "ds")
    # A file written by another tool: the same column types, but nullable, with one NULL.
    path = folder / "parquet" / f"{table}.parquet"
    data = pq.read_table(path)
    i = data.schema.get_field_index(column)
    values = data.column(i).to_pylist()
    nulled = pa.array([None, *values[1:]], data.column(i).type)
    data = data.set_column(i, data.schema.field(i).with_nullable(True), nulled)
    pq.write_table(data, path)
    report = validate_dataset(folder)
    assert report.by_rule().get(rule) == 1 and "column_constraints" in report.by_rule(), report.render()
