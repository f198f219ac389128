"""Write: every table to Parquet (with the explicit Arrow schema) and to JSON, deterministically."""

from __future__ import annotations

import errno
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from diplonews.progress import Progress

ROW_GROUP_ROWS = 100_000
"""Rows per Parquet row group: DuckDB reads row groups in parallel, so large tables need several."""


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write one Parquet file deterministically (fixed compression, statistics, no pandas metadata)."""
    pq.write_table(table, path, compression="zstd", write_statistics=True, use_dictionary=True,
                   row_group_size=ROW_GROUP_ROWS)


def write_json(table: pa.Table, target: Path) -> None:
    """The JSON form of a table, written by DuckDB from the Arrow table: an array of row objects,
    one row per line, in the table's order (dates as YYYY-MM-DD)."""
    import duckdb

    dst = target.as_posix().replace("'", "''")
    with duckdb.connect() as con:
        # One thread: faster than several for an ordered COPY (no reordering of their output), and the
        # build writes several files at once instead.
        con.execute("SET threads = 1")
        con.register("rows", table)
        try:
            con.execute(f"COPY (SELECT * FROM rows) TO '{dst}' (FORMAT json, ARRAY true)")
        except duckdb.IOException as exc:
            # DuckDB's I/O errors are not OSErrors; callers handle a full disk like any other write's.
            found = re.search(r'"errno":"(\d+)"', str(exc))
            code = int(found.group(1)) if found else errno.EIO
            raise OSError(code, os.strerror(code), str(target)) from exc


def table_files(name: str) -> tuple[str, str]:
    """The files of one table in a dataset folder."""
    return f"parquet/{name}.parquet", f"json/{name}.json"


def write_tables(tables: dict[str, pa.Table], folder: Path, reuse: dict[str, dict], previous: Path,
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
