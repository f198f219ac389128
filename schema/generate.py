"""Everything derived from the table models: JSON Schema, Arrow, Frictionless, DDL and docs.

``generated_files()`` returns every committed generated file as text; a test
compares it to the working tree, so nothing drifts from the models.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

from .annotation import ActorRegistry, AnnotationFile, EventRegistry, TopicRegistry
from .columns import Column, columns, table_description
from .tables import TABLES, Table

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_ARROW = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(), "date": pa.date32()}
_FRICTIONLESS = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean", "date": "date"}
_DUCKDB = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"}


def dumps(obj: object) -> str:
    """Canonical JSON text used for every generated JSON file (stable key order, trailing newline)."""
    return json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def arrow_type(col: Column) -> pa.DataType:
    """Arrow type of a column: enums are dictionary-encoded strings, dates are date32."""
    if col.enum is not None:
        return pa.dictionary(pa.int32(), pa.string())
    return _ARROW[col.kind]


def arrow_schema(model: type[Table]) -> pa.Schema:
    """The explicit Arrow schema the Parquet writer uses for a table."""
    return pa.schema(
        [
            pa.field(c.name, arrow_type(c), nullable=c.nullable, metadata={"description": c.description})
            for c in columns(model)
        ],
        metadata={"table": model.table_name, "primary_key": ",".join(model.primary_key)},
    )


def table_json_schema(model: type[Table]) -> dict:
    """JSON Schema of one row of the table, as in dataset/json/<table>.json."""
    schema = model.model_json_schema(mode="serialization")
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"https://diplonews.org/schema/{model.table_name}.schema.json",
        **schema,
    }


def source_json_schema(model: type, name: str) -> dict:
    """JSON Schema of a hand-written source file (for editors and for users' own checks)."""
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"https://diplonews.org/schema/{name}.schema.json",
        **model.model_json_schema(mode="validation"),
    }


def frictionless_schema(model: type[Table]) -> dict:
    """Frictionless Table Schema (fields, constraints, categories, keys) of a table."""
    fields = []
    for c in columns(model):
        field: dict = {"name": c.name, "type": _FRICTIONLESS[c.kind], "description": c.description}
        constraints: dict = {}
        if not c.nullable:
            constraints["required"] = True
        if c.enum is not None:
            constraints["enum"] = list(c.enum)
            field["categories"] = list(c.enum)
        if c.pattern is not None:
            constraints["pattern"] = c.pattern.removeprefix("^").removesuffix("$")
        if c.minimum is not None:
            constraints["minimum"] = c.minimum
        if c.min_length is not None:
            constraints["minLength"] = c.min_length
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema: dict = {"fields": fields, "missingValues": [""], "primaryKey": list(model.primary_key)}
    if model.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(k.fields),
                "reference": {"resource": k.table, "fields": list(k.ref_fields)},
            }
            for k in model.foreign_keys
        ]
    return schema


def ddl(model: type[Table]) -> str:
    """DuckDB CREATE TABLE statement for a table (enums as CHECK constraints)."""
    lines = []
    for c in columns(model):
        line = f"    {c.name} {_DUCKDB[c.kind]}"
        if not c.nullable:
            line += " NOT NULL"
        if c.enum is not None:
            values = ", ".join(f"'{v}'" for v in c.enum)
            line += f" CHECK ({c.name} IN ({values}))"
        lines.append(line)
    lines.append(f"    PRIMARY KEY ({', '.join(model.primary_key)})")
    return f"CREATE TABLE {model.table_name} (\n" + ",\n".join(lines) + "\n);\n"


def schema_markdown() -> str:
    """The schema reference (docs/schema.md)."""
    out = [
        "# Schema reference",
        "",
        "Generated from the pydantic models in `schema/tables.py` by `diplonews schema`; do not edit by hand.",
        "Offsets are Unicode code points into `articles.text`, end-exclusive: `quote == text[span_start:span_end]`.",
        "",
    ]
    for model in TABLES:
        out += [f"## `{model.table_name}`", "", table_description(model), ""]
        out.append(f"Primary key: `{', '.join(model.primary_key)}`.")
        for k in model.foreign_keys:
            out.append(f"Foreign key: `{', '.join(k.fields)}` → `{k.table}.{', '.join(k.ref_fields)}`.")
        out += ["", "| column | type | null | description |", "|---|---|---|---|"]
        for c in columns(model):
            kind = c.kind + (f" ({' / '.join(c.enum)})" if c.enum else "")
            out.append(f"| `{c.name}` | {kind} | {'yes' if c.nullable else 'no'} | {c.description} |")
        out.append("")
    return "\n".join(out)


SOURCE_SCHEMAS = {
    "annotation": AnnotationFile,
    "registry-actors": ActorRegistry,
    "registry-events": EventRegistry,
    "registry-topics": TopicRegistry,
}


def generated_files() -> dict[str, str]:
    """Every committed generated file, keyed by its path relative to the repository root."""
    files = {}
    for model in TABLES:
        files[f"schema/json/{model.table_name}.schema.json"] = dumps(table_json_schema(model))
    for name, model in SOURCE_SCHEMAS.items():
        files[f"schema/json/{name}.schema.json"] = dumps(source_json_schema(model, name))
    files["schema/ddl.sql"] = "-- Generated from schema/tables.py; do not edit.\n\n" + "\n".join(
        ddl(m) for m in TABLES
    )
    files["schema/arrow_schemas.txt"] = "\n".join(
        f"# {m.table_name}\n{arrow_schema(m).to_string(show_field_metadata=False, show_schema_metadata=False)}\n"
        for m in TABLES
    )
    files["docs/schema.md"] = schema_markdown()
    return files


def write_generated(root: Path) -> list[str]:
    """Write the generated files under ``root``; return the paths that changed."""
    changed = []
    for rel, text in generated_files().items():
        path = root / rel
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(rel)
    return changed


def drifted(root: Path) -> list[str]:
    """Generated files under ``root`` that differ from what the models generate now."""
    return [
        rel
        for rel, text in generated_files().items()
        if not (root / rel).exists() or (root / rel).read_text(encoding="utf-8") != text
    ]
