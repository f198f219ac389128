"""Write: one table to Parquet (with the explicit Arrow schema) and to JSON, deterministically."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

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
