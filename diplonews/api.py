"""Library functions behind the CLI: build, validate, load, connect."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from diplonews.builders.build import BuildResult
    from diplonews.validators.findings import Report

_CHECKOUT = Path(__file__).resolve().parent.parent


def default_dataset_dir() -> Path:
    """The dataset folder of this checkout (``<repo>/dataset``)."""
    return _CHECKOUT / "dataset"


def build(seeds: str | Path = "seeds", out: str | Path = "dataset") -> BuildResult:
    """Compile annotation sources into a validated dataset folder (unchanged if anything fails)."""
    from diplonews.builders.build import build as _build

    return _build(Path(seeds), Path(out))


def validate(path: str | Path) -> Report:
    """Validate a dataset folder (cross-table SQL rules) or a seeds folder (source rules + a trial build)."""
    path = Path(path)
    if (path / "registry").is_dir() or (path / "annotations").is_dir():
        return _validate_seeds(path)
    from diplonews.validators.dataset import validate_dataset

    return validate_dataset(path)


def _validate_seeds(seeds: Path) -> Report:
    import tempfile

    from diplonews.builders.build import build as _build

    # A trial build into a scratch folder runs the source rules and the cross-table rules
    # on exactly what would be published, without touching the real dataset.
    with tempfile.TemporaryDirectory(prefix="diplonews-validate-") as tmp:
        return _build(seeds, Path(tmp) / "dataset").report


def load(path: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """All tables as pandas DataFrames with pyarrow-backed dtypes, keyed by table name."""
    import pandas as pd

    from diplonews.schema import TABLES

    folder = Path(path) if path is not None else default_dataset_dir()
    return {
        t.table_name: pd.read_parquet(folder / "parquet" / f"{t.table_name}.parquet", dtype_backend="pyarrow")
        for t in TABLES
    }


def connect(path: str | Path | None = None, database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one view per table over the Parquet files (nothing is copied)."""
    import duckdb

    from diplonews.validators.dataset import open_views

    folder = Path(path) if path is not None else default_dataset_dir()
    return open_views(folder, duckdb.connect(database))
