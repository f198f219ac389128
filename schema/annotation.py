"""Models of the hand-written sources: registries and per-article annotation files.

These validate the YAML the annotators write (and generate the JSON Schemas that
editors use for autocompletion). The builder turns them into table rows.
"""

from __future__ import annotations

import re
import typing
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, model_validator
from pydantic_core import PydanticCustomError

from .enums import (
    ActorType,
    DateBasis,
    DateOpenSide,
    DatePrecision,
    DemandStatus,
    ErratumKind,
    EventStatus,
    NamedOfficeState,
    ParticipantRole,
    PublishedDateBasis,
    RoleState,
    RelationType,
    Stance,
)
from .fields import (
    CAMEO_PATTERN,
    COUNTRY_PATTERN,
    EVENT_TYPE_PATTERN,
    LANGUAGE_PATTERN,
    PLOVER_PATTERN,
    SLUG_PATTERN,
    WIKIDATA_PATTERN,
    Redistributable,
    Rights,
    RightsBasis,
    TextLicense,
)

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
Count = Annotated[int, Strict()]
"""A whole number written as one: lax pydantic would read YAML's `yes` as 1, and "2" or 2.0 as 2."""
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
    state: RoleState = Field(
        default=RoleState.held,
        description="Standing in the office over start..end: held (default), acting, nominee or designate. A nominee "
        "who takes office gets two entries, each with its dates; 'former' is not written, it is the time after a held "
        "period's end.",
    )


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
    type: Annotated[str, Field(pattern=EVENT_TYPE_PATTERN)] = Field(
        description="An event_type from schema/codebook/event_types.csv (e.g. phone_call)."
    )
    status: EventStatus
    date_start: Day | None = Field(default=None, description="Earliest day the event can have begun (its first "
                                   "day at precision day); omit for a window open at the start.")
    date_end: Day | None = Field(default=None, description="Latest day the event can have ended (its last day at "
                                 "precision day); omit while it is under way or for a window open at the end.")
    date_precision: DatePrecision | None = Field(
        default=None, description="day when the dates are the event's own days; else the narrowest of week "
        "(at most 7 days), month (one calendar month), year (one calendar year), multi_year; omit when undated "
        "or when an open window's one date is only a bound.")
    duration_days: Annotated[Count, Field(ge=1)] | None = Field(
        default=None, description="How many days the event lasted, when known and the window is wider than the "
        "event (a call on some day of a week: 1). At precision day the build takes it from the dates.")
    date_open: DateOpenSide | None = Field(
        default=None, description="start ('before ...': date_end only) or end (under way, or 'after ...': "
        "date_start only): the side a one-sided window is open on.")
    date_basis: DateBasis
    date_note: str | None = None
    location: str | None = None
    country: Country | None = None
    summary: str = Field(min_length=1)
    cameo: Annotated[str, Field(pattern=CAMEO_PATTERN)] | None = Field(
        default=None, description="Override of the type's CAMEO code."
    )
    plover: Annotated[str, Field(pattern=PLOVER_PATTERN)] | None = Field(
        default=None, description="Override of the PLOVER type: by default the code's (PLOVER's CAMEO translation) "
        "when `cameo` is given, else the type's."
    )
    participants: list[ParticipantEntry] = Field(default_factory=list)


class EventRegistry(Source):
    """seeds/registry/events.yaml"""

    events: list[EventEntry]


# --- per-article annotation files ----------------------------------------------------


COLUMN = "column"
"""Metadata key of a field whose value fills a column of the entry's table (its value: the column's name); the
compiler builds those columns of a row from these declarations (see :func:`entry_columns`)."""


class Evidence(Source):
    """A verbatim quote from the article; `occurrence` picks one when the quote occurs more than once.

    A field of an entry that holds a registry ID says which registry in its metadata
    (``json_schema_extra={"refers_to": "actors"}``): the annotation-tool exports read it to link spans."""

    quote: str = Field(min_length=1, description="Copied verbatim from the article text.",
                       json_schema_extra={COLUMN: "quote"})
    occurrence: Count | None = Field(default=None, ge=1, description="1-based: which occurrence of the quote.")


class ArticleMeta(Source):
    """The `article:` block."""

    id: Slug
    text_file: str = Field(description="File name in seeds/texts/.")
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    language: Annotated[str, Field(pattern=LANGUAGE_PATTERN)] = "en"
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
    """A mention of an actor, and the office the article calls the actor by there, if any."""

    actor: Slug = Field(json_schema_extra={"refers_to": "actors"})
    as_office: Slug | None = Field(
        default=None, description="The office (a role slug of the actor's roles) the article calls the actor by here."
    )
    office_state: NamedOfficeState | None = Field(
        default=None, description="held (default when as_office is given), acting, nominee, designate or former."
    )
    office_words: str | None = Field(
        default=None, min_length=1,
        description="The words naming the office, verbatim, inside the quote or directly before it ('U.S. President').",
    )

    @model_validator(mode="after")
    def _office_complete(self) -> ActorMentionEntry:
        if self.as_office is None and (self.office_state is not None or self.office_words is not None):
            raise ValueError("office_state and office_words describe as_office: give as_office too, or drop them")
        if self.as_office is not None and self.office_words is None:
            raise ValueError("as_office needs office_words: the words that name the office, copied from the text")
        return self


REFERS_TO = "refers_to"
"""Metadata key of a field holding an ID of a registry (its value: actors, events or topics)."""

REFERS_TO_LOCAL = "refers_to_local"
"""Metadata key of a field holding the local id of an entry of another section of the same file (its value:
the section, e.g. sources)."""

SourceRef = Annotated[
    Slug | list[Slug] | None,
    Field(description="Who asserts this: the id of an entry of this file's `sources` (a list for independent "
          "sources); omitted = the article itself.", json_schema_extra={REFERS_TO_LOCAL: "sources"}),
]

ASSERTIVE_STATUSES = {EventStatus.occurred, EventStatus.ongoing, EventStatus.denied, EventStatus.denied_for_period}
"""Statuses that say what is or was the case: a condition cannot be put on them."""


class EventMentionEntry(Evidence):
    """A report of an event."""

    event: Slug = Field(json_schema_extra={"refers_to": "events"})
    reported_status: EventStatus
    date_expression: str | None = None
    source: SourceRef = None
    condition_event: Slug | None = Field(
        default=None, description="Event this report makes the event depend on ('if ...'); report it too.",
        json_schema_extra={"refers_to": "events"},
    )
    denial_scope_start: Day | None = Field(
        default=None, description="First day of the period a denied_for_period denial covers."
    )
    denial_scope_end: Day | None = Field(
        default=None, description="Last day of the period a denied_for_period denial covers."
    )

    @model_validator(mode="after")
    def _modality(self) -> EventMentionEntry:
        scoped = self.reported_status is EventStatus.denied_for_period
        scope = (self.denial_scope_start, self.denial_scope_end)
        if scoped and None in scope:
            raise ValueError("a denied_for_period report needs denial_scope_start and denial_scope_end "
                             "(the period the denial covers, e.g. the week of 'no calls this week')")
        if not scoped and scope != (None, None):
            raise ValueError("denial_scope_start/denial_scope_end go with reported_status: denied_for_period only")
        if scoped and self.denial_scope_start > self.denial_scope_end:
            raise ValueError("denial_scope_start is after denial_scope_end")
        if self.condition_event is not None and self.reported_status in ASSERTIVE_STATUSES:
            raise ValueError(f"condition_event goes with a status that does not assert the event (planned, "
                             f"proposed, speculated, hypothetical), not {self.reported_status.value}")
        return self


CameoCodeText = Annotated[str, Field(pattern=CAMEO_PATTERN)]
"""A CAMEO code as written (quoted in YAML, so that leading zeros are kept: \"051\")."""

PloverTypeText = Annotated[str, Field(pattern=PLOVER_PATTERN)]

DEMAND_CAMEO = "020"
"""A demand's CAMEO code when none is written: CAMEO's unmarked request ('Appeal, not specified below')."""

DEMAND_PLOVER = "REQUEST"
"""A demand's PLOVER type when none is written (PLOVER drops CAMEO's appeals, 02, and REQUEST takes every
request, demand and order)."""


class PositionEntry(Evidence):
    """A position: holder's stance on a topic and/or towards a target actor."""

    id: Slug
    holder: Slug = Field(json_schema_extra={"refers_to": "actors", COLUMN: "actor_id"})
    topic: Slug | None = Field(default=None, json_schema_extra={"refers_to": "topics", COLUMN: "topic_id"})
    target: Slug | None = Field(default=None, json_schema_extra={"refers_to": "actors", COLUMN: "target_actor_id"})
    stance: Stance = Field(json_schema_extra={COLUMN: "stance"})
    event: Slug | None = Field(default=None, json_schema_extra={"refers_to": "events", COLUMN: "event_id"})
    source: SourceRef = None
    cameo: CameoCodeText = Field(
        description="CAMEO code of the verbal act stating the position (required: a stance has no safe default), "
        "e.g. \"051\" praise or endorse, \"111\" criticize or denounce, \"120\" reject.",
        json_schema_extra={COLUMN: "cameo_code"})
    plover: PloverTypeText | None = Field(
        default=None, description="PLOVER type; omit to take the code's type by PLOVER's CAMEO translation.")
    holds_from: Day | None = Field(
        default=None, description="First day the stance holds, when the text places it in another period than "
        "the article's (a former government's stance).", json_schema_extra={COLUMN: "holds_from"})
    holds_until: Day | None = Field(default=None, description="Last day the stance holds (e.g. the end of that term).",
                                    json_schema_extra={COLUMN: "holds_until"})
    holds_basis: str | None = Field(
        default=None, min_length=1,
        description="The words that place the stance in time and the record its dates come from.",
        json_schema_extra={COLUMN: "holds_basis"})

    @model_validator(mode="after")
    def _topic_or_target(self) -> PositionEntry:
        if self.topic is None and self.target is None:
            raise ValueError("a position needs a topic or a target (or both)")
        if (self.holds_from is None and self.holds_until is None) != (self.holds_basis is None):
            raise ValueError("holds_basis goes with holds_from/holds_until: the words that place the stance in "
                             "time and where its dates come from")
        if self.holds_from is not None and self.holds_until is not None and self.holds_from > self.holds_until:
            raise ValueError("holds_from is after holds_until")
        return self


class DemandEntry(Evidence):
    """A demand: claimant asks addressee for an action."""

    id: Slug
    claimant: Slug = Field(json_schema_extra={"refers_to": "actors", COLUMN: "claimant_actor_id"})
    addressee: Slug | list[Slug] = Field(
        description="Of whom the action is asked, as the text names them: one actor ID, or a list when the text "
        "names several (\"Rubio and other US officials\" -> [marco-rubio, us-government]), first named first.",
        json_schema_extra={"refers_to": "actors"})
    topic: Slug = Field(json_schema_extra={"refers_to": "topics", COLUMN: "topic_id"})
    action: str = Field(min_length=1, json_schema_extra={COLUMN: "action"})
    event: Slug | None = Field(default=None, json_schema_extra={"refers_to": "events", COLUMN: "event_id"})
    status: DemandStatus = Field(default=DemandStatus.made, json_schema_extra={COLUMN: "demand_status"})
    source: SourceRef = None
    cameo: CameoCodeText = Field(
        default=DEMAND_CAMEO, description="CAMEO code of the ask: 020 (appeal, not specified) unless written; an "
        "appeal (02x: asked, urged, called for) or a demand (10x: demanded, insisted).",
        json_schema_extra={COLUMN: "cameo_code"})
    plover: PloverTypeText | None = Field(
        default=None, description="PLOVER type; omit for REQUEST, PLOVER's type for all requests and demands.")

    @model_validator(mode="after")
    def _addressees(self) -> DemandEntry:
        if isinstance(self.addressee, list) and (not self.addressee or len(set(self.addressee)) < len(self.addressee)):
            raise ValueError("addressee: a list names each addressee once, and at least one")
        return self

    @property
    def addressees(self) -> list[str]:
        """Every addressee, in the order written."""
        return self.addressee if isinstance(self.addressee, list) else [self.addressee]


class SourceEntry(Evidence):
    """A source the article cites (FactBank's source): who, the words citing it, and who relays it."""

    id: Slug = Field(description="Local id, used by `source:` of entries and `via:` of other sources.")
    actor: Slug = Field(description="Actor ID of the source (anonymous sources and outlets are actors too).",
                        json_schema_extra={"refers_to": "actors"})
    via: Slug | None = Field(
        default=None, description="Local id of the source that relays this one; omitted = the article cites it.",
        json_schema_extra={REFERS_TO_LOCAL: "sources"},
    )
    event: Slug | None = Field(
        default=None, description="The statement, readout, report or interview in which the source says it.",
        json_schema_extra={"refers_to": "events"},
    )


class EventRelationEntry(Evidence):
    """A relation between two events that the article's words evidence: source_event <type> target_event."""

    id: Slug
    source_event: Slug = Field(description="Event ID: the report, the part, the cause, the earlier event, the proposal.",
                               json_schema_extra={"refers_to": "events"})
    type: RelationType = Field(description="reports | part_of | causes | before | for ('A after B' is 'B before A').")
    target_event: Slug = Field(
        description="Event ID: the reported event, the whole, the effect, the later event, the proposed event.",
        json_schema_extra={"refers_to": "events"},
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
    sources: list[SourceEntry] = Field(
        default_factory=list, description="Sources the article cites (attribution); entries name them in `source:`."
    )
    event_relations: list[EventRelationEntry] = Field(default_factory=list)
    errata: list[ErratumEntry] = Field(default_factory=list)
    suggestions: list[dict[str, Any]] = Field(
        default_factory=list, description="Machine suggestions awaiting confirmation; never built into tables."
    )


def registry_references(model: type[BaseModel] = AnnotationFile) -> dict[str, str]:
    """Field name -> registry (actors, events, topics) of every field of the annotation entries whose
    metadata says ``refers_to``: what the build checks against the registries and the tool exports link.
    A name means one registry wherever it occurs (ValueError otherwise, so a model cannot make it ambiguous)."""
    out: dict[str, str] = {}
    for info in model.model_fields.values():
        for item in typing.get_args(info.annotation):
            if not (isinstance(item, type) and issubclass(item, Evidence)):
                continue
            for name, field in item.model_fields.items():
                extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
                if extra.get(REFERS_TO):
                    if out.setdefault(name, str(extra[REFERS_TO])) != extra[REFERS_TO]:
                        raise ValueError(f"field {name} refers to {out[name]} and to {extra[REFERS_TO]}")
    return out


def entry_columns(model: type[BaseModel]) -> dict[str, str]:
    """Field name -> table column of every field of an entry model whose metadata says ``column``: what the
    compiler copies from an entry into its row (the row's ID, article and span it adds itself)."""
    out = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if extra.get(COLUMN):
            out[name] = str(extra[COLUMN])
    return out
