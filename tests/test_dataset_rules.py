"""Every cross-table rule fires on a dataset broken for it, and stays quiet on valid data."""

from __future__ import annotations

import random

import pyarrow.parquet as pq
import pytest

from diplonews.validators.dataset import TABLE_FILES, validate_dataset
from diplonews.validators.dataset_rules import RULES

from .synthetic import BREAKS, make_rows, write_dataset

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
