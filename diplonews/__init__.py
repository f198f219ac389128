"""diplonews: evidence-anchored tables of diplomatic news.

The public API is small and importing it is cheap; heavy libraries (pandas,
DuckDB, pyarrow) are imported only when a function needs them.

    import diplonews
    tables = diplonews.load()          # dict of pandas DataFrames
    con = diplonews.connect()          # DuckDB connection with a view per table
    diplonews.build("seeds", "dataset")
    diplonews.validate("dataset")
"""

from .api import (
    add_actor,
    add_event,
    build,
    connect,
    default_dataset_dir,
    load,
    new_article,
    status,
    validate,
    validate_article,
)
from .metadata import DATASET_VERSION

__all__ = [
    "build", "connect", "load", "validate", "validate_article", "status", "new_article", "add_actor", "add_event",
    "default_dataset_dir", "DATASET_VERSION",
]
