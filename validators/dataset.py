"""Running the cross-table rules over a dataset folder with DuckDB."""

from __future__ import annotations

from pathlib import Path

import duckdb

from diplonews.schema import TABLES

from .dataset_rules import RULES, DatasetRule
from .findings import Finding, Report, Severity

TABLE_FILES = "table_files_match_schema"
"""Name of the rule that every table's Parquet file exists with the published columns and types."""

SAMPLE_LIMIT = 200
"""Findings listed per rule query; the count in the report stays exact beyond it."""


def open_views(folder: Path, con: duckdb.DuckDBPyConnection | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one view per table over ``folder/parquet/<table>.parquet``."""
    con = con or duckdb.connect()
    for t in TABLES:
        path = (folder / "parquet" / f"{t.table_name}.parquet").as_posix().replace("'", "''")
        con.execute(f"CREATE OR REPLACE VIEW {t.table_name} AS SELECT * FROM read_parquet('{path}')")
    return con


def _check_files(folder: Path) -> list[Finding]:
    # Imported here, not at the top: connect() needs only DuckDB, and pyarrow costs ~0.1 s to import.
    import pyarrow.parquet as pq

    from diplonews.schema.generate import arrow_schema

    findings = []
    for t in TABLES:
        path = folder / "parquet" / f"{t.table_name}.parquet"
        if not path.is_file():
            findings.append(Finding(TABLE_FILES, Severity.error, "table file is missing", table=t.table_name,
                                    hint=f"expected {path}; rebuild with 'diplonews build'"))
            continue
        try:
            actual = pq.read_schema(path)
        except Exception as exc:  # noqa: BLE001 - any unreadable file is reported, not raised
            findings.append(Finding(TABLE_FILES, Severity.error, f"unreadable Parquet file: {exc}",
                                    table=t.table_name))
            continue
        expected = arrow_schema(t)
        got = [(f.name, str(f.type)) for f in actual]
        want = [(f.name, str(f.type)) for f in expected]
        if got != want:
            findings.append(Finding(TABLE_FILES, Severity.error,
                                    f"columns differ from the schema: got {got}, expected {want}",
                                    table=t.table_name))
    return findings


def run_rule(
    con: duckdb.DuckDBPyConnection, rule: DatasetRule, limit: int | None = None
) -> tuple[list[Finding], int]:
    """Run one rule's queries; returns up to ``limit`` findings per query and the exact violation count."""
    limit = SAMPLE_LIMIT if limit is None else limit
    findings: list[Finding] = []
    total = 0
    for sql in rule.queries:
        rows = con.execute(f"SELECT tbl, key, message FROM ({sql}) ORDER BY tbl, key LIMIT {limit}").fetchall()
        # Counting in the same query (a window) costs a third more on clean data; count only
        # when the listing is full, which is the only case where its length is not the count.
        total += len(rows) if len(rows) < limit else con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0]
        findings += [Finding(rule.name, rule.severity, msg, table=tbl, key=key) for tbl, key, msg in rows]
    return findings, total


def validate_dataset(folder: Path, rules: tuple[DatasetRule, ...] = RULES) -> Report:
    """Check a built dataset folder against every cross-table rule; the report holds exact counts."""
    folder = Path(folder)
    report = Report(rules_run=[TABLE_FILES])
    file_findings = _check_files(folder)
    report.findings += file_findings
    if file_findings:
        return report  # the SQL rules need every table, with the published columns
    con = open_views(folder)
    for rule in rules:
        findings, total = run_rule(con, rule)
        report.rules_run.append(rule.name)
        report.findings += findings
        report.counts[rule.name] = total
    con.close()
    return report
