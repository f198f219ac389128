"""Modules of benchmarks/ (not a package) loaded for tests: the corpus generator, for tests that need a
generated dataset, and the hand-written validate reference."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent


def bench_generator() -> ModuleType:
    """benchmarks/generate.py as a module (its ``generate(scale, out, ...)`` writes a corpus)."""
    return _bench_module("generate")


def bench_reference() -> ModuleType:
    """benchmarks/reference.py as a module (its ``reference_counts(folder)`` counts violations per rule)."""
    return _bench_module("reference")


def _bench_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
