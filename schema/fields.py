"""Column definitions, written once and reused by every table that has the column.

Each name here is an ``Annotated`` type carrying the column's description and
constraints, in the spirit of PUDL's single FIELD_METADATA dictionary: a table
model says *which* columns it has, this module says *what* each column is.
"""

import unicodedata
from datetime import date
from typing import Annotated

from pydantic import Field

from .enums import DateOpenSide, NamedOfficeState, RoleState

SLUG_PATTERN = r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$"
MENTION_ID_PATTERN = r"^[a-z0-9][a-z0-9.\-/:]*$"
COUNTRY_PATTERN = r"^[A-Z]{3}$"
WIKIDATA_PATTERN = r"^Q[1-9][0-9]*$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
CAMEO_PATTERN = r"^[0-9]{2,4}$"
PLOVER_PATTERN = r"^[A-Z]+$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}$"
EVENT_TYPE_PATTERN = r"^[a-z][a-z_]*$"


def _slug(what: str) -> object:
    return Field(description=f"Stable, readable identifier of {what} (lowercase slug).", pattern=SLUG_PATTERN)


ArticleId = Annotated[str, _slug("the article")]
ActorId = Annotated[str, _slug("the actor")]
EventId = Annotated[str, _slug("the canonical event")]
TopicId = Annotated[str, _slug("the topic")]
PositionId = Annotated[
    str, Field(description="Identifier of the position: '<article_id>/<local id>'.", pattern=MENTION_ID_PATTERN)
]
DemandId = Annotated[
    str, Field(description="Identifier of the demand: '<article_id>/<local id>'.", pattern=MENTION_ID_PATTERN)
]
MentionId = Annotated[
    str,
    Field(
        description="Identifier of the mention: '<article_id>/<span_start>-<span_end>/<referent id>'; "
        "stable because the text is immutable.",
        pattern=MENTION_ID_PATTERN,
    ),
]
SpanStart = Annotated[
    int, Field(ge=0, description="Start offset of the quote in articles.text, in Unicode code points (0-based).")
]
SpanEnd = Annotated[
    int,
    Field(ge=1, description="End offset (exclusive) of the quote in articles.text, in Unicode code points."),
]
Quote = Annotated[
    str | None,
    Field(min_length=1, description="The verbatim evidence: exactly articles.text[span_start:span_end]; null only "
          "where the article's text is withheld (standoff release), restored from the offsets by hydrate."),
]
CountryCode = Annotated[str | None, Field(pattern=COUNTRY_PATTERN, description="ISO 3166-1 alpha-3 country code.")]
OptionalText = Annotated[str | None, Field(description="Free text; null when unknown.")]
OptionalDate = Annotated[date | None, Field(description="A calendar date; null when unknown.")]
CameoCode = Annotated[str, Field(pattern=CAMEO_PATTERN, description="CAMEO event code (leading zeros kept).")]
PloverType = Annotated[str, Field(pattern=PLOVER_PATTERN, description="PLOVER event type.")]

# --- rights of an article's text (issue 15): the annotations are ours, the texts mostly are not ---------
LICENSE_PATTERN = r"^(unknown|[A-Za-z0-9][A-Za-z0-9.+-]*)$"
Rights = Annotated[
    str,
    Field(
        min_length=1,
        description="Who holds the rights to the text, by name: the outlet ('Caliber.Az'), 'unknown outlet', "
        "a government, 'public domain' or 'annotator' (a text written for the project).",
    ),
]
TextLicense = Annotated[
    str,
    Field(pattern=LICENSE_PATTERN, description="SPDX identifier of the text's licence (e.g. CC-BY-4.0), or 'unknown'."),
]
Redistributable = Annotated[
    bool,
    Field(description="Whether diplonews may publish the text itself; true only with a stated rights_basis."),
]
RightsBasis = Annotated[
    str | None,
    Field(description="What the rights record rests on: the licence notice or permission that lets diplonews "
          "publish the text (required when redistributable), or what the text shows of its rights holder."),
]

# --- office-holding states (issue 12, item 8): the standing in an office, and the office an article names ------
RoleStateField = Annotated[
    RoleState,
    Field(description="The actor's standing in the office over this period: held, acting, nominee (put forward, "
          "awaiting confirmation) or designate (chosen or confirmed, not yet in office)."),
]
AsOffice = Annotated[
    str | None,
    Field(pattern=SLUG_PATTERN, description="The office (an actor_roles.role slug) the article calls the actor by at "
          "this mention ('U.S. President Donald Trump' -> president); null when the mention names no office."),
]
OfficeState = Annotated[
    NamedOfficeState | None,
    Field(description="The standing in that office the article gives the actor: held, acting, nominee, designate "
          "or former; null when the mention names no office."),
]
OfficeWords = Annotated[
    str | None,
    Field(min_length=1, description="The words that name the office, verbatim: inside the quote or directly before "
          "it ('U.S. President' before 'Donald Trump'); null when the mention names no office."),
]

# --- attribution of factuality (schema 2.0): who asserts what, as FactBank's source chains ------------
SourceId = Annotated[
    str,
    Field(description="Identifier of a cited source in an article: '<article_id>/<local id>'.",
          pattern=MENTION_ID_PATTERN),
]
ConditionEventId = Annotated[
    str | None,
    Field(description="The event this report makes the event depend on ('if ...', 'after a possible ...'); "
          "it is reported in the same article. Null when the report states no condition.", pattern=SLUG_PATTERN),
]
DenialScopeDate = Annotated[
    date | None,
    Field(description="A bound (inclusive) of the period a denial covers ('no calls this week'); set exactly "
          "when reported_status is denied_for_period."),
]

# --- event relations and errata (issue 12, schema 2.0) ----------------------------------------------
RelationId = Annotated[
    str, Field(description="Identifier of the event relation: '<article_id>/<local id>'.", pattern=MENTION_ID_PATTERN)
]
ErratumId = Annotated[
    str, Field(description="Identifier of the erratum: '<article_id>/<local id>'.", pattern=MENTION_ID_PATTERN)
]

# --- event dates (issue 12, item 5): the window an event lies in, kept apart from how long it lasted ------
WindowStart = Annotated[
    date | None,
    Field(description="Earliest day the event can have begun: the start of the window it lies in (equal to its "
          "first day when date_precision is day); null when nothing bounds it from below (date_open start) or "
          "the event is undated."),
]
WindowEnd = Annotated[
    date | None,
    Field(description="Latest day the event can have ended: the end of the window it lies in (equal to its last "
          "day when date_precision is day); null while it is under way, when nothing bounds it from above "
          "(date_open end), or when the event is undated."),
]
DurationDays = Annotated[
    int | None,
    Field(ge=1, description="How many days the event itself lasted (1 for a call, 2 for a two-day visit), "
          "counting its first and last day; null when unknown or still under way. The length of the event, "
          "never the width of the window: a call on some day of a week-long window lasts 1."),
]
DateOpen = Annotated[
    DateOpenSide | None,
    Field(description="The side on which the window is open, for a one-sided bound: start ('before 25 March': "
          "date_end only) or end (under way, or 'after ...': date_start only); null when both or neither "
          "bound is known."),
]
# --- verbal-interaction codes and the time a position holds (issue 12, items 4 and 6) -------------
HoldsDate = Annotated[
    date | None,
    Field(description="A bound (inclusive) of the time the stance holds, when the article places it in a period "
          "other than its own date ('the Biden administration kept Turkey at arm's length'); null when open or "
          "unstated."),
]
HoldsBasis = Annotated[
    str | None,
    Field(min_length=1, description="The words that place the stance in time, and the public record its bounds "
          "come from; set exactly when holds_from or holds_until is."),
]


def alias_key(alias: str) -> str:
    """The key aliases are compared by, case aside: Unicode full case folding (``str.casefold``), with 'İ'
    folded to 'i' as Turkish does (casefold alone gives 'i' and a combining dot, so 'İlhan' would not meet
    'ilhan'), then NFKC.

    The build stores it (``actor_aliases.alias_key``) so that rules group by a column and no engine's
    ``lower()`` decides which aliases collide: Spark and DuckDB lowercase 'İ' and a final 'Σ' differently."""
    return unicodedata.normalize("NFKC", alias.replace("İ", "i").casefold())
