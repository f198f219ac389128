"""``diplonews build``: sources -> validated Parquet/JSON tables, descriptors, pictures, checksums and card.

Everything is written to a temporary folder next to the output and swapped in
only when validation passes, so a failed, killed or concurrent build leaves the previous dataset
intact (see :mod:`.output` for what may be replaced, the lock and the swap).
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyarrow as pa

from diplonews.validators.dataset import Changes, validate_dataset
from diplonews.validators.findings import Report

from diplonews.files import make_temp_dir
from diplonews.builders.incremental import BuildCache
from diplonews.files import stat_key
from diplonews.builders.compile.corpus import Compiled, compile_sources
from diplonews.builders.publish.croissant import croissant
from diplonews.builders.publish.figures import figures
from diplonews.builders.gcpause import gc_paused
from diplonews.builders.sources.locate import locate
from diplonews.builders.write.output import (
    MARKER,
    MARKER_TEXT,
    check_output,
    output_lock,
    restore,
    swap_in,
    temp_prefix,
)
from diplonews.builders.publish.package import card_facts, datapackage, dataset_card, sha256sums
from diplonews.files import FileHashes
from diplonews.progress import Progress
from diplonews.builders.assemble import finalize
from diplonews.builders.write.tables import write_json, write_parquet


@dataclass
class BuildResult:
    """What a build did: the validation report, and whether the output was replaced."""

    report: Report
    written: bool
    counts: dict[str, int]
    notes: list[str] = field(default_factory=list)  # what went wrong without failing the build


def table_files(name: str) -> tuple[str, str]:
    """The files of one table in a dataset folder."""
    return f"parquet/{name}.parquet", f"json/{name}.json"


def _write_tables(tables: dict[str, pa.Table], folder: Path, reuse: dict[str, dict], previous: Path,
                  progress: Progress | None = None) -> None:
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
        for done, _ in enumerate(pool.map(write, tasks), 1):
            if progress is not None:
                progress("writing", done, len(tasks))


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
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    (folder / "SHA256SUMS").write_text(sha256sums(folder, hashes), encoding="utf-8")


def _changes(cache: BuildCache | None, compiled: Compiled, tables: dict[str, pa.Table],
             reuse: dict[str, dict]) -> Changes | None:
    """What changed since the last build, if there was one: its cache is saved only once its dataset
    passed every rule, and is ignored when the code (rules included) has changed since."""
    if cache is None or "outputs" not in cache.manifest:
        return None
    articles = {a for a in tables["articles"]["article_id"].to_pylist() if a is not None}
    return Changes(frozenset(reuse), frozenset(articles - compiled.reused_articles))


def _tables(compiled: Compiled, reuse: dict[str, dict]) -> dict[str, pa.Table]:
    """Every table in its published order, except the reused ones: their files are already written,
    and what is computed from them here (counts, pictures, dates) does not depend on row order."""
    return {name: table if name in reuse else finalize(name, table) for name, table in compiled.tables().items()}


def build(seeds: Path, out: Path, use_cache: bool = True,
          on_wait: Callable[[str], None] | None = None, progress: Progress | None = None) -> BuildResult:
    """Compile ``seeds`` and, if no rule reports an error, replace ``out`` with the new dataset.

    ``out`` must be a new or empty folder or a previous diplonews dataset, outside the sources and
    writable; otherwise a :class:`~diplonews.errors.UserError` is raised before anything is touched.
    One build at a time replaces a given output: another waits for the lock (``on_wait`` hears why).
    ``progress`` is told how far compiling and writing have got.
    With ``use_cache``, files unchanged since the last successful build into ``out`` are reused
    from its cache (``.<out>.cache`` beside it); the output is byte-identical either way.
    """
    seeds = Path(seeds)
    real = check_output(Path(out), seeds)
    real.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(real, on_wait):
        restore(real)  # a build killed mid-swap, or its temporary folder, is dealt with first
        check_output(Path(out), seeds)  # what a build we waited for left may differ
        with gc_paused():
            return _build(seeds, real, use_cache, progress)


def _build(seeds: Path, out: Path, use_cache: bool, progress: Progress | None) -> BuildResult:
    cache = BuildCache.for_output(out) if use_cache else None
    compiled = compile_sources(seeds, cache=cache, progress=progress)
    report = compiled.report
    if not report.ok:
        return BuildResult(report, False, {name: t.num_rows for name, t in compiled.tables().items()})
    # Tables whose sources are those of the last build, and whose files there are untouched.
    intact = cache.intact_outputs() if cache is not None else {}
    reuse = {name: r for name, r in intact.items() if compiled.signatures.get(name) == r["signature"]}
    tables = _tables(compiled, reuse)
    counts = {name: t.num_rows for name, t in tables.items()}
    tmp = make_temp_dir(out.parent, temp_prefix(out))
    try:
        _write_tables(tables, tmp, reuse, out, progress)
        report.extend(validate_dataset(tmp, changes=_changes(cache, compiled, tables, reuse), progress=progress))
        report = locate(report, seeds)  # findings on rows point at the file and line they were written at
        if not report.ok:
            return BuildResult(report, False, counts)
        hashes = FileHashes(tmp, {rel: sha for r in reuse.values() for rel, (_, sha) in r["files"].items()})
        _write_metadata(tables, tmp, hashes)
        files = {name: {rel: hashes(rel) for rel in table_files(name)} for name in compiled.signatures}
        swap_in(tmp, out)
        notes = []
        if cache is not None:
            # Stats are taken now that the old output is gone: removing it changed the change time
            # of the files both shared (their link count).
            outputs = {
                name: {"signature": sig,
                       "files": {rel: [stat_key(out / rel), sha] for rel, sha in files[name].items()}}
                for name, sig in compiled.signatures.items()
            }
            state = compiled.cache_state
            try:
                cache.save(state["registry"], state["articles"], state["ids"], outputs)
            except OSError as exc:
                # The dataset is in place; an unsaved cache only makes the next build compile everything.
                notes.append(f"build cache not saved ({exc.strerror}): the next build compiles every file again")
        return BuildResult(report, True, counts, notes)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
