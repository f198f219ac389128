"""Assemble: rows become Arrow tables in their published form (schema, order, dictionary encoding).

What is written depends only on the rows, never on how they were gathered (one compile, cached
rows plus new ones, several workers)."""

from __future__ import annotations

from collections.abc import Collection

import pyarrow as pa

from diplonews.schema import TABLES_BY_NAME
from diplonews.schema.generate import arrow_schema


def to_arrow(table_name: str, rows: list[dict]) -> pa.Table:
    """An Arrow table with the table's published schema; a row with a key the table does not have, or
    without one it has, is a programming error (ValueError), never silently dropped or filled."""
    schema = arrow_schema(TABLES_BY_NAME[table_name])
    # A missing key fails the column lookup below and an extra one the length check: together, exactly
    # the table's keys (a full key-set comparison per row would cost a few percent of a large build).
    width = len(schema.names)
    odd = next((row for row in rows if len(row) != width), None)
    try:
        # Column by column: much faster than from_pylist over row dicts at millions of rows.
        arrays = [pa.array([r[f.name] for r in rows], type=f.type) for f in schema]
    except KeyError:
        odd = next(row for row in rows if row.keys() != set(schema.names))
    if odd is not None:
        raise ValueError(f"a row for {table_name} has keys {sorted(odd.keys() ^ set(schema.names))} the table "
                         "does not have, or lacks them")
    return pa.Table.from_arrays(arrays, schema=schema)


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


def assemble(tables: dict[str, pa.Table], keep: Collection[str] = ()) -> dict[str, pa.Table]:
    """Every table in its published form, except those in ``keep``: reused unchanged, their files are
    already written, and what is computed from them (counts, pictures, dates) does not depend on order."""
    return {name: table if name in keep else finalize(name, table) for name, table in tables.items()}
