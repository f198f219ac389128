"""The engines and the translation of the rules, without Java: every rule translates to Spark SQL
that calls only functions Spark has, each rewrite does what it says, and findings sort alike."""

from __future__ import annotations

import pytest
import sqlglot

from diplonews.errors import UserError
from diplonews.validators.dataset_rules import RULES, DatasetRule
from diplonews.validators.engines import ENGINES, engine_factory
from diplonews.validators.engines import translate as tr
from diplonews.validators.engines.duckdb import DuckDBEngine
from diplonews.validators.findings import Severity


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_every_rule_translates_to_functions_spark_knows(rule):
    queries = tr.rule_queries(rule, "spark")
    assert len(queries) == len(rule.queries)
    for sql in queries:
        assert tr.unknown_functions(sql, "spark") == set(), sql


def test_the_function_check_catches_what_sqlglot_passes_through():
    # Without the rewrites sqlglot writes DuckDB's regexp_full_match unchanged, and Spark has no such function.
    rule = next(r for r in RULES if r.name == "column_constraints")
    plain = sqlglot.transpile(rule.queries[0], read="duckdb", write="spark")[0]
    assert tr.unknown_functions(plain, "spark") == {"regexp_full_match"}


def test_the_spark_function_list_is_spark_s():
    known = tr.known_functions("spark")
    assert {"rlike", "listagg", "explode", "sha2", "lower", "replace", "row_number"} <= known
    assert not {"regexp_full_match", "list_filter", "string_agg_distinct"} & known


def _rewrite(rewrite, sql: str) -> str:
    return rewrite(sqlglot.parse_one(sql, read="duckdb")).sql(dialect="spark")


def test_full_match_becomes_an_rlike_anchored_at_the_very_end():
    out = _rewrite(tr.full_match_as_anchored_rlike, "SELECT regexp_full_match(x, '[a-z]{2,3}') FROM t")
    # \z in Java, not $ (which also matches before a final newline); the backslash escaped in a Spark literal.
    assert out == "SELECT x RLIKE '^(?:[a-z]{2,3})\\\\z' FROM t"


def test_full_match_of_a_computed_pattern_is_refused():
    with pytest.raises(ValueError, match="literal pattern"):
        _rewrite(tr.full_match_as_anchored_rlike, "SELECT regexp_full_match(x, y) FROM t")


def test_lower_maps_the_two_special_capitals_first():
    out = _rewrite(tr.lower_by_code_point, "SELECT lower(alias) FROM t GROUP BY lower(alias)")
    folded = "LOWER(REPLACE(REPLACE(alias, 'İ', 'I'), 'Σ', 'σ'))"
    assert out == f"SELECT {folded} FROM t GROUP BY {folded}"


def test_duckdb_sql_is_not_translated():
    rule = RULES[0]
    assert tr.rule_queries(rule, "duckdb") == rule.queries


def test_an_override_replaces_the_translation(monkeypatch):
    rule = RULES[0]
    monkeypatch.setitem(tr.OVERRIDES, (rule.name, "spark"), ("SELECT 'a' AS tbl, 'b' AS key, 'c' AS message",))
    assert tr.rule_queries(rule, "spark") == ("SELECT 'a' AS tbl, 'b' AS key, 'c' AS message",)


def test_findings_sort_by_table_key_and_message_nulls_last_per_query():
    values = "SELECT * FROM (VALUES ('t', 'k', 'b'), ('t', NULL, 'c'), ('t', 'k', 'a'), ('s', 'z', 'z')) v(tbl, key, message)"
    rule = DatasetRule("r", Severity.error, "Why.", (values, "SELECT 'a' AS tbl, 'a' AS key, 'a' AS message"))
    engine = DuckDBEngine()
    assert engine.run(rule, 3) == ([("s", "z", "z"), ("t", "k", "a"), ("t", "k", "b"), ("a", "a", "a")], 5)


def test_engine_factory_refuses_what_it_cannot_make():
    assert ENGINES[0] == "duckdb" and engine_factory() is DuckDBEngine
    with pytest.raises(UserError, match="unknown engine"):
        engine_factory("postgres")
    with pytest.raises(UserError, match="the engine is duckdb") as refused:
        engine_factory("duckdb", master="local[2]")
    assert "engine='spark'" in refused.value.hint


def test_spark_engine_without_pyspark_is_a_user_error(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pyspark", None)  # as if not installed
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(UserError, match="needs pyspark") as refused:
        engine_factory("spark")()
    assert "diplonews[spark]" in refused.value.hint


def test_validate_on_spark_takes_a_dataset_folder_not_sources(repo):
    from diplonews.api import validate
    from diplonews.errors import UserError

    with pytest.raises(UserError, match="holds sources"):
        validate(repo / "seeds", engine="spark")


def test_cli_validate_names_its_engine():
    from diplonews.cli import parser

    args = parser().parse_args(["validate", "dataset", "--engine", "spark", "--spark-master", "spark://host:7077"])
    assert (args.engine, args.spark_master) == ("spark", "spark://host:7077")
    assert parser().parse_args(["validate"]).engine == "duckdb"
