"""The authoring commands (new, actor add, event add, topic add) write nothing `diplonews validate` then refuses
for a reason they could have checked: they refuse it first, with one line and a hint, and change nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from diplonews import api
from diplonews.schema.annotation import ActorRegistry, AnnotationFile, EventRegistry, TopicRegistry
from diplonews.validators.source_rules import PATTERN_HINTS

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "fidan-kallas-call.txt"


# --- new -------------------------------------------------------------------------------------------

def test_a_language_that_does_not_match_gets_a_hint_about_language_codes(seeds_copy):
    made = api.new_article(seeds_copy, EXAMPLE, date=date(2025, 6, 14))
    path = made.annotation_path
    path.write_text(path.read_text(encoding="utf-8").replace("language: en", "language: english"), encoding="utf-8")
    [error] = api.validate_article(seeds_copy, made.article_id).errors
    assert "article.language" in error.message and "language codes are ISO 639" in error.hint


def _patterns(schema: dict) -> set[str]:
    found = set()
    if isinstance(schema, dict):
        found |= {schema["pattern"]} if isinstance(schema.get("pattern"), str) else set()
        for value in schema.values():
            found |= _patterns(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= _patterns(value)
    return found


def test_every_pattern_of_the_sources_has_its_hint():
    models = (AnnotationFile, ActorRegistry, EventRegistry, TopicRegistry)
    assert set().union(*(_patterns(m.model_json_schema()) for m in models)) <= set(PATTERN_HINTS)
