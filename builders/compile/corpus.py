"""Compiling the annotation sources (registries + per-article YAML + texts) into table rows.

Source-level rules (see :mod:`diplonews.validators.source_rules`) are checked here,
where file and line are known; cross-table rules run later on the written tables.
This module runs the whole: which files to compile (or take from the cache), on which cores,
and how their results merge. One registry file is compiled by :mod:`.compile_registry`, one
annotation file by :mod:`.compile_article`.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa

from diplonews.builders.compile.article import ArticleCompiler, FileResult
from diplonews.builders.compile.codebook import codebook_rows
from diplonews.builders.compile.common import require_seeds, texts_are_plain
from diplonews.builders.compile.registry import (
    REGISTRY_OUTPUTS,
    REGISTRY_TABLES,
    RegistryCompiler,
    RegistryResult,
)
from diplonews.builders.incremental import BuildCache
from diplonews.progress import Progress
from diplonews.schema import ARTICLE_TABLES, CODEBOOK_TABLES
from diplonews.validators.findings import Report
from diplonews.validators.source_rules import DUPLICATE_ID, SOURCE_RULES, TEXT_NOT_SHARED

PARALLEL_MIN_FILES = 64
"""Below this many annotation files, compiling in one process is faster than starting workers."""

BATCH_MAX_FILES = 500
"""Annotation files compiled per task: large enough that Arrow conversion pays, small enough to balance."""

PARALLEL_MIN_BYTES = 1 << 20
"""Below this many bytes of registry files, parsing them in one process is faster."""


@dataclass
class BatchResult:
    """Annotation files compiled together: each file's facts and findings, and all their rows as Arrow."""

    files: list[FileResult]
    tables: dict[str, pa.Table]


@dataclass
class Compiled:
    """Table rows compiled from the sources, and what the source rules found.

    In an incremental build, ``reused`` holds the cached rows of the unchanged articles, and
    ``cache_state`` what to write back to the cache once the build succeeds."""

    rows: dict[str, list[dict]] = field(default_factory=dict)
    report: Report = field(default_factory=Report)
    parts: dict[str, list[pa.Table]] = field(default_factory=dict)  # article rows built as Arrow by workers
    reused: dict[str, pa.Table] = field(default_factory=dict)
    cache_state: dict = field(default_factory=dict)
    signatures: dict[str, str] = field(default_factory=dict)  # see _signatures; empty without a cache
    reused_articles: set[str] = field(default_factory=set)  # IDs of the articles taken from the cache

    def tables(self) -> dict[str, pa.Table]:
        """Every table as one Arrow table (rows in no particular order: see ``tables.finalize``)."""
        from diplonews.builders.assemble import to_arrow
        from diplonews.schema import TABLES

        out = {}
        for t in TABLES:
            name = t.table_name
            pieces = [to_arrow(name, self.rows.get(name, [])), *self.parts.get(name, [])]
            if name in self.reused:
                pieces.append(self.reused[name])
            out[name] = pa.concat_tables(pieces) if len(pieces) > 1 else pieces[0]
        return out


class _Compiler(RegistryCompiler, ArticleCompiler):
    """Compiles a seeds folder: every registry and annotation file, merged in file order."""

    def __init__(self, seeds: Path):
        self.seeds = seeds
        self._prefix = os.path.join(str(seeds.parent), "") if str(seeds.parent) != "." else ""
        self.report = Report(rules_run=[r.name for r in SOURCE_RULES])
        self.rows: dict[str, list[dict]] = {name: [] for name in (*REGISTRY_TABLES, *ARTICLE_TABLES)}
        self.rows.update({k: list(v) for k, v in codebook_rows().items()})
        self.actor_ids: set[str] = set()
        self.event_ids: set[str] = set()
        self.topic_ids: set[str] = set()
        self.mention_ids: set[str] = set()
        self.refs: list[tuple[str, str, str, int | None]] = []
        self.cache: BuildCache | None = None
        self.progress: Progress | None = None
        self.registry_used: dict[str, tuple[str | None, RegistryResult]] = {}
        self.article_entries: dict[str, dict] = {}
        self.reused_ids: set[str] = set()
        self.parts: dict[str, list[pa.Table]] = {}
        self.defer_refs = False
        self.seen_refs: set[tuple[str, str]] = set()
        self.signatures: dict[str, str] = {}

    def compile_all(self, only: str | None = None) -> None:
        """Compile the registries and the annotation files (only ``only``'s, when given).

        Every file compiles on its own, on every core: annotation files do not wait for the
        registries, they record which IDs they reference, and once the registries are merged
        any file that references an unknown ID is compiled again here to report it with its line.
        With a cache, unchanged files are not compiled at all (see :mod:`.cache`).
        """
        cache = self.cache
        registry_files = self.registry_files()
        folder = self.seeds / "annotations"
        # Names and strings, not Path objects, for the per-file work of a large corpus.
        entries = {e.name: e for e in os.scandir(folder) if e.name.endswith(".yaml")} if folder.is_dir() else {}
        names = sorted(entries)
        if only is not None:
            names = [n for n in names if n == f"{only}.yaml"]
        folder_str, folder_rel = str(folder), self.rel(folder)
        rels = [f"{folder_rel}/{n}" for n in names]
        registry: list[RegistryResult | None] = [None] * len(registry_files)
        articles: list[FileResult | None] = [None] * len(names)
        registry_shas = [cache.sha(p, self.rel(p)) if cache and p.is_file() else None for _, p in registry_files]
        # Only regular files are hashed: reading a FIFO would hang (compiling the file reports it).
        yaml_shas = [cache.sha(f"{folder_str}/{n}", r) if cache and entries[n].is_file() else None
                     for n, r in zip(names, rels)]
        if cache is not None:
            for i, (_, path) in enumerate(registry_files):
                registry[i] = cache.registry_result(self.rel(path), registry_shas[i]) if registry_shas[i] else None
            if cache.articles_reusable() and texts_are_plain(self.seeds / "texts"):
                texts, texts_rel = str(self.seeds / "texts"), self.rel(self.seeds / "texts")
                for j, rel in enumerate(rels):
                    entry = cache.article(rel, yaml_shas[j], texts, texts_rel)
                    articles[j] = FileResult.from_cache(rel, entry) if entry else None
        registry_todo = [("registry", *registry_files[i]) for i, r in enumerate(registry) if r is None]
        reused = [j for j, a in enumerate(articles) if a is not None]
        registry_changed = bool(registry_todo) or (cache is not None and set(cache.manifest.get("registry", {}))
                                                   != {self.rel(p) for _, p in registry_files})
        if reused and registry_changed:
            # Reused articles stay valid only while every registry ID they could reference exists.
            self._fill(registry, registry_todo, [], [])
            self.merge_registries(registry)
            old = cache.registry_ids() if cache else None
            new = {"actor": self.actor_ids, "event": self.event_ids, "topic": self.topic_ids}
            if old is None or any(not old[k] <= new[k] for k in new):
                for j in reused:
                    articles[j] = None
            registry_todo = []
        article_todo = [("article", folder / names[j], None) for j, a in enumerate(articles) if a is None]
        self._fill(registry, registry_todo, articles, article_todo)
        if registry_todo or not (reused and registry_changed):
            self.merge_registries(registry)
        known = {"actor": self.actor_ids, "event": self.event_ids, "topic": self.topic_ids}
        for j, res in enumerate(articles):
            if not res.reused and any(value not in known[kind] for kind, value in res.refs):
                articles[j] = self.compile_file(folder / names[j])
        for j, res in enumerate(articles):
            res.yaml_sha = yaml_shas[j]
            if cache is not None and res.text_stat is not None:
                cache.remember(self.rel(self.seeds / "texts" / res.text_file), res.text_stat, res.digest)
        self.registry_used = {self.rel(p): (registry_shas[i], registry[i]) for i, (_, p) in enumerate(registry_files)}
        self.merge(articles)
        self.signatures = _signatures(registry_files, registry_shas, articles, self.rel)

    def _fill(self, registry: list, registry_todo: list[tuple], articles: list, article_todo: list[tuple]) -> None:
        """Compile the tasks (on every core when worth it) and put each result in its empty slot.

        Annotation files go in batches, whose rows the worker turns into Arrow tables: compact to
        send back, and no row dicts pile up in this process."""
        cores = os.cpu_count() or 1
        size = max(1, min(BATCH_MAX_FILES, len(article_todo) // (4 * cores)))
        paths = [path for _, path, _ in article_todo]
        batches = [("batch", paths[i:i + size], None) for i in range(0, len(paths), size)]
        parallel = len(article_todo) >= PARALLEL_MIN_FILES or _registry_bytes(registry_todo) >= PARALLEL_MIN_BYTES
        self.defer_refs = True
        results = _run(registry_todo + batches, self, parallel)
        self.defer_refs = False
        files: list[FileResult] = []
        for batch in results[len(registry_todo):]:
            files += batch.files
            for name, table in batch.tables.items():
                self.parts.setdefault(name, []).append(table)
        for slots, done in ((registry, results[: len(registry_todo)]), (articles, files)):
            empty = [i for i, r in enumerate(slots) if r is None]
            for i, result in zip(empty, done):
                slots[i] = result

    def compile_batch(self, paths: list[Path]) -> BatchResult:
        """Compile annotation files; their rows come back as Arrow tables, their facts per file."""
        from diplonews.builders.assemble import to_arrow

        files = [self.compile_file(p) for p in paths]
        tables = {name: to_arrow(name, [row for f in files for row in f.rows[name]]) for name in ARTICLE_TABLES}
        for f in files:
            f.rows = {}
        return BatchResult(files, tables)

    def merge(self, results: list[FileResult]) -> None:
        """Add each file's rows in path order, refusing a second article with a used ID or text."""
        article_files: dict[str, str] = {}
        hashes: dict[str, str] = {}
        for res in results:
            self.report.findings.extend(res.findings)
            if res.article_id is None:
                continue
            if res.article_id in article_files:
                self.find(DUPLICATE_ID, f"article ID '{res.article_id}' is also used by "
                          f"{article_files[res.article_id]}", res.file, res.id_line, "give each article its own ID")
                continue
            article_files[res.article_id] = res.file
            if res.digest is None:
                continue
            if res.digest in hashes:
                self.find(TEXT_NOT_SHARED, f"text '{res.text_file}' is the same text as article "
                          f"'{hashes[res.digest]}'", res.file, res.text_line,
                          "annotate the existing article instead of adding the text twice")
                continue
            hashes[res.digest] = res.article_id
            self.article_entries[res.file] = res.cache_entry()
            if res.reused:
                self.reused_ids.add(res.article_id)
            for table, rows in res.rows.items():
                self.rows[table].extend(rows)


def _signatures(registry_files: list[tuple[str, Path]], registry_shas: list[str | None],
                articles: list[FileResult], rel: Any) -> dict[str, str]:
    """Per table, a hash of every source its rows come from, when all of them were hashed.

    Rows of a successful build depend only on these sources and the code: a reference that does not
    resolve is an error, so no build is written whose rows a registry change could have altered.
    Equal signatures mean the table is the one the last build wrote, so its files can be reused.
    """
    out = {name: "codebook" for name in CODEBOOK_TABLES}
    for kind, tables in REGISTRY_OUTPUTS.items():
        h = hashlib.sha256(kind.encode())
        for (k, path), sha in zip(registry_files, registry_shas):
            if k == kind:
                if sha is None:
                    return {}
                h.update(f"{rel(path)}\0{sha}\n".encode())
        out.update(dict.fromkeys(tables, h.hexdigest()))
    if any(res.yaml_sha is None for res in articles):
        return {}
    listing = "".join(f"{res.file}\0{res.yaml_sha}\0{res.text_file}\0{res.digest}\n" for res in articles)
    out.update(dict.fromkeys(ARTICLE_TABLES, hashlib.sha256(f"articles\n{listing}".encode()).hexdigest()))
    return out


_WORKER: _Compiler | None = None
_FORKED = False
_TASKS = 0

COLLECT_EVERY = 16
"""A forked worker runs the garbage collector once per this many tasks."""


def _init_worker(compiler: _Compiler) -> None:
    global _WORKER
    _WORKER = compiler


def _init_forked_worker(compiler: _Compiler) -> None:
    global _FORKED
    # Ctrl-C reaches the whole process group: the parent alone handles it (one message, clean-up),
    # instead of every worker printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the command's handler, which would raise here
    _init_worker(compiler)
    _FORKED = True


def _task_in_worker(kind: str, a: Any, b: Any) -> BatchResult | RegistryResult:
    assert _WORKER is not None
    result = _WORKER.compile_registry_file(a, b) if kind == "registry" else _WORKER.compile_batch(a)
    global _TASKS
    _TASKS += 1
    if _FORKED and _TASKS % COLLECT_EVERY == 0:
        # The collector stays paused in a worker too (see gcpause; at 100,000 articles that saves a
        # tenth of the build). Now and then it collects what the tasks left (compiling makes no garbage
        # cycles, but an error's traceback does), so memory stays bounded; what the worker inherited is
        # frozen, so only its own objects are scanned.
        gc.collect()
    return result


def _registry_bytes(tasks: list[tuple]) -> int:
    return sum(path.stat().st_size for _, _, path in tasks if path.is_file())  # a missing file is reported later


def _counted(tasks: list[tuple], results: Iterator, progress: Progress | None) -> list:
    """The results in task order, telling ``progress`` how many files are compiled as they arrive."""
    if progress is None:
        return list(results)
    sizes = [len(a) if kind == "batch" else 1 for kind, a, _ in tasks]
    out, done = [], 0
    for size, result in zip(sizes, results):
        out.append(result)
        done += size
        progress("compiling", done, sum(sizes))
    return out


def _run(tasks: list[tuple], compiler: _Compiler, parallel: bool) -> list:
    """Compile every task, results in task order; on every core when ``parallel`` and the machine has several.

    Workers are forked, so they inherit ``compiler`` (codebooks, settings) without pickling it.
    """
    if not parallel or (os.cpu_count() or 1) < 2:
        global _WORKER
        _init_worker(compiler)
        try:
            return _counted(tasks, (_task_in_worker(*task) for task in tasks), compiler.progress)
        finally:
            _WORKER = None  # or the compiler, its cache and rows would live until the interpreter exits
    context = multiprocessing.get_context("fork")
    chunk = max(1, min(32, len(tasks) // (4 * (os.cpu_count() or 1))))
    gc.freeze()  # what the workers inherit is never scanned by their collector
    try:
        pool = ProcessPoolExecutor(os.cpu_count(), mp_context=context, initializer=_init_forked_worker,
                                   initargs=(compiler,))
        try:
            return _counted(tasks, pool.map(_task_in_worker, *zip(*tasks), chunksize=chunk), compiler.progress)
        finally:
            # On an interruption, tasks not yet started are dropped instead of run to the end.
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        gc.unfreeze()


def compile_sources(seeds: Path, only_article: str | None = None, cache: BuildCache | None = None,
                    progress: Progress | None = None) -> Compiled:
    """Compile ``seeds/`` into rows of every table; source-rule findings go in the report.

    With ``only_article``, the registries and that one article are compiled (a quick check).
    With ``cache``, files unchanged since the cached build are taken from it instead.
    ``progress`` is told how many of the files to compile are done.
    """
    require_seeds(Path(seeds))
    compiler = _Compiler(Path(seeds))
    compiler.cache = cache
    compiler.progress = progress
    compiler.compile_all(only_article)
    compiled = Compiled(compiler.rows, compiler.report, compiler.parts, signatures=compiler.signatures,
                        reused_articles=compiler.reused_ids)
    if cache is not None and compiler.reused_ids:
        compiled.reused = cache.article_tables(compiler.reused_ids)
    compiled.cache_state = {
        "registry": compiler.registry_used, "articles": compiler.article_entries,
        "ids": {"actor": compiler.actor_ids, "event": compiler.event_ids, "topic": compiler.topic_ids},
    }
    return compiled
