"""Cross-table rules on a built dataset, each a named SQL query run by DuckDB over the Parquet files.

Every query returns the violating rows as (tbl, key, message). A message names the column at
fault first, with its value (``date_end 2025-03-01 is before date_start …``), so that
:func:`diplonews.builders.sources.locate.locate` can point the finding at the line where that column's
value was written. Queries read only the columns they need and DuckDB streams Parquet, so the
rules stay out-of-core at millions of rows. Rules on the hand-written sources are in
:mod:`diplonews.validators.source_rules`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from diplonews.schema import CODEBOOK_TABLES, EVIDENCE_TABLES, TABLES, TABLES_BY_NAME
from diplonews.schema.columns import columns

from .findings import Severity


@dataclass(frozen=True)
class DatasetRule:
    """A cross-table rule: a name, a severity, one sentence of why, and its SQL queries.

    ``per_article`` marks an error rule whose verdict on a row depends only on that row's article
    (its row in ``articles`` and its rows in the tables keyed by ``article_id``): an incremental
    build, whose unchanged articles already passed it, runs it on the changed articles alone.
    """

    name: str
    severity: Severity
    why: str
    queries: tuple[str, ...]
    per_article: bool = False

    def __post_init__(self) -> None:
        # A warning is reported on every build, so its rows can never be taken as already checked.
        if self.per_article and self.severity is not Severity.error:
            raise ValueError(f"rule {self.name}: only an error rule can be checked per article")

    @property
    def reads(self) -> frozenset[str]:
        """The tables the rule's queries read."""
        return frozenset().union(*map(tables_read, self.queries))


@functools.lru_cache(maxsize=None)
def tables_read(sql: str) -> frozenset[str]:
    """The tables a query reads, as DuckDB's own parser finds them (aliases and columns are not tables)."""
    return frozenset(_parser().get_table_names(sql))


@functools.lru_cache(maxsize=1)
def _parser():
    # One connection for every query: opening one costs more than parsing all the rules' queries.
    import duckdb

    return duckdb.connect()


def _key_sql(alias: str, key: tuple[str, ...]) -> str:
    if len(key) == 1:
        return f"CAST({alias}.{key[0]} AS VARCHAR)"
    return "concat_ws('|', " + ", ".join(f"CAST({alias}.{k} AS VARCHAR)" for k in key) + ")"


def _pk_queries() -> tuple[str, ...]:
    out = []
    for t in TABLES:
        pk = ", ".join(t.primary_key)
        out.append(
            f"SELECT '{t.table_name}' AS tbl, {_key_sql('x', t.primary_key)} AS key, "
            f"'primary key occurs ' || count(*) || ' times' AS message "
            f"FROM {t.table_name} x GROUP BY {pk} HAVING count(*) > 1"
        )
    return tuple(out)


def _column_queries() -> tuple[str, ...]:
    # One scan per table: every check of every column becomes a message in a list, and
    # the rows that fail any check are unnested into one finding per failed check.
    out = []
    for t in TABLES:
        key = _key_sql("x", t.primary_key)
        table_checks = []
        for c in columns(t):
            # Messages are SQL: each names the column first and, where there is one, the value at fault.
            value = f"'{c.name} ''' || CAST(x.{c.name} AS VARCHAR) || ''' "
            checks = []
            if not c.nullable:
                checks.append((f"x.{c.name} IS NULL", f"'{c.name} is null but required'"))
            if c.enum is not None:
                values = ", ".join(f"'{v}'" for v in c.enum)
                checks.append(
                    (f"CAST(x.{c.name} AS VARCHAR) NOT IN ({values})", f"{value}is not one of: {', '.join(c.enum)}'")
                )
            if c.pattern is not None:
                checks.append((f"NOT regexp_full_match(x.{c.name}, '{c.pattern[1:-1]}')",
                               f"{value}does not match {c.pattern}'"))
            if c.minimum is not None:
                checks.append((f"x.{c.name} < {c.minimum}", f"{value}is below {c.minimum}'"))
            table_checks += checks
        messages = ", ".join(f"CASE WHEN {cond} THEN {msg} END" for cond, msg in table_checks)
        failing = " OR ".join(f"({cond})" for cond, _ in table_checks)
        out.append(
            f"SELECT '{t.table_name}' AS tbl, key, unnest(messages) AS message FROM ("
            f"SELECT {key} AS key, list_filter([{messages}], lambda m: m IS NOT NULL) AS messages "
            f"FROM {t.table_name} x WHERE {failing})"
        )
    return tuple(out)


def _fk_queries(codebook: bool) -> tuple[str, ...]:
    out = []
    for t in TABLES:
        for fk in t.foreign_keys:
            if (fk.table in CODEBOOK_TABLES) != codebook:
                continue
            (col,), (ref,) = fk.fields, fk.ref_fields
            out.append(
                f"SELECT '{t.table_name}' AS tbl, {_key_sql('c', t.primary_key)} AS key, "
                f"'{col} = ' || c.{col} || ' not found in {fk.table}.{ref}' AS message "
                f"FROM {t.table_name} c ANTI JOIN {fk.table} r ON c.{col} = r.{ref} WHERE c.{col} IS NOT NULL"
            )
    return tuple(out)


def _evidence_queries(condition: str, message: str) -> tuple[str, ...]:
    # The four evidence tables are read as one union, so articles.text is joined once per rule;
    # length(text) counts code points (a scan of the text), so it is computed once per article.
    union = " UNION ALL ".join(
        f"SELECT '{name}' AS tbl, {_key_sql('e', TABLES_BY_NAME[name].primary_key)} AS key, "
        f"article_id, span_start, span_end, quote FROM {name} e"
        for name in EVIDENCE_TABLES
    )
    return (
        f"SELECT m.tbl, m.key, {message} AS message FROM ({union}) m "
        f"JOIN (SELECT article_id, text, length(text) AS text_length FROM articles) a "
        f"ON m.article_id = a.article_id WHERE {condition}",
    )


_SPAN = "substring(a.text, m.span_start + 1, m.span_end - m.span_start)"

# --- event relations and errata -------------------------------------------------------------------------

_ORDERS = "('part_of', 'causes', 'before')"
"""The relation types that are (strict) orders, so a cycle in one of them is a contradiction."""

# Every (type, start, reached) pair: start reaches an event through one or more relations of one type,
# along simple paths (the path so far is kept as '|a|b|'; a walk ends when it comes back to its start).
# So the recursion ends on cycles with UNION ALL, the only union Spark allows in a recursive query.
# A relation lies on a cycle when its target reaches its source; one finding per cycle (per set of
# events that reach each other), at its relation with the smallest ID. Self-relations are left to
# relation_not_reflexive.
_RELATION_CYCLES = (
    "WITH RECURSIVE reach(relation_type, start_id, event_id, path) AS ("
    "SELECT relation_type, source_event_id, target_event_id, '|' || source_event_id || '|' || target_event_id || '|' "
    f"FROM event_relations WHERE relation_type IN {_ORDERS} AND source_event_id <> target_event_id "
    "UNION ALL SELECT r.relation_type, r.start_id, e.target_event_id, r.path || e.target_event_id || '|' "
    "FROM reach r JOIN event_relations e ON e.source_event_id = r.event_id AND e.relation_type = r.relation_type "
    "WHERE e.source_event_id <> e.target_event_id AND r.event_id <> r.start_id "
    "AND (e.target_event_id = r.start_id OR NOT contains(r.path, '|' || e.target_event_id || '|'))), "
    "pairs AS (SELECT DISTINCT relation_type, start_id, event_id FROM reach), "
    "on_cycle AS (SELECT x.relation_id, x.relation_type, x.source_event_id, x.target_event_id "
    "FROM event_relations x JOIN pairs c ON c.relation_type = x.relation_type AND c.start_id = x.target_event_id "
    "AND c.event_id = x.source_event_id WHERE x.source_event_id <> x.target_event_id) "
    "SELECT 'event_relations' AS tbl, x.relation_id AS key, 'target_event_id ' || x.target_event_id || "
    "' leads back to ' || x.source_event_id || ' through ' || x.relation_type || ' relations (a cycle)' AS message "
    # Not reported when a relation with a smaller ID lies on the same cycle: its source and x's reach each
    # other (one level of correlation only: Spark resolves no outer column two subqueries down).
    "FROM on_cycle x WHERE NOT EXISTS (SELECT 1 FROM on_cycle y "
    "JOIN pairs c ON c.relation_type = y.relation_type AND c.start_id = y.source_event_id "
    "JOIN pairs d ON d.relation_type = y.relation_type AND d.event_id = y.source_event_id "
    "WHERE y.relation_type = x.relation_type AND y.relation_id < x.relation_id "
    "AND c.event_id = x.source_event_id AND d.start_id = x.source_event_id)"
)


def _dates(alias: str) -> str:
    """An event's dates for a message: 'start..end', 'start..open' or '(undated)'."""
    return (f"coalesce(CAST({alias}.date_start AS VARCHAR) || '..' || coalesce(CAST({alias}.date_end AS VARCHAR), "
            f"'open'), '(undated)')")


# Dates are the interval an event lies in. Day precision means the dates are the event's own, so the
# order is checked day by day; a coarser precision is an uncertainty window, and then only what no
# reading of the windows allows is reported. A null date_end is open (ongoing, or end unknown).
_DAY = "s.date_precision = 'day' AND t.date_precision = 'day'"
_RELATED = ("FROM event_relations x JOIN events s ON x.source_event_id = s.event_id "
            "JOIN events t ON x.target_event_id = t.event_id WHERE s.date_start IS NOT NULL AND t.date_start IS NOT NULL")
_RELATION_DATES = (
    "SELECT 'event_relations' AS tbl, x.relation_id AS key, 'source_event_id ' || x.source_event_id || ' (' || "
    f"{_dates('s')} || ') starts after ' || x.target_event_id || ' (' || {_dates('t')} || '), so the relation ' || "
    f"x.relation_type || ' runs backwards in time' AS message {_RELATED} "
    "AND x.relation_type IN ('before', 'causes', 'for') "
    f"AND (s.date_start > t.date_end OR ({_DAY} AND s.date_start > t.date_start))",
    "SELECT 'event_relations' AS tbl, x.relation_id AS key, 'source_event_id ' || x.source_event_id || ' (' || "
    f"{_dates('s')} || ') does not lie within ' || x.target_event_id || ' (' || {_dates('t')} || "
    f"'), of which it is part' AS message {_RELATED} AND x.relation_type = 'part_of' "
    "AND (s.date_start > t.date_end OR s.date_end < t.date_start "
    f"OR ({_DAY} AND (s.date_start < t.date_start OR coalesce(s.date_end, s.date_start) > t.date_end)))",
)

_FACT_KINDS = "'anachronism', 'wrong_title', 'misattribution', 'factual_error', 'simplification'"
"""Errata kinds that correct a fact about the world (the others correct the text's form)."""
_FALSE_KINDS = "'anachronism', 'misattribution', 'factual_error'"
"""Errata kinds whose words state something false, so they cannot be evidence of a position or demand."""

RULES: tuple[DatasetRule, ...] = (
    DatasetRule(
        "primary_key_unique", Severity.error,
        "A row must be addressable by its key, or joins silently multiply rows.", _pk_queries(),
    ),
    DatasetRule(
        "column_constraints", Severity.error,
        "Required columns, enum values and ID formats are the schema's promise to users.", _column_queries(),
        per_article=True,  # each check reads one row
    ),
    DatasetRule(
        "foreign_key_resolves", Severity.error,
        "Every link (article, actor, event, topic) must point at an existing row.", _fk_queries(codebook=False),
    ),
    DatasetRule(
        "codes_in_codebook", Severity.error,
        "Event types, CAMEO codes and PLOVER types must exist in the shipped codebooks (ICEWS shipped '13y').",
        _fk_queries(codebook=True)
        + (
            "SELECT 'cameo_codes' AS tbl, cameo_code AS key, 'root_code ' || root_code || ' is not a prefix' "
            "AS message FROM cameo_codes WHERE NOT starts_with(cameo_code, root_code)",
        ),
    ),
    DatasetRule(
        "span_within_text", Severity.error,
        "Offsets must lie inside the article text, or the evidence cannot be found.",
        _evidence_queries(
            "m.span_start < 0 OR m.span_end <= m.span_start OR m.span_end > a.text_length",
            "'span ' || m.span_start || '-' || m.span_end || ' outside text of length ' || a.text_length",
        ),
        per_article=True,
    ),
    DatasetRule(
        "quote_matches_span", Severity.error,
        "The quote is the evidence: it must be exactly the article's words at its offsets.",
        _evidence_queries(
            # Only a valid span is compared (span_within_text reports the others): substring() of a
            # negative start or length means different things on different engines.
            f"m.span_start >= 0 AND m.span_end >= m.span_start AND m.span_end <= a.text_length "
            f"AND m.quote IS NOT NULL AND {_SPAN} IS DISTINCT FROM m.quote",  # a withheld quote: the rule below
            f"'quote differs from text at span: ' || {_SPAN}",
        ),
        per_article=True,
    ),
    DatasetRule(
        "text_withheld_only_if_restricted", Severity.error,
        "A text is withheld (standoff release) only when it may not be published, and then all its quotes "
        "with it: a quote left behind would publish its words, a missing one would lose evidence.",
        ("SELECT 'articles' AS tbl, article_id AS key, 'text withheld although redistributable' AS message "
         "FROM articles WHERE text IS NULL AND redistributable",)
        + _evidence_queries("(m.quote IS NULL) <> (a.text IS NULL)",
                            "CASE WHEN m.quote IS NULL THEN 'quote missing while the text is present' "
                            "ELSE 'quote published while its text is withheld' END"),
        per_article=True,
    ),
    DatasetRule(
        "text_hash_matches", Severity.error,
        "text_sha256 identifies the exact text that offsets index into.",
        ("SELECT 'articles' AS tbl, article_id AS key, 'text_sha256 does not match the text' AS message "
         "FROM articles WHERE sha256(text) <> text_sha256",),
        per_article=True,
    ),
    DatasetRule(
        "article_date_order", Severity.error,
        "A publication interval must be well-formed and contain the stated date.",
        ("SELECT 'articles' AS tbl, article_id AS key, "
         "'published_date_earliest ' || published_date_earliest || ' is after published_date_latest ' "
         "|| published_date_latest AS message FROM articles WHERE published_date_earliest > published_date_latest",
         "SELECT 'articles' AS tbl, article_id AS key, 'published_date ' || published_date || ' is outside "
         "[published_date_earliest, published_date_latest] = [' || coalesce(CAST(published_date_earliest AS VARCHAR), "
         "'null') || ', ' || coalesce(CAST(published_date_latest AS VARCHAR), 'null') || ']' AS message "
         "FROM articles WHERE published_date IS NOT NULL AND (published_date < published_date_earliest "
         "OR published_date > published_date_latest)",
         "SELECT 'articles' AS tbl, article_id AS key, 'an undated article needs an earliest and latest date' "
         "AS message FROM articles WHERE published_date IS NULL AND "
         "(published_date_earliest IS NULL OR published_date_latest IS NULL)"),
        per_article=True,
    ),
    DatasetRule(
        "event_date_order", Severity.error,
        "An event cannot end before it starts.",
        ("SELECT 'events' AS tbl, event_id AS key, 'date_end ' || date_end || ' is before date_start ' "
         "|| date_start AS message FROM events WHERE date_end < date_start",
         "SELECT 'events' AS tbl, event_id AS key, 'date_precision is needed: the event has date_start ' "
         "|| date_start AS message "
         "FROM events WHERE date_start IS NOT NULL AND date_precision IS NULL"),
    ),
    DatasetRule(
        "occurred_event_not_after_report", Severity.error,
        "An article cannot report as having occurred an event that starts after it was published.",
        ("SELECT 'event_mentions' AS tbl, m.mention_id AS key, 'event ' || e.event_id || ' (occurred) starts ' "
         "|| e.date_start || ', after the article''s latest date ' || a.published_date_latest AS message "
         "FROM event_mentions m JOIN events e ON m.event_id = e.event_id "
         "JOIN articles a ON m.article_id = a.article_id "
         "WHERE e.status = 'occurred' AND e.date_start > a.published_date_latest",),
    ),
    DatasetRule(
        "role_held_on_event_date", Severity.error,
        "An actor acting 'as president' must hold that office on the event's dates.",
        ("SELECT 'event_participants' AS tbl, p.event_id || '|' || p.actor_id AS key, "
         "p.actor_id || ' does not hold role ' || p.capacity || ' on ' || coalesce(CAST(e.date_start AS VARCHAR), "
         "'(undated)') || CASE WHEN e.date_end > e.date_start THEN '..' || e.date_end ELSE '' END || ' (' || "
         # The terms the actor does hold in that office, so the message shows which dates conflict
         # (ordered in full, so that two terms starting on one day are listed alike on every engine).
         "coalesce((SELECT 'held ' || string_agg(coalesce(CAST(r.start_date AS VARCHAR), '…') || '..' || "
         "coalesce(CAST(r.end_date AS VARCHAR), 'open') || ' in ' || r.organization_actor_id, ', ' "
         "ORDER BY r.start_date, r.end_date, r.organization_actor_id) FROM actor_roles r WHERE r.actor_id = p.actor_id AND r.role = p.capacity), "
         "'no such role recorded') || ')' AS message "
         "FROM event_participants p JOIN events e ON p.event_id = e.event_id "
         "WHERE p.capacity IS NOT NULL AND NOT EXISTS (SELECT 1 FROM actor_roles r WHERE r.actor_id = p.actor_id "
         "AND r.role = p.capacity AND (e.date_start IS NULL OR r.start_date IS NULL OR r.start_date <= e.date_start) "
         "AND (e.date_start IS NULL OR r.end_date IS NULL OR coalesce(e.date_end, e.date_start) <= r.end_date))",),
    ),
    DatasetRule(
        "event_has_participant", Severity.error,
        "An event with nobody taking part cannot answer 'who did what to whom'.",
        ("SELECT 'events' AS tbl, e.event_id AS key, 'event has no participant' AS message "
         "FROM events e ANTI JOIN event_participants p ON e.event_id = p.event_id",),
    ),
    DatasetRule(
        "demand_claimant_not_addressee", Severity.error,
        "A demand is made of someone else; claimant = addressee is an annotation slip.",
        ("SELECT 'demands' AS tbl, demand_id AS key, 'claimant and addressee are both ' || claimant_actor_id "
         "AS message FROM demands WHERE claimant_actor_id = addressee_actor_id",),
    ),
    DatasetRule(
        "position_has_object", Severity.error,
        "A stance must be about a topic or towards an actor, or it says nothing.",
        ("SELECT 'positions' AS tbl, position_id AS key, 'position has neither topic nor target' AS message "
         "FROM positions WHERE topic_id IS NULL AND target_actor_id IS NULL",),
    ),
    DatasetRule(
        "alias_maps_to_one_actor", Severity.error,
        "An alias shared by two actors makes mentions (and suggestions) ambiguous.",
        ("SELECT 'actor_aliases' AS tbl, lower(alias) AS key, 'alias used by ' || "
         "string_agg(DISTINCT actor_id, ', ' ORDER BY actor_id) AS message FROM actor_aliases "
         # min <> max holds exactly when count(DISTINCT) > 1 (both skip nulls); beside string_agg(DISTINCT)
         # the latter crashes Spark 4 with an internal error.
         "GROUP BY lower(alias) HAVING min(actor_id) <> max(actor_id)",),
    ),
    DatasetRule(
        "article_links_event", Severity.warning,
        "An article that reports no event is probably not finished.",
        ("SELECT 'articles' AS tbl, a.article_id AS key, 'article has no event mention' AS message "
         "FROM articles a ANTI JOIN event_mentions m ON a.article_id = m.article_id",),
    ),
    DatasetRule(
        "voiced_event_mentioned", Severity.warning,
        "A position or demand voiced at an event should come with the article's mention of that event.",
        tuple(
            f"SELECT '{t}' AS tbl, x.{k} AS key, 'event_id ' || x.event_id || ' is not mentioned in its article' "
            f"AS message FROM {t} x WHERE x.event_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM event_mentions m "
            f"WHERE m.article_id = x.article_id AND m.event_id = x.event_id)"
            for t, k in (("positions", "position_id"), ("demands", "demand_id"))
        ),
    ),
    DatasetRule(
        "no_orphan_actor", Severity.warning,
        "An actor nothing refers to is dead weight in the registry.",
        ("SELECT 'actors' AS tbl, actor_id AS key, 'actor is never mentioned or used' AS message FROM actors "
         "WHERE actor_id NOT IN (SELECT actor_id FROM actor_mentions UNION ALL SELECT actor_id FROM "
         "event_participants UNION ALL SELECT actor_id FROM positions UNION ALL SELECT target_actor_id FROM "
         "positions WHERE target_actor_id IS NOT NULL UNION ALL SELECT claimant_actor_id FROM demands UNION ALL "
         "SELECT addressee_actor_id FROM demands UNION ALL SELECT organization_actor_id FROM actor_roles UNION ALL "
         "SELECT parent_actor_id FROM actors WHERE parent_actor_id IS NOT NULL)",),
    ),
    DatasetRule(
        "no_orphan_topic", Severity.warning,
        "A topic no position or demand is about is dead weight in the registry.",
        ("SELECT 'topics' AS tbl, topic_id AS key, 'topic is used by no position or demand' AS message "
         "FROM topics WHERE topic_id NOT IN (SELECT topic_id FROM positions WHERE topic_id IS NOT NULL "
         "UNION ALL SELECT topic_id FROM demands)",),
    ),
    DatasetRule(
        "relation_not_reflexive", Severity.error,
        "An event does not report, cause, precede or contain itself: a relation to itself is an annotation slip.",
        ("SELECT 'event_relations' AS tbl, relation_id AS key, 'target_event_id ' || target_event_id || "
         "' is also the source_event_id' AS message FROM event_relations WHERE source_event_id = target_event_id",),
        per_article=True,
    ),
    DatasetRule(
        "no_relation_cycle", Severity.error,
        "part_of, causes and before are orders: an event that is (through others) part, cause or predecessor of "
        "itself makes them contradict themselves.",
        (_RELATION_CYCLES,),
    ),
    DatasetRule(
        "relation_dates_consistent", Severity.error,
        "Where both events are dated, a part must lie within its whole and an earlier event, cause or proposal "
        "cannot start after the event it precedes, causes or is for.",
        _RELATION_DATES,
    ),
    DatasetRule(
        "erratum_has_basis", Severity.error,
        "A correction of a fact about the world (not of the text's form) must say where the right fact comes "
        "from, or it is a guess.",
        ("SELECT 'errata' AS tbl, erratum_id AS key, 'correction_basis is missing: a correction of an error of "
         "fact (' || erratum_kind || ') names what it rests on' AS message FROM errata "
         f"WHERE erratum_kind IN ({_FACT_KINDS}) AND (correction_basis IS NULL OR trim(correction_basis) = '')",),
        per_article=True,
    ),
    DatasetRule(
        "no_fact_from_erratum", Severity.error,
        "Words the errata mark as false are not evidence: a position or demand drawn from them publishes the "
        "article's error as a fact.",
        tuple(
            f"SELECT '{t}' AS tbl, x.{k} AS key, 'quote overlaps erratum ' || e.erratum_id || ' (' || "
            f"e.erratum_kind || '), words the article gets wrong' AS message FROM {t} x JOIN errata e "
            f"ON x.article_id = e.article_id AND x.span_start < e.span_end AND e.span_start < x.span_end "
            f"WHERE e.erratum_kind IN ({_FALSE_KINDS})"
            for t, k in (("positions", "position_id"), ("demands", "demand_id"))
        ),
        per_article=True,
    ),
    DatasetRule(
        "related_events_mentioned", Severity.warning,
        "A relation is evidenced by its article's words, so the article should also report both events it links.",
        tuple(
            f"SELECT 'event_relations' AS tbl, r.relation_id AS key, '{c} ' || r.{c} || ' is not mentioned in its "
            f"article' AS message FROM event_relations r WHERE NOT EXISTS (SELECT 1 FROM event_mentions m "
            f"WHERE m.article_id = r.article_id AND m.event_id = r.{c})"
            for c in ("source_event_id", "target_event_id")
        ),
    ),
)
"""Every cross-table rule, in the order they run."""

RULES_BY_NAME = {r.name: r for r in RULES}


@dataclass(frozen=True)
class FolderRule:
    """A rule on the files of a dataset folder rather than on the rows of its tables.

    Those in :data:`FOLDER_RULES` check the folder as published, its descriptor and its checksums:
    ``diplonews validate DIR`` checks them; a build does not, since it writes those files only after
    its tables passed every :class:`DatasetRule`. :data:`TABLE_FILES_MATCH_SCHEMA` runs on every
    validation, before any rule on rows.
    """

    name: str
    severity: Severity
    why: str


TABLE_FILES_MATCH_SCHEMA = FolderRule(
    "table_files_match_schema", Severity.error,
    "Every table must be a readable Parquet file with exactly the published columns and types, or the "
    "rules and every user's queries read something else.",
)


DATAPACKAGE_READABLE = FolderRule(
    "datapackage_readable", Severity.error,
    "load(), connect() and Frictionless tools find the tables through datapackage.json; without a readable "
    "one the folder is not a dataset.",
)
DATAPACKAGE_MATCHES_SCHEMA = FolderRule(
    "datapackage_matches_schema", Severity.error,
    "The descriptor must name exactly the schema's tables: one it leaves out is invisible to load(), and one "
    "the schema lacks was never checked.",
)
CHECKSUMS_MATCH = FolderRule(
    "checksums_match", Severity.error,
    "SHA256SUMS and the descriptor's hashes must list every file with its exact bytes, or a damaged or "
    "altered file goes unnoticed.",
)
NO_UNDESCRIBED_FILES = FolderRule(
    "no_undescribed_files", Severity.error,
    "A Parquet or JSON file the descriptor does not describe is data no rule has checked.",
)

FOLDER_RULES: tuple[FolderRule, ...] = (
    DATAPACKAGE_READABLE, DATAPACKAGE_MATCHES_SCHEMA, CHECKSUMS_MATCH, NO_UNDESCRIBED_FILES,
)
"""Every rule on a published dataset folder, in the order they run (before the cross-table rules)."""
