"""Writing table rows to Parquet (with the explicit Arrow schemas) and to JSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from diplonews.schema import TABLES
from diplonews.schema.generate import arrow_schema


def _sort_key(pk: tuple[str, ...]):
    return lambda row: tuple((row[k] is not None, row[k] if row[k] is not None else "") for k in pk)


def sorted_rows(rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Rows of every table, sorted by primary key (the order of the published files)."""
    return {t.table_name: sorted(rows.get(t.table_name, []), key=_sort_key(t.primary_key)) for t in TABLES}


def to_arrow(table_name: str, rows: list[dict]) -> pa.Table:
    """An Arrow table with the table's published schema."""
    model = next(t for t in TABLES if t.table_name == table_name)
    schema = arrow_schema(model)
    # Column by column: much faster than from_pylist over row dicts at millions of rows.
    return pa.Table.from_arrays([pa.array([r[f.name] for r in rows], type=f.type) for f in schema], schema=schema)


ROW_GROUP_ROWS = 100_000
"""Rows per Parquet row group: DuckDB reads row groups in parallel, so large tables need several."""


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write one Parquet file deterministically (fixed compression, statistics, no pandas metadata)."""
    pq.write_table(table, path, compression="zstd", write_statistics=True, use_dictionary=True,
                   row_group_size=ROW_GROUP_ROWS)


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON-serialisable: {value!r}")


def json_text(rows: list[dict]) -> str:
    """The JSON form of a table: an array of row objects, one row per line (dates as YYYY-MM-DD).

    One row per line keeps diffs readable and lets json.dumps use its C encoder (indent would not).
    """
    encode = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
    return "[\n" + ",\n".join(encode(r) for r in rows) + "\n]\n" if rows else "[]\n"
