"""Write: tables to Parquet and JSON, and the new dataset folder swapped into place."""
