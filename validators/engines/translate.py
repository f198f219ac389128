"""The dataset rules, written once in DuckDB SQL, translated for another engine.

A query is parsed as DuckDB SQL by sqlglot, passed through the short list of syntax-tree rewrites
:data:`REWRITES` (each a named function saying why sqlglot's own translation is not enough), and
written in the target's dialect. sqlglot passes a function it does not know through unchanged and
without a word, so a translation proves nothing by itself: the tests check every translated query
against the target's list of functions (:func:`unknown_functions`), and the parity tests run them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib.resources import files

import sqlglot
from sqlglot import exp

from diplonews.validators.dataset_rules import DatasetRule

SOURCE_DIALECT = "duckdb"


def full_match_as_anchored_rlike(tree: exp.Expression) -> exp.Expression:
    """``regexp_full_match(x, 'p')`` → ``x RLIKE '^(?:p)\\z'``.

    Spark has no full-match function and sqlglot writes DuckDB's through unchanged (Spark rejects it).
    RLIKE finds the pattern anywhere, so it is anchored, and at the end with ``\\z``: Java's ``$``
    also matches before a final newline, which would let the enum-like value ``'en\\n'`` pass.
    """
    for node in list(tree.find_all(exp.RegexpFullMatch)):
        pattern = node.expression
        if not pattern.is_string:
            raise ValueError(f"regexp_full_match needs a literal pattern to translate: {node.sql('duckdb')}")
        anchored = exp.Literal.string(f"^(?:{pattern.name})\\z")
        node.replace(exp.RegexpLike(this=node.this, expression=anchored))
    return tree


# Java's lower() applies Unicode's full, context-sensitive case mapping: 'İ' becomes 'i' and a
# combining dot (two code points), and a capital sigma at the end of a word becomes final 'ς'.
# DuckDB maps each code point on its own ('İ' → 'i', 'Σ' → 'σ'). These are the two mappings where
# the two differ (SpecialCasing.txt's only unconditional and context-dependent lowercase entries).
_SIMPLE_LOWER_FIRST = (("İ", "I"), ("Σ", "σ"))


def lower_by_code_point(tree: exp.Expression) -> exp.Expression:
    """``lower(x)`` → ``lower(replace(replace(x, 'İ', 'I'), 'Σ', 'σ'))``: DuckDB's per-code-point lowercase.

    A case-insensitive key must fold the same on every engine, or the same aliases group differently.
    (The lasting fix is a key folded once at build time and stored in the table; until then the
    two characters whose lowercase differs are mapped first, as DuckDB maps them.)
    """
    for node in list(tree.find_all(exp.Lower)):
        arg = node.this
        for upper, simple in _SIMPLE_LOWER_FIRST:
            arg = exp.func("replace", arg, exp.Literal.string(upper), exp.Literal.string(simple))
        node.set("this", arg)
    return tree


Rewrite = Callable[[exp.Expression], exp.Expression]

REWRITES: dict[str, tuple[Rewrite, ...]] = {
    "spark": (full_match_as_anchored_rlike, lower_by_code_point),
}
"""Engine → the syntax-tree rewrites applied, in order, between parsing DuckDB SQL and writing the engine's."""

OVERRIDES: dict[tuple[str, str], tuple[str, ...]] = {}
"""(rule name, engine) → the rule's queries written by hand in the engine's SQL, when no rewrite can
translate them; each entry needs a comment saying why. Empty: every rule translates."""


def translate(sql: str, engine: str) -> str:
    """One DuckDB query in ``engine``'s SQL (unchanged for ``duckdb``)."""
    if engine == SOURCE_DIALECT:
        return sql
    tree = sqlglot.parse_one(sql, read=SOURCE_DIALECT)
    for rewrite in REWRITES[engine]:
        tree = rewrite(tree)
    return tree.sql(dialect=engine, unsupported_level=sqlglot.ErrorLevel.RAISE)


def rule_queries(rule: DatasetRule, engine: str) -> tuple[str, ...]:
    """A rule's queries in ``engine``'s SQL: its override if it has one, else each query translated."""
    override = OVERRIDES.get((rule.name, engine))
    if override is not None:
        return override
    return tuple(translate(q, engine) for q in rule.queries)


@cache
def known_functions(engine: str) -> frozenset[str]:
    """The function names ``engine`` knows, lowercase, from the list shipped beside this module."""
    text = files(__package__).joinpath(f"{engine}_functions.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def unknown_functions(sql: str, engine: str) -> set[str]:
    """Names of the functions ``sql`` (in ``engine``'s dialect) calls that ``engine`` does not know."""
    # The name as the engine reads it: each function node written back in the engine's dialect
    # starts with it (those written as operators, such as RLIKE, are syntax the parser checked).
    calls = (_CALL.match(f.sql(dialect=engine)) for f in sqlglot.parse_one(sql, read=engine).find_all(exp.Func))
    return {m[1].lower() for m in calls if m} - known_functions(engine)


_CALL = re.compile(r"([A-Za-z_][A-Za-z_0-9]*)\(")
