"""The near-limit reference for ``validate``: the same rules as one hand-written DuckDB query.

    python benchmarks/reference.py DATASET_DIR        # prints {"rule": violations, ...}

It only counts (no listing, no per-rule round trips) and scans each table once for its
column checks; the cross-table rules are written by hand below. Mechanical parts (the
list of tables, keys and per-column checks) come from the models so the reference can
never check less than ``validate`` does. The benchmark runner checks that it reports
the same counts as ``validate`` on a dataset with planted violations, and
tests/test_bench_reference.py that it counts every rule of ``RULES`` as ``validate`` does.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb

from diplonews.schema import CODEBOOK_TABLES, EVIDENCE_TABLES, TABLES
from diplonews.schema.columns import columns
from diplonews.validators.engines import table_paths

MATERIAL = "('material_cooperation', 'material_conflict')"
VERBAL = "('verbal_cooperation', 'verbal_conflict')"
EVIDENCE = " UNION ALL ".join(f"SELECT article_id, span_start, span_end, quote FROM {t}" for t in EVIDENCE_TABLES)
"""Every row that quotes its article, as one union (the tables come from the schema, as validate's do)."""
TEXTS = f"({EVIDENCE}) m JOIN (SELECT article_id, text, length(text) AS n FROM articles) a USING (article_id)"
"""Every quote beside its article's text and the text's length in code points (computed once per article)."""
ORDERED_REACH = """WITH RECURSIVE reach(t, s, e) AS (
            SELECT relation_type, source_event_id, target_event_id FROM event_relations
            WHERE relation_type IN ('part_of', 'causes', 'before') AND source_event_id <> target_event_id
            UNION SELECT r.t, r.s, x.target_event_id FROM reach r JOIN event_relations x
            ON x.source_event_id = r.e AND x.relation_type = r.t AND x.source_event_id <> x.target_event_id)"""
"""(type, s, e): event s reaches event e through relations of one order type (UNION: a set, so cycles end)."""

HAND_WRITTEN = {
    "span_within_text": f"SELECT count(*) FROM {TEXTS} WHERE m.span_start < 0 OR m.span_end <= m.span_start "
                        "OR m.span_end > a.n",
    # As validate: only a valid span is compared (span_within_text counts the others), and only a quote
    # that is there (a withheld one is text_withheld_only_if_restricted's), so `<>` and not IS DISTINCT FROM.
    "quote_matches_span": f"""
        SELECT count(*) FROM {TEXTS} WHERE m.span_start >= 0 AND m.span_end >= m.span_start AND m.span_end <= a.n
          AND substring(a.text, m.span_start + 1, m.span_end - m.span_start) <> m.quote""",
    # A withheld text that may be published; per article, its quotes (text withheld) or its missing quotes.
    "text_withheld_only_if_restricted": f"""
        SELECT count(*) FILTER (a.text IS NULL AND a.redistributable)
             + coalesce(sum(CASE WHEN a.text IS NULL THEN m.quoted ELSE m.quotes - m.quoted END), 0)
        FROM articles a LEFT JOIN (SELECT article_id, count(quote) AS quoted, count(*) AS quotes
                                   FROM ({EVIDENCE}) GROUP BY article_id) m USING (article_id)""",
    "text_hash_matches": "SELECT count(*) FROM articles WHERE sha256(text) <> text_sha256",
    "article_date_order": """
        SELECT count(*) FILTER (published_date_earliest > published_date_latest)
             + count(*) FILTER (published_date < published_date_earliest OR published_date > published_date_latest)
             + count(*) FILTER (published_date IS NULL
                                AND (published_date_earliest IS NULL OR published_date_latest IS NULL))
        FROM articles""",
    "event_date_order": "SELECT count(*) FILTER (date_end < date_start) FROM events",
    "role_period_valid": "SELECT count(*) FILTER (end_date < start_date) FROM actor_roles",
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
            WHERE r.actor_id = p.actor_id AND r.role = p.capacity AND r.role_state IN ('held', 'acting')
              AND (e.date_start IS NULL OR r.start_date IS NULL OR r.start_date <= e.date_start)
              AND (e.date_start IS NULL OR r.end_date IS NULL OR coalesce(e.date_end, e.date_start) <= r.end_date))""",
    # Called by an office on the article's latest date: held (or acting) and begun by then, a former holder
    # whose held term had ended, or a nominee/designate by then; unless an erratum covers the title's words.
    "office_named_as_held": """
        SELECT count(*) FROM actor_mentions m JOIN articles a USING (article_id)
        WHERE m.as_office IS NOT NULL AND NOT EXISTS (SELECT 1 FROM actor_roles r
            WHERE r.actor_id = m.actor_id AND r.role = m.as_office AND CASE WHEN m.office_state = 'former'
                THEN r.role_state = 'held' AND r.end_date < a.published_date_latest
                ELSE (r.role_state = m.office_state OR (m.office_state = 'held' AND r.role_state = 'acting'))
                     AND coalesce(r.start_date <= a.published_date_latest, true) END)
          AND NOT EXISTS (SELECT 1 FROM errata e WHERE e.article_id = m.article_id
            AND e.erratum_kind IN ('wrong_title', 'anachronism') AND e.span_start < m.span_end
            AND m.span_start - length(m.office_words) - 1 < e.span_end)""",
    "anonymous_source_id_dated": """
        SELECT count(*) FROM actors WHERE actor_type = 'anonymous_source'
            AND NOT regexp_full_match(actor_id, 'anon-[a-z0-9-]+-[0-9]{4}-[0-9]{2}')""",
    "anonymous_source_names_nobody": """
        SELECT count(*) FROM (SELECT lower(name) AS name FROM actors WHERE actor_type = 'anonymous_source') x
        JOIN (SELECT lower(alias) AS alias FROM actor_aliases JOIN actors USING (actor_id)
              WHERE actor_type = 'person') p ON contains(x.name, p.alias)""",
    "event_has_participant": "SELECT count(*) FROM events ANTI JOIN event_participants USING (event_id)",
    "demand_claimant_not_addressee": """
        SELECT (SELECT count(*) FILTER (claimant_actor_id = addressee_actor_id) FROM demands) + count(*)
        FROM demand_addressees x JOIN demands d USING (demand_id)
        WHERE x.actor_id = d.claimant_actor_id AND x.addressee_seq > 1""",
    "position_has_object": "SELECT count(*) FROM positions WHERE topic_id IS NULL AND target_actor_id IS NULL",
    "alias_maps_to_one_actor": """
        SELECT count(*) FROM (SELECT 1 FROM actor_aliases GROUP BY alias_key
                              HAVING count(DISTINCT actor_id) > 1)""",
    "article_links_event": "SELECT count(*) FROM articles ANTI JOIN event_mentions USING (article_id)",
    "voiced_event_mentioned": """
        SELECT count(*) FROM (SELECT article_id, event_id FROM positions WHERE event_id IS NOT NULL UNION ALL
                              SELECT article_id, event_id FROM demands WHERE event_id IS NOT NULL) x
        ANTI JOIN event_mentions USING (article_id, event_id)""",
    "no_orphan_actor": """
        SELECT count(*) FROM actors ANTI JOIN (
            SELECT actor_id FROM actor_mentions UNION ALL SELECT actor_id FROM event_participants
            UNION ALL SELECT actor_id FROM positions UNION ALL SELECT target_actor_id FROM positions
            UNION ALL SELECT claimant_actor_id FROM demands UNION ALL SELECT addressee_actor_id FROM demands
            UNION ALL SELECT actor_id FROM demand_addressees UNION ALL SELECT organization_actor_id FROM actor_roles
            UNION ALL SELECT parent_actor_id FROM actors UNION ALL SELECT actor_id FROM attribution_sources
        ) u USING (actor_id)""",
    "no_orphan_topic": """
        SELECT count(*) FROM topics ANTI JOIN (SELECT topic_id FROM positions UNION ALL
                                              SELECT topic_id FROM demands) u USING (topic_id)""",
    # --- attribution ---
    "attribution_targets_one_row": """
        SELECT count(*) FROM attributions
        WHERE (mention_id IS NOT NULL)::INT + (position_id IS NOT NULL)::INT + (demand_id IS NOT NULL)::INT <> 1""",
    # A source's depth is its relay's + 1 (1 when cited directly) and its relay is in its article; an
    # attribution is in the article of its source and of the row it attributes (some row with its key, as
    # validate's EXISTS: the key's least and greatest article, so a duplicated key is not counted twice).
    "attribution_chain_consistent": """
        SELECT (SELECT count(*) FILTER (s.depth <> coalesce(v.depth + 1, 1))
                       + count(*) FILTER (s.article_id <> v.article_id)
                FROM attribution_sources s LEFT JOIN attribution_sources v ON s.via_source_id = v.source_id)
             + (SELECT count(*) FROM attributions t JOIN attribution_sources s USING (source_id)
                WHERE t.article_id <> s.article_id)
             + count(*) FROM attributions t""" + "".join(f"""
        LEFT JOIN (SELECT {k}, min(article_id) AS lo_{k}, max(article_id) AS hi_{k} FROM {t} GROUP BY {k})
                  USING ({k})"""
        for t, k in (("event_mentions", "mention_id"), ("positions", "position_id"), ("demands", "demand_id"))) + """
        WHERE t.article_id <> lo_mention_id OR t.article_id <> hi_mention_id OR t.article_id <> lo_position_id
           OR t.article_id <> hi_position_id OR t.article_id <> lo_demand_id OR t.article_id <> hi_demand_id""",
    # Per attributed row (a key of each fact table): no attribution, or both the article and a source.
    "assertion_has_attribution": tuple(f"""
        SELECT count(*) FROM (SELECT DISTINCT {k} FROM {t}) x LEFT JOIN (
            SELECT {k}, count(attribution_id) AS n, count(source_id) AS cited, count(*) AS rows
            FROM attributions WHERE {k} IS NOT NULL GROUP BY {k}) a USING ({k})
        WHERE coalesce(a.n, 0) = 0 OR (a.cited > 0 AND a.cited < a.rows)"""
        for t, k in (("event_mentions", "mention_id"), ("positions", "position_id"), ("demands", "demand_id"))),
    # --- event relations ---
    "relation_not_reflexive": "SELECT count(*) FROM event_relations WHERE source_event_id = target_event_id",
    # One per cycle: per type, the events that reach each other, counted once at the smallest of them.
    "no_relation_cycle": f"""
        {ORDERED_REACH} SELECT count(*) FROM (SELECT a.s, min(a.e) AS first FROM reach a
            JOIN reach b ON a.t = b.t AND a.e = b.s AND b.e = a.s GROUP BY a.t, a.s) WHERE first = s""",
    # Where no reading of the windows lets it hold: a start after the latest start of the event it precedes,
    # causes or is for; a part starting before the earliest start, or ending after the latest end, of its whole.
    # An event of d days starts by date_end - (d - 1) and ends from date_start + (d - 1); unknown d counts as 1.
    "relation_dates_consistent": """
        SELECT count(*) FILTER (x.relation_type IN ('before', 'causes', 'for') AND (
                   s.date_start - t.date_end + greatest(coalesce(t.duration_days, 1), 1) > 1
                   OR (t.date_precision = 'day' AND s.date_start > t.date_start)))
             + count(*) FILTER (x.relation_type = 'part_of' AND (
                   t.date_start - s.date_end + greatest(coalesce(s.duration_days, 1), 1) > 1
                   OR s.date_start - t.date_end + greatest(coalesce(s.duration_days, 1), 1) > 1
                   OR (s.date_precision = 'day' AND (s.date_start < t.date_start OR s.date_end > t.date_end))))
        FROM event_relations x JOIN events s ON x.source_event_id = s.event_id
        JOIN events t ON x.target_event_id = t.event_id
        WHERE x.relation_type IN ('before', 'causes', 'for', 'part_of')""",
    "related_events_mentioned": """
        SELECT count(*) FROM (SELECT article_id, source_event_id AS event_id FROM event_relations UNION ALL
                              SELECT article_id, target_event_id FROM event_relations) r
        ANTI JOIN event_mentions USING (article_id, event_id)""",
    # --- errata ---
    "erratum_has_basis": """
        SELECT count(*) FROM errata WHERE coalesce(trim(correction_basis), '') = '' AND erratum_kind IN
            ('anachronism', 'wrong_title', 'misattribution', 'factual_error', 'simplification')""",
    "no_fact_from_erratum": """
        SELECT count(*) FROM (SELECT article_id, span_start, span_end FROM positions UNION ALL
                              SELECT article_id, span_start, span_end FROM demands) x
        JOIN errata e ON x.article_id = e.article_id AND x.span_start < e.span_end AND e.span_start < x.span_end
        WHERE e.erratum_kind IN ('anachronism', 'misattribution', 'factual_error')""",
    # --- reported status ---
    "denial_scope_valid": """
        SELECT count(*) FROM event_mentions WHERE CASE WHEN reported_status = 'denied_for_period'
            THEN denial_scope_start IS NULL OR denial_scope_end IS NULL OR denial_scope_start > denial_scope_end
            ELSE denial_scope_start IS NOT NULL OR denial_scope_end IS NOT NULL END""",
    "denial_not_contradicted": """
        SELECT count(*) FROM event_mentions m JOIN events e USING (event_id)
        WHERE m.reported_status = 'denied_for_period' AND e.status = 'occurred'
          AND e.date_start >= m.denial_scope_start AND coalesce(e.date_end, e.date_start) <= m.denial_scope_end""",
    # The condition is the event itself, or not reported in the article; or the report asserts the event.
    "condition_event_reported": ("""
        SELECT count(*) FROM event_mentions m WHERE m.condition_event_id IS NOT NULL AND (m.condition_event_id =
            m.event_id OR NOT EXISTS (SELECT 1 FROM event_mentions c WHERE c.article_id = m.article_id
                                      AND c.event_id = m.condition_event_id))""", """
        SELECT count(*) FROM event_mentions WHERE condition_event_id IS NOT NULL
            AND reported_status IN ('occurred', 'ongoing', 'denied', 'denied_for_period')"""),
    # --- codes ---
    "stance_matches_quad": """
        SELECT count(*) FROM positions p JOIN plover_types q USING (plover_type)
        WHERE (p.stance = 'support' AND q.quad_class IN ('verbal_conflict', 'material_conflict'))
           OR (p.stance = 'oppose' AND q.quad_class IN ('verbal_cooperation', 'material_cooperation'))""",
    "demand_code_is_request": """
        SELECT count(*) FROM demands WHERE left(cameo_code, 2) NOT IN ('02', '10')
            OR coalesce(plover_type, '') <> 'REQUEST'""",
    # Words (positions, demands) with a material CAMEO code or PLOVER type, counted per codebook row as
    # validate's joins do; an event whose type is material coded with a verbal PLOVER type.
    "verbal_code_fits_act": f"""
        SELECT (SELECT coalesce(sum(coalesce(c.n, 0) + coalesce(q.n, 0)), 0)
                FROM (SELECT cameo_code, plover_type FROM positions UNION ALL
                      SELECT cameo_code, plover_type FROM demands) x
                LEFT JOIN (SELECT cameo_code, count(*) AS n FROM cameo_codes JOIN plover_types USING (plover_type)
                           WHERE quad_class IN {MATERIAL} GROUP BY cameo_code) c USING (cameo_code)
                LEFT JOIN (SELECT plover_type, count(*) AS n FROM plover_types WHERE quad_class IN {MATERIAL}
                           GROUP BY plover_type) q USING (plover_type))
             + count(*) FROM events e JOIN event_types t USING (event_type)
        JOIN plover_types tq ON t.plover_type = tq.plover_type JOIN plover_types q ON e.plover_type = q.plover_type
        WHERE tq.quad_class IN {MATERIAL} AND q.quad_class IN {VERBAL}""",
    # --- the time a position holds ---
    "position_period_valid": """
        SELECT count(*) FROM positions p JOIN articles a USING (article_id)
        WHERE p.holds_from > p.holds_until OR p.holds_from > a.published_date_latest
           OR (p.holds_from IS NULL AND p.holds_until IS NULL) <> (p.holds_basis IS NULL)""",
    "position_period_covers_event": """
        SELECT count(*) FROM positions p JOIN events e USING (event_id)
        WHERE e.date_start > p.holds_until OR e.date_end < p.holds_from""",
    # Undated positions of actors every one of whose offices ended before the article's earliest date.
    "former_holder_stance_dated": """
        SELECT count(DISTINCT (p.position_id, p.actor_id, a.published_date_earliest))
        FROM positions p JOIN articles a USING (article_id)
        JOIN (SELECT actor_id, max(end_date) AS last_end FROM actor_roles GROUP BY actor_id
              HAVING count(end_date) = count(*)) r USING (actor_id)
        WHERE p.holds_until IS NULL AND r.last_end < a.published_date_earliest""",
    # The first addressee is addressee_actor_id; the seqs run 1..n; each row is in its demand's article.
    "demand_addressees_complete": """
        SELECT (SELECT count(*) FROM demands ANTI JOIN (SELECT demand_id, actor_id AS addressee_actor_id
                FROM demand_addressees WHERE addressee_seq = 1) x USING (demand_id, addressee_actor_id))
             + (SELECT count(*) FROM (SELECT 1 FROM demand_addressees GROUP BY demand_id
                HAVING max(addressee_seq) <> count(*) OR count(DISTINCT addressee_seq) <> count(*)))
             + count(*) FROM demand_addressees x JOIN demands d USING (demand_id) WHERE x.article_id <> d.article_id""",
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
            rule = "codes_in_codebook" if fk.table in CODEBOOK_TABLES else "foreign_key_resolves"
            q[rule].append(f"SELECT count(*) FROM {t.table_name} c ANTI JOIN {fk.table} r ON c.{col} = r.{ref} "
                           f"WHERE c.{col} IS NOT NULL")
    for rule, sql in HAND_WRITTEN.items():
        q[rule] = [sql] if isinstance(sql, str) else list(sql)
    return q


def reference_counts(folder: Path) -> dict[str, int]:
    """Violations per rule, from one UNION ALL query over views on the Parquet files."""
    con = duckdb.connect()
    for name, paths in table_paths(Path(folder)).items():  # one file per table, or a sharded table's parts
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({paths!r})")
    parts = [f"SELECT '{rule}' AS rule, ({sql}) AS n" for rule, sqls in queries().items() for sql in sqls]
    sql = f"SELECT rule, sum(n)::BIGINT FROM ({' UNION ALL '.join(parts)}) GROUP BY rule"
    return {rule: n for rule, n in con.execute(sql).fetchall()}


if __name__ == "__main__":
    print(json.dumps(dict(sorted(reference_counts(Path(sys.argv[1])).items()))))
