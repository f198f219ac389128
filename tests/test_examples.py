"""The examples in tests/examples/ as tests, in the manner of linkml's valid/invalid example folders.

Every folder in ``valid/`` is a complete sources folder that builds and validates with no finding at
all. Every folder ``invalid/<rule>/`` holds one ``change.yaml``: a small change to the valid example
``valid/minimal``, stored as data, that makes the rule named by the folder fire. Its format is
described in tests/examples/README.md.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from diplonews.api import validate
from diplonews.builders.pipeline import build
from diplonews.cli import main
from diplonews.validators.catalog import RULE_GROUPS
from diplonews.validators.findings import Report

from .synthetic import write_dataset

EXAMPLES = Path(__file__).parent / "examples"
VALID = sorted(p for p in (EXAMPLES / "valid").iterdir() if p.is_dir())
BASE = EXAMPLES / "valid" / "minimal"
"""The valid example every invalid example changes."""
INVALID = EXAMPLES / "invalid"

RULE_CHECKS = {rule.name: checks for checks, group in RULE_GROUPS.items() for rule in group}
"""Each rule and what it checks, as ``diplonews rules`` groups them (test_cli_lists_exactly_these_rules holds
the two together)."""
SEVERITY = {rule.name: rule.severity for group in RULE_GROUPS.values() for rule in group}

KINDS = {"source": {"source", "tables"}, "built folder": {"files"}, "built table": {"tables"}}
"""Each kind of example, and the rules (by what they check) it may be an example of."""

ALSO_FIRES = {"source": set(), "built folder": {"checksums_match"}, "built table": {"checksums_match"}}
"""What else an example of each kind may make fire besides its own rule."""

NOT_FROM_SOURCES = {
    "primary_key_unique": "IDs are refused by duplicate_id, and the build merges an alias listed twice",
    "column_constraints": "source_schema checks the same types, enums and patterns in the sources first",
    "foreign_key_resolves": "unknown_reference refuses a link to a missing ID in the sources first",
    "position_has_object": "source_schema refuses a position with neither topic nor target first",
    "span_within_text": "the build computes spans from quotes found in the text",
    "quote_matches_span": "the build takes every quote from the text at its span",
    "text_hash_matches": "the build computes text_sha256 from the text it publishes",
    "text_withheld_only_if_restricted": "the build publishes every text; only a standoff release withholds one",
    "attribution_targets_one_row": "the build writes one attribution per event mention, position or demand",
    "attribution_chain_consistent": "the build computes depths from via: and keeps each chain in its file",
    "assertion_has_attribution": "the build attributes every fact, to the article when it names no source",
    "denial_scope_valid": "source_schema refuses a denied_for_period report without its scope first",
    "demand_addressees_complete": "the build writes the addressee rows from addressee:, the first named first",
}
"""Table rules that no sources folder can make fire, so their example changes a built Parquet table."""


def _example(rule: str) -> dict:
    """The parsed ``change.yaml`` of the invalid example named after ``rule``."""
    return yaml.safe_load((INVALID / rule / "change.yaml").read_text(encoding="utf-8"))


def _change_table(folder: Path, change: dict) -> None:
    """Set columns of the rows of a built table that match ``where``, and write the table back."""
    rows = pq.read_table(folder / "parquet" / f"{change['table']}.parquet").to_pylist()
    hits = [r for r in rows if all(r[k] == v for k, v in change["where"].items())]
    assert hits, f"no row of {change['table']} matches {change['where']}"
    for row in hits:
        row.update(change["set"])
    write_dataset({change["table"]: rows}, folder)


def _apply(folder: Path, changes: list[dict]) -> None:
    """Apply an example's changes, in order, to ``folder`` (a copy of the valid sources or of their build)."""
    for change in changes:
        if "table" in change:
            _change_table(folder, change)
            continue
        path = folder / change["file"]
        if "replace" in change:
            text = path.read_text(encoding="utf-8")
            # A replace that matches nothing would leave the example valid: fail rather than test nothing.
            assert change["replace"] in text, f"{change['file']} has no {change['replace']!r}"
            path.write_text(text.replace(change["replace"], change["with"], 1), encoding="utf-8")
        elif "append" in change:
            path.write_text(path.read_text(encoding="utf-8") + change["append"], encoding="utf-8")
        elif "content" in change:
            path.write_text(change["content"], encoding="utf-8")
        elif "copy_of" in change:
            shutil.copyfile(folder / change["copy_of"], path)
        elif "rename_to" in change:
            path.rename(folder / change["rename_to"])
        elif "symlink_to" in change:
            path.symlink_to(change["symlink_to"])
        elif change.get("make_folder"):
            path.unlink()
            path.mkdir()
        else:
            raise ValueError(f"unknown change: {change}")


def _report(rule: str, tmp_path: Path, valid_build: Path) -> Report:
    """The report on the valid example changed as the invalid example of ``rule`` says: of a build of
    the changed sources, or of validating the changed built folder."""
    example = _example(rule)
    if example["kind"] == "source":
        sources = tmp_path / "sources"
        shutil.copytree(BASE, sources)
        _apply(sources, example["changes"])
        return build(sources, tmp_path / "dataset").report
    dataset = tmp_path / "dataset"
    shutil.copytree(valid_build, dataset)
    _apply(dataset, example["changes"])
    return validate(dataset)


@pytest.fixture(scope="module")
def valid_build(tmp_path_factory) -> Path:
    """The valid example ``valid/minimal``, built once for the examples that change a built folder."""
    out = tmp_path_factory.mktemp("examples") / "dataset"
    assert build(BASE, out).written
    return out


def test_cli_lists_exactly_these_rules(capsys):
    assert main(["rules", "--format", "json"]) == 0
    listed = {r["name"]: r["checks"] for r in json.loads(capsys.readouterr().out)}
    assert listed == RULE_CHECKS


def test_every_example_names_a_rule_and_is_well_formed():
    """No stale examples: every folder of invalid/ is named after a listed rule and holds a usable change."""
    for folder in sorted(INVALID.iterdir()):
        assert folder.name in RULE_CHECKS, f"{folder} names no rule"
        assert [p.name for p in folder.iterdir()] == ["change.yaml"], folder
        example = _example(folder.name)
        assert example.keys() == {"why", "kind", "changes"}, folder
        assert example["why"].strip() and example["changes"], folder
        assert RULE_CHECKS[folder.name] in KINDS[example["kind"]], f"{folder}: a {example['kind']} example"


def test_only_rules_no_source_can_break_change_a_built_table():
    built_table = {rule for rule in RULE_CHECKS if _example(rule)["kind"] == "built table"}
    assert built_table == set(NOT_FROM_SOURCES)


@pytest.mark.slow
@pytest.mark.parametrize("sources", VALID, ids=[p.name for p in VALID])
def test_valid_example_fires_no_rule(sources, tmp_path):
    result = build(sources, tmp_path / "dataset")
    assert result.written and result.report.findings == [], result.report.render()
    report = validate(tmp_path / "dataset")
    assert report.findings == [], report.render()


@pytest.mark.slow
@pytest.mark.parametrize("rule", sorted(RULE_CHECKS))
def test_invalid_example_fires_its_rule(rule, tmp_path, valid_build):
    assert (INVALID / rule / "change.yaml").is_file(), f"no example for rule {rule}"
    report = _report(rule, tmp_path, valid_build)
    fired = [f for f in report.findings if f.rule == rule]
    assert fired, report.render()
    assert {f.severity for f in fired} == {SEVERITY[rule]}
    kind = _example(rule)["kind"]
    # Each example breaks its rule alone; a change to a built file also changes its SHA-256.
    assert set(report.by_rule()) - {rule} <= ALSO_FIRES[kind], report.render()
    if kind == "source":
        # A finding on the sources points at the file and line to fix.
        assert all(f.file and f.line for f in fired), report.render()
