"""``diplonews build``: sources -> validated Parquet/JSON tables, descriptors, pictures, checksums and card.

Everything is written to a temporary folder next to the output and swapped in
only when validation passes, so a failed build leaves the previous dataset intact.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from diplonews.validators.dataset import Changes, validate_dataset
from diplonews.validators.findings import Report

from .cache import BuildCache, stat_key
from .compile import Compiled, compile_sources
from .croissant import croissant
from .figures import figures
from .gcpause import gc_paused
from .package import FileHashes, card_facts, datapackage, dataset_card, sha256sums
from .tables import finalize, write_json, write_parquet


@dataclass
class BuildResult:
    """What a build did: the validation report, and whether the output was replaced."""

    report: Report
    written: bool
    counts: dict[str, int]


def table_files(name: str) -> tuple[str, str]:
    """The files of one table in a dataset folder."""
    return f"parquet/{name}.parquet", f"json/{name}.json"


def _write_tables(tables: dict[str, pa.Table], folder: Path, reuse: dict[str, dict], previous: Path) -> None:
    """Write every table; a table in ``reuse`` is unchanged, so its files are linked from ``previous``."""
    (folder / "parquet").mkdir(parents=True)
    (folder / "json").mkdir()

    def write(task: tuple[str, str]) -> None:
        name, rel = task
        if name in reuse:
            _link(previous / rel, folder / rel)
        elif rel.endswith(".parquet"):
            write_parquet(tables[name], folder / rel)
        else:
            write_json(tables[name], folder / rel)

    # Arrow and DuckDB write without the GIL: one file per core, largest tables first.
    tasks = [(name, rel) for name in sorted(tables, key=lambda n: -tables[n].nbytes) for rel in table_files(name)]
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        list(pool.map(write, tasks))


def _link(src: Path, dst: Path) -> None:
    """A hard link (no bytes copied; size and mtime stay those recorded), or a copy keeping the mtime."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _write_metadata(tables: dict[str, pa.Table], folder: Path, hashes: FileHashes) -> None:
    """Descriptors, pictures and card. Order matters: each file lists the hashes of those before it,
    and SHA256SUMS comes last."""
    (folder / "datapackage.json").write_text(datapackage(folder, hashes), encoding="utf-8")
    pictures = figures(tables)
    (folder / "figures").mkdir()
    for rel, figure in pictures.items():
        (folder / rel).write_text(figure.svg, encoding="utf-8")
    facts = card_facts(tables)
    (folder / "README.md").write_text(dataset_card(facts, pictures), encoding="utf-8")
    (folder / "croissant.json").write_text(croissant(folder, facts.languages, hashes), encoding="utf-8")
    (folder / "SHA256SUMS").write_text(sha256sums(folder, hashes), encoding="utf-8")


def _changes(cache: BuildCache | None, compiled: Compiled, tables: dict[str, pa.Table],
             reuse: dict[str, dict]) -> Changes | None:
    """What changed since the last build, if there was one: its cache is saved only once its dataset
    passed every rule, and is ignored when the code (rules included) has changed since."""
    if cache is None or "outputs" not in cache.manifest:
        return None
    articles = {a for a in tables["articles"]["article_id"].to_pylist() if a is not None}
    return Changes(frozenset(reuse), frozenset(articles - compiled.reused_articles))


def _swap(new: Path, out: Path) -> None:
    """Replace ``out`` by ``new``; the old folder is moved aside first and removed last."""
    old = out.with_name(out.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        os.replace(out, old)
    os.replace(new, out)
    if old.exists():
        shutil.rmtree(old)


def _tables(compiled: Compiled, reuse: dict[str, dict]) -> dict[str, pa.Table]:
    """Every table in its published order, except the reused ones: their files are already written,
    and what is computed from them here (counts, pictures, dates) does not depend on row order."""
    return {name: table if name in reuse else finalize(name, table) for name, table in compiled.tables().items()}


def build(seeds: Path, out: Path, use_cache: bool = True) -> BuildResult:
    """Compile ``seeds`` and, if no rule reports an error, replace ``out`` with the new dataset.

    With ``use_cache``, files unchanged since the last successful build into ``out`` are reused
    from its cache (``.<out>.cache`` beside it); the output is byte-identical either way.
    """
    with gc_paused():
        return _build(Path(seeds), Path(out), use_cache)


def _build(seeds: Path, out: Path, use_cache: bool) -> BuildResult:
    cache = BuildCache.for_output(out) if use_cache else None
    compiled = compile_sources(seeds, cache=cache)
    report = compiled.report
    if not report.ok:
        return BuildResult(report, False, {name: t.num_rows for name, t in compiled.tables().items()})
    # Tables whose sources are those of the last build, and whose files there are untouched.
    intact = cache.intact_outputs() if cache is not None else {}
    reuse = {name: r for name, r in intact.items() if compiled.signatures.get(name) == r["signature"]}
    tables = _tables(compiled, reuse)
    counts = {name: t.num_rows for name, t in tables.items()}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
    try:
        _write_tables(tables, tmp, reuse, out)
        report.extend(validate_dataset(tmp, changes=_changes(cache, compiled, tables, reuse)))
        if not report.ok:
            return BuildResult(report, False, counts)
        hashes = FileHashes(tmp, {rel: sha for r in reuse.values() for rel, (_, sha) in r["files"].items()})
        _write_metadata(tables, tmp, hashes)
        files = {name: {rel: hashes(rel) for rel in table_files(name)} for name in compiled.signatures}
        _swap(tmp, out)
        if cache is not None:
            # Stats are taken now that the old output is gone: removing it changed the change time
            # of the files both shared (their link count).
            outputs = {
                name: {"signature": sig,
                       "files": {rel: [stat_key(out / rel), sha] for rel, sha in files[name].items()}}
                for name, sig in compiled.signatures.items()
            }
            state = compiled.cache_state
            cache.save(state["registry"], state["articles"], state["ids"], outputs)
        return BuildResult(report, True, counts)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
