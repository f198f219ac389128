"""The build, stage after stage: sources -> compile -> assemble -> write -> validate -> publish.

``_build`` is the whole pipeline; each stage is a module of its own (see docs/architecture.md), and
what an incremental build may reuse is decided in :mod:`.incremental`. Everything is written to a
folder beside the output and swapped in only when validation passes, so a failed, killed or
concurrent build leaves the previous dataset intact (see :mod:`.write.output`).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from diplonews.builders.assemble import assemble
from diplonews.builders.compile.common import require_seeds
from diplonews.builders.compile.corpus import compile_sources
from diplonews.builders.gcpause import gc_paused
from diplonews.builders.incremental import (
    BuildCache,
    changed_since_plan,
    changes_since,
    plan,
    remember,
    reusable_parts,
    reusable_tables,
    reuse,
)
from diplonews.builders.publish.descriptors import describe
from diplonews.builders.sources.locate import locate
from diplonews.builders.write.output import (
    check_output,
    discard,
    output_lock,
    restore,
    staging_folder,
    swap_in,
)
from diplonews.builders.write.shards import SHARDED_TABLES, check_count, is_sharded
from diplonews.builders.write.tables import write_tables
from diplonews.errors import UserError
from diplonews.files import FileHashes
from diplonews.progress import Progress
from diplonews.validators.dataset import Changes, validate_dataset
from diplonews.validators.dataset_rules import RULES, DatasetRule
from diplonews.validators.findings import Report


@dataclass
class BuildResult:
    """What a build did: the validation report, and whether the output was replaced."""

    report: Report
    written: bool
    counts: dict[str, int]
    notes: list[str] = field(default_factory=list)  # what went wrong without failing the build


def build(seeds: Path, out: Path, use_cache: bool = True,
          on_wait: Callable[[str], None] | None = None, progress: Progress | None = None,
          shards: int = 1) -> BuildResult:
    """Compile ``seeds`` and, if no rule reports an error, replace ``out`` with the new dataset.

    ``out`` must be a new or empty folder or a previous diplonews dataset, outside the sources and
    writable; otherwise a :class:`~diplonews.errors.UserError` is raised before anything is touched.
    One build at a time replaces a given output: another waits for the lock (``on_wait`` hears why).
    ``progress`` is told how far compiling and writing have got.
    With ``use_cache``, files unchanged since the last successful build into ``out`` are reused
    from its cache (``.<out>.cache`` beside it); the output is byte-identical either way.
    ``shards`` > 1 writes the tables keyed by ``article_id`` as that many parts, by a hash of the ID
    (:mod:`.write.shards`); a rebuild then writes again only the parts whose articles changed.
    """
    try:
        check_count(shards)
    except ValueError as exc:
        raise UserError(str(exc), "give --shards a number such as 8; 1 (the default) writes one file per table") \
            from None
    seeds = Path(seeds)
    require_seeds(seeds)
    real = check_output(Path(out), seeds)
    real.parent.mkdir(parents=True, exist_ok=True)  # for the lock file, once nothing stands against the build
    with output_lock(real, on_wait):
        restore(real)  # a build killed mid-swap, or its temporary folder, is dealt with first
        check_output(Path(out), seeds)  # what a build we waited for left may differ
        with gc_paused():
            return _build(seeds, real, use_cache, progress, shards)


def _build(seeds: Path, out: Path, use_cache: bool, progress: Progress | None, shards: int = 1) -> BuildResult:
    cache = BuildCache.for_output(out) if use_cache else None
    unchanged = plan(cache, seeds, progress)  # what the last build's cache holds for files unchanged since
    compiled = compile_sources(seeds, given=unchanged.given if unchanged else None, progress=progress)
    reused = reuse(unchanged, compiled)
    if not compiled.report.ok:
        return BuildResult(compiled.report, False,
                           {name: t.num_rows for name, t in compiled.tables(reused.rows).items()})
    keep = reusable_tables(unchanged, reused, shards)
    tables = assemble(compiled.tables(reused.rows), keep=keep,
                      sharded=[name for name in SHARDED_TABLES if is_sharded(name, shards)])
    counts = {name: t.num_rows for name, t in tables.items()}
    keep_parts = reusable_parts(unchanged, reused, tables, keep, shards)
    changed = changed_since_plan(unchanged)
    if changed:
        raise UserError(f"{out / changed[0]} changed while the build ran" +
                        (f" (and {len(changed) - 1} more files of {out})" if len(changed) > 1 else ""),
                        f"nothing was replaced; build again (do not edit or check out {out} during a build)")
    with staging_folder(out) as folder:
        write_tables(tables, folder, keep, out, progress, shards, keep_parts)
        report = _validate(compiled.report, folder, seeds, changes_since(unchanged, reused, tables, keep), progress)
        if not report.ok:
            return BuildResult(report, False, counts)
        # The hashes of the files linked from the last output are known (checked intact by plan, before
        # linking changed their change time): they are not read again.
        known = {rel: sha for name, r in (unchanged.intact if unchanged else {}).items()
                 for rel, (_, sha) in r["files"].items() if name in keep or rel in keep_parts}
        hashes = FileHashes(folder, known)
        describe(tables, folder, hashes)
        swapped = swap_in(folder, out)
        notes = [note for note in [discard(swapped.previous)] if note]
    if swapped.interrupted:
        notes.append("interrupted once the new dataset was in place: the build cache was not saved")
        return BuildResult(report, True, counts, notes)
    return BuildResult(report, True, counts, notes + remember(unchanged, compiled, reused, out, hashes, shards))


def _validate(report: Report, folder: Path, seeds: Path, changes: Changes | None = None,
              progress: Progress | None = None, rules: tuple[DatasetRule, ...] = RULES) -> Report:
    """The source rules' report plus the cross-table rules on the tables written in ``folder``, every
    finding placed at the file and line it was written at."""
    report.extend(validate_dataset(folder, rules=rules, changes=changes, progress=progress))
    return locate(report, seeds)


def check_article(seeds: Path, article_id: str) -> Report:
    """The build's checks on one article: the registries and its annotation file compiled, and the
    cross-table rules on the result (without the registry-wide ones, meaningless on one article)."""
    compiled = compile_sources(seeds, only_article=article_id)
    if not compiled.report.ok:
        return compiled.report
    rules = tuple(r for r in RULES if r.name not in ("no_orphan_actor", "no_orphan_topic"))
    with tempfile.TemporaryDirectory(prefix="diplonews-article-") as tmp:
        write_tables(assemble(compiled.tables()), Path(tmp), {}, Path(tmp))
        return _validate(compiled.report, Path(tmp), seeds, rules=rules)
