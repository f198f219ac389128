"""Write: every table to Parquet (with the explicit Arrow schema) and to JSON, deterministically; the tables
keyed by article_id as several parts when the dataset is sharded (:mod:`.shards`)."""

from __future__ import annotations

import errno
import os
import re
import shutil
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from diplonews.builders.write.shards import check_count, is_sharded, split, table_files
from diplonews.progress import Progress

ROW_GROUP_ROWS = 100_000
"""Rows per Parquet row group: DuckDB reads row groups in parallel, so large tables need several."""

TEXT_ROW_GROUP_ROWS = 10_000
"""Rows per row group of ``articles``, whose rows hold whole texts: 100,000 of them make a group of a
quarter GB (S=1), which one thread reads while the other waits, in each of the four rules that read the
texts (S=1, all rules: 9.2 s -> 8.2 s)."""


def row_group_rows(table_name: str) -> int:
    """Rows per Parquet row group of a table."""
    return TEXT_ROW_GROUP_ROWS if table_name == "articles" else ROW_GROUP_ROWS


def write_parquet(table: pa.Table, path: Path, rows_per_group: int = ROW_GROUP_ROWS) -> None:
    """Write one Parquet file deterministically (fixed compression, statistics, no pandas metadata), in row
    groups of ``rows_per_group`` rows (:func:`row_group_rows`)."""
    pq.write_table(table, path, compression="zstd", write_statistics=True, use_dictionary=True,
                   row_group_size=rows_per_group)


def write_json(table: pa.Table, target: Path, lines: bool = False) -> None:
    """The JSON form of a table, written by DuckDB from the Arrow table: an array of row objects,
    one row per line, in the table's order (dates as YYYY-MM-DD); with ``lines``, JSON Lines (the same
    row objects, without the array around them: the parts of a sharded table)."""
    import duckdb

    dst = target.as_posix().replace("'", "''")
    with duckdb.connect() as con:
        # One thread: faster than several for an ordered COPY (no reordering of their output), and the
        # build writes several files at once instead.
        con.execute("SET threads = 1")
        con.register("rows", table)
        try:
            con.execute(f"COPY (SELECT * FROM rows) TO '{dst}' (FORMAT json, ARRAY {str(not lines).lower()})")
        except duckdb.IOException as exc:
            # DuckDB's I/O errors are not OSErrors; callers handle a full disk like any other write's.
            found = re.search(r'"errno":"(\d+)"', str(exc))
            code = int(found.group(1)) if found else errno.EIO
            raise OSError(code, os.strerror(code), str(target)) from exc


def write_tables(tables: dict[str, pa.Table], folder: Path, keep: dict[str, dict], previous: Path,
                 progress: Progress | None = None, shards: int = 1, keep_parts: Collection[str] = ()) -> None:
    """Write every table; a table in ``keep`` is unchanged, so its files are linked from ``previous``.

    With ``shards`` > 1, the tables keyed by ``article_id`` are written as that many parts
    (:mod:`.shards`), each put in its published form here (the table itself in published order, as
    ``assemble`` leaves it, or finalized); a part named in ``keep_parts`` (its Parquet and JSON files) holds
    the rows it held in ``previous`` and is linked from there too, not made.
    """
    check_count(shards)
    # The parts of the sharded tables (each in published form), except those linked: a part's Parquet and
    # JSON files hold the same rows.
    parts: dict[str, pa.Table] = {}
    for name in tables:
        if name in keep or not is_sharded(name, shards):
            continue
        files = table_files(name, shards)
        kept = {i for i in range(shards) if files[i] in keep_parts and files[shards + i] in keep_parts}
        for i, part in split(tables[name], shards, kept).items():
            parts[files[i]] = parts[files[shards + i]] = part
    for rel in {rel for name in tables for rel in table_files(name, shards)}:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)

    def write(task: tuple[str, str]) -> None:
        name, rel = task
        if name in keep or rel in keep_parts:
            _link(previous / rel, folder / rel)
            return
        table = parts[rel] if is_sharded(name, shards) else tables[name]
        if rel.endswith(".parquet"):
            write_parquet(table, folder / rel, row_group_rows(name))
        else:
            write_json(table, folder / rel, lines=rel.endswith(".jsonl"))

    # Arrow and DuckDB write without the GIL: one file per core, largest tables first.
    tasks = [(name, rel) for name in sorted(tables, key=lambda n: -tables[n].nbytes)
             for rel in table_files(name, shards)]
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
