"""Parquet <-> JSON <-> models carry the same rows."""

from __future__ import annotations

import json

import pyarrow.parquet as pq

from diplonews.schema import TABLES


def test_parquet_json_models_round_trip(seed_build):
    for t in TABLES:
        from_parquet = pq.read_table(seed_build / "parquet" / f"{t.table_name}.parquet").to_pylist()
        json_file = (seed_build / "json" / f"{t.table_name}.json").read_text(encoding="utf-8")
        from_json = json.loads(json_file)
        models_p = [t.model_validate(r) for r in from_parquet]
        models_j = [t.model_validate(r) for r in from_json]
        assert models_p == models_j, t.table_name
        # models -> JSON gives back the published rows
        assert [m.model_dump(mode="json") for m in models_p] == from_json, t.table_name
