"""Engines that run the dataset rules: DuckDB, embedded (the default), and Apache Spark.

An engine registers a dataset's tables as views over their Parquet files, then runs a rule: each of
its queries gives up to ``limit`` findings, sorted by (table, key, message) with nulls last, and
the exact count of its findings. The rules are written once, in DuckDB SQL
(:mod:`diplonews.validators.dataset_rules`); another engine runs them translated
(:mod:`diplonews.validators.engines.translate`), and must find exactly what DuckDB finds.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diplonews.errors import UserError
from diplonews.validators.folder import DatasetFolder, as_folder

if TYPE_CHECKING:
    from diplonews.validators.dataset_rules import DatasetRule

Row = tuple[str | None, str | None, str | None]
"""One finding as a rule query returns it: (table, key, message)."""

ENGINES = ("duckdb", "spark")
"""The engine names :func:`engine_factory` accepts; the first is the default."""

ORDER = "tbl NULLS LAST, key NULLS LAST, message NULLS LAST"
"""How each query's findings are sorted, in SQL both engines read alike (both compare strings by code point)."""


class Engine(ABC):
    """Runs the dataset rules' queries over one dataset's tables."""

    name: str

    @abstractmethod
    def register(self, tables: Mapping[str, Sequence[str]], only_articles: Collection[str] | None = None) -> None:
        """One view per table, named as the table, over its Parquet files (paths or URLs the engine reads;
        one, or a sharded table's parts).

        With ``only_articles``, a table keyed by ``article_id`` shows only those articles' rows and
        its rows without an article (what an incremental build still has to check).
        """

    @abstractmethod
    def run(self, rule: DatasetRule, limit: int) -> tuple[list[Row], int]:
        """The first ``limit`` findings of each of the rule's queries, in query order, each query's sorted
        by (table, key, message) with nulls last; and the exact number of findings of all of them."""

    def close(self) -> None:
        """Let go of what the engine holds (a connection, views)."""


def table_files_in(folder: str | Path | DatasetFolder) -> dict[str, list[str]]:
    """Table name → its Parquet files relative to a dataset folder: ``parquet/<table>.parquet``, or a
    sharded table's parts (``parquet/<table>/part-*.parquet``, in shard order).

    Which tables are sharded is read through ``folder`` (:mod:`diplonews.validators.folder`): a local
    path, or a folder at a URL the Spark engine reads.
    """
    from diplonews.schema import TABLES  # here: the CLI imports ENGINES, and the schema models cost time

    folder = as_folder(folder)
    out = {}
    for t in TABLES:
        shards = f"parquet/{t.table_name}"
        parts = sorted(name for name in folder.names(shards) if fnmatchcase(name, "part-*.parquet"))
        out[t.table_name] = [f"{shards}/{name}" for name in parts] or [f"{shards}.parquet"]
    return out


def table_paths(folder: str | Path | DatasetFolder) -> dict[str, list[str]]:
    """Table name → the paths of its Parquet files in a dataset folder, as an engine reads them (paths
    under a local folder, URLs under a folder at a URL): see :func:`table_files_in`."""
    folder = as_folder(folder)
    return {name: [f"{folder.location}/{rel}" for rel in rels] for name, rels in table_files_in(folder).items()}


_GLOB = re.compile(r"([*?\[])")


def duckdb_file_list(paths: Iterable[str | Path]) -> str:
    """The SQL list of files for DuckDB's ``read_parquet``, each path read as written: DuckDB expands
    ``*``, ``?`` and ``[...]`` in a path, so a folder named ``y*z`` would read ``yaz`` too; each such
    character becomes a class holding only itself (``[*]``), and quotes are doubled.

    DuckDB also splits a path holding one of those characters at every backslash, and then finds nothing:
    such a path is refused (a UserError) rather than read from elsewhere or reported missing."""
    out = []
    for path in paths:
        text = Path(path).as_posix() if isinstance(path, Path) else path
        if "\\" in text and _GLOB.search(text):
            raise UserError(f"DuckDB cannot read {text}: a path with a backslash and one of * ? [ is split at the "
                            "backslash", "rename the folder (or copy the dataset to a folder without them)")
        out.append("'" + _GLOB.sub(r"[\1]", text).replace("'", "''") + "'")
    return "[" + ", ".join(out) + "]"


def engine_factory(name: str = "duckdb", spark: Any = None, master: str | None = None) -> Callable[[], Engine]:
    """What makes a fresh engine of kind ``name`` (one of :data:`ENGINES`), each with its own views.

    For ``spark``: ``spark`` is an existing SparkSession (a Databricks notebook's), else one is made
    on ``master`` (default ``local[*]``); pyspark and sqlglot come with ``pip install 'diplonews[spark]'``.
    """
    if name == "duckdb":
        if spark is not None or master is not None:
            raise UserError("a Spark session or master is given, but the engine is duckdb",
                            "add --engine spark (engine='spark')")
        from .duckdb import DuckDBEngine

        return DuckDBEngine
    if name == "spark":
        from .spark import spark_engine_factory

        return spark_engine_factory(spark, master)
    raise UserError(f"unknown engine {name!r}", f"use one of: {', '.join(ENGINES)}")
