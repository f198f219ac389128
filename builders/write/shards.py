"""Sharded tables: the tables keyed by ``article_id`` split into N Parquet (and JSON Lines) files by a
stable hash of the article ID, so that engines read them in parallel and a rebuild rewrites only the
shards whose articles changed (``diplonews build --shards N``; docs/scale.md).

The shard of an article is the first 8 bytes of the SHA-256 of its ID's UTF-8 bytes, read as a
big-endian unsigned integer, modulo N: any tool reproduces it (Python below; in DuckDB
``('0x' || sha256(article_id)[1:16])::UBIGINT % N``). Every shard of a table is written, empty or not,
so the file list depends on N alone; each part is in its published form on its own (rows by primary
key, dictionaries in order of first appearance within the part), so its bytes depend on its rows only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from diplonews.builders.assemble import encode_dictionaries, finalize
from diplonews.schema import TABLES
from diplonews.validators.integrity import parquet_path, shard_file

SHARDED_TABLES: tuple[str, ...] = tuple(t.table_name for t in TABLES if "article_id" in t.model_fields)
"""The tables with an ``article_id`` column (read from the models): those a sharded dataset splits."""

JSONL_MEDIA_TYPE = "application/jsonlines"
"""The media type both descriptors give a JSON Lines part: the one Croissant's reader (mlcroissant) knows."""

MAX_SHARDS = 99_999
"""The file names hold the shard number in five digits."""


def shard_of(article_id: str, count: int) -> int:
    """The shard (0 to ``count`` - 1) of the rows of article ``article_id``."""
    return int.from_bytes(hashlib.sha256(article_id.encode("utf-8")).digest()[:8], "big") % count


def is_sharded(name: str, count: int) -> bool:
    """Whether table ``name`` is written as ``count`` parts (rather than one file)."""
    return count > 1 and name in SHARDED_TABLES


def table_files(name: str, count: int = 1) -> list[str]:
    """The files of table ``name`` in a dataset of ``count`` shards, relative to the folder: its Parquet
    file(s), then its JSON file(s)."""
    if not is_sharded(name, count):
        return [parquet_path(name), f"json/{name}.json"]
    return [shard_file(kind, name, i, count) for kind in ("parquet", "json") for i in range(count)]


def shard_indices(article_ids: pa.ChunkedArray | pa.Array, count: int) -> pa.Array:
    """The shard of every row, from its ``article_id`` (hashed once per distinct ID; a null ID, which no
    valid table has, goes to shard 0)."""
    encoded = pc.dictionary_encode(article_ids)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks() if encoded.num_chunks else pa.array([], pa.dictionary(pa.int32(), pa.string()))
    shards = pa.array([shard_of(a, count) for a in encoded.dictionary.to_pylist()], pa.int32())
    return pc.fill_null(pc.take(shards, encoded.indices), 0)


def split(table: pa.Table, count: int, skip: Collection[int] = ()) -> dict[int, pa.Table]:
    """A table in published order (rows by primary key, as :func:`~diplonews.builders.assemble.assemble`
    leaves a sharded table; a finalized one is too) split into its ``count`` parts, by part number, each in
    its published form: cut from the ordered table, a part is in order, so only its dictionaries are
    encoded (in order of first appearance within the part). The parts numbered in ``skip`` (reused from
    the last output) are not made."""
    rows = shard_indices(table["article_id"], count)
    return {i: encode_dictionaries(table.filter(pc.equal(rows, i))) for i in range(count) if i not in skip}


def check_count(count: int) -> int:
    """``count`` if it is a valid number of shards; ValueError otherwise."""
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_SHARDS:
        raise ValueError(f"the number of shards must be a whole number from 1 to {MAX_SHARDS}, not {count!r}")
    return count


def read_table(name: str, paths: list[str] | list[Path]) -> pa.Table:
    """Table ``name`` from its Parquet file(s) in its published form: one file as written, a sharded
    table's parts joined with their rows by primary key, as its single file would hold them."""
    import pyarrow.parquet as pq

    if len(paths) == 1:
        return pq.read_table(paths[0])
    return finalize(name, read_parts(paths))


def read_parts(paths: list[str] | list[Path]) -> pa.Table:
    """The rows of one table's Parquet file or parts, in file order (each part's dictionaries unified)."""
    import pyarrow.parquet as pq

    return pa.concat_tables([pq.read_table(p) for p in paths]).unify_dictionaries().combine_chunks()


def shards_in(folder: Path) -> int:
    """How many shards the dataset in ``folder`` was written with (1: one file per table)."""
    from diplonews.validators.engines import table_paths

    return len(table_paths(folder)["articles"])
