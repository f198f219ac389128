"""DuckDB against Spark local on the same generated corpus: whole validation and each rule, with the
tables in one file each and sharded.

    python benchmarks/engines.py [--scale 0.1] [--master local[2]] [--inject N] [--shards N] [--work DIR]

Generates (or reuses) ``DIR/S<scale>/dataset`` with benchmarks/generate.py and a copy whose tables
keyed by article_id are split into ``--shards`` parts (default 8; written by the build's own writer, as
``diplonews build --shards`` writes them), validates both with the DuckDB engine and with the Spark engine (a warm
session: its start is timed apart), checks that all four report the same findings, and prints wall
seconds per rule on each engine and layout (``make bench-engines``). Not a test and not part of
run.py's RESULTS.md: a figure to reason about from which size Spark on a cluster pays.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

from diplonews.validators.dataset import validate_dataset
from diplonews.validators.dataset_rules import RULES
from diplonews.validators.engines import Engine, engine_factory, table_paths

HERE = Path(__file__).resolve().parent


def _generate(scale: float, out: Path, inject: int) -> Path:
    if not (out / "dataset" / "parquet" / "articles.parquet").is_file():
        spec = importlib.util.spec_from_file_location("bench_generate", HERE / "generate.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        module.generate(scale, out, inject=inject, seeds=False)
    return out / "dataset"


def _sharded(folder: Path, shards: int) -> Path:
    """A copy of the dataset in ``folder`` with its article tables as ``shards`` parts each, written by the
    build's own writer (``write_tables``: Parquet and JSON Lines parts, each in published form), the other
    tables' Parquet files linked; made once."""
    import os

    out = folder.parent / f"dataset-{shards}"
    if (out / "parquet" / "articles").is_dir():
        return out
    from diplonews.builders.write.shards import is_sharded, read_table
    from diplonews.builders.write.tables import write_tables
    from diplonews.files import make_temp_dir

    tmp = make_temp_dir(folder.parent, ".dataset-sharding-")
    for name, paths in table_paths(folder).items():
        if is_sharded(name, shards):
            # One table at a time, as the benchmark did: only one is held in memory.
            write_tables({name: read_table(name, paths)}, tmp, {}, folder, shards=shards)
        else:
            (tmp / "parquet").mkdir(exist_ok=True)
            os.link(paths[0], tmp / "parquet" / Path(paths[0]).name)
    tmp.rename(out)
    return out


def _same(a, b) -> bool:
    return [(f.rule, f.table, f.key, f.message) for f in a.findings] == \
        [(f.rule, f.table, f.key, f.message) for f in b.findings] and a.counts == b.counts


def _per_rule(engine: Engine, folder: Path) -> dict[str, float]:
    engine.register(table_paths(folder))
    seconds = {}
    for rule in RULES:
        start = time.perf_counter()
        engine.run(rule, 200)
        seconds[rule.name] = time.perf_counter() - start
    engine.close()
    return seconds


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scale", type=float, default=0.1, help="corpus scale S (default 0.1)")
    p.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    p.add_argument("--inject", type=int, default=0, help="violations planted per rule (default 0)")
    p.add_argument("--shards", type=int, default=8, help="parts per article table in the sharded copy (default 8)")
    p.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "diplonews-bench-engines")
    args = p.parse_args(argv)
    start = time.perf_counter()
    folders = {"single": _generate(args.scale, args.work / f"S{args.scale}-i{args.inject}", args.inject)}
    generated = time.perf_counter() - start
    start = time.perf_counter()
    folders["sharded"] = _sharded(folders["single"], args.shards)
    sharded = time.perf_counter() - start

    start = time.perf_counter()
    spark = engine_factory("spark", master=args.master)
    spark().close()  # the session is made here; every engine after this one shares it
    started = time.perf_counter() - start
    makers = {"duckdb": engine_factory("duckdb"), "spark": spark}
    timings, reports = {}, {}
    for layout, folder in folders.items():
        for name, make in makers.items():
            start = time.perf_counter()
            reports[layout, name] = validate_dataset(folder, engine=make)
            timings[layout, name] = time.perf_counter() - start
    first = reports["single", "duckdb"]
    same = all(_same(first, report) for report in reports.values())
    per_rule = {(layout, name): _per_rule(make(), folder) for layout, folder in folders.items()
                for name, make in makers.items()}
    print(f"S={args.scale} inject={args.inject} master={args.master} shards={args.shards}: generated (or found) "
          f"in {generated:.1f} s, sharded copy in {sharded:.1f} s; Spark session start {started:.1f} s; "
          f"same findings on both engines and layouts: {same}")
    print("validate_dataset (s): " + "; ".join(f"{layout} {name} {t:.2f}" for (layout, name), t in timings.items()))
    columns = list(per_rule)
    print("| rule | queries | " + " | ".join(f"{name} {layout} s" for layout, name in columns) + " |")
    print("| --- | ---: |" + " ---: |" * len(columns))
    for rule in RULES:
        print(f"| {rule.name} | {len(rule.queries)} | " +
              " | ".join(f"{per_rule[c][rule.name]:.3f}" for c in columns) + " |")
    print(f"| total | {sum(len(r.queries) for r in RULES)} | " +
          " | ".join(f"{sum(per_rule[c].values()):.2f}" for c in columns) + " |")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
