"""The hand-written validate reference (benchmarks/reference.py) counts what validate counts: every rule
of RULES, with the same number of violations, on a generated corpus with planted violations of each rule.
The benchmark's validate figure divides validate's time by the reference's, so a reference that checks
fewer rules (or counts them differently) makes that ratio meaningless."""

from __future__ import annotations

from pathlib import Path

import pytest

from diplonews.validators.dataset import validate_dataset
from diplonews.validators.dataset_rules import RULES

from .bench_support import bench_generator, bench_reference

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
