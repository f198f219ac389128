"""Issue 14's test of done: ``diplonews validate DIR --engine spark`` on a dataset written by
benchmarks/generate.py prints exactly the JSON report the default engine prints, on a clean dataset and
on one with a planted violation of every rule (the command's own Spark session is the tests' one,
by ``getOrCreate``)."""

from __future__ import annotations

import json

import pytest

from diplonews.cli import main
from diplonews.validators.dataset_rules import RULES

from .bench_support import bench_generator

pytestmark = pytest.mark.spark


def _validate(folder, capsys, *engine) -> tuple[int, dict]:
    status = main(["validate", str(folder), "--format", "json", *engine])
    return status, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("inject", [0, 1], ids=["clean", "every-rule-broken"])
def test_the_command_prints_the_same_report_on_both_engines(spark, tmp_path, capsys, inject):
    bench_generator().generate(0.001, tmp_path, inject=inject, seeds=False)
    folder = tmp_path / "dataset"
    duck_status, duck = _validate(folder, capsys)
    spark_status, on_spark = _validate(folder, capsys, "--engine", "spark")
    assert on_spark == duck
    assert spark_status == duck_status == (1 if inject else 0)
    counts = duck["violations_by_rule"]
    # the broken dataset breaks every cross-table rule exactly once; the clean one none
    assert counts == ({r.name: 1 for r in RULES} if inject else {})
