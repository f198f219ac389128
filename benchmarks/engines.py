"""DuckDB against Spark local on the same generated corpus: whole validation and each rule.

    python benchmarks/engines.py [--scale 0.1] [--master local[2]] [--inject N] [--work DIR]

Generates (or reuses) ``DIR/S<scale>/dataset`` with benchmarks/generate.py, validates it with the
DuckDB engine and with the Spark engine (a warm session: its start is timed apart), checks that
both report the same findings, and prints wall seconds per rule on each engine. Not a test and not
part of run.py's RESULTS.md: a figure to reason about from which size Spark on a cluster pays.
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
    p.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "diplonews-bench-engines")
    args = p.parse_args(argv)
    folder = _generate(args.scale, args.work / f"S{args.scale}-i{args.inject}", args.inject)

    start = time.perf_counter()
    spark = engine_factory("spark", master=args.master)
    spark().close()  # the session is made here; every engine after this one shares it
    started = time.perf_counter() - start
    timings = {}
    reports = {}
    for name, make in (("duckdb", engine_factory("duckdb")), ("spark", spark)):
        start = time.perf_counter()
        reports[name] = validate_dataset(folder, engine=make)
        timings[name] = time.perf_counter() - start
    same = [(f.rule, f.table, f.key, f.message) for f in reports["duckdb"].findings] == \
        [(f.rule, f.table, f.key, f.message) for f in reports["spark"].findings] and \
        reports["duckdb"].counts == reports["spark"].counts
    duck, sprk = _per_rule(engine_factory("duckdb")(), folder), _per_rule(spark(), folder)
    print(f"S={args.scale} inject={args.inject} master={args.master}: Spark session start {started:.1f} s; "
          f"validate_dataset DuckDB {timings['duckdb']:.2f} s, Spark {timings['spark']:.2f} s; "
          f"same findings: {same}")
    print("| rule | queries | DuckDB s | Spark s |\n| --- | ---: | ---: | ---: |")
    for rule in RULES:
        print(f"| {rule.name} | {len(rule.queries)} | {duck[rule.name]:.3f} | {sprk[rule.name]:.3f} |")
    print(f"| total | {sum(len(r.queries) for r in RULES)} | {sum(duck.values()):.2f} | {sum(sprk.values()):.2f} |")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
