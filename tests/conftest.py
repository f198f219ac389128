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
