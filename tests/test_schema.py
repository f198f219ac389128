"""One source of truth: generated files match the models; every table and column is described and used."""

from __future__ import annotations

import json

import jsonschema
import pyarrow.parquet as pq

from diplonews.schema import TABLES
from diplonews.schema.columns import columns
from diplonews.schema.generate import arrow_schema, drifted, generated_files


def test_generated_files_have_not_drifted(repo):
    assert drifted(repo) == [], "run 'diplonews schema' and commit the result"


def test_every_table_has_every_generated_artefact():
    files = generated_files()
    ddl = files["schema/ddl.sql"]
    for t in TABLES:
        assert f"schema/json/{t.table_name}.schema.json" in files
        assert f"CREATE TABLE {t.table_name} (" in ddl
        assert f"## `{t.table_name}`" in files["docs/schema.md"]
        assert (t.__doc__ or "").strip(), t.table_name


def test_every_column_is_described_and_keys_exist():
    for t in TABLES:
        names = [c.name for c in columns(t)]
        assert all(c.description for c in columns(t))
        assert set(t.primary_key) <= set(names), t.table_name
        for fk in t.foreign_keys:
            target = next(m for m in TABLES if m.table_name == fk.table)
            assert set(fk.fields) <= set(names) and set(fk.ref_fields) <= set(target.model_fields)


def test_every_column_is_used_by_the_seed_data(seed_build):
    # a column that is null in every row of the seed corpus is a column nobody has exercised
    unused = []
    for t in TABLES:
        table = pq.read_table(seed_build / "parquet" / f"{t.table_name}.parquet")
        unused += [f"{t.table_name}.{c}" for c in table.column_names if table.column(c).null_count == len(table)]
    allowed = {"articles.url", "actors.wikidata_id"}  # never guessed: empty until a checked source exists
    assert set(unused) <= allowed, sorted(set(unused) - allowed)


def test_parquet_files_use_the_arrow_schemas(seed_build):
    for t in TABLES:
        schema = pq.read_schema(seed_build / "parquet" / f"{t.table_name}.parquet")
        assert schema.equals(arrow_schema(t), check_metadata=False), t.table_name


def test_json_tables_validate_against_generated_json_schemas(repo, seed_build):
    for t in TABLES:
        schema = json.loads((repo / "schema" / "json" / f"{t.table_name}.schema.json").read_text())
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        for row in json.loads((seed_build / "json" / f"{t.table_name}.json").read_text()):
            validator.validate(row)


def test_json_schema_rejects_a_bad_row(repo, seed_build):
    # A row missing most required fields would fail for those alone: start from a valid row, so the
    # only error left is the enum value the test is about.
    schema = json.loads((repo / "schema" / "json" / "events.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    row = json.loads((seed_build / "json" / "events.json").read_text())[0]
    assert list(validator.iter_errors(row)) == []
    errors = list(validator.iter_errors({**row, "status": "happened"}))
    assert [(list(e.path), e.validator) for e in errors] == [(["status"], "enum")]


def test_annotation_files_validate_against_the_editor_schema(repo):
    from diplonews.builders.sources.yamlsource import parse_yaml

    schema = json.loads((repo / "schema" / "json" / "annotation.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((repo / "seeds" / "annotations").glob("*.yaml")):
        validator.validate(parse_yaml(path.read_text(encoding="utf-8"), str(path)))


def test_aliases_are_compared_by_one_fold_that_no_engine_decides(seed_build):
    """alias_key folds case as Unicode's full case folding does, 'İ' as Turkish does, and compatibility
    forms alike; the seeds' built alias_key is that function of the alias on every row."""
    from diplonews.schema.fields import alias_key

    assert alias_key("İlhan") == alias_key("ilhan") == alias_key("ILHAN") == "ilhan"
    assert alias_key("ΣΑΜΑΡΑΣ") == alias_key("σαμαρας") == "σαμαρασ"  # final sigma folds with sigma
    assert alias_key("Straße") == alias_key("STRASSE")
    assert alias_key("ﬁdan") == "fidan"  # the ligature is two letters
    assert alias_key("Erdoğan") != alias_key("Erdogan")  # accents are not case: they still differ
    table = pq.read_table(seed_build / "parquet" / "actor_aliases.parquet").to_pylist()
    assert table and all(row["alias_key"] == alias_key(row["alias"]) for row in table)


def test_event_types_take_the_plover_type_of_their_cameo_code():
    """An event type's default PLOVER type is its CAMEO code's by PLOVER's translation table (the
    cameo_codes crosswalk), so events and the positions and demands coded like them count alike; CAMEO's
    appeals (02), which PLOVER drops, are REQUEST as for demands (schema/codebook/SOURCES.md)."""
    from diplonews.builders.compile.codebook import codebook_rows, plover_of
    from diplonews.schema.annotation import DEMAND_PLOVER

    differ = [(t["event_type"], t["cameo_code"], t["plover_type"], plover_of(t["cameo_code"]))
              for t in codebook_rows()["event_types"] if t["cameo_code"]
              and t["plover_type"] != (plover_of(t["cameo_code"]) or
                                       (DEMAND_PLOVER if t["cameo_code"].startswith("02") else None))]
    assert differ == []


def test_table_groups_match_the_models_and_codebooks():
    from diplonews.builders.compile.codebook import codebook_rows
    from diplonews.schema import ARTICLE_TABLES, CODEBOOK_TABLES, TABLES

    assert set(ARTICLE_TABLES) == {t.table_name for t in TABLES if "article_id" in t.model_fields}
    assert set(CODEBOOK_TABLES) == set(codebook_rows())


def test_a_column_name_means_the_same_in_every_table():
    """One definition per column name (as PUDL's FIELD_METADATA): where tables share a column, its
    type, constraints and enum are the same (descriptions may say what the column is in that table)."""
    from diplonews.schema.columns import columns

    seen: dict[str, tuple[str, object]] = {}
    differ = []
    for t in TABLES:
        for c in columns(t):
            what = (c.kind, c.enum, c.pattern, c.minimum, c.min_length)
            if c.name in seen and seen[c.name][1] != what:
                differ.append(f"{c.name}: {seen[c.name][0]} {seen[c.name][1]} vs {t.table_name} {what}")
            seen.setdefault(c.name, (t.table_name, what))
    assert differ == []


def test_every_enum_value_has_a_figure_colour():
    from diplonews.builders.publish.figures import STATUS_COLOURS, TYPE_COLOURS
    from diplonews.schema.enums import ActorType, EventStatus

    assert set(STATUS_COLOURS) == {s.value for s in EventStatus}
    assert set(TYPE_COLOURS) == {t.value for t in ActorType}


def test_the_guide_rule_table_is_made_from_the_rules(repo, tmp_path):
    from diplonews.validators.catalog import GUIDE, RULE_GROUPS, rules_table_drifted, write_rules_table

    assert not rules_table_drifted(repo), "run 'diplonews schema' and commit the result"
    text = (repo / GUIDE).read_text(encoding="utf-8")
    assert all(f"| `{rule.name}` | {rule.severity.value} |" in text for group in RULE_GROUPS.values() for rule in group)
    copy = tmp_path / GUIDE
    copy.parent.mkdir(parents=True)
    copy.write_text(text.replace("| `quote_found` |", "| `quote_found_renamed` |"), encoding="utf-8")
    assert rules_table_drifted(tmp_path)
    assert write_rules_table(tmp_path) and not rules_table_drifted(tmp_path)
