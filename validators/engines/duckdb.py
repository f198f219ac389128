"""The embedded DuckDB engine: the rules run as written, one query at a time."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import duckdb

from diplonews.schema import ARTICLE_TABLES
from diplonews.validators.dataset_rules import DatasetRule

from . import ORDER, Engine, Row


class DuckDBEngine(Engine):
    """Views over Parquet files in a DuckDB connection (a new in-memory one unless given)."""

    name = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection | None = None) -> None:
        self.con = con or duckdb.connect()

    def register(self, tables: Mapping[str, Sequence[str]], only_articles: Collection[str] | None = None) -> None:
        """See :meth:`Engine.register`."""
        if only_articles is not None:
            self.con.execute("CREATE OR REPLACE TEMP TABLE changed_articles AS "
                             "SELECT unnest(?::VARCHAR[]) AS article_id", [sorted(only_articles)])
        for name, paths in tables.items():
            files = ", ".join("'" + path.replace("'", "''") + "'" for path in paths)
            sql = f"SELECT * FROM read_parquet([{files}])"
            if only_articles is not None and name in ARTICLE_TABLES:
                # A row without an article belongs to no unchanged article: always checked.
                sql += " WHERE article_id IS NULL OR article_id IN (SELECT article_id FROM changed_articles)"
            self.con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")

    def run(self, rule: DatasetRule, limit: int) -> tuple[list[Row], int]:
        """See :meth:`Engine.run`."""
        rows: list[Row] = []
        total = 0
        for sql in rule.queries:
            found = self.con.execute(f"SELECT tbl, key, message FROM ({sql}) ORDER BY {ORDER} LIMIT {limit}").fetchall()
            # Counting in the same query (a window) costs a third more on clean data; count only
            # when the listing is full, which is the only case where its length is not the count.
            total += len(found) if len(found) < limit else self.con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0]
            rows += found
        return rows, total

    def close(self) -> None:
        """Close the connection."""
        self.con.close()
