"""Writing table rows to Parquet (with the explicit Arrow schemas) and to JSON."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from diplonews.schema import TABLES_BY_NAME
from diplonews.schema.generate import arrow_schema


def to_arrow(table_name: str, rows: list[dict]) -> pa.Table:
    """An Arrow table with the table's published schema."""
    schema = arrow_schema(TABLES_BY_NAME[table_name])
    # Column by column: much faster than from_pylist over row dicts at millions of rows.
    return pa.Table.from_arrays([pa.array([r[f.name] for r in rows], type=f.type) for f in schema], schema=schema)


ROW_GROUP_ROWS = 100_000
"""Rows per Parquet row group: DuckDB reads row groups in parallel, so large tables need several."""


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write one Parquet file deterministically (fixed compression, statistics, no pandas metadata)."""
    pq.write_table(table, path, compression="zstd", write_statistics=True, use_dictionary=True,
                   row_group_size=ROW_GROUP_ROWS)


def finalize(table_name: str, table: pa.Table) -> pa.Table:
    """The published form of a table: rows sorted by primary key (strings by code point; keys are
    never null in a valid table),
    and dictionary-encoded columns re-encoded in order of first appearance.

    So the bytes written depend only on the rows, never on how they were gathered (one compile,
    or cached rows plus new ones).
    """
    model = TABLES_BY_NAME[table_name]
    table = table.sort_by([(k, "ascending") for k in model.primary_key])
    columns = [
        col.cast(pa.string()).dictionary_encode().cast(field.type) if pa.types.is_dictionary(field.type) else col
        for col, field in zip(table.columns, table.schema)
    ]
    return pa.Table.from_arrays(columns, schema=table.schema)


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
