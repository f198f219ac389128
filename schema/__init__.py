"""The diplonews schema: table models, source models, enums and generated artefacts."""

from .tables import TABLES, TABLES_BY_NAME, ForeignKey, Table

EVIDENCE_TABLES: tuple[str, ...] = ("actor_mentions", "event_mentions", "positions", "demands")
"""Tables whose rows carry a quote with offsets into articles.text."""

__all__ = ["TABLES", "TABLES_BY_NAME", "EVIDENCE_TABLES", "ForeignKey", "Table"]
