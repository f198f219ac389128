"""Models of the hand-written sources: registries and per-article annotation files.

These validate the YAML the annotators write (and generate the JSON Schemas that
editors use for autocompletion). The builder turns them into table rows.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from .enums import (
    ActorType,
    DateBasis,
    DatePrecision,
    DemandStatus,
    ErratumKind,
    EventStatus,
    ParticipantRole,
    PublishedDateBasis,
    RelationType,
    Stance,
)
from .fields import COUNTRY_PATTERN, SLUG_PATTERN, WIKIDATA_PATTERN, Redistributable, Rights, RightsBasis, TextLicense

MAX_CHARS = 20_000
"""Longest string a source may hold: far above any quote, name or note, far below a scalar that is a mistake
(a pasted file) and would be published, or make quote search slow."""

LAST_DATE = date(9998, 12, 31)
"""Latest date a source may give: what is built from dates (the figures' time axis) needs the year after it."""


def _iso_date(value: Any) -> Any:
    # pydantic, left to itself, reads a number as seconds since 1970: YAML `date: 0` would be 1970-01-01.
    if isinstance(value, date) or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
        return value
    raise PydanticCustomError("date_format", "a date is written YYYY-MM-DD, not {value}", {"value": repr(value)[:40]})


def _in_range(value: date) -> date:
    if value > LAST_DATE:
        raise PydanticCustomError("date_range", "dates run to {last}", {"last": LAST_DATE.isoformat()})
    return value


Day = Annotated[date, BeforeValidator(_iso_date), AfterValidator(_in_range)]
"""A calendar day, written YYYY-MM-DD (a YAML date), up to LAST_DATE."""

Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
Country = Annotated[str, Field(pattern=COUNTRY_PATTERN, description="ISO 3166-1 alpha-3 code, e.g. TUR.")]


class Source(BaseModel):
    """Base of all source models: unknown keys are errors, so typos are caught."""

    model_config = ConfigDict(extra="forbid", str_max_length=MAX_CHARS)


# --- registries -------------------------------------------------------------------


class RoleEntry(Source):
    """An office held by an actor."""

    role: Slug = Field(description="Office slug: president, foreign-minister, ...")
    organization: Slug = Field(description="Actor ID of the state or body.")
    start: Day | None = Field(default=None, description="First day in office (YYYY-MM-DD); omit if not recorded.")
    end: Day | None = Field(default=None, description="Last day in office; omit while still held.")
    source: str | None = Field(default=None, description="Where the dates come from.")


class ActorEntry(Source):
    """An actor in seeds/registry/actors.yaml."""

    id: Slug
    name: str = Field(min_length=1)
    type: ActorType
    country: Country | None = None
    wikidata: Annotated[str, Field(pattern=WIKIDATA_PATTERN)] | None = Field(
        default=None, description="Wikidata QID, only with wikidata_source naming where it was checked."
    )
    wikidata_source: str | None = None
    parent: Slug | None = Field(default=None, description="Actor ID this actor belongs to.")
    aliases: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    roles: list[RoleEntry] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _wikidata_needs_source(self) -> ActorEntry:
        if self.wikidata and not self.wikidata_source:
            raise ValueError("wikidata needs wikidata_source: name where the ID was checked (never guess one)")
        return self


class ActorRegistry(Source):
    """seeds/registry/actors.yaml"""

    actors: list[ActorEntry]


class TopicEntry(Source):
    """A topic in seeds/registry/topics.yaml."""

    id: Slug
    label: str = Field(min_length=1)
    description: str = Field(min_length=1)


class TopicRegistry(Source):
    """seeds/registry/topics.yaml"""

    topics: list[TopicEntry]


class ParticipantEntry(Source):
    """An actor taking part in an event."""

    actor: Slug
    role: ParticipantRole
    capacity: Slug | None = Field(default=None, description="A role from the actor's `roles` held on the event date.")


class EventEntry(Source):
    """A canonical event in seeds/registry/events.yaml."""

    id: Slug
    type: Annotated[str, Field(pattern=r"^[a-z][a-z_]*$")] = Field(
        description="An event_type from schema/codebook/event_types.csv (e.g. phone_call)."
    )
    status: EventStatus
    date_start: Day | None = None
    date_end: Day | None = None
    date_precision: DatePrecision | None = None
    date_basis: DateBasis
    date_note: str | None = None
    location: str | None = None
    country: Country | None = None
    summary: str = Field(min_length=1)
    cameo: Annotated[str, Field(pattern=r"^[0-9]{2,4}$")] | None = Field(
        default=None, description="Override of the type's CAMEO code."
    )
    plover: Annotated[str, Field(pattern=r"^[A-Z]+$")] | None = Field(
        default=None, description="Override of the type's PLOVER type."
    )
    participants: list[ParticipantEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _precision_with_date(self) -> EventEntry:
        if self.date_start is not None and self.date_precision is None:
            raise ValueError("a dated event needs date_precision (day, week, month or year)")
        return self


class EventRegistry(Source):
    """seeds/registry/events.yaml"""

    events: list[EventEntry]


# --- per-article annotation files ----------------------------------------------------


class Evidence(Source):
    """A verbatim quote from the article; `occurrence` picks one when the quote occurs more than once."""

    quote: str = Field(min_length=1, description="Copied verbatim from the article text.")
    occurrence: int | None = Field(default=None, ge=1, description="1-based: which occurrence of the quote.")


class ArticleMeta(Source):
    """The `article:` block."""

    id: Slug
    text_file: str = Field(description="File name in seeds/texts/.")
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}$")] = "en"
    published_date: Day | None = None
    published_date_earliest: Day | None = None
    published_date_latest: Day | None = None
    published_date_basis: PublishedDateBasis
    # Defaults are the safe side: a file that says nothing about rights gets its text withheld.
    rights: Rights = "unknown"
    text_license: TextLicense = "unknown"
    redistributable: Redistributable = False
    rights_basis: RightsBasis = None
    notes: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _date_interval(self) -> ArticleMeta:
        if self.published_date is None and (self.published_date_earliest is None or self.published_date_latest is None):
            raise ValueError("an undated article needs published_date_earliest and published_date_latest")
        if self.published_date_basis is PublishedDateBasis.inferred and not self.notes:
            raise ValueError("an inferred publication date needs a note saying how it was inferred")
        return self


class ActorMentionEntry(Evidence):
    """A mention of an actor."""

    actor: Slug


class EventMentionEntry(Evidence):
    """A report of an event."""

    event: Slug
    reported_status: EventStatus
    date_expression: str | None = None


class PositionEntry(Evidence):
    """A position: holder's stance on a topic and/or towards a target actor."""

    id: Slug
    holder: Slug
    topic: Slug | None = None
    target: Slug | None = None
    stance: Stance
    event: Slug | None = None

    @model_validator(mode="after")
    def _topic_or_target(self) -> PositionEntry:
        if self.topic is None and self.target is None:
            raise ValueError("a position needs a topic or a target (or both)")
        return self


class DemandEntry(Evidence):
    """A demand: claimant asks addressee for an action."""

    id: Slug
    claimant: Slug
    addressee: Slug
    topic: Slug
    action: str = Field(min_length=1)
    event: Slug | None = None
    status: DemandStatus = DemandStatus.made


class EventRelationEntry(Evidence):
    """A relation between two events that the article's words evidence: source_event <type> target_event."""

    id: Slug
    source_event: Slug = Field(description="Event ID: the report, the part, the cause, the earlier event, the proposal.")
    type: RelationType = Field(description="reports | part_of | causes | before | for ('A after B' is 'B before A').")
    target_event: Slug = Field(
        description="Event ID: the reported event, the whole, the effect, the later event, the proposed event."
    )


class ErratumEntry(Evidence):
    """An error the article makes, quoted where it makes it."""

    id: Slug
    kind: ErratumKind
    what_is_wrong: str = Field(min_length=1, description="What the text gets wrong.")
    correction: str = Field(min_length=1, description="What is right instead, and how the annotations treat it.")
    basis: str | None = Field(
        default=None, description="What the correction rests on: a named public source, or the text itself."
    )


class AnnotationFile(Source):
    """seeds/annotations/<article_id>.yaml"""

    article: ArticleMeta
    actor_mentions: list[ActorMentionEntry] = Field(default_factory=list)
    event_mentions: list[EventMentionEntry] = Field(default_factory=list)
    positions: list[PositionEntry] = Field(default_factory=list)
    demands: list[DemandEntry] = Field(default_factory=list)
    event_relations: list[EventRelationEntry] = Field(default_factory=list)
    errata: list[ErratumEntry] = Field(default_factory=list)
    suggestions: list[dict[str, Any]] = Field(
        default_factory=list, description="Machine suggestions awaiting confirmation; never built into tables."
    )
