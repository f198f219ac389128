"""The hand-written validate reference (benchmarks/reference.py) counts what validate counts: every rule
of RULES, with the same number of violations, on a generated corpus with planted violations of each rule.
The benchmark's validate figure divides validate's time by the reference's, so a reference that checks
fewer rules (or counts them differently) makes that ratio meaningless."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from diplonews.schema import TABLES
from diplonews.validators.dataset import validate_dataset
from diplonews.validators.dataset_rules import RULES

from .bench_support import bench_generator, bench_reference
from .synthetic import BREAKS, window_relation_rows, write_dataset

PLANTED = 3
"""Violations planted per rule, as benchmarks/run.py's check_injection plants them (at S=0.001)."""


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench-ref") / "S"
    bench_generator().generate(0.001, out, inject=PLANTED, seeds=False)
    return out / "dataset"


def test_reference_counts_every_rule_as_validate_does(planted):
    reference = bench_reference().reference_counts(planted)
    assert sorted(reference) == sorted(r.name for r in RULES)
    validated = validate_dataset(planted).by_rule()
    assert validated == {r.name: PLANTED for r in RULES}  # the corpus plants what it says (else compare nothing)
    assert reference == validated


def test_reference_counts_nothing_on_a_clean_corpus(tmp_path):
    bench_generator().generate(0.0005, tmp_path / "S", seeds=False)
    assert validate_dataset(tmp_path / "S" / "dataset").by_rule() == {}
    assert set(bench_reference().reference_counts(tmp_path / "S" / "dataset").values()) == {0}



def _same_counts(folder: Path) -> dict[str, int]:
    """validate's counts on ``folder`` (every rule, 0 where it is quiet), asserted equal to the reference's."""
    validated = validate_dataset(folder).by_rule()
    counts = {r.name: validated.get(r.name, 0) for r in RULES}
    assert bench_reference().reference_counts(folder) == counts
    return counts


def test_reference_counts_as_validate_does_with_every_rule_broken_at_once(seed_build, tmp_path):
    """The planted corpus breaks each rule one way; tests/synthetic.py's breaks are other ways (applied
    all at once to the seed dataset, as in test_spark_parity), and window_relation_rows has the open
    sides and durations that relation_dates_consistent reads."""
    rows = {t.table_name: pq.read_table(seed_build / "parquet" / f"{t.table_name}.parquet").to_pylist()
            for t in TABLES}
    for brk in BREAKS.values():
        brk(rows)
        for table in ("actor_mentions", "event_mentions"):  # the next break takes another first row
            rows[table].append(rows[table].pop(0))
    counts = _same_counts(write_dataset(rows, tmp_path / "broken"))
    assert [rule for rule, n in counts.items() if n == 0] == []  # every rule compared where it fires
    assert _same_counts(write_dataset(window_relation_rows(), tmp_path / "windows"))["relation_dates_consistent"]
