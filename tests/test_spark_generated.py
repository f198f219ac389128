"""Issue 14's test of done: ``diplonews validate DIR --engine spark`` on a dataset written by
benchmarks/generate.py prints exactly the JSON report the default engine prints, on a clean dataset and
on one with a planted violation of every rule."""

from __future__ import annotations

import json
import shutil

import pytest

from diplonews.cli import main
from diplonews.validators.dataset_rules import RULES

from .bench_support import bench_generator

pytestmark = pytest.mark.spark

if shutil.which("java") is None:
    pytest.skip("no java on PATH: Spark 4 needs Java 17+ (apt-get install openjdk-17-jre-headless)",
                allow_module_level=True)
pytest.importorskip("pyspark", reason="pyspark is not installed: pip install -e '.[spark]'")


@pytest.fixture(scope="module")
def spark():
    """One local Spark for the file; the command's own session is this one (``getOrCreate``)."""
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("diplonews-generated")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


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
