"""Compiling a seeds folder (registries + per-article YAML + texts) into table rows.

Source-level rules (see :mod:`diplonews.validators.source_rules`) are checked here,
where file and line are known; cross-table rules run later on the written tables.
This module runs the whole: which files to compile, on which cores, and how their results merge.
One registry file is compiled by :func:`.registry.compile_registry_file`, one annotation file by
:func:`.article.compile_article_file`; both are pure, so any file compiles in any worker. Which
files an incremental build takes from its cache instead is decided in :mod:`..incremental`, which
hands their results in (:class:`Given`).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

import pyarrow as pa

from diplonews.builders.compile.article import FileResult, compile_article_file
from diplonews.builders.compile.codebook import codebook_rows
from diplonews.builders.compile.common import RegistryIndex, require_seeds
from diplonews.builders.compile.registry import (
    RegistryResult,
    compile_registry_file,
    merge_registries,
    registry_files,
)
from diplonews.progress import Progress
from diplonews.schema import ARTICLE_TABLES
from diplonews.validators.findings import Finding, Report
from diplonews.validators.source_rules import DUPLICATE_ID, SOURCE_RULES, TEXT_NOT_SHARED

PARALLEL_MIN_FILES = 64
"""Below this many annotation files, compiling in one process is faster than starting workers."""

BATCH_MAX_FILES = 500
"""Annotation files compiled per task: large enough that Arrow conversion pays, small enough to balance."""

PARALLEL_MIN_BYTES = 1 << 20
"""Below this many bytes of registry files, parsing them in one process is faster."""

COLLECT_EVERY = 16
"""A forked worker runs the garbage collector once per this many tasks."""


@dataclass(frozen=True)
class SourceFiles:
    """The files of a seeds folder that a build compiles, and how reports name them."""

    seeds: Path
    registry: list[tuple[str, Path]]  # (kind, path) in compile order
    annotations: list[str]  # paths of the annotation files, sorted by name
    regular: list[bool]  # per annotation file: whether it is a regular file (or a link to one)

    def name(self, path: str | Path) -> str:
        """``path`` as reports name it: as the user gave the seeds folder, so it opens from where they are."""
        return str(path)

    @property
    def texts(self) -> Path:
        """The corpus folder."""
        return self.seeds / "texts"


def source_files(seeds: Path, only_article: str | None = None) -> SourceFiles:
    """Every registry file of ``seeds`` and its annotation files (only ``only_article``'s, when given)."""
    folder = seeds / "annotations"
    # Names and strings, not Path objects, for the per-file work of a large corpus.
    entries = {e.name: e for e in os.scandir(folder) if e.name.endswith(".yaml")} if folder.is_dir() else {}
    names = sorted(entries)
    if only_article is not None:
        names = [n for n in names if n == f"{only_article}.yaml"]
    folder_str = str(folder)
    return SourceFiles(seeds, registry_files(seeds), [f"{folder_str}/{n}" for n in names],
                       [entries[n].is_file() for n in names])


@dataclass
class Given:
    """Results of files not to compile again (an incremental build's unchanged files), by report name,
    for the files listed in ``files``."""

    files: SourceFiles
    registry: dict[str, RegistryResult] = field(default_factory=dict)
    articles: dict[str, FileResult] = field(default_factory=dict)


@dataclass
class Compiled:
    """Table rows compiled from the sources, what the source rules found, and each file's result.

    ``registry`` and ``articles`` hold every file's result in compile order; ``accepted`` the articles
    whose rows are in the tables (not refused as a second article with a used ID or text)."""

    report: Report
    parts: dict[str, list[pa.Table]]  # rows as Arrow tables, per table, in pieces
    registry: list[RegistryResult]
    articles: list[FileResult]
    accepted: list[FileResult]
    files: SourceFiles
    index: RegistryIndex

    def tables(self, extra: dict[str, pa.Table] | None = None) -> dict[str, pa.Table]:
        """Every table as one Arrow table, with the rows of ``extra`` (rows in no particular order: see
        ``assemble.finalize``)."""
        from diplonews.builders.assemble import to_arrow
        from diplonews.schema import TABLES

        out = {}
        for t in TABLES:
            name = t.table_name
            pieces = [*self.parts.get(name, [])] or [to_arrow(name, [])]
            if extra and name in extra:
                pieces.append(extra[name])
            out[name] = pa.concat_tables(pieces) if len(pieces) > 1 else pieces[0]
        return out


@dataclass
class BatchResult:
    """Annotation files compiled together: each file's facts and findings, and all their rows as Arrow."""

    files: list[FileResult]
    tables: dict[str, pa.Table]


def compile_batch(paths: list[str], texts: Path) -> BatchResult:
    """Compile annotation files without the registry index (their references are recorded, to check once the
    registries are merged); their rows come back as Arrow tables, their facts per file."""
    from diplonews.builders.assemble import to_arrow

    files = [compile_article_file(Path(p), p, texts, None) for p in paths]
    tables = {name: to_arrow(name, [row for f in files for row in f.rows[name]]) for name in ARTICLE_TABLES}
    for f in files:
        f.rows = {}
    return BatchResult(files, tables)


def _task(kind: str, args: tuple, number: int, forked: bool) -> BatchResult | RegistryResult:
    """Run task ``number`` (a registry file, or a batch of annotation files); in a forked worker, collect
    now and then what the tasks left."""
    result = compile_registry_file(*args) if kind == "registry" else compile_batch(*args)
    if forked and number % COLLECT_EVERY == COLLECT_EVERY - 1:
        # The collector stays paused in a worker too (see gcpause; at 100,000 articles that saves a
        # tenth of the build). Now and then it collects what the tasks left (compiling makes no garbage
        # cycles, but an error's traceback does), so memory stays bounded; what the worker inherited is
        # frozen, so only its own objects are scanned.
        gc.collect()
    return result


def _worker_started() -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it (one message, clean-up),
    # instead of every worker printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the command's handler, which would raise here


def _counted(tasks: list[tuple], results: Iterator, progress: Progress | None) -> list:
    """The results in task order, telling ``progress`` how many files are compiled as they arrive."""
    if progress is None:
        return list(results)
    sizes = [len(args[0]) if kind == "batch" else 1 for kind, args in tasks]
    out, done = [], 0
    for size, result in zip(sizes, results):
        out.append(result)
        done += size
        progress("compiling", done, sum(sizes))
    return out


def _run(tasks: list[tuple[str, tuple]], parallel: bool, progress: Progress | None) -> list:
    """Compile every task, results in task order; on every core when ``parallel`` and the machine has several.

    Workers are forked: a task carries all it needs (paths and names), and the codebooks are inherited."""
    if not parallel or (os.cpu_count() or 1) < 2:
        return _counted(tasks, (_task(kind, args, i, False) for i, (kind, args) in enumerate(tasks)), progress)
    codebook_rows()  # read once here, so every worker inherits it
    context = multiprocessing.get_context("fork")
    chunk = max(1, min(32, len(tasks) // (4 * (os.cpu_count() or 1))))
    gc.freeze()  # what the workers inherit is never scanned by their collector
    try:
        pool = ProcessPoolExecutor(os.cpu_count(), mp_context=context, initializer=_worker_started)
        try:
            kinds, args = zip(*tasks) if tasks else ((), ())
            results = pool.map(_task, kinds, args, range(len(tasks)), [True] * len(tasks), chunksize=chunk)
            return _counted(tasks, results, progress)
        finally:
            # On an interruption, tasks not yet started are dropped instead of run to the end.
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        gc.unfreeze()


def _registry_bytes(files: list[tuple[str, Path]]) -> int:
    return sum(path.stat().st_size for _, path in files if path.is_file())  # a missing file is reported later


@dataclass
class _Done:
    """Every file's result, in compile order, and the rows of the annotation files compiled, as Arrow."""

    registry: list[RegistryResult]
    articles: list[FileResult]
    parts: dict[str, list[pa.Table]]


def _compile(files: SourceFiles, registry: list[RegistryResult | None], articles: list[FileResult | None],
             progress: Progress | None) -> _Done:
    """Compile the files without a result (None) on every core when worth it. The rows of the annotation
    files come back as Arrow tables, compact to send back, and no row dicts pile up in this process.
    Annotation files are compiled without a registry index (their references are recorded)."""
    registry_todo = [i for i, r in enumerate(registry) if r is None]
    article_todo = [j for j, a in enumerate(articles) if a is None]
    cores = os.cpu_count() or 1
    size = max(1, min(BATCH_MAX_FILES, len(article_todo) // (4 * cores)))
    paths = [files.annotations[j] for j in article_todo]
    tasks = [("registry", (*files.registry[i], files.name(files.registry[i][1]))) for i in registry_todo]
    tasks += [("batch", (paths[k:k + size], files.texts)) for k in range(0, len(paths), size)]
    parallel = (len(article_todo) >= PARALLEL_MIN_FILES
                or _registry_bytes([files.registry[i] for i in registry_todo]) >= PARALLEL_MIN_BYTES)
    results = _run(tasks, parallel, progress)
    parts: dict[str, list[pa.Table]] = {}
    compiled: list[FileResult] = []
    for batch in results[len(registry_todo):]:
        compiled += batch.files
        for name, table in batch.tables.items():
            parts.setdefault(name, []).append(table)
    new_registry, new_articles = iter(results[: len(registry_todo)]), iter(compiled)
    return _Done([r if r is not None else next(new_registry) for r in registry],
                 [a if a is not None else next(new_articles) for a in articles], parts)


def compile_registries(files: SourceFiles, given: dict[str, RegistryResult] | None = None,
                       progress: Progress | None = None) -> list[RegistryResult]:
    """Every registry file's result, in compile order: those in ``given`` (by report name) as they are, the
    others compiled."""
    given = given or {}
    return _compile(files, [given.get(files.name(p)) for _, p in files.registry], [], progress).registry


def compile_sources(seeds: Path, only_article: str | None = None, given: Given | None = None,
                    progress: Progress | None = None) -> Compiled:
    """Compile ``seeds/`` into rows of every table; source-rule findings go in the report.

    With ``only_article``, the registries and that one article are compiled (a quick check).
    With ``given``, the files it holds a result for are not compiled (see :mod:`..incremental`).
    ``progress`` is told how many of the files to compile are done.

    Every file compiles on its own, on every core: annotation files do not wait for the registries,
    they record which IDs they reference, and once the registries are merged any file that references
    an unknown ID is compiled again here, with the registry index, to report it with its line.
    """
    from diplonews.builders.assemble import to_arrow

    seeds = Path(seeds)
    require_seeds(seeds)
    if given is not None and only_article is not None:
        raise ValueError("compile_sources takes only_article or given, not both (given lists its own files)")
    files = given.files if given is not None else source_files(seeds, only_article)
    given = given or Given(files)
    done = _compile(files, [given.registry.get(files.name(p)) for _, p in files.registry],
                    [given.articles.get(files.name(p)) for p in files.annotations], progress)
    merged = merge_registries(done.registry)
    articles = [_with_index(Path(path), res, files.texts, merged.index)
                if not res.reused and any(value not in merged.index.ids[kind] for kind, value in res.refs) else res
                for path, res in zip(files.annotations, done.articles)]
    accepted, findings, rows = merge_articles(articles)
    parts = done.parts
    for name, tables in merged.parts.items():
        parts.setdefault(name, []).extend(tables)
    for name, table_rows in {**codebook_rows(), **rows}.items():
        if table_rows:
            parts.setdefault(name, []).insert(0, to_arrow(name, table_rows))
    report = Report(findings=merged.findings + findings, rules_run=[r.name for r in SOURCE_RULES])
    return Compiled(report, parts, done.registry, articles, accepted, files, merged.index)


def _with_index(path: Path, res: FileResult, texts: Path, index: RegistryIndex) -> FileResult:
    """A file that references an unknown ID, with the findings of compiling it again against the registry
    index (which say where); its rows stay those already among the batch's tables, not added twice."""
    again = compile_article_file(path, res.file, texts, index)
    return replace(res, findings=again.findings)


def merge_articles(results: list[FileResult]) -> tuple[list[FileResult], list[Finding], dict[str, list[dict]]]:
    """Each file's findings and rows in path order, refusing a second article with a used ID or text: the
    files accepted, every finding, and the rows not yet made Arrow tables (of files compiled here)."""
    article_files: dict[str, tuple[str, None]] = {}
    hashes: dict[str, str] = {}
    accepted: list[FileResult] = []
    findings: list[Finding] = []
    rows: dict[str, list[dict]] = {name: [] for name in ARTICLE_TABLES}
    for res in results:
        findings += res.findings
        if res.article_id is None:
            continue
        found = DUPLICATE_ID.run("article", res.article_id, res.file, article_files, file=res.file, line=res.id_line)
        if found:
            findings += found
            continue
        article_files[res.article_id] = (res.file, None)
        if res.digest is None:
            continue
        found = TEXT_NOT_SHARED.run(res.text_file, res.digest, hashes, file=res.file, line=res.text_line)
        if found:
            findings += found
            continue
        hashes[res.digest] = res.article_id
        accepted.append(res)
        for table, table_rows in res.rows.items():
            rows[table] += table_rows
    return accepted, findings, rows
