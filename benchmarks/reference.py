"""The near-limit reference for ``validate``: the same rules as one hand-written DuckDB query.

    python benchmarks/reference.py DATASET_DIR        # prints {"rule": violations, ...}

It only counts (no listing, no per-rule round trips) and scans each table once for its
column checks; the cross-table rules are written by hand below. Mechanical parts (the
list of tables, keys and per-column checks) come from the models so the reference can
never check less than ``validate`` does. The benchmark runner checks that it reports
the same counts as ``validate`` on a dataset with planted violations.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb

from diplonews.schema import TABLES
from diplonews.schema.columns import columns

CODEBOOKS = ("event_types", "cameo_codes", "plover_types")

HAND_WRITTEN = {
    "span_within_text": """
        SELECT count(*) FROM (SELECT article_id, span_start, span_end FROM actor_mentions UNION ALL
            SELECT article_id, span_start, span_end FROM event_mentions UNION ALL
            SELECT article_id, span_start, span_end FROM positions UNION ALL
            SELECT article_id, span_start, span_end FROM demands) m JOIN articles a USING (article_id)
        WHERE m.span_start < 0 OR m.span_end <= m.span_start OR m.span_end > length(a.text)""",
    "quote_matches_span": """
        SELECT count(*) FROM (SELECT article_id, span_start, span_end, quote FROM actor_mentions UNION ALL
            SELECT article_id, span_start, span_end, quote FROM event_mentions UNION ALL
            SELECT article_id, span_start, span_end, quote FROM positions UNION ALL
            SELECT article_id, span_start, span_end, quote FROM demands) m JOIN articles a USING (article_id)
        WHERE m.span_end <= length(a.text)
          AND substring(a.text, m.span_start + 1, m.span_end - m.span_start) IS DISTINCT FROM m.quote""",
    "text_hash_matches": "SELECT count(*) FROM articles WHERE sha256(text) <> text_sha256",
    "article_date_order": """
        SELECT count(*) FILTER (published_date_earliest > published_date_latest)
             + count(*) FILTER (published_date < published_date_earliest OR published_date > published_date_latest)
             + count(*) FILTER (published_date IS NULL
                                AND (published_date_earliest IS NULL OR published_date_latest IS NULL))
        FROM articles""",
    "event_date_order": "SELECT count(*) FILTER (date_end < date_start) FROM events",
    "event_precision_matches_window": """
        SELECT count(*) FILTER (date_end >= date_start AND coalesce(date_precision, '') <> CASE
                WHEN duration_days = date_end - date_start + 1 THEN 'day' WHEN date_end - date_start < 7 THEN 'week'
                WHEN date_trunc('month', date_start) = date_trunc('month', date_end) THEN 'month'
                WHEN year(date_start) = year(date_end) THEN 'year' ELSE 'multi_year' END)
             + count(*) FILTER ((date_start IS NULL OR date_end IS NULL) AND date_precision IS NOT NULL
                AND (date_precision <> 'day' OR (date_start IS NULL AND date_end IS NULL))) FROM events""",
    "event_duration_fits_window": """
        SELECT count(*) FROM events WHERE date_end >= date_start AND duration_days > date_end - date_start + 1""",
    "event_open_side_stated": """
        SELECT count(*) FROM events WHERE coalesce(date_open, '') <> CASE
            WHEN date_start IS NULL AND date_end IS NOT NULL THEN 'start'
            WHEN date_start IS NOT NULL AND date_end IS NULL THEN 'end' ELSE '' END""",
    "occurred_event_not_after_report": """
        SELECT count(*) FROM event_mentions m JOIN events e USING (event_id) JOIN articles a USING (article_id)
        WHERE e.status = 'occurred' AND e.date_start > a.published_date_latest""",
    "role_held_on_event_date": """
        SELECT count(*) FROM event_participants p JOIN events e USING (event_id)
        WHERE p.capacity IS NOT NULL AND NOT EXISTS (SELECT 1 FROM actor_roles r
            WHERE r.actor_id = p.actor_id AND r.role = p.capacity
              AND (e.date_start IS NULL OR r.start_date IS NULL OR r.start_date <= e.date_start)
              AND (e.date_start IS NULL OR r.end_date IS NULL OR coalesce(e.date_end, e.date_start) <= r.end_date))""",
    "event_has_participant": "SELECT count(*) FROM events ANTI JOIN event_participants USING (event_id)",
    "demand_claimant_not_addressee": "SELECT count(*) FROM demands WHERE claimant_actor_id = addressee_actor_id",
    "position_has_object": "SELECT count(*) FROM positions WHERE topic_id IS NULL AND target_actor_id IS NULL",
    "alias_maps_to_one_actor": """
        SELECT count(*) FROM (SELECT 1 FROM actor_aliases GROUP BY alias_key
                              HAVING count(DISTINCT actor_id) > 1)""",
    "article_links_event": "SELECT count(*) FROM articles ANTI JOIN event_mentions USING (article_id)",
    "voiced_event_mentioned": """
        SELECT count(*) FROM (SELECT article_id, event_id FROM positions WHERE event_id IS NOT NULL UNION ALL
                              SELECT article_id, event_id FROM demands WHERE event_id IS NOT NULL) x
        ANTI JOIN (SELECT DISTINCT article_id, event_id FROM event_mentions) m USING (article_id, event_id)""",
    "no_orphan_actor": """
        SELECT count(*) FROM actors ANTI JOIN (
            SELECT actor_id FROM actor_mentions UNION ALL SELECT actor_id FROM event_participants
            UNION ALL SELECT actor_id FROM positions UNION ALL SELECT target_actor_id FROM positions
            UNION ALL SELECT claimant_actor_id FROM demands UNION ALL SELECT addressee_actor_id FROM demands
            UNION ALL SELECT organization_actor_id FROM actor_roles UNION ALL SELECT parent_actor_id FROM actors
        ) u USING (actor_id)""",
    "no_orphan_topic": """
        SELECT count(*) FROM topics ANTI JOIN (SELECT topic_id FROM positions UNION ALL
                                              SELECT topic_id FROM demands) u USING (topic_id)""",
}


def _column_checks(t) -> str:
    """One scan of a table counting every failed column check (null, enum, pattern, minimum)."""
    terms = []
    for c in columns(t):
        if not c.nullable:
            terms.append(f"count(*) FILTER ({c.name} IS NULL)")
        if c.enum is not None:
            values = ", ".join(f"'{v}'" for v in c.enum)
            terms.append(f"count(*) FILTER (CAST({c.name} AS VARCHAR) NOT IN ({values}))")
        if c.pattern is not None:
            terms.append(f"count(*) FILTER (NOT regexp_full_match({c.name}, '{c.pattern[1:-1]}'))")
        if c.minimum is not None:
            terms.append(f"count(*) FILTER ({c.name} < {c.minimum})")
    return f"SELECT {' + '.join(terms) or '0'} FROM {t.table_name}"


def queries() -> dict[str, list[str]]:
    """Rule name -> count queries."""
    q: dict[str, list[str]] = {
        "primary_key_unique": [
            f"SELECT count(*) FROM (SELECT 1 FROM {t.table_name} GROUP BY ALL HAVING count(*) > 1)".replace(
                "GROUP BY ALL", "GROUP BY " + ", ".join(t.primary_key))
            for t in TABLES
        ],
        "column_constraints": [_column_checks(t) for t in TABLES],
        "foreign_key_resolves": [],
        "codes_in_codebook": ["SELECT count(*) FROM cameo_codes WHERE NOT starts_with(cameo_code, root_code)"],
    }
    for t in TABLES:
        for fk in t.foreign_keys:
            (col,), (ref,) = fk.fields, fk.ref_fields
            rule = "codes_in_codebook" if fk.table in CODEBOOKS else "foreign_key_resolves"
            q[rule].append(f"SELECT count(*) FROM {t.table_name} c ANTI JOIN {fk.table} r ON c.{col} = r.{ref} "
                           f"WHERE c.{col} IS NOT NULL")
    for rule, sql in HAND_WRITTEN.items():
        q[rule] = [sql]
    return q


def reference_counts(folder: Path) -> dict[str, int]:
    """Violations per rule, from one UNION ALL query over views on the Parquet files."""
    con = duckdb.connect()
    for t in TABLES:
        path = (Path(folder) / "parquet" / f"{t.table_name}.parquet").as_posix()
        con.execute(f"CREATE VIEW {t.table_name} AS SELECT * FROM read_parquet('{path}')")
    parts = [f"SELECT '{rule}' AS rule, ({sql}) AS n" for rule, sqls in queries().items() for sql in sqls]
    sql = f"SELECT rule, sum(n)::BIGINT FROM ({' UNION ALL '.join(parts)}) GROUP BY rule"
    return {rule: n for rule, n in con.execute(sql).fetchall()}


if __name__ == "__main__":
    print(json.dumps(dict(sorted(reference_counts(Path(sys.argv[1])).items()))))
