"""The build's floor: merely parse every YAML file of a seeds folder with libyaml's C loader on all cores.

    python benchmarks/parse_floor.py SEEDS_DIR      # prints the number of files parsed
"""

from __future__ import annotations

import os
import sys
from multiprocessing import Pool
from pathlib import Path

import yaml


def parse(path: Path) -> int:
    """Parse one file (plain dicts, no line tracking, no validation)."""
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)  # noqa: S506 - a safe loader
    return 1


if __name__ == "__main__":
    seeds = Path(sys.argv[1])
    # Largest first, so the big registries do not end up alone at the tail.
    paths = sorted(seeds.rglob("*.yaml"), key=lambda p: -p.stat().st_size)
    with Pool(os.cpu_count()) as pool:
        print(sum(pool.imap_unordered(parse, paths, chunksize=64)))
