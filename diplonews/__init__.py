"""diplonews: evidence-anchored tables of diplomatic news.

The public API is small and importing it is cheap; heavy libraries (pandas,
DuckDB, pyarrow) are imported only when a function needs them.

    import diplonews
    tables = diplonews.load()          # dict of pandas DataFrames
    con = diplonews.connect()          # DuckDB connection with a view per table
    diplonews.build("seeds", "dataset")
    diplonews.validate("dataset")
"""

from .api import build, connect, default_dataset_dir, load, validate
from .metadata import DATASET_VERSION

__all__ = ["build", "connect", "load", "validate", "default_dataset_dir", "DATASET_VERSION"]
