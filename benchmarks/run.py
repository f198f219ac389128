"""The benchmark suite: every figure measured next to its reference in the same run.

    python benchmarks/run.py [--quick] [--work DIR] [--runs N]

Corpora come from benchmarks/generate.py (cached in the work folder, keyed by the
generator's hash). Each measurement runs in a child process; its wall time (or the time
the child reports for the call alone) is the median of several runs, its peak RSS the
maximum (``resource`` rusage of the child). Results go to benchmarks/results/<date>.json
and benchmarks/RESULTS.md (with benchmarks/analysis.md appended: what the figures mean,
profiles, what was done).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = sys.executable
CLI = str(Path(PY).with_name("diplonews"))

FULL = {"validate": [0.1, 1, 3], "build": [0.1, 1], "incremental": 1, "frictionless": 0.5, "load": 1, "runs": 3}
QUICK = {"validate": [0.01, 0.1], "build": [0.01], "incremental": 0.01, "frictionless": 0.01, "load": 0.1,
         "runs": 3}


@dataclass
class Run:
    """One child process: wall seconds, what it printed, its peak RSS."""

    seconds: float
    rss_mb: float
    stdout: str


@dataclass
class Figure:
    """One measured figure next to its reference."""

    name: str
    scale: float | None
    value: float
    reference: float
    unit: str
    reference_name: str
    ratio: float = 0.0  # value / reference (for rates: reference / value, so lower is better everywhere)
    rss_mb: float | None = None
    reference_rss_mb: float | None = None
    target: str = ""
    met: bool | None = None
    extra: dict = field(default_factory=dict)


def child(cmd: list[str], cwd: Path = REPO) -> Run:
    """Run ``cmd``; wall time, stdout, and the child's peak RSS from wait4's rusage."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(p.pid, 0)
        seconds = time.perf_counter() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if p.returncode not in (0,):
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}:\n{stdout[-2000:]}\n{stderr[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, stdout)


def median_runs(cmd: list[str], runs: int, timed: bool = False) -> tuple[float, float, str]:
    """Median seconds (the child's own report when ``timed``), max RSS in MiB, last stdout."""
    times, rss, out = [], 0.0, ""
    for _ in range(runs):
        r = child(cmd)
        times.append(float(r.stdout.strip().splitlines()[-1]) if timed else r.seconds)
        rss, out = max(rss, r.rss_mb), r.stdout
    return statistics.median(times), rss, out


def corpus(work: Path, scale: float, seeds: bool) -> Path:
    """The generated corpus at ``scale`` (regenerated when the generator changed)."""
    folder = work / f"S{scale:g}"
    stamp = folder / "generator.sha256"
    want = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest() + (" seeds" if seeds else "")
    have = stamp.read_text() if stamp.exists() else ""
    if have != want and not (have.startswith(want.split()[0]) and not seeds):
        print(f"  generating S={scale:g} ...", flush=True)
        cmd = [PY, str(HERE / "generate.py"), "--scale", str(scale), "--out", str(folder)]
        child(cmd + ([] if seeds else ["--no-seeds"]))
        stamp.write_text(want)
    return folder


def _ratio(f: Figure, lower_is_better: bool = True) -> Figure:
    f.ratio = (f.value / f.reference) if lower_is_better else (f.reference / f.value)
    return f


# --- the measurements ---------------------------------------------------------------------


def bench_validate(work: Path, scale: float, runs: int) -> Figure:
    ds = corpus(work, scale, seeds=False) / "dataset"
    v, v_rss, _ = median_runs([CLI, "validate", str(ds)], runs)
    r, r_rss, _ = median_runs([PY, str(HERE / "reference.py"), str(ds)], runs)
    f = _ratio(Figure("validate", scale, v, r, "s", "hand-written DuckDB SQL (benchmarks/reference.py)",
                      rss_mb=v_rss, reference_rss_mb=r_rss))
    if scale == 1:
        f.target, f.met = "<= 1.25x reference, RSS < 1 GiB", f.ratio <= 1.25 and v_rss < 1024
    elif scale == 3:
        f.target, f.met = "completes, RSS < 2 GiB", v_rss < 2048
    return f


def check_injection(work: Path, n: int = 3) -> dict:
    """validate and the reference both report exactly n planted violations of every rule."""
    folder = work / "inject"
    child([PY, str(HERE / "generate.py"), "--scale", "0.001", "--out", str(folder), "--inject", str(n),
           "--no-seeds"])
    got = json.loads(child([PY, "-c", _VALIDATE_JSON, str(folder / "dataset")]).stdout)
    ref = json.loads(child([PY, str(HERE / "reference.py"), str(folder / "dataset")]).stdout)
    ok = set(got.values()) == {n} and got == {k: v for k, v in ref.items() if v}
    return {"planted_per_rule": n, "validate": got, "reference": ref, "exact": ok}


_VALIDATE_JSON = """
import json, sys
from diplonews.validators.dataset import validate_dataset
print(json.dumps(validate_dataset(sys.argv[1]).by_rule()))
"""

_KEYS_ONLY = """
import sys, time
from pathlib import Path
from diplonews.validators.dataset import validate_dataset
from diplonews.validators.dataset_rules import RULES_BY_NAME
rules = tuple(RULES_BY_NAME[r] for r in ("primary_key_unique", "foreign_key_resolves", "codes_in_codebook"))
t = time.perf_counter()
report = validate_dataset(Path(sys.argv[1]), rules)
assert report.ok, report.render()
print(time.perf_counter() - t)
"""


def keys_only_descriptor(built: Path) -> Path:
    """A copy of the built datapackage.json keeping only types, primary and foreign keys, without the tables
    that have no rows (frictionless cannot read an empty JSON table: "cannot extract JSON tabular data") and
    the foreign keys to them."""
    import pyarrow.parquet as pq

    pkg = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    empty = {res["name"] for res in pkg["resources"]
             if pq.read_metadata(built / "parquet" / f"{res['name']}.parquet").num_rows == 0}
    pkg["resources"] = [res for res in pkg["resources"] if res["name"] not in empty]
    for res in pkg["resources"]:
        keys = res["schema"].get("foreignKeys", [])
        res["schema"]["foreignKeys"] = [k for k in keys if k["reference"].get("resource") not in empty]
        for fld in res["schema"]["fields"]:
            fld.pop("constraints", None)
            fld.pop("categories", None)
    path = built / "keys-only.datapackage.json"
    path.write_text(json.dumps(pkg), encoding="utf-8")
    return path


def bench_frictionless(work: Path, scale: float, runs: int) -> Figure:
    folder = corpus(work, scale, seeds=True)
    built = folder / "built"
    child([CLI, "build", "--seeds", str(folder / "seeds"), "--out", str(built)])
    import pyarrow.parquet as pq

    rows = sum(pq.read_metadata(p).num_rows for p in (built / "parquet").glob("*.parquet"))
    desc = keys_only_descriptor(built)
    fl = str(Path(PY).with_name("frictionless"))
    f_s, f_rss = _frictionless(fl, desc, runs)
    d_s, d_rss, _ = median_runs([PY, "-c", _KEYS_ONLY, str(built)], runs)
    f = Figure("validate keys vs frictionless", scale, rows / d_s, rows / f_s, "rows/s",
               "frictionless validate (types, primary and foreign keys)", rss_mb=d_rss, reference_rss_mb=f_rss,
               extra={"rows": rows, "seconds": d_s, "frictionless_seconds": f_s})
    f.ratio = f.value / f.reference
    f.target, f.met = ">= 50x frictionless rows/s", f.ratio >= 50
    return f


def _frictionless(fl: str, desc: Path, runs: int) -> tuple[float, float]:
    """Median seconds and peak RSS of ``frictionless validate`` (which must find the package valid)."""
    times, rss = [], 0.0
    for _ in range(runs):
        r = _child_any([fl, "validate", "--json", desc.name], desc.parent)
        report = json.loads(r.stdout)
        assert report["valid"], json.dumps(report)[:2000]
        times.append(r.seconds)
        rss = max(rss, r.rss_mb)
    return statistics.median(times), rss


def _child_any(cmd: list[str], cwd: Path) -> Run:
    """Like child(), for tools that exit non-zero on findings (the report decides)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, cwd=cwd)
        _, _, usage = os.wait4(p.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        return Run(seconds, usage.ru_maxrss / 1024, out.read().decode())


def bench_build(work: Path, scale: float, runs: int) -> list[Figure]:
    folder = corpus(work, scale, seeds=True)
    seeds, out = folder / "seeds", folder / "built"
    n_articles = len(list((seeds / "annotations").glob("*.yaml")))
    # --no-cache: every run compiles every file (a cached rebuild is the incremental figure below)
    b, b_rss, _ = median_runs([CLI, "build", "--no-cache", "--seeds", str(seeds), "--out", str(out)], runs)
    floor, floor_rss, _ = median_runs([PY, str(HERE / "parse_floor.py"), str(seeds)], runs)
    full = Figure("full build", scale, b, floor, "s", "parse-only floor: libyaml CSafeLoader on 2 cores",
                  rss_mb=b_rss, reference_rss_mb=floor_rss,
                  extra={"articles_per_s": n_articles / b, "floor_articles_per_s": n_articles / floor})
    _ratio(full)
    if scale == 1:
        full.target, full.met = "<= 1.5x floor", full.ratio <= 1.5
    return [full]


def bench_incremental(work: Path, scale: float, runs: int) -> Figure:
    """A full build (no cache) as reference; a build that fills the cache; then builds after adding
    one article each time, which reuse every unchanged file from the cache."""
    folder = corpus(work, scale, seeds=True)
    seeds, out = folder / "seeds", folder / "built"
    full = child([CLI, "build", "--no-cache", "--seeds", str(seeds), "--out", str(out)]).seconds
    child([CLI, "build", "--seeds", str(seeds), "--out", str(out)])
    template = sorted((seeds / "annotations").glob("*.yaml"))[0]
    times, rss = [], 0.0
    for k in range(runs):
        new_id = f"zz-added-article-{k}"
        text = (seeds / "texts" / f"{template.stem}.txt").read_text(encoding="utf-8") + f" Addendum {k}."
        (seeds / "texts" / f"{new_id}.txt").write_text(text, encoding="utf-8")
        yaml_text = template.read_text(encoding="utf-8").replace(template.stem, new_id)
        (seeds / "annotations" / f"{new_id}.yaml").write_text(yaml_text, encoding="utf-8")
        try:
            r = child([CLI, "build", "--seeds", str(seeds), "--out", str(out)])
        finally:
            (seeds / "texts" / f"{new_id}.txt").unlink()
            (seeds / "annotations" / f"{new_id}.yaml").unlink()
        times.append(r.seconds)
        rss = max(rss, r.rss_mb)
    f = _ratio(Figure("incremental build (+1 article)", scale, statistics.median(times), full, "s",
                      "full build of the same corpus", rss_mb=rss))
    f.target, f.met = "< 10% of the full build", f.ratio < 0.10
    return f


def bench_seed_build(work: Path, runs: int) -> Figure:
    out = work / "seed-built"
    child([CLI, "build", "--no-cache", "--out", str(out)])  # warm: OS file cache, imports compiled
    b, rss, _ = median_runs([CLI, "build", "--no-cache", "--out", str(out)], runs)
    floor, _, _ = median_runs([PY, str(HERE / "parse_floor.py"), str(REPO / "seeds")], runs)
    f = _ratio(Figure("seed corpus build (warm)", None, b, floor, "s", "parse-only floor of the seed files",
                      rss_mb=rss))
    f.target, f.met = "< 3 s", b < 3
    return f


_LOAD = """
import time
t = time.perf_counter()  # imports count: a user pays them on the first call
import sys
from pathlib import Path
folder = Path(sys.argv[2])
names = sys.argv[3].split(",")  # every table of the schema, as load() and connect() give them
if sys.argv[1] == "load":
    import diplonews
    x = diplonews.load(folder)
elif sys.argv[1] == "read_parquet":
    import pandas as pd
    x = {n: pd.read_parquet(folder / "parquet" / f"{n}.parquet", dtype_backend="pyarrow") for n in names}
elif sys.argv[1] == "connect":
    import diplonews
    x = diplonews.connect(folder)
else:
    import duckdb
    x = duckdb.connect()
    for n in names:
        x.execute(f"CREATE VIEW {n} AS SELECT * FROM read_parquet('{folder}/parquet/{n}.parquet')")
assert len(x) == len(names) if isinstance(x, dict) else x.execute("SELECT count(*) FROM events").fetchone()[0] > 0
print(time.perf_counter() - t)
"""


def bench_load(work: Path, scale: float, runs: int) -> list[Figure]:
    ds = str(corpus(work, scale, seeds=False) / "dataset")
    from diplonews.schema import TABLES

    names = ",".join(t.table_name for t in TABLES)  # the reference reads what load() reads (the 2.0 tables too)
    figures = []
    for mine, ref, target, limit in (("load", "read_parquet", "<= 1.2x pd.read_parquet", 1.2),
                                     ("connect", "duckdb_views", "< 0.2 s", None)):
        m, m_rss, _ = median_runs([PY, "-c", _LOAD, mine, ds, names], runs, timed=True)
        r, r_rss, _ = median_runs([PY, "-c", _LOAD, ref, ds, names], runs, timed=True)
        f = _ratio(Figure(f"diplonews.{mine}()", scale, m, r, "s",
                          "pd.read_parquet per table" if mine == "load" else "duckdb.connect + read_parquet views",
                          rss_mb=m_rss, reference_rss_mb=r_rss, target=target))
        f.met = f.ratio <= limit if limit else m < 0.2
        figures.append(f)
    return figures


def bench_cold_start(runs: int) -> list[Figure]:
    bare, _, _ = median_runs([PY, "-c", "pass"], runs * 3)
    imp, imp_rss, _ = median_runs([PY, "-c", "import diplonews"], runs * 3)
    hlp, hlp_rss, _ = median_runs([CLI, "--help"], runs * 3)
    f1 = _ratio(Figure("cold start: import diplonews", None, imp, bare, "s", "python -c pass", rss_mb=imp_rss,
                       target="< 0.3 s"))
    f1.met = imp < 0.3
    f2 = _ratio(Figure("cold start: diplonews --help", None, hlp, bare, "s", "python -c pass", rss_mb=hlp_rss))
    return [f1, f2]


# --- report -------------------------------------------------------------------------------


def machine() -> dict:
    cpu = ""
    if Path("/proc/cpuinfo").exists():
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem, 1), "os": platform.platform(),
            "python": platform.python_version()}


def versions() -> dict:
    from importlib.metadata import version

    import yaml

    out = {p: version(p) for p in ("diplonews", "duckdb", "pyarrow", "pandas", "pydantic", "pyyaml",
                                   "frictionless")}
    out["libyaml"] = yaml.__with_libyaml__
    return out


def _fmt(x: float, unit: str) -> str:
    if unit == "rows/s":
        return f"{x:,.0f} rows/s"
    return f"{x:.3f} s" if x < 10 else f"{x:.1f} s"


def render(result: dict) -> str:
    m, v = result["machine"], result["versions"]
    lines = [
        "# Benchmark results",
        "",
        f"Generated by `make bench{' QUICK=1' if result['quick'] else ''}` (benchmarks/run.py) on {result['date']}; "
        "do not edit by hand (edit benchmarks/analysis.md).",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}, Python {m['python']}.  ",
        "Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()) + ".",
        "",
        f"Times are the median of {result['runs']} runs (of {max(1, result['runs'] - 1)} for builds at S >= 1) of a "
        "child process (wall time; for load/connect the "
        "time of the call alone); RSS is the child's peak. Ratio = value / reference (for rows/s: value / "
        "reference, higher is better).",
        "",
        "| figure | S | value | reference | ratio | peak RSS (ref) | target | met |",
        "|---|---:|---:|---|---:|---:|---|---|",
    ]
    for f in result["figures"]:
        rss = f"{f['rss_mb']:.0f} MiB" if f["rss_mb"] else ""
        if f["reference_rss_mb"]:
            rss += f" ({f['reference_rss_mb']:.0f} MiB)"
        met = "" if f["met"] is None else ("yes" if f["met"] else "**no**")
        scale = "" if f["scale"] is None else f"{f['scale']:g}"
        lines.append(f"| {f['name']} | {scale} | {_fmt(f['value'], f['unit'])} | {_fmt(f['reference'], f['unit'])}"
                     f" — {f['reference_name']} | {f['ratio']:.2f} | {rss} | {f['target']} | {met} |")
    extra = [f for f in result["figures"] if f["extra"]]
    if extra:
        lines += ["", "Details:", ""]
        for f in extra:
            details = ", ".join(f"{k} {val:,.1f}" if isinstance(val, float) else f"{k} {val:,}"
                                for k, val in f["extra"].items())
            lines.append(f"- {f['name']} (S={f['scale']:g}): {details}")
    for groups in result.get("partial_reruns", []):
        other = result.get("other_machines", {}).get(" ".join(groups))
        lines += ["", f"The figures of {', '.join(groups)} come from a later partial run of the same day "
                      f"(`run.py --only {' '.join(groups)}`), after the code changes described below"
                      + (f", on another machine: {other['cpu']}, {other['cores']} cores, {other['memory_gib']} GiB, "
                         f"{other['os']} (each figure is measured next to its reference: compare ratios, not times)."
                         if other else ".")]
    inj = result.get("injection")
    if inj:
        lines += ["", f"Planted violations (--inject {inj['planted_per_rule']} at S=0.001): validate and the reference "
                      f"report exactly {inj['planted_per_rule']} per rule for all {len(inj['validate'])} rules: "
                      f"{'yes' if inj['exact'] else '**no**'}."]
    analysis = HERE / "analysis.md"
    if analysis.exists():
        lines += ["", analysis.read_text(encoding="utf-8").rstrip()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="small scales only (a few minutes)")
    p.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "diplonews-bench",
                   help="folder for generated corpora (kept between runs)")
    p.add_argument("--runs", type=int, help="runs per figure (default 3)")
    p.add_argument("--only", nargs="*", help="only these groups: validate frictionless build incremental load "
                   "cold seed")
    p.add_argument("--render", type=Path, metavar="RESULT_JSON",
                   help="only rewrite RESULTS.md from a saved result (after editing analysis.md)")
    args = p.parse_args(argv)
    if args.render:
        (HERE / "RESULTS.md").write_text(render(json.loads(args.render.read_text(encoding="utf-8"))),
                                         encoding="utf-8")
        return 0
    plan = QUICK if args.quick else FULL
    runs = args.runs or plan["runs"]
    args.work.mkdir(parents=True, exist_ok=True)
    want = set(args.only or ["validate", "frictionless", "build", "incremental", "load", "cold", "seed"])
    figures: list[Figure] = []

    def step(name: str, fn, *a):
        print(f"{name} ...", flush=True)
        t = time.perf_counter()
        out = fn(*a)
        for f in out if isinstance(out, list) else [out]:
            figures.append(f)
            print(f"  {f.name} S={f.scale}: {_fmt(f.value, f.unit)} vs {_fmt(f.reference, f.unit)} "
                  f"(ratio {f.ratio:.2f}) rss {f.rss_mb or 0:.0f} MiB [{time.perf_counter() - t:.0f} s]", flush=True)

    injection = check_injection(args.work) if "validate" in want else None
    if "cold" in want:
        step("cold start", bench_cold_start, runs)
    if "seed" in want:
        step("seed build", bench_seed_build, args.work, runs)
    if "load" in want:
        step("load/connect", bench_load, args.work, plan["load"], runs)
    if "validate" in want:
        for s in plan["validate"]:
            step(f"validate S={s}", bench_validate, args.work, s, runs)
    if "frictionless" in want:
        step("frictionless", bench_frictionless, args.work, plan["frictionless"], runs)
    if "build" in want:
        for s in plan["build"]:
            step(f"build S={s}", bench_build, args.work, s, runs if s < 1 else max(1, runs - 1))
    if "incremental" in want:
        step("incremental", bench_incremental, args.work, plan["incremental"], runs)

    today = dt.date.today().isoformat()
    result = {"date": today, "quick": args.quick, "runs": runs, "machine": machine(), "versions": versions(),
              "injection": injection, "figures": [asdict(f) for f in figures]}
    (HERE / "results").mkdir(exist_ok=True)
    name = f"{today}{'-quick' if args.quick else ''}.json"
    earlier = HERE / "results" / name
    if args.only and earlier.exists():
        # A partial rerun replaces its own figures in today's result and keeps the others.
        old = json.loads(earlier.read_text(encoding="utf-8"))
        new_keys = {(f["name"], f["scale"]) for f in result["figures"]}
        result["figures"] = [f for f in old["figures"] if (f["name"], f["scale"]) not in new_keys] + result["figures"]
        result["injection"] = injection or old.get("injection")
        result["partial_reruns"] = [*old.get("partial_reruns", []), sorted(want)]
        if old.get("machine") != result["machine"]:  # the header keeps the machine of the day's first figures
            result["other_machines"] = {**old.get("other_machines", {}), " ".join(sorted(want)): result["machine"]}
            result["machine"] = old["machine"]
    (HERE / "results" / name).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (HERE / "RESULTS.md").write_text(render(result), encoding="utf-8")
    print(f"wrote benchmarks/results/{name} and benchmarks/RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
