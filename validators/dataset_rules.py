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
    """An event's window for a message: 'start..end', 'start..open', 'open..end' or '(undated)'."""
    return (f"CASE WHEN {alias}.date_start IS NULL AND {alias}.date_end IS NULL THEN '(undated)' ELSE "
            f"coalesce(CAST({alias}.date_start AS VARCHAR), 'open') || '..' || "
            f"coalesce(CAST({alias}.date_end AS VARCHAR), 'open') END")


# An event's dates are the window it lies in (earliest start .. latest end; a null side is open), and
# duration_days is how long it lasted. At precision day the dates are the event's own days; otherwise
# it starts no later than date_end - (duration_days - 1) and ends no earlier than date_start +
# (duration_days - 1), or anywhere in the window when its length is unknown. Only what no reading of
# the windows allows is reported.
def _starts_after_latest_start(s: str, t: str) -> str:
    """SQL: event ``s`` certainly starts after the latest day event ``t`` can have started."""
    return (f"({s}.date_start > {t}.date_end OR ({t}.date_precision = 'day' AND {s}.date_start > {t}.date_start) "
            f"OR datediff('day', {s}.date_start, {t}.date_end) < {t}.duration_days - 1)")


def _starts_before_earliest_start(s: str, t: str) -> str:
    """SQL: event ``s`` certainly starts before the earliest day event ``t`` can have started."""
    return (f"({s}.date_end < {t}.date_start OR ({s}.date_precision = 'day' AND {s}.date_start < {t}.date_start) "
            f"OR datediff('day', {t}.date_start, {s}.date_end) < {s}.duration_days - 1)")


def _ends_after_latest_end(s: str, t: str) -> str:
    """SQL: event ``s`` certainly ends after the latest day event ``t`` can have ended."""
    return (f"({s}.date_start > {t}.date_end OR ({s}.date_precision = 'day' AND {s}.date_end > {t}.date_end) "
            f"OR datediff('day', {s}.date_start, {t}.date_end) < {s}.duration_days - 1)")


_RELATED = ("FROM event_relations x JOIN events s ON x.source_event_id = s.event_id "
            "JOIN events t ON x.target_event_id = t.event_id")
_RELATION_DATES = (
    "SELECT 'event_relations' AS tbl, x.relation_id AS key, 'source_event_id ' || x.source_event_id || ' (' || "
    f"{_dates('s')} || ') starts after the latest start of ' || x.target_event_id || ' (' || {_dates('t')} || "
    f"'), so the relation ' || x.relation_type || ' runs backwards in time' AS message {_RELATED} "
    f"WHERE x.relation_type IN ('before', 'causes', 'for') AND {_starts_after_latest_start('s', 't')}",
    "SELECT 'event_relations' AS tbl, x.relation_id AS key, 'source_event_id ' || x.source_event_id || ' (' || "
    f"{_dates('s')} || ') does not lie within ' || x.target_event_id || ' (' || {_dates('t')} || "
    f"'), of which it is part' AS message {_RELATED} WHERE x.relation_type = 'part_of' "
    f"AND ({_starts_before_earliest_start('s', 't')} OR {_ends_after_latest_end('s', 't')})",
)

_WINDOW_DAYS = "(datediff('day', date_start, date_end) + 1)"
"""SQL: the number of days in a closed window, both ends counted."""
_WINDOW = (f"{_dates('events')} || CASE WHEN date_start IS NOT NULL AND date_end IS NOT NULL THEN ' (' || "
           f"CAST({_WINDOW_DAYS} AS VARCHAR) || CASE WHEN {_WINDOW_DAYS} = 1 THEN ' day)' ELSE ' days)' END "
           "ELSE '' END")
"""SQL: an event's window for a message, with its length when closed."""
_PRECISION = (f"CASE WHEN duration_days = {_WINDOW_DAYS} THEN 'day' WHEN {_WINDOW_DAYS} <= 7 THEN 'week' "
              "WHEN year(date_start) = year(date_end) AND month(date_start) = month(date_end) THEN 'month' "
              "WHEN year(date_start) = year(date_end) THEN 'year' ELSE 'multi_year' END")
"""SQL: the precision a closed window has: day when it is the event's own days, else the narrowest unit it fits."""
_EVENT_PRECISION = (
    "SELECT 'events' AS tbl, event_id AS key, 'date_precision ' || coalesce(date_precision, 'null') || "
    f"' does not describe the window ' || {_WINDOW} || CASE WHEN duration_days IS NULL THEN '' ELSE "
    "' of an event of ' || CAST(duration_days AS VARCHAR) || CASE WHEN duration_days = 1 THEN ' day' "
    "ELSE ' days' END END || ': it is ' || "
    f"{_PRECISION} AS message FROM events WHERE date_start IS NOT NULL AND date_end IS NOT NULL "
    f"AND date_end >= date_start AND coalesce(date_precision, '') <> {_PRECISION}",
    "SELECT 'events' AS tbl, event_id AS key, 'date_precision ' || date_precision || ' does not describe the "
    f"window ' || {_WINDOW} || CASE WHEN date_start IS NULL AND date_end IS NULL THEN ': an undated event has no "
    "precision' ELSE ', which is open on one side: day when its one date is the event''s own, else null' END "
    "AS message FROM events WHERE (date_start IS NULL OR date_end IS NULL) AND date_precision IS NOT NULL "
    "AND (date_precision <> 'day' OR (date_start IS NULL AND date_end IS NULL))",
)

# A row of a fact table with this ID lies in another article than the attribution: a fact's ID in another
# article exactly when its smallest or largest article_id differs. Joined to one row per ID, as the
# correlated EXISTS it replaces meant (one finding per attribution), without the three copies of
# attributions that decorrelating EXISTS ... OR EXISTS made DuckDB hold (2.2 GiB at S=3).
_ATTRIBUTED_ELSEWHERE = "".join(
    f"LEFT JOIN (SELECT {k}, min(article_id) AS lo_{k}, max(article_id) AS hi_{k} FROM {t} GROUP BY {k}) {t[0]} "
    f"ON {t[0]}.{k} = t.{k} " for t, k in (("event_mentions", "mention_id"), ("positions", "position_id"),
                                             ("demands", "demand_id"))
) + "WHERE " + " OR ".join(f"t.article_id <> {side}_{k}" for k in ("mention_id", "position_id", "demand_id")
                           for side in ("lo", "hi"))

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
         "|| date_start AS message FROM events WHERE date_end < date_start",),
    ),
    DatasetRule(
        "event_precision_matches_window", Severity.error,
        "A precision must say how closely the dates place the event: day only for the event's own days, and "
        "never month for a window that leaves its month, or users filtering by precision are misled.",
        _EVENT_PRECISION,
    ),
    DatasetRule(
        "event_duration_fits_window", Severity.error,
        "An event cannot last longer than the window it lies in.",
        ("SELECT 'events' AS tbl, event_id AS key, 'duration_days ' || CAST(duration_days AS VARCHAR) || "
         f"' is longer than the window ' || {_WINDOW} AS message FROM events WHERE date_end >= date_start "
         f"AND duration_days > {_WINDOW_DAYS}",),
    ),
    DatasetRule(
        "event_open_side_stated", Severity.error,
        "A window with one date must say on which side it is open, so that a missing date is a stated "
        "'before' or 'since' and never an omission.",
        ("SELECT 'events' AS tbl, event_id AS key, 'date_open ' || coalesce(date_open, 'null') || "
         f"' does not match the window ' || {_WINDOW} || ': ' || CASE "
         "WHEN date_start IS NULL AND date_end IS NOT NULL THEN 'it is open at the start' "
         "WHEN date_start IS NOT NULL AND date_end IS NULL THEN 'it is open at the end' "
         "ELSE 'only a window with one date is open' END AS message FROM events "
         "WHERE coalesce(date_open, '') <> CASE WHEN date_start IS NULL AND date_end IS NOT NULL THEN 'start' "
         "WHEN date_start IS NOT NULL AND date_end IS NULL THEN 'end' ELSE '' END",),
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
        "role_period_valid", Severity.error,
        "A term in office cannot end before it starts: no date would fall in it, and every check of who held "
        "the office when would find nobody.",
        ("SELECT 'actor_roles' AS tbl, " + _key_sql("r", TABLES_BY_NAME["actor_roles"].primary_key) + " AS key, "
         "'end_date ' || r.end_date || ' is before start_date ' || r.start_date AS message FROM actor_roles r "
         "WHERE r.end_date < r.start_date",),
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
         "coalesce(CAST(r.end_date AS VARCHAR), 'open') || ' in ' || r.organization_actor_id || "
         "CASE WHEN r.role_state <> 'held' THEN ' as ' || r.role_state ELSE '' END, ', ' "
         "ORDER BY r.start_date, r.end_date, r.organization_actor_id) FROM actor_roles r WHERE r.actor_id = p.actor_id AND r.role = p.capacity), "
         "'no such role recorded') || ')' AS message "
         "FROM event_participants p JOIN events e ON p.event_id = e.event_id "
         "WHERE p.capacity IS NOT NULL AND NOT EXISTS (SELECT 1 FROM actor_roles r WHERE r.actor_id = p.actor_id "
         # A nominee or designate does not act in the office yet; an acting holder does.
         "AND r.role = p.capacity AND r.role_state IN ('held', 'acting') AND (e.date_start IS NULL OR r.start_date IS NULL OR r.start_date <= e.date_start) "
         "AND (e.date_start IS NULL OR r.end_date IS NULL OR coalesce(e.date_end, e.date_start) <= r.end_date))",),
    ),
    DatasetRule(
        "office_named_as_held", Severity.warning,
        "An article that calls someone by an office they did not yet hold on its date (a nominee called "
        "ambassador) misstates the record: the rule makes such source errors visible until an erratum "
        "(wrong_title or anachronism) at the title's words records them.",
        ("SELECT 'actor_mentions' AS tbl, m.mention_id AS key, 'as_office ' || m.as_office || ' (' || m.office_state "
         "|| '): ' || m.actor_id || ' is not ' || CASE m.office_state WHEN 'held' THEN 'in that office' "
         "WHEN 'former' THEN 'a former holder of it' ELSE m.office_state || ' for it' END || ' by the article''s "
         "latest date ' || coalesce(CAST(a.published_date_latest AS VARCHAR), '(undated)') || ' (' || "
         # The periods the actor has in that office, so the message shows which dates conflict.
         "coalesce((SELECT string_agg(r.role_state || ' ' || coalesce(CAST(r.start_date AS VARCHAR), '…') || '..' || "
         "coalesce(CAST(r.end_date AS VARCHAR), 'open') || ' in ' || r.organization_actor_id, ', ' "
         "ORDER BY r.start_date, r.end_date, r.organization_actor_id, r.role_state) FROM actor_roles r "
         "WHERE r.actor_id = m.actor_id AND r.role = m.as_office), 'no such role recorded') || ')' AS message "
         "FROM actor_mentions m JOIN articles a ON m.article_id = a.article_id "
         "WHERE m.as_office IS NOT NULL AND NOT EXISTS (SELECT 1 FROM actor_roles r WHERE r.actor_id = m.actor_id "
         "AND r.role = m.as_office AND CASE WHEN m.office_state = 'former' "
         # former: a held period ended before the article; any other state: a period in that state (an acting
         # holder may be called by the office) that had begun by the article's latest date.
         "THEN r.role_state = 'held' AND r.end_date < a.published_date_latest "
         "ELSE (r.role_state = m.office_state OR (m.office_state = 'held' AND r.role_state = 'acting')) "
         "AND (r.start_date IS NULL OR a.published_date_latest IS NULL OR r.start_date <= a.published_date_latest) "
         "END) "
         # The office words lie inside the quote or directly before it: an erratum overlapping that stretch
         # is the error recorded as data, so the warning has done its work.
         "AND NOT EXISTS (SELECT 1 FROM errata e WHERE e.article_id = m.article_id "
         "AND e.erratum_kind IN ('wrong_title', 'anachronism') AND e.span_start < m.span_end "
         "AND m.span_start - length(m.office_words) - 1 < e.span_end)",),
    ),
    DatasetRule(
        "anonymous_source_id_dated", Severity.error,
        "An anonymous source's ID ends in the month of its story (anon-…-YYYY-MM), so that a later story's "
        "unnamed source does not silently merge with it.",
        ("SELECT 'actors' AS tbl, actor_id AS key, 'actor_id ' || actor_id || ' of an anonymous source does not "
         "read anon-<description>-YYYY-MM' AS message FROM actors WHERE actor_type = 'anonymous_source' "
         "AND NOT regexp_full_match(actor_id, 'anon-[a-z0-9-]+-[0-9]{4}-[0-9]{2}')",),
    ),
    DatasetRule(
        "anonymous_source_names_nobody", Severity.warning,
        "An anonymous source named after a person ('sources on the Erdoğan-Trump call') turns up in every "
        "search for that person's name as if it were them.",
        ("SELECT 'actors' AS tbl, x.actor_id AS key, 'name ''' || x.name || ''' contains ''' || al.alias || "
         "''', an alias of ' || al.actor_id AS message FROM actors x JOIN actor_aliases al "
         "ON instr(lower(x.name), lower(al.alias)) > 0 JOIN actors p ON al.actor_id = p.actor_id "
         "WHERE x.actor_type = 'anonymous_source' AND p.actor_type = 'person'",),
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
         "AS message FROM demands WHERE claimant_actor_id = addressee_actor_id",
         # A later addressee too (the first is addressee_actor_id, reported above).
         "SELECT 'demand_addressees' AS tbl, x.demand_id || '|' || x.actor_id AS key, 'actor_id ' || x.actor_id || "
         "' is also the claimant of ' || x.demand_id AS message FROM demand_addressees x JOIN demands d "
         "ON x.demand_id = d.demand_id WHERE x.actor_id = d.claimant_actor_id AND x.addressee_seq > 1"),
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
        # Grouped by the key the build folded (alias_key), not lower(alias): engines lowercase differently.
        ("SELECT 'actor_aliases' AS tbl, alias_key AS key, 'alias used by ' || "
         "string_agg(DISTINCT actor_id, ', ' ORDER BY actor_id) AS message FROM actor_aliases "
         # min <> max holds exactly when count(DISTINCT) > 1 (both skip nulls); beside string_agg(DISTINCT)
         # the latter crashes Spark 4 with an internal error.
         "GROUP BY alias_key HAVING min(actor_id) <> max(actor_id)",),
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
        # An anti join, not NOT IN: one NULL among the references (in a file another tool wrote; itself a
        # column_constraints error) makes NOT IN unknown for every actor, and the rule would never fire.
        ("SELECT 'actors' AS tbl, actor_id AS key, 'actor is never mentioned or used' AS message FROM actors "
         "ANTI JOIN (SELECT actor_id AS ref FROM actor_mentions UNION ALL SELECT actor_id FROM "
         "event_participants UNION ALL SELECT actor_id FROM positions UNION ALL SELECT target_actor_id FROM "
         "positions UNION ALL SELECT claimant_actor_id FROM demands UNION ALL "
         "SELECT addressee_actor_id FROM demands UNION ALL SELECT actor_id FROM demand_addressees UNION ALL "
         "SELECT organization_actor_id FROM actor_roles UNION ALL "
         "SELECT parent_actor_id FROM actors UNION ALL SELECT actor_id FROM attribution_sources) used "
         "ON used.ref = actors.actor_id",),
    ),
    DatasetRule(
        "no_orphan_topic", Severity.warning,
        "A topic no position or demand is about is dead weight in the registry.",
        ("SELECT 'topics' AS tbl, topic_id AS key, 'topic is used by no position or demand' AS message "
         "FROM topics ANTI JOIN (SELECT topic_id AS ref FROM positions UNION ALL SELECT topic_id FROM demands) "
         "used ON used.ref = topics.topic_id",),
    ),
    # --- schema 2.0: attribution (who asserts what) and modality ---------------------------------
    DatasetRule(
        "attribution_targets_one_row", Severity.error,
        "An attribution says who asserts one fact, so it names exactly one event mention, position or demand.",
        ("SELECT 'attributions' AS tbl, attribution_id AS key, 'mention_id, position_id and demand_id: ' || "
         "((mention_id IS NOT NULL)::INTEGER + (position_id IS NOT NULL)::INTEGER + (demand_id IS NOT NULL)::INTEGER)"
         " || ' of them set, exactly one must be' AS message FROM attributions WHERE "
         "(mention_id IS NOT NULL)::INTEGER + (position_id IS NOT NULL)::INTEGER + (demand_id IS NOT NULL)::INTEGER <> 1",),
        per_article=True,
    ),
    DatasetRule(
        "attribution_chain_consistent", Severity.error,
        "A chain of sources lives in one article and climbs one level per link up to the article itself, "
        "or 'who says so' and 'how many steps from the article' cannot be read from it.",
        ("SELECT 'attribution_sources' AS tbl, s.source_id AS key, 'depth ' || s.depth || CASE WHEN v.source_id "
         "IS NULL THEN ' but the article cites it directly (depth 1)' ELSE ' but it is relayed by ' || v.source_id "
         "|| ' of depth ' || v.depth END AS message FROM attribution_sources s LEFT JOIN attribution_sources v "
         "ON s.via_source_id = v.source_id WHERE s.depth <> coalesce(v.depth + 1, 1)",
         "SELECT 'attribution_sources' AS tbl, s.source_id AS key, 'via_source_id ' || s.via_source_id || "
         "' is in another article' AS message FROM attribution_sources s JOIN attribution_sources v "
         "ON s.via_source_id = v.source_id WHERE s.article_id <> v.article_id",
         "SELECT 'attributions' AS tbl, t.attribution_id AS key, 'source_id ' || t.source_id || ' is in another "
         "article' AS message FROM attributions t JOIN attribution_sources s ON t.source_id = s.source_id "
         "WHERE t.article_id <> s.article_id",
         "SELECT 'attributions' AS tbl, t.attribution_id AS key, 'article_id ' || t.article_id || ' is not the "
         "article of ' || coalesce(t.mention_id, t.position_id, t.demand_id) AS message FROM attributions t "
         + _ATTRIBUTED_ELSEWHERE),
        # Not per article: a chain reaching into another article is what it looks for.
    ),
    DatasetRule(
        "assertion_has_attribution", Severity.error,
        "Every reported fact says who asserts it (the article itself by default), and a fact the article "
        "attributes to a source is not also the article's own.",
        tuple(
            f"SELECT '{t}' AS tbl, x.{k} AS key, '{k} has ' || CASE WHEN count(a.attribution_id) = 0 THEN "
            f"'no attribution (the article itself is the default source)' ELSE 'the article and a cited source "
            f"as its sources' END AS message FROM {t} x LEFT JOIN attributions a ON a.{k} = x.{k} GROUP BY x.{k} "
            f"HAVING count(a.attribution_id) = 0 OR (bool_or(a.source_id IS NULL) AND bool_or(a.source_id IS NOT NULL))"
            for t, k in (("event_mentions", "mention_id"), ("positions", "position_id"), ("demands", "demand_id"))
        ),
        per_article=True,
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
        "Where the windows allow no reading in which it holds, the relation is wrong: a part must lie within its "
        "whole, and an earlier event, cause or proposal cannot start after the latest start of the event it "
        "precedes, causes or is for.",
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
        "denial_scope_valid", Severity.error,
        "A denial for a period ('no calls this week') needs the period it covers, or it reads as 'it never "
        "happened'; a scope on any other report means nothing.",
        ("SELECT 'event_mentions' AS tbl, mention_id AS key, CASE WHEN reported_status = 'denied_for_period' "
         "AND (denial_scope_start IS NULL OR denial_scope_end IS NULL) THEN 'denial_scope_start and "
         "denial_scope_end are needed by reported_status denied_for_period' WHEN reported_status <> "
         "'denied_for_period' THEN 'denial_scope_start/denial_scope_end set, but reported_status is ' || "
         "reported_status ELSE 'denial_scope_start ' || denial_scope_start || ' is after denial_scope_end ' || "
         "denial_scope_end END AS message FROM event_mentions WHERE CASE WHEN reported_status = "
         "'denied_for_period' THEN denial_scope_start IS NULL OR denial_scope_end IS NULL OR denial_scope_start > "
         "denial_scope_end ELSE denial_scope_start IS NOT NULL OR denial_scope_end IS NOT NULL END",),
        per_article=True,
    ),
    DatasetRule(
        "denial_not_contradicted", Severity.warning,
        "A report that denies an event for a period, of an event recorded as having occurred inside that "
        "period, is either a false denial (say so in a note) or a wrong date or scope.",
        ("SELECT 'event_mentions' AS tbl, m.mention_id AS key, 'denial_scope_start ' || m.denial_scope_start || "
         "'..' || m.denial_scope_end || ' contains ' || e.event_id || ' (occurred ' || e.date_start || ')' AS message "
         "FROM event_mentions m JOIN events e ON m.event_id = e.event_id WHERE m.reported_status = "
         "'denied_for_period' AND e.status = 'occurred' AND e.date_start >= m.denial_scope_start AND "
         "coalesce(e.date_end, e.date_start) <= m.denial_scope_end",),
    ),
    DatasetRule(
        "condition_event_reported", Severity.error,
        "A conditional report names the event it depends on, which the same article reports (its evidence), "
        "which is not the event itself, and which leaves the event unasserted.",
        ("SELECT 'event_mentions' AS tbl, m.mention_id AS key, 'condition_event_id ' || m.condition_event_id || "
         "CASE WHEN m.condition_event_id = m.event_id THEN ' is the event itself' ELSE ' is not reported in the "
         "article' END AS message FROM event_mentions m WHERE m.condition_event_id IS NOT NULL AND "
         "(m.condition_event_id = m.event_id OR NOT EXISTS (SELECT 1 FROM event_mentions c WHERE c.article_id = "
         "m.article_id AND c.event_id = m.condition_event_id))",
         "SELECT 'event_mentions' AS tbl, mention_id AS key, 'condition_event_id ' || condition_event_id || ' is "
         "given, but reported_status ' || reported_status || ' asserts the event' AS message FROM event_mentions "
         "WHERE condition_event_id IS NOT NULL AND reported_status IN ('occurred', 'ongoing', 'denied', "
         "'denied_for_period')"),
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
    # --- issue 12 items 4 and 6: verbal-interaction codes, and the time a position holds ------------
    DatasetRule(
        "stance_matches_quad", Severity.error,
        "A position's stance and its code's PLOVER quad class say the same thing twice: support coded as "
        "conflict (or opposition as cooperation) counts the position on the wrong side.",
        ("SELECT 'positions' AS tbl, p.position_id AS key, 'plover_type ' || p.plover_type || ' (' || q.quad_class "
         "|| ', CAMEO ' || p.cameo_code || ') contradicts stance ' || p.stance AS message FROM positions p "
         "JOIN plover_types q ON p.plover_type = q.plover_type WHERE (p.stance = 'support' AND q.quad_class IN "
         "('verbal_conflict', 'material_conflict')) OR (p.stance = 'oppose' AND q.quad_class IN "
         "('verbal_cooperation', 'material_cooperation'))",),
        per_article=True,
    ),
    DatasetRule(
        "demand_code_is_request", Severity.error,
        "A demand is an ask, so it is coded in CAMEO's appeal (02) or demand (10) family and as PLOVER REQUEST; "
        "any other code counts it as another kind of act.",
        ("SELECT 'demands' AS tbl, demand_id AS key, CASE WHEN substring(cameo_code, 1, 2) NOT IN ('02', '10') "
         "THEN 'cameo_code ' || cameo_code || ' is neither an appeal (02x) nor a demand (10x)' ELSE 'plover_type ' "
         "|| coalesce(plover_type, 'null') || ' is not REQUEST' END AS message FROM demands "
         "WHERE substring(cameo_code, 1, 2) NOT IN ('02', '10') OR plover_type IS NULL OR plover_type <> 'REQUEST'",),
        per_article=True,
    ),
    DatasetRule(
        "verbal_code_fits_act", Severity.error,
        "Positions and demands are things said, and a purchase, sanctions or a war are things done: a material "
        "code on words, or a verbal code on a material act, counts the act in the wrong quad class.",
        tuple(
            f"SELECT '{t}' AS tbl, x.{k} AS key, '{col} ' || x.{col} || ' is a material act (' || q.quad_class || "
            f"'): {what}' AS message FROM {t} x "
            + ("JOIN cameo_codes c ON x.cameo_code = c.cameo_code JOIN plover_types q ON c.plover_type = q.plover_type "
               if col == "cameo_code" else "JOIN plover_types q ON x.plover_type = q.plover_type ")
            + "WHERE q.quad_class IN ('material_cooperation', 'material_conflict')"
            for t, k in (("positions", "position_id"), ("demands", "demand_id"))
            for col, what in (("cameo_code", "words are coded with a verbal code (roots 01-05, 09-13)"),
                              ("plover_type", "words take a verbal PLOVER type"))
        ) + (
            "SELECT 'events' AS tbl, e.event_id AS key, 'plover_type ' || e.plover_type || ' (' || q.quad_class || "
            "') is a verbal act, but event_type ' || e.event_type || ' is a material one (' || tq.quad_class || ')' "
            "AS message FROM events e JOIN event_types t ON e.event_type = t.event_type "
            "JOIN plover_types tq ON t.plover_type = tq.plover_type JOIN plover_types q ON e.plover_type = "
            "q.plover_type WHERE tq.quad_class IN ('material_cooperation', 'material_conflict') "
            "AND q.quad_class IN ('verbal_cooperation', 'verbal_conflict')",
        ),
    ),
    DatasetRule(
        "position_period_valid", Severity.error,
        "The time a stance holds is an interval with its evidence, and it cannot begin after the article that "
        "reports it.",
        ("SELECT 'positions' AS tbl, p.position_id AS key, CASE WHEN p.holds_from > p.holds_until THEN "
         "'holds_from ' || p.holds_from || ' is after holds_until ' || p.holds_until WHEN (p.holds_from IS NULL AND "
         "p.holds_until IS NULL) <> (p.holds_basis IS NULL) THEN 'holds_basis is set exactly when holds_from or "
         "holds_until is' ELSE 'holds_from ' || p.holds_from || ' is after the article''s latest date ' || "
         "a.published_date_latest END AS message FROM positions p JOIN articles a ON p.article_id = a.article_id "
         "WHERE p.holds_from > p.holds_until OR (p.holds_from IS NULL AND p.holds_until IS NULL) <> "
         "(p.holds_basis IS NULL) OR p.holds_from > a.published_date_latest",),
        per_article=True,
    ),
    # A null event date is an open side (or an undated event) and bounds nothing: an event under way
    # since before holds_from is not left out, and an event open at the start is checked by its end.
    DatasetRule(
        "position_period_covers_event", Severity.error,
        "A stance voiced at an event holds when the event took place: an event wholly outside the stance's "
        "period means a wrong period or a wrong event.",
        ("SELECT 'positions' AS tbl, p.position_id AS key, 'holds_' || CASE WHEN e.date_start > p.holds_until "
         "THEN 'until ' || p.holds_until ELSE 'from ' || p.holds_from END || ' leaves out event ' || e.event_id || "
         f"' (' || {_dates('e')} || '), where the position was voiced' AS message FROM positions p "
         "JOIN events e ON p.event_id = e.event_id WHERE e.date_start > p.holds_until OR e.date_end < p.holds_from",),
    ),
    DatasetRule(
        "demand_addressees_complete", Severity.error,
        "addressee_actor_id is the first of a demand's addressees and demand_addressees lists them all, numbered "
        "1..n in the article of the demand; a list that disagrees answers 'demands made of X' two ways.",
        ("SELECT 'demands' AS tbl, d.demand_id AS key, 'addressee_actor_id ' || d.addressee_actor_id || ' is not "
         "the first row (addressee_seq 1) of the demand in demand_addressees' AS message FROM demands d "
         "WHERE NOT EXISTS (SELECT 1 FROM demand_addressees x WHERE x.demand_id = d.demand_id "
         "AND x.addressee_seq = 1 AND x.actor_id = d.addressee_actor_id)",
         "SELECT 'demand_addressees' AS tbl, demand_id AS key, 'addressee_seq of the demand''s ' || count(*) || "
         "' addressees does not run 1..' || count(*) AS message FROM demand_addressees GROUP BY demand_id "
         "HAVING max(addressee_seq) <> count(*) OR count(DISTINCT addressee_seq) <> count(*)",
         "SELECT 'demand_addressees' AS tbl, x.demand_id || '|' || x.actor_id AS key, 'article_id ' || x.article_id || "
         "' is not the article of ' || x.demand_id AS message FROM demand_addressees x JOIN demands d "
         "ON x.demand_id = d.demand_id WHERE x.article_id <> d.article_id"),
        per_article=True,
    ),
    DatasetRule(
        "former_holder_stance_dated", Severity.warning,
        "A stance of someone whose every office had ended before the article (a former president) reads as "
        "current unless the position says when it held.",
        ("SELECT 'positions' AS tbl, p.position_id AS key, 'holds_until is not set, but ' || p.actor_id || "
         "' held no office on the article''s earliest date ' || a.published_date_earliest || ' (last office ended ' "
         "|| max(r.end_date) || ')' AS message FROM positions p JOIN articles a ON p.article_id = a.article_id "
         "JOIN actor_roles r ON r.actor_id = p.actor_id WHERE p.holds_until IS NULL "
         "GROUP BY p.position_id, p.actor_id, a.published_date_earliest "
         "HAVING bool_and(r.end_date IS NOT NULL AND r.end_date < a.published_date_earliest)",),
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
