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


def order(table_name: str, table: pa.Table) -> pa.Table:
    """A table's rows in published order: sorted by primary key (strings by code point; keys are never
    null in a valid table)."""
    return table.sort_by([(k, "ascending") for k in TABLES_BY_NAME[table_name].primary_key])


def encode_dictionaries(table: pa.Table) -> pa.Table:
    """``table`` with its dictionary-encoded columns re-encoded in order of first appearance."""
    columns = [
        col.cast(pa.string()).dictionary_encode().cast(field.type) if pa.types.is_dictionary(field.type) else col
        for col, field in zip(table.columns, table.schema)
    ]
    return pa.Table.from_arrays(columns, schema=table.schema)


def finalize(table_name: str, table: pa.Table) -> pa.Table:
    """The published form of a table: its rows in :func:`order`, its dictionaries encoded in that order
    (:func:`encode_dictionaries`).

    So the bytes written depend only on the rows, never on how they were gathered (one compile,
    or cached rows plus new ones).
    """
    return encode_dictionaries(order(table_name, table))


def assemble(tables: dict[str, pa.Table], keep: Collection[str] = (),
             sharded: Collection[str] = ()) -> dict[str, pa.Table]:
    """Every table in its published form, except those in ``keep`` (reused unchanged, their files are
    already written) and those in ``sharded``, written as parts: they are only put in order, and each part,
    in order as it is cut from the table, gets its dictionaries when it is written (:func:`.write.shards.split`).
    What is computed from the tables (counts, pictures, dates) does not depend on their order."""
    return {name: table if name in keep else order(name, table) if name in sharded else finalize(name, table)
            for name, table in tables.items()}
