"""What the build would say of a registry edit, before it is written.

``actor|event|topic add`` compile the registry file as they would write it, beside the other registry
files as they are, and run the build's own checks on the result: the source rules of compiling and
merging the registries, and every cross-table error rule that reads a table the edited kind of
registry fills. What those find with the edit and not without it is what the edit would break, so no
check of the build is copied here and none can drift.
"""

from __future__ import annotations

import functools
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import duckdb
import pyarrow as pa

from diplonews.builders.assemble import to_arrow
from diplonews.builders.compile.codebook import codebook_rows
from diplonews.builders.compile.registry import (
    REGISTRY_OUTPUTS,
    RegistryResult,
    compile_registry_file,
    merge_registries,
    registry_files,
)
from diplonews.validators.dataset import run_rule
from diplonews.validators.dataset_rules import RULES, DatasetRule, tables_read
from diplonews.validators.findings import Finding, Severity

ALL_FINDINGS = 1 << 62
"""A listing limit no rule reaches: an error the edit adds must not hide behind the ones already there."""


def errors_added(seeds: Path, path: Path, text: str) -> list[Finding]:
    """The errors the build of ``seeds`` would report with registry file ``path`` holding ``text`` that it does
    not report now (source-rule errors first, then the cross-table rules' in rule order).

    The annotation files are left out: their tables are empty on both sides, and a registry entry added
    changes none of their rows."""
    files = registry_files(Path(seeds))
    kind = next(k for k, p in files if p == path)
    others = {p: compile_registry_file(k, p, str(p)) for k, p in files if p != path}
    with tempfile.TemporaryDirectory(prefix="diplonews-edit-") as tmp:
        edited = Path(tmp) / path.name
        edited.write_text(text, encoding="utf-8")
        trial = compile_registry_file(kind, edited, str(path))
    rules = _rules(frozenset(REGISTRY_OUTPUTS[kind]))
    after = _errors([others.get(p, trial) for _, p in files], rules)
    if not after:  # the usual case: the registries as they are need not be checked
        return []
    now = compile_registry_file(kind, path, str(path))
    before = Counter(map(_same, _errors([others.get(p, now) for _, p in files], rules)))
    added = []
    for finding in after:
        if before[_same(finding)]:
            before[_same(finding)] -= 1
        else:
            added.append(finding)
    return added


def _rules(tables: frozenset[str]) -> list[DatasetRule]:
    """The error rules, each with only its queries that read one of ``tables``: a query reading none of them
    finds the same with and without the edit, so it is not run."""
    out = []
    for rule in RULES:
        queries = tuple(q for q in rule.queries if tables_read(q) & tables)
        if rule.severity is Severity.error and queries:
            out.append(replace(rule, queries=queries))
    return out


@functools.lru_cache(maxsize=None)
def _fixed_table(name: str) -> pa.Table:
    """A table no registry fills: a codebook, as the build writes it, or an annotation table, empty."""
    return to_arrow(name, codebook_rows().get(name, []))


def _same(f: Finding) -> tuple:
    # Lines are left out: an edit may move the entries after it, which does not make their findings new.
    return f.rule, f.file, f.table, f.key, f.message


def _errors(results: list[RegistryResult], rules: list[DatasetRule]) -> list[Finding]:
    """The errors of the registry files' results merged, and of ``rules`` on their tables with the codebooks."""
    merged = merge_registries(results)
    found = [f for f in merged.findings if f.severity is Severity.error]
    con = duckdb.connect(config={"threads": 1})  # a few rows: more threads only cost their start
    try:
        for name in frozenset().union(*(r.reads for r in rules)):
            pieces = merged.parts.get(name) or [_fixed_table(name)]
            con.register(name, pa.concat_tables(pieces))
        for rule in rules:
            found += run_rule(con, rule, ALL_FINDINGS)[0]
    finally:
        con.close()
    return found
