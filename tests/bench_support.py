"""The benchmark corpus generator (benchmarks/generate.py, not a package) loaded for tests that need a
generated dataset."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent


def bench_generator() -> ModuleType:
    """benchmarks/generate.py as a module (its ``generate(scale, out, ...)`` writes a corpus)."""
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
