"""The diplonews schema: table models, source models, enums and generated artefacts."""

from .tables import TABLES, TABLES_BY_NAME, ForeignKey, Table

EVIDENCE_TABLES: tuple[str, ...] = (
    "actor_mentions", "event_mentions", "positions", "demands", "attribution_sources", "event_relations", "errata",
)
"""Tables whose rows carry a quote with offsets into articles.text."""

ARTICLE_TABLES: tuple[str, ...] = ("articles", *EVIDENCE_TABLES, "attributions", "demand_addressees")
"""Tables whose rows come from the per-article annotation files (all keyed by article_id)."""

CODEBOOK_TABLES: tuple[str, ...] = ("event_types", "cameo_codes", "plover_types")
"""Tables shipped with the package (schema/codebook/), not built from the sources."""

__all__ = ["TABLES", "TABLES_BY_NAME", "ARTICLE_TABLES", "CODEBOOK_TABLES", "EVIDENCE_TABLES", "ForeignKey", "Table"]
