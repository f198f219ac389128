"""The Apache Spark engine: the rules translated to Spark SQL, each rule's queries run as one job.

Spark spends about a second on every query whatever its size, so a rule's queries are sent as one
statement: a UNION ALL of them, each row tagged with its query's index, numbered and counted per
query by window functions. Tables are read with ``spark.read.parquet``, from any path Spark reads.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from diplonews.errors import UserError
from diplonews.schema import ARTICLE_TABLES
from diplonews.validators.dataset_rules import DatasetRule
from diplonews.validators.folder import DatasetFolder

from . import ORDER, Engine, Row
from .translate import rule_queries

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


class SparkEngine(Engine):
    """Temporary views in ``session`` over Parquet files."""

    name = "spark"

    def __init__(self, session: SparkSession) -> None:
        self.spark = session
        self.views: list[str] = []

    def register(self, tables: Mapping[str, Sequence[str]], only_articles: Collection[str] | None = None) -> None:
        """See :meth:`Engine.register`."""
        from pyspark.sql.functions import col

        for name, paths in tables.items():
            # A sharded table: one task (at least) per part.
            frame = self.spark.read.parquet(*map(hadoop_literal, paths))
            if only_articles is not None and name in ARTICLE_TABLES:
                # A row without an article belongs to no unchanged article: always checked.
                frame = frame.where(col("article_id").isNull() | col("article_id").isin(sorted(only_articles)))
            frame.createOrReplaceTempView(name)
            self.views.append(name)

    def run(self, rule: DatasetRule, limit: int) -> tuple[list[Row], int]:
        """See :meth:`Engine.run`: one Spark job for all of the rule's queries."""
        rows = self.spark.sql(batch_sql(rule_queries(rule, self.name), limit)).collect()
        counts = {r.q: r.n for r in rows}  # a query without findings has no row, and counts 0
        listed = sorted((r.q, r.rn, (r.tbl, r.key, r.message)) for r in rows if r.rn <= limit)
        return [row for _, _, row in listed], sum(counts.values())

    def close(self) -> None:
        """Drop the views this engine made."""
        for name in self.views:
            self.spark.catalog.dropTempView(name)
        self.views.clear()


_HADOOP_GLOB = re.compile(r"([\\*?\[\]{}])")


def hadoop_literal(path: str) -> str:
    """``path`` as Spark reads it literally: Hadoop expands ``*``, ``?``, ``[...]`` and ``{a,b}`` in a path
    (a folder named ``y*z`` would read ``yaz`` too), so each of them, and the backslash, is escaped."""
    return _HADOOP_GLOB.sub(r"\\\1", path)


def batch_sql(queries: tuple[str, ...], limit: int) -> str:
    """One Spark SQL statement for several rule queries: per query, its first ``limit`` findings in
    :data:`ORDER` as (q, rn, tbl, key, message) and, on each of those rows, its count ``n``."""
    union = " UNION ALL ".join(f"SELECT {i} AS q, tbl, key, message FROM ({sql})" for i, sql in enumerate(queries))
    # At least the first row of each query is kept even when limit is 0: it carries the query's count.
    return (f"SELECT * FROM (SELECT q, tbl, key, message, row_number() OVER (PARTITION BY q ORDER BY {ORDER}) AS rn, "
            f"count(*) OVER (PARTITION BY q) AS n FROM ({union})) WHERE rn <= {max(limit, 1)}")


class SparkEngines:
    """What makes Spark engines on one session (see :func:`spark_engine_factory`), and reads a dataset
    folder at a URL through that session's Hadoop file systems."""

    def __init__(self, session: SparkSession) -> None:
        self.session = session

    def __call__(self) -> SparkEngine:
        return SparkEngine(self.session.newSession())

    def folder(self, url: str) -> DatasetFolder:
        """The dataset folder at ``url`` (``s3a://``, ``hdfs://``, ``file://``, ...), listed now; a
        UserError when it cannot be read or is not a folder."""
        from .hadoop import HadoopFolder

        return HadoopFolder(self.session, url)


def spark_engine_factory(session: SparkSession | None, master: str | None) -> SparkEngines:
    """Engines on ``session`` (else a session on ``master``, default ``local[*]``), each in a new session
    of its SparkContext: temporary views are per session, so two engines, or a notebook's own views
    named like the tables, never see each other's."""
    if session is None:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise UserError("the spark engine needs pyspark, which is not installed",
                            "pip install 'diplonews[spark]' (and Java 17 or newer)") from None

        master = master or "local[*]"
        builder = SparkSession.builder.appName("diplonews-validate").master(master)
        if master.startswith("local"):
            # The default 200 shuffle partitions are sized for a cluster: on one machine each is a task
            # with its own overhead, which doubles the time of every rule. No web UI or progress bars either.
            builder = (builder.config("spark.sql.shuffle.partitions", str(os.cpu_count() or 1))
                       .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false"))
        try:
            session = builder.getOrCreate()
        except Exception as exc:  # noqa: BLE001 - Spark reports a missing Java or a bad master in many ways
            raise UserError(f"Spark did not start on {master}: {str(exc).splitlines()[0] if str(exc) else exc!r}",
                            "Spark 4 needs Java 17 or newer on the PATH; check --spark-master") from None
        # Spark's warnings (a window on a single query's rows has nothing to partition) would bury the report.
        session.sparkContext.setLogLevel("ERROR")
    elif master is not None:
        raise UserError("give a Spark session or a master URL, not both")
    return SparkEngines(session)
