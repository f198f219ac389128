"""The shipped codebooks (CAMEO, PLOVER, our event types) as table rows."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path


def _codebook_dir() -> Path:
    # Installed as a package, schema/ lives at diplonews/schema; in a checkout, next to builders/.
    from diplonews import schema

    return Path(schema.__file__).resolve().parent / "codebook"


def _read(name: str) -> list[dict]:
    with open(_codebook_dir() / name, encoding="utf-8", newline="") as fh:
        return [{k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(fh)]


@cache
def codebook_rows() -> dict[str, list[dict]]:
    """Rows of the cameo_codes, plover_types and event_types tables."""
    cameo = _read("cameo_codes.csv")
    for row in cameo:
        row["goldstein_scale"] = float(row["goldstein_scale"]) if row["goldstein_scale"] is not None else None
    plover = _read("plover_types.csv")
    event_types = _read("event_types.csv")
    return {"cameo_codes": cameo, "plover_types": plover, "event_types": event_types}


@cache
def _crosswalk() -> dict[str, str | None]:
    return {row["cameo_code"]: row["plover_type"] for row in codebook_rows()["cameo_codes"]}


def plover_of(cameo_code: str) -> str | None:
    """The PLOVER type of a CAMEO code by PLOVER's CAMEO translation (cameo_codes.plover_type); None where
    PLOVER drops the code (statements, appeals) or the code is not in the codebook (codes_in_codebook says so)."""
    return _crosswalk().get(cameo_code)
