"""The published tables, one pydantic model each: the single source of truth.

A model's fields are the table's columns (in order); its class variables give the
table name, primary key and foreign keys. JSON Schema, the Frictionless
descriptor, Arrow schemas, DuckDB DDL and the docs are all generated from these
classes by :mod:`diplonews.schema.generate`.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from .enums import (
    ActorType,
    DateBasis,
    DatePrecision,
    DemandStatus,
    ErratumKind,
    EventStatus,
    ParticipantRole,
    PublishedDateBasis,
    QuadClass,
    RelationType,
    Stance,
)
from .fields import (
    LANGUAGE_PATTERN,
    MENTION_ID_PATTERN,
    SHA256_PATTERN,
    WIKIDATA_PATTERN,
    ActorId,
    ArticleId,
    AsOffice,
    CameoCode as CameoCodeField,
    CountryCode,
    DemandId,
    ErratumId,
    EventId,
    MentionId,
    OfficeState,
    OfficeWords,
    OptionalDate,
    OptionalText,
    PloverType as PloverTypeField,
    PositionId,
    Quote,
    Redistributable,
    RelationId,
    Rights,
    RightsBasis,
    RoleStateField,
    SpanEnd,
    SpanStart,
    TextLicense,
    TopicId,
)
from .fields import ConditionEventId, DateOpen, DenialScopeDate, DurationDays, SourceId, WindowEnd, WindowStart
from .fields import HoldsBasis, HoldsDate


class ForeignKey(NamedTuple):
    """Columns of this table that must match the primary key of another table (nulls allowed)."""

    fields: tuple[str, ...]
    table: str
    ref_fields: tuple[str, ...]


class Table(BaseModel):
    """Base class of all table rows."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table_name: ClassVar[str]
    primary_key: ClassVar[tuple[str, ...]]
    foreign_keys: ClassVar[tuple[ForeignKey, ...]] = ()


def fk(column: str, table: str, ref: str | None = None) -> ForeignKey:
    """A single-column foreign key to ``table`` (referencing its column ``ref``, default same name)."""
    return ForeignKey((column,), table, (ref or column,))


class Article(Table):
    """One news article: its metadata, its full text exactly as in the seed file, and the text's hash."""

    table_name: ClassVar[str] = "articles"
    primary_key: ClassVar[tuple[str, ...]] = ("article_id",)

    article_id: ArticleId
    title: OptionalText = Field(description="Headline as printed in the text; null when the text has none.")
    outlet: OptionalText = Field(description="Publishing outlet, only when evidenced (see notes).")
    author: OptionalText = Field(description="Author as named in the text; null when not named.")
    url: OptionalText = Field(description="Original URL; null when unknown.")
    language: Annotated[str, Field(pattern=LANGUAGE_PATTERN, description="ISO 639 language code of the text.")]
    published_date: OptionalDate = Field(description="Publication date when the text states it; else null.")
    published_date_earliest: OptionalDate = Field(description="Earliest possible publication date.")
    published_date_latest: OptionalDate = Field(description="Latest possible publication date.")
    published_date_basis: PublishedDateBasis = Field(description="Whether the date is stated in the text or inferred.")
    text: str | None = Field(
        description="The seed file's content decoded as UTF-8, unchanged; offsets index into it. Null only in the "
        "standoff release, for a text that is not redistributable (diplonews hydrate restores it)."
    )
    text_sha256: Annotated[str, Field(pattern=SHA256_PATTERN, description="SHA-256 of the seed file's bytes.")]
    text_file: str = Field(description="File name of the text in seeds/texts/.")
    rights: Rights
    text_license: TextLicense
    redistributable: Redistributable
    rights_basis: RightsBasis
    notes: OptionalText = Field(
        description="Annotator notes: how a date was inferred, truncation, boilerplate, errors in the article."
    )


class Actor(Table):
    """One real-world entity (person, state, government body, organisation, group or anonymous source)."""

    table_name: ClassVar[str] = "actors"
    primary_key: ClassVar[tuple[str, ...]] = ("actor_id",)
    foreign_keys: ClassVar[tuple[ForeignKey, ...]] = (fk("parent_actor_id", "actors", "actor_id"),)

    actor_id: ActorId
    name: str = Field(description="Preferred name.")
    actor_type: ActorType = Field(description="Kind of entity.")
    country_code: CountryCode = Field(description="ISO 3166-1 alpha-3 code of the actor's country, if any.")
    wikidata_id: Annotated[str | None, Field(pattern=WIKIDATA_PATTERN)] = Field(
        description="Wikidata QID; only filled from a named, checked source, else null."
    )
    parent_actor_id: ActorId | None = Field(
        description="The actor this one belongs to (ministry -> government -> state; anonymous source -> affiliation)."
    )
    note: OptionalText = Field(description="Annotator note on the actor (e.g. why it is not identified further).")


class ActorAlias(Table):
    """A spelling or metonym by which an actor is referred to."""

    table_name: ClassVar[str] = "actor_aliases"
    primary_key: ClassVar[tuple[str, ...]] = ("actor_id", "alias")
    foreign_keys: ClassVar[tuple[ForeignKey, ...]] = (fk("actor_id", "actors"),)

    actor_id: ActorId
    alias: str = Field(min_length=1, description="The alias as written.")
    alias_key: str = Field(
        min_length=1, description="The alias folded for comparison (Unicode full case folding, 'İ' as 'i', then NFKC; "
        "schema.fields.alias_key), computed by the build: rules compare aliases by it, never by an engine's lower().")


class ActorRole(Table):
    """An actor's standing in an office over an interval (start and end inclusive; null end = still so): held,
    acting, nominee or designate; one row per period, so a nominee who takes office has two."""

    table_name: ClassVar[str] = "actor_roles"
    primary_key: ClassVar[tuple[str, ...]] = ("actor_id", "role", "organization_actor_id", "role_seq")
    foreign_keys: ClassVar[tuple[ForeignKey, ...]] = (
        fk("actor_id", "actors"),
        fk("organization_actor_id", "actors", "actor_id"),
    )

    actor_id: ActorId
    role: str = Field(description="Office, as a slug (president, foreign-minister, ...).")
    organization_actor_id: ActorId = Field(description="The state or body in which the office is held.")
    role_seq: int = Field(ge=1, description="1, 2, ... for successive periods (terms, or nominee then held) in the "
                          "same office.")
    start_date: OptionalDate = Field(description="First day in office; null when not recorded (not checked).")
    end_date: OptionalDate = Field(description="Last day in office; null while still held.")
    source: OptionalText = Field(description="Where the dates come from (they are usually not in the texts).")
    role_state: RoleStateField


class ActorMention(Table):
    """One place where an article refers to an actor, with the exact words, and the office it calls the actor by."""

    table_name: ClassVar[str] = "actor_mentions"
    primary_key: ClassVar[tuple[str, ...]] = ("mention_id",)
    foreign_keys: ClassVar[tuple[ForeignKey, ...]] = (fk("article_id", "articles"), fk("actor_id", "actors"))

    mention_id: MentionId
    article_id: ArticleId
    actor_id: ActorId
    span_start: SpanStart
    span_end: SpanEnd
    quote: Quote
    as_office: AsOffice
    office_state: OfficeState
    office_words: OfficeWords


class Topic(Table):
    """An issue that positions and demands are about."""

    table_name: ClassVar[str] = "topics"
    primary_key: ClassVar[tuple[str, ...]] = ("topic_id",)

    topic_id: TopicId
    label: str = Field(description="Short label.")
    description: str = Field(description="What the topic covers.")


class EventType(Table):
    """Our event types, each mapped to a CAMEO code and a PLOVER type (the shipped codebook)."""

    table_name: ClassVar[str] = "event_types"
    primary_key: ClassVar[tuple[str, ...]] = ("event_type",)
    foreign_keys: ClassVar[tuple[ForeignKey, ...]] = (
        fk("cameo_code", "cameo_codes"),
        fk("plover_type", "plover_types"),
    )

    event_type: str = Field(description="Event type slug.")
    label: str = Field(description="Short label.")
    description: str = Field(description="Definition used by annotators.")
    cameo_code: CameoCodeField | None = Field(
        description="Default CAMEO event code for this type; null when CAMEO has none (taking office).")
    plover_type: PloverTypeField | None = Field(
        description="Default PLOVER event type; null when PLOVER has none (statements).")


class CameoCode(Table):
    """The CAMEO event codebook (GDELT's CAMEO.eventcodes.txt with Goldstein scores)."""

    table_name: ClassVar[str] = "cameo_codes"
    primary_key: ClassVar[tuple[str, ...]] = ("cameo_code",)
    foreign_keys: ClassVar[tuple[ForeignKey, ...]] = (fk("plover_type", "plover_types"),)

    cameo_code: CameoCodeField
    label: str = Field(description="CAMEO label.")
    root_code: Annotated[str, Field(pattern=r"^[0-9]{2}$", description="Two-digit CAMEO root code.")]
    goldstein_scale: float | None = Field(description="Goldstein conflict-cooperation score (-10..10).")
    plover_type: PloverTypeField | None = Field(
        description="The PLOVER type of the code by the PLOVER manual's CAMEO translation (the code's root, "
        "081-083 CONCEDE, 084-087 RETREAT); null where PLOVER drops the code (01 statements, 02 appeals).")


class PloverType(Table):
    """The PLOVER event types and their quad classes."""

    table_name: ClassVar[str] = "plover_types"
    primary_key: ClassVar[tuple[str, ...]] = ("plover_type",)

    plover_type: PloverTypeField
    quad_class: QuadClass = Field(description="PLOVER quad class.")
    label: str = Field(description="Label.")
    description: str = Field(description="Definition (paraphrased from the PLOVER manual).")


class Event(Table):
    """One canonical real-world event, linked from every article that reports it."""

    table_name: ClassVar[str] = "events"
    primary_key: ClassVar[tuple[str, ...]] = ("event_id",)
    foreign_keys: ClassVar[tuple[ForeignKey, ...]] = (
        fk("event_type", "event_types"),
        fk("cameo_code", "cameo_codes"),
        fk("plover_type", "plover_types"),
    )

    event_id: EventId
    event_type: str = Field(description="Our event type (see event_types).")
    status: EventStatus = Field(description="Best reading across all reports: occurred, planned, denied, ...")
    date_start: WindowStart
    date_end: WindowEnd
    date_precision: DatePrecision | None = Field(
        description="How closely the window places the event: day (the dates are the event's own days; for an "
        "open window, its one date is), week (a window of at most 7 days), month (inside one calendar month), "
        "year (inside one calendar year), multi_year (across a year boundary); null when undated or only "
        "bounded on one side by a date that is not the event's own.")
    duration_days: DurationDays
    date_open: DateOpen
    date_basis: DateBasis = Field(description="stated, relative (resolved against an article date) or inferred.")
    date_note: OptionalText = Field(description="The words and the anchor the date was resolved from.")
    location: OptionalText = Field(description="Place name as given in the text.")
    country_code: CountryCode = Field(description="ISO 3166-1 alpha-3 code of where the event took place.")
    summary: str = Field(description="One-sentence summary.")
    cameo_code: CameoCodeField | None = Field(
        description="CAMEO event code (from the type unless overridden); null when CAMEO has none for the type.")
    plover_type: PloverTypeField | None = Field(description="PLOVER event type (from the type unless overridden).")


class EventParticipant(Table):
    """An actor taking part in an event, in a role and optionally in an office (capacity)."""

    table_name: ClassVar[str] = "event_participants"
    primary_key: ClassVar[tuple[str, ...]] = ("event_id", "actor_id")
    foreign_keys: ClassVar[tuple[ForeignKey, ...]] = (fk("event_id", "events"), fk("actor_id", "actors"))

    event_id: EventId
    actor_id: ActorId
    participant_role: ParticipantRole = Field(description="The part the actor plays in the event.")
    capacity: OptionalText = Field(
        description="Office in which the actor acts (an actor_roles.role held on the event's dates), if any."
    )


class EventMention(Table):
    """One place where an article reports an event, with what that article says about it."""

    table_name: ClassVar[str] = "event_mentions"
    primary_key: ClassVar[tuple[str, ...]] = ("mention_id",)
    foreign_keys: ClassVar[tuple[ForeignKey, ...]] = (
        fk("article_id", "articles"), fk("event_id", "events"), fk("condition_event_id", "events", "event_id"),
    )

    mention_id: MentionId
    article_id: ArticleId
    event_id: EventId
    reported_status: EventStatus = Field(description="What this article says of the event's status.")
    date_expression: OptionalText = Field(description="The words that date the event in this report, if any.")
    span_start: SpanStart
    span_end: SpanEnd
    quote: Quote
    condition_event_id: ConditionEventId
    denial_scope_start: DenialScopeDate
    denial_scope_end: DenialScopeDate


class Position(Table):
    """An actor's stance on a topic and/or towards another actor, as reported by an article."""

    table_name: ClassVar[str] = "positions"
    primary_key: ClassVar[tuple[str, ...]] = ("position_id",)
    foreign_keys: ClassVar[tuple[ForeignKey, ...]] = (
        fk("article_id", "articles"),
        fk("actor_id", "actors"),
        fk("topic_id", "topics"),
        fk("target_actor_id", "actors", "actor_id"),
        fk("event_id", "events"),
        fk("cameo_code", "cameo_codes"),
        fk("plover_type", "plover_types"),
    )

    position_id: PositionId
    article_id: ArticleId
    actor_id: ActorId = Field(description="The holder of the position.")
    topic_id: TopicId | None = Field(description="The topic the stance is about (topic or target required).")
    stance: Stance = Field(description="support, oppose, neutral or mixed.")
    target_actor_id: ActorId | None = Field(description="The actor the stance is towards, if any.")
    event_id: EventId | None = Field(description="The event where the position was voiced, if any.")
    span_start: SpanStart
    span_end: SpanEnd
    quote: Quote
    cameo_code: CameoCodeField = Field(description="CAMEO code of the verbal act that states the position "
                                       "(praise 051, criticism 111, rejection 120, ...), as the annotator wrote it.")
    plover_type: PloverTypeField | None = Field(
        description="PLOVER type of the act: written, or the code's by PLOVER's CAMEO translation; null where "
        "PLOVER has none (a plain comment, CAMEO 01). Its quad class: join plover_types.")
    holds_from: HoldsDate
    holds_until: HoldsDate
    holds_basis: HoldsBasis


class Demand(Table):
    """A claim: a claimant asks an addressee for an action on a topic (claims analysis)."""

    table_name: ClassVar[str] = "demands"
    primary_key: ClassVar[tuple[str, ...]] = ("demand_id",)
    foreign_keys: ClassVar[tuple[ForeignKey, ...]] = (
        fk("article_id", "articles"),
        fk("claimant_actor_id", "actors", "actor_id"),
        fk("addressee_actor_id", "actors", "actor_id"),
        fk("topic_id", "topics"),
        fk("event_id", "events"),
        fk("cameo_code", "cameo_codes"),
        fk("plover_type", "plover_types"),
    )

    demand_id: DemandId
    article_id: ArticleId
    claimant_actor_id: ActorId = Field(description="Who makes the demand.")
    addressee_actor_id: ActorId = Field(description="Of whom the action is demanded: the first addressee the text "
                                        "names; every addressee is in demand_addressees.")
    topic_id: TopicId = Field(description="What the demand is about.")
    action: str = Field(min_length=1, description="The action demanded, as a short imperative paraphrase.")
    event_id: EventId | None = Field(description="The event where the demand was voiced, if any.")
    demand_status: DemandStatus = Field(description="made, or only expected to be made.")
    span_start: SpanStart
    span_end: SpanEnd
    quote: Quote
    cameo_code: CameoCodeField = Field(description="CAMEO code of the ask: an appeal (02x) or a demand (10x); "
                                       "020 unless the annotator wrote a finer one.")
    plover_type: PloverTypeField | None = Field(
        description="PLOVER type of the ask: REQUEST (PLOVER's type for all requests, demands and orders) unless "
        "written. Its quad class: join plover_types.")


class DemandAddressee(Table):
    """An addressee of a demand: one row per actor the demand is made of, in the order the text names them
    ("Rubio and other US officials": marco-rubio 1, us-government 2). demands.addressee_actor_id is the
    first; this table has every one, so "demands made of X" is a query on it."""

    table_name: ClassVar[str] = "demand_addressees"
    primary_key: ClassVar[tuple[str, ...]] = ("demand_id", "actor_id")
    foreign_keys: ClassVar[tuple[ForeignKey, ...]] = (
        fk("demand_id", "demands"), fk("article_id", "articles"), fk("actor_id", "actors"),
    )

    demand_id: DemandId
    article_id: ArticleId
    actor_id: ActorId = Field(description="An actor the demand is made of.")
    addressee_seq: int = Field(ge=1, description="1, 2, ... in the order the text names the addressees; 1 is "
                               "demands.addressee_actor_id.")


class AttributionSource(Table):
    """A source an article cites for what it reports (FactBank's source): a named actor, an anonymous
    source or an outlet, with the words that cite it ('Peskov stated', 'according to Hürriyet').

    Sources nest: a source the article cites directly has depth 1 and no via_source_id; a source cited by
    another source ('Caliber.Az reports via Russian media' that Peskov stated) names it in via_source_id
    and has its depth + 1. The article itself (FactBank's AUTHOR) is depth 0 and has no row here: an
    attribution with a null source_id is the article's own assertion.
    """

    table_name: ClassVar[str] = "attribution_sources"
    primary_key: ClassVar[tuple[str, ...]] = ("source_id",)
    foreign_keys: ClassVar[tuple[ForeignKey, ...]] = (
        fk("article_id", "articles"),
        fk("actor_id", "actors"),
        fk("via_source_id", "attribution_sources", "source_id"),
        fk("event_id", "events"),
    )

    source_id: SourceId
    article_id: ArticleId
    actor_id: ActorId = Field(description="Who the source is (a person, body, anonymous source or outlet).")
    via_source_id: Annotated[str | None, Field(pattern=MENTION_ID_PATTERN)] = Field(
        description="The source that relays this one (a source_id of the same article); null when the "
        "article cites it directly."
    )
    depth: int = Field(ge=1, description="Place in the chain: 1 = cited by the article, 2 = cited by a depth-1 "
                       "source, ... (FactBank's s2_s1_AUTHOR has s1 at depth 1, s2 at depth 2).")
    event_id: EventId | None = Field(description="The statement, readout, report or interview in which the "
                                     "source says it, when the registry has it.")
    span_start: SpanStart
    span_end: SpanEnd
    quote: Quote


class EventRelation(Table):
    """A typed, directed link between two events (TimeML TLINK, MAVEN-ERE), evidenced by an article's words.

    Read as 'source <relation_type> target': a readout *reports* a call, a meeting is *part_of* a visit,
    a purchase *causes* an exclusion, one event is *before* another, a proposal is *for* a future event.
    """

    table_name: ClassVar[str] = "event_relations"
    primary_key: ClassVar[tuple[str, ...]] = ("relation_id",)
    foreign_keys: ClassVar[tuple[ForeignKey, ...]] = (
        fk("article_id", "articles"),
        fk("source_event_id", "events", "event_id"),
        fk("target_event_id", "events", "event_id"),
    )

    relation_id: RelationId
    article_id: ArticleId
    source_event_id: EventId = Field(description="The event the relation starts from (the report, the part, the "
                                     "cause, the earlier event, the proposal).")
    relation_type: RelationType = Field(description="reports, part_of, causes, before or for; 'A after B' is "
                                        "written 'B before A'.")
    target_event_id: EventId = Field(description="The event the relation points to (the reported event, the "
                                     "whole, the effect, the later event, the proposed event).")
    span_start: SpanStart
    span_end: SpanEnd
    quote: Quote


class Attribution(Table):
    """Who asserts a reported fact: one row per event mention, position or demand and source.

    Every such row has at least one attribution. source_id null means the article asserts it itself
    (the default, FactBank's AUTHOR); otherwise source_id is the innermost source (the one whose words
    they are), and its chain up to the article is followed through attribution_sources.via_source_id.
    A fact the article gives two independent sources for ('According to Daily Sabah, ..., according to
    media reports') has two rows.
    """

    table_name: ClassVar[str] = "attributions"
    primary_key: ClassVar[tuple[str, ...]] = ("attribution_id",)
    foreign_keys: ClassVar[tuple[ForeignKey, ...]] = (
        fk("article_id", "articles"),
        fk("mention_id", "event_mentions"),
        fk("position_id", "positions"),
        fk("demand_id", "demands"),
        fk("source_id", "attribution_sources"),
    )

    attribution_id: Annotated[str, Field(pattern=MENTION_ID_PATTERN)] = Field(
        description="'<attributed row id>:<local source id>', or '<attributed row id>:author' for the article."
    )
    article_id: ArticleId
    mention_id: MentionId | None = Field(description="The event mention attributed (exactly one of mention_id, "
                                         "position_id and demand_id is set).")
    position_id: PositionId | None = Field(description="The position attributed.")
    demand_id: DemandId | None = Field(description="The demand attributed.")
    source_id: SourceId | None = Field(description="Who asserts it: the innermost cited source; null = the "
                                       "article itself (its author).")


class Erratum(Table):
    """An error in a source text (anachronism, wrong title, misattribution, ...): what is wrong, the correction
    and what the correction rests on, anchored at the words that make the error."""

    table_name: ClassVar[str] = "errata"
    primary_key: ClassVar[tuple[str, ...]] = ("erratum_id",)
    foreign_keys: ClassVar[tuple[ForeignKey, ...]] = (fk("article_id", "articles"),)

    erratum_id: ErratumId
    article_id: ArticleId
    erratum_kind: ErratumKind = Field(description="What kind of error the text makes.")
    what_is_wrong: str = Field(min_length=1, description="What the text gets wrong, in a sentence or two.")
    correction: str = Field(min_length=1, description="What is right instead, and how the annotations treat "
                            "the passage (what is recorded, what is not).")
    correction_basis: OptionalText = Field(description="What the correction rests on: a named public source, or "
                                           "the text itself; required for errors of fact (erratum_has_basis).")
    span_start: SpanStart
    span_end: SpanEnd
    quote: Quote


TABLES: tuple[type[Table], ...] = (
    Article,
    Actor,
    ActorAlias,
    ActorRole,
    ActorMention,
    Topic,
    CameoCode,
    PloverType,
    EventType,
    Event,
    EventParticipant,
    EventMention,
    Position,
    Demand,
    DemandAddressee,
    AttributionSource,
    Attribution,
    EventRelation,
    Erratum,
)
"""Every published table, in dependency order."""

TABLES_BY_NAME: dict[str, type[Table]] = {t.table_name: t for t in TABLES}
