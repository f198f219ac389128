"""The benchmark corpus generator: a tiny corpus validates clean, builds to the same tables, and
``--inject N`` plants exactly N violations of every dataset rule."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from diplonews.builders.pipeline import build
from diplonews.schema import TABLES
from diplonews.validators.dataset import validate_dataset
from diplonews.validators.dataset_rules import RULES

from .bench_support import bench_generator




@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "S"
    bench_generator().generate(0.0005, out)
    return out


def test_tiny_corpus_validates_clean(tiny):
    report = validate_dataset(tiny / "dataset")
    assert report.findings == [], report.render()
    n = pq.read_metadata(tiny / "dataset" / "parquet" / "articles.parquet").num_rows
    assert n == 50


def test_seeds_build_to_the_generated_tables(tiny):
    result = build(tiny / "seeds", tiny / "built")
    assert result.written and not result.report.findings, result.report.render()
    for t in TABLES:
        generated = pq.read_table(tiny / "dataset" / "parquet" / f"{t.table_name}.parquet")
        built = pq.read_table(tiny / "built" / "parquet" / f"{t.table_name}.parquet")
        assert generated.equals(built), t.table_name


def test_generation_is_deterministic(tiny, tmp_path):
    bench_generator().generate(0.0005, tmp_path / "again", seeds=False)
    for t in TABLES:
        name = f"{t.table_name}.parquet"
        a = pq.read_table(tiny / "dataset" / "parquet" / name)
        assert a.equals(pq.read_table(tmp_path / "again" / "dataset" / "parquet" / name)), name


@pytest.mark.parametrize("n", [1, 4])
def test_inject_plants_exactly_n_per_rule(n, tmp_path):
    bench_generator().generate(0.0005, tmp_path / "S", inject=n, seeds=False)
    report = validate_dataset(tmp_path / "S" / "dataset")
    assert report.by_rule() == {r.name: n for r in RULES}, report.render()
