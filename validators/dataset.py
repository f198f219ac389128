"""Running the cross-table rules over a dataset folder, with DuckDB (embedded, the default) or another engine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

import duckdb

from diplonews.schema import TABLES

from .dataset_rules import (
    CHECKSUMS_MATCH,
    DATAPACKAGE_MATCHES_SCHEMA,
    DATAPACKAGE_READABLE,
    FOLDER_RULES,
    NO_UNDESCRIBED_FILES,
    RULES,
    TABLE_FILES_MATCH_SCHEMA,
    DatasetRule,
    FolderRule,
    tables_read,
)
from .engines import Engine, table_files_in, table_paths
from .engines.duckdb import DuckDBEngine
from .findings import Finding, Report, Severity
from .folder import DatasetFolder, as_folder
from .integrity import (
    DATAPACKAGE,
    REBUILD_HINT,
    DatasetFolderError,
    checksum_problems,
    parquet_files,
    read_resources,
    resource_paths,
)

TABLE_FILES = TABLE_FILES_MATCH_SCHEMA.name

SAMPLE_LIMIT = 200
"""Findings listed per rule query; the count in the report stays exact beyond it."""


def _check_files(folder: DatasetFolder) -> list[Finding]:
    findings = []
    for t, rels in zip(TABLES, table_files_in(folder).values()):
        for rel in rels:  # a sharded table: every part has the table's columns
            findings += _check_file(folder, rel, t)
    return findings


def _check_file(folder: DatasetFolder, rel: str, t: type) -> list[Finding]:
    from diplonews.schema.generate import arrow_schema

    if not folder.is_file(rel):
        return [Finding(TABLE_FILES, Severity.error, "table file is missing", table=t.table_name,
                        hint=f"expected {folder.path(rel)}; rebuild with 'diplonews build'")]
    try:
        actual = folder.parquet_schema(rel)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is reported, not raised
        return [Finding(TABLE_FILES, Severity.error, f"unreadable Parquet file: {exc}", table=t.table_name)]
    got = [(f.name, str(f.type)) for f in actual]
    want = [(f.name, str(f.type)) for f in arrow_schema(t)]
    if got != want:
        return [Finding(TABLE_FILES, Severity.error, f"columns differ from the schema: got {got}, expected {want}",
                        table=t.table_name)]
    return []


def run_rule(
    con: duckdb.DuckDBPyConnection | Engine, rule: DatasetRule, limit: int | None = None
) -> tuple[list[Finding], int]:
    """Run one rule's queries on a DuckDB connection or an engine with the dataset's views; returns up to
    ``limit`` findings per query, each query's sorted by (table, key, message), and the exact violation count."""
    engine = con if isinstance(con, Engine) else DuckDBEngine(con)
    rows, total = engine.run(rule, SAMPLE_LIMIT if limit is None else limit)
    return [Finding(rule.name, rule.severity, msg, table=tbl, key=key) for tbl, key, msg in rows], total


@dataclass(frozen=True)
class Changes:
    """What differs from a dataset that passed every error rule of the same code: the tables whose
    files are that dataset's own, and the articles that are new or changed.

    Given it, an error rule need not look at what it already passed: a query that reads only
    unchanged tables is skipped, and a per-article rule reads only the changed articles' rows.
    Warnings always run in full, since every build reports them.
    """

    unchanged_tables: frozenset[str]
    changed_articles: frozenset[str]


def _scoped(rule: DatasetRule, changes: Changes) -> DatasetRule | None:
    """The part of an error rule that can find something new; None when nothing can."""
    if rule.severity is not Severity.error:
        return rule
    queries = tuple(q for q in rule.queries if not tables_read(q) <= changes.unchanged_tables)
    return replace(rule, queries=queries) if queries else None


def validate_dataset(folder: Path | DatasetFolder, rules: tuple[DatasetRule, ...] = RULES,
                     changes: Changes | None = None,
                     progress: Callable[[str, int, int], None] | None = None,
                     engine: Callable[[], Engine] = DuckDBEngine) -> Report:
    """Check a built dataset folder against every cross-table rule; the report holds exact counts.

    With ``changes`` (an incremental build), only what changed is checked for errors; see :class:`Changes`.
    ``progress("validating", done, total)`` is told after each rule. ``engine`` makes the engine that
    runs the rules (see :func:`~diplonews.validators.engines.engine_factory`); the findings are the same
    on every engine. ``folder`` is a local path, or a folder at a URL the engine reads
    (:mod:`diplonews.validators.folder`).
    """
    folder = as_folder(folder)
    report = Report(rules_run=[TABLE_FILES])
    file_findings = _check_files(folder)
    report.findings += file_findings
    if file_findings:
        return report  # the SQL rules need every table, with the published columns
    tables = table_paths(folder)
    full = engine()
    full.register(tables)
    per_article = None
    if changes is not None:
        per_article = engine()
        per_article.register(tables, only_articles=changes.changed_articles)
    for done, rule in enumerate(rules, 1):
        findings, total = [], 0
        scoped = _scoped(rule, changes) if changes is not None else rule
        if scoped is not None:
            findings, total = run_rule(per_article if scoped.per_article and per_article is not None else full, scoped)
        report.rules_run.append(rule.name)
        report.findings += findings
        report.counts[rule.name] = total
        if progress is not None:
            progress("validating", done, len(rules))
    full.close()
    if per_article is not None:
        per_article.close()
    return report


_DESCRIPTORS = (DATAPACKAGE, "croissant.json")
_NEW_TABLE_HINT = "remove it; a new table belongs in the schema, then rebuild"


def _finding(rule: FolderRule, message: str, file: str, hint: str) -> Finding:
    return Finding(rule.name, rule.severity, message, file=file, hint=hint)


def _descriptor_findings(folder: DatasetFolder, resources: dict[str, dict]) -> list[Finding]:
    """What is wrong between a readable datapackage.json, the schema and the folder's files."""
    schema = [t.table_name for t in TABLES]
    findings = [_finding(DATAPACKAGE_MATCHES_SCHEMA, f"table {name} is not described", DATAPACKAGE, REBUILD_HINT)
                for name in schema if name not in resources]
    findings += [_finding(DATAPACKAGE_MATCHES_SCHEMA, f"resource {name} is not a table of the schema", DATAPACKAGE,
                          _NEW_TABLE_HINT)
                 for name in resources if name not in schema]
    for resource in resources.values():
        # A multipart resource (a sharded table) states no hash: SHA256SUMS holds each part's.
        stated = resource.get("hash")
        for rel in resource_paths(resource):
            if not folder.is_file(rel):
                findings.append(_finding(CHECKSUMS_MATCH, f"described in {DATAPACKAGE} but missing", rel,
                                         REBUILD_HINT))
            elif isinstance(stated, str) and stated.startswith("sha256:") and stated != f"sha256:{folder.sha256(rel)}":
                findings.append(_finding(CHECKSUMS_MATCH, f"SHA-256 differs from the hash in {DATAPACKAGE}", rel,
                                         REBUILD_HINT))
    described = {*_DESCRIPTORS, *(rel for r in resources.values() for rel in resource_paths(r)),
                 *(rel for name, r in resources.items() for rel in parquet_files(name, r))}
    for rel in folder.files():
        if PurePosixPath(rel).suffix.lower() in (".parquet", ".json", ".jsonl") and rel not in described:
            findings.append(_finding(NO_UNDESCRIBED_FILES, f"a table file {DATAPACKAGE} does not describe", rel,
                                     _NEW_TABLE_HINT))
    return findings


def validate_published(folder: Path | DatasetFolder, progress: Callable[[str, int, int], None] | None = None,
                       engine: Callable[[], Engine] = DuckDBEngine) -> Report:
    """Check a finished dataset folder as published: its descriptor and checksums (the folder rules),
    then its tables with :func:`validate_dataset`.

    A build validates its tables before it writes datapackage.json and SHA256SUMS, so it calls
    :func:`validate_dataset` alone; ``diplonews validate DIR`` calls this. Files are hashed in chunks,
    each once. ``engine`` runs the cross-table rules, as in :func:`validate_dataset`; ``folder`` is a
    local path or, for the Spark engine, a folder at a URL.
    """
    folder = as_folder(folder)
    report = Report(rules_run=[r.name for r in FOLDER_RULES])
    try:
        resources = read_resources(folder)
    except DatasetFolderError as exc:
        report.findings.append(_finding(DATAPACKAGE_READABLE, exc.message, DATAPACKAGE, exc.hint))
    else:
        report.findings += _descriptor_findings(folder, resources)
    report.findings += [_finding(CHECKSUMS_MATCH, problem, rel, REBUILD_HINT)
                        for rel, problem in checksum_problems(folder, folder.sha256)]
    report.extend(validate_dataset(folder, progress=progress, engine=engine))
    return report
