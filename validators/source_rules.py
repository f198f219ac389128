"""Rules on the hand-written sources (YAML and texts), checked while compiling them.

Each rule is a named unit with one sentence of why; the compiler reports its
findings with file, line and a hint. Rules on the built tables are in
:mod:`diplonews.validators.dataset_rules`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .findings import Severity


@dataclass(frozen=True)
class SourceRule:
    """A rule on annotation sources."""

    name: str
    severity: Severity
    why: str


YAML_SYNTAX = SourceRule("yaml_syntax", Severity.error, "A file that does not parse cannot be trusted at all.")
SOURCE_SCHEMA = SourceRule(
    "source_schema", Severity.error, "Every field must have the type, format and allowed values the schema gives."
)
TEXT_FILE_READABLE = SourceRule(
    "text_file_readable", Severity.error, "Offsets and hashes are only meaningful over an existing UTF-8 text."
)
TEXT_NOT_EMPTY = SourceRule(
    "text_not_empty", Severity.error, "An article without text has no evidence for any fact about it."
)
TEXT_IN_CORPUS = SourceRule(
    "text_in_corpus", Severity.error,
    "A text is published with the dataset, so it must be a file of the corpus, not a link to any file elsewhere.",
)
REGULAR_FILE = SourceRule(
    "regular_file", Severity.error,
    "Only a regular file has fixed bytes to read; a pipe or device can hang the build or change between reads.",
)
DUPLICATE_ID = SourceRule(
    "duplicate_id", Severity.error,
    "A registry ID or an article ID must name one thing, or every link to it becomes ambiguous.",
)
LOCAL_ID_UNIQUE = SourceRule(
    "local_id_unique", Severity.error,
    "Positions, demands, event relations and errata are published as '<article>/<id>', so two in one file with "
    "one id would be one row.",
)
MENTION_ANNOTATED_ONCE = SourceRule(
    "mention_annotated_once", Severity.error,
    "The same referent annotated twice at the same words would count one mention as two.",
)
PARTICIPANT_LISTED_ONCE = SourceRule(
    "participant_listed_once", Severity.error,
    "An actor listed twice among an event's participants would take part twice, perhaps in two roles.",
)
UNKNOWN_REFERENCE = SourceRule(
    "unknown_reference", Severity.error, "A link to an ID that does not exist is a broken fact."
)
QUOTE_FOUND = SourceRule("quote_found", Severity.error, "No fact without verbatim evidence from its article.")
QUOTE_UNAMBIGUOUS = SourceRule(
    "quote_unambiguous", Severity.error, "A quote that occurs twice must say which occurrence is meant."
)
FILE_NAME_MATCHES_ID = SourceRule(
    "file_name_matches_id", Severity.error, "Annotation files are found by article ID, so the name must be <id>.yaml."
)
TEXT_NOT_SHARED = SourceRule(
    "text_not_shared", Severity.error, "Two articles over the same text would double-count every fact."
)
REDISTRIBUTION_HAS_BASIS = SourceRule(
    "redistribution_has_basis", Severity.error,
    "A text is published only when we may publish it, so redistributable: true must say on what basis.",
)
SOURCE_DEFINED = SourceRule(
    "source_defined", Severity.error,
    "An attribution (source:) or a relay (via:) must name a source of the same file, or who asserts the fact is lost.",
)
SOURCE_CHAIN_ACYCLIC = SourceRule(
    "source_chain_acyclic", Severity.error,
    "A chain of sources must end at the article (FactBank's AUTHOR); sources relaying each other in a circle never do.",
)
OPEN_SUGGESTIONS = SourceRule(
    "open_suggestions", Severity.warning, "Unconfirmed suggestions are not in the tables until an annotator confirms them."
)
OFFICE_WORDS_AT_MENTION = SourceRule(
    "office_words_at_mention", Severity.error,
    "The office an article calls someone by is evidence like any quote: its words must be printed at the mention.",
)

SOURCE_RULES: tuple[SourceRule, ...] = (
    YAML_SYNTAX,
    SOURCE_SCHEMA,
    TEXT_FILE_READABLE,
    TEXT_NOT_EMPTY,
    TEXT_IN_CORPUS,
    REGULAR_FILE,
    DUPLICATE_ID,
    LOCAL_ID_UNIQUE,
    MENTION_ANNOTATED_ONCE,
    PARTICIPANT_LISTED_ONCE,
    UNKNOWN_REFERENCE,
    QUOTE_FOUND,
    QUOTE_UNAMBIGUOUS,
    FILE_NAME_MATCHES_ID,
    TEXT_NOT_SHARED,
    REDISTRIBUTION_HAS_BASIS,
    OPEN_SUGGESTIONS,
    OFFICE_WORDS_AT_MENTION,
    SOURCE_DEFINED,
    SOURCE_CHAIN_ACYCLIC,
)
