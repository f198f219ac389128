"""Shared fixtures: the repository, a fresh build of the seeds, and synthetic datasets."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from diplonews.builders.pipeline import build

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root."""
    return REPO


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """A fresh build of the committed seeds, in a temporary folder."""
    out = tmp_path_factory.mktemp("build") / "dataset"
    result = build(REPO / "seeds", out)
    assert result.written, result.report.render()
    return out


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A writable copy of seeds/ to break on purpose."""
    dest = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", dest)
    return dest


@pytest.fixture
def seeds_here(seeds_copy, monkeypatch) -> Path:
    """``seeds_copy`` given as ``seeds`` from the folder that holds it, as a user in a checkout gives it:
    findings and the build cache name its files under the seeds folder as given, ``seeds/...``."""
    monkeypatch.chdir(seeds_copy.parent)
    return Path("seeds")


@pytest.fixture
def rng() -> random.Random:
    """A seeded random generator."""
    return random.Random(20250316)


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Path:
    """A release of the committed seeds, as `diplonews release` writes it, in both variants (read only:
    a test that changes it works on a copy)."""
    from diplonews.builders.publish.release import release

    out = tmp_path_factory.mktemp("dist")
    for variant in ("standoff", "full"):
        release(REPO / "seeds", out, REPO, variant=variant)
    return out


@pytest.fixture(scope="session")
def spark():
    """One local Spark (``local[2]``) for every test that needs one (starting one costs seconds); the
    test is skipped, with the reason, where Java or pyspark is missing (``.ci/run`` installs both)."""
    if shutil.which("java") is None:
        pytest.skip("no java on PATH: Spark 4 needs Java 17+ (apt-get install openjdk-17-jre-headless)")
    pytest.importorskip("pyspark", reason="pyspark is not installed: pip install -e '.[spark]'")
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("diplonews-tests")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               # Two shuffle partitions, not 200: the test tables are tiny, and this halves the time.
               .config("spark.sql.shuffle.partitions", "2").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()

