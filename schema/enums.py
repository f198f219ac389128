"""Controlled vocabularies used by the tables and the annotation files.

Every enum is a ``str`` Enum so that its values serialise as plain strings in
Parquet (dictionary-encoded), JSON and YAML.
"""

from enum import Enum


class DateBasis(str, Enum):
    """How a date was obtained (TimeML-style provenance of a date)."""

    stated = "stated"  # an absolute date written in the text (or its dateline)
    relative = "relative"  # a relative expression ("on Sunday") resolved against the article date
    inferred = "inferred"  # reasoned from context; the note says how


class PublishedDateBasis(str, Enum):
    """Whether an article's publication date is written in it or inferred."""

    stated = "stated"
    inferred = "inferred"


class DatePrecision(str, Enum):
    """How closely an event's date window places it (ACLED's time_precision, on a window): ``day`` when the
    dates given are the event's own days, else the narrowest of a window of at most seven days, one
    calendar month, one calendar year, or more (a window that crosses a year)."""

    day = "day"
    week = "week"
    month = "month"
    year = "year"
    multi_year = "multi_year"


class DateOpenSide(str, Enum):
    """The side on which an event's date window is open (a one-sided bound, TimeML's mod BEFORE/AFTER)."""

    start = "start"  # nothing bounds it from below: "before 25 March" (date_end only)
    end = "end"  # nothing bounds it from above: still under way, or "after ..." (date_start only)


class ActorType(str, Enum):
    """The kind of entity an actor is."""

    person = "person"
    state = "state"
    government = "government"  # a government or one of its bodies (ministry, presidency, directorate)
    igo = "igo"  # intergovernmental organisation (NATO)
    organization = "organization"  # company, party, other non-state body
    media = "media"  # news outlet or podcast
    armed_group = "armed_group"
    group = "group"  # a collective named by description ("European leaders", "protesters")
    anonymous_source = "anonymous_source"  # an unnamed source; parent_actor_id holds its affiliation


class EventStatus(str, Enum):
    """Factuality of an event (FactBank-style): did it happen, is it planned, or only talked about."""

    occurred = "occurred"
    ongoing = "ongoing"
    planned = "planned"
    proposed = "proposed"
    speculated = "speculated"
    denied = "denied"
    # Schema 2.0 (modality): a supposition, and a denial that holds only for a stated period.
    hypothetical = "hypothetical"  # supposed, not asserted: the antecedent of an "if", a counterfactual
    denied_for_period = "denied_for_period"  # "no calls are scheduled this week": denied within a scope only


class ParticipantRole(str, Enum):
    """What part an actor plays in an event."""

    initiator = "initiator"  # acts on another (imposes sanctions, visits, accuses)
    recipient = "recipient"  # is acted on, receives a visit, is accused
    participant = "participant"  # symmetric participation (a call, a meeting)
    host = "host"
    mediator = "mediator"
    author = "author"  # issues a statement or post
    subject = "subject"  # the event is about this actor without it acting (e.g. an arrested person)


class Stance(str, Enum):
    """A position's direction (claims analysis: +1 support, -1 oppose, 0 neutral)."""

    support = "support"
    oppose = "oppose"
    neutral = "neutral"
    mixed = "mixed"


class DemandStatus(str, Enum):
    """Whether the demand was made, or the article only expects it to be made."""

    made = "made"
    expected = "expected"


class QuadClass(str, Enum):
    """PLOVER's four quad classes."""

    verbal_cooperation = "verbal_cooperation"
    material_cooperation = "material_cooperation"
    verbal_conflict = "verbal_conflict"
    material_conflict = "material_conflict"


class RoleState(str, Enum):
    """An actor's standing in an office over one period (actor_roles): office-holding beyond held / not held."""

    held = "held"  # in office
    acting = "acting"  # performs the office temporarily without being appointed or elected to it
    nominee = "nominee"  # formally put forward for the office, awaiting confirmation (e.g. by the US Senate)
    designate = "designate"  # chosen or confirmed, not yet in office


class NamedOfficeState(str, Enum):
    """The standing an article gives an actor when it calls them by an office: a period of RoleState, or former."""

    held = "held"  # "President Erdoğan", "the new US ambassador"
    acting = "acting"  # "acting foreign minister"
    nominee = "nominee"  # "ambassador nominee Tom Barrack"
    designate = "designate"  # "ambassador-designate"
    former = "former"  # "former president Joe Biden": a held period that ended before the article
class RelationType(str, Enum):
    """How one event relates to another (TimeML TLINKs, MAVEN-ERE): read as 'source <type> target'."""

    reports = "reports"  # the source (a statement, readout, report) gives an account of the target
    part_of = "part_of"  # the source is a part (subevent) of the target: a meeting of a visit
    causes = "causes"  # the source brought about the target (MAVEN-ERE CAUSE)
    before = "before"  # the source precedes the target; 'after' is written as 'before' the other way round
    for_ = "for"  # the source (a proposal, offer, agreement, plan) is for the target, a future event


class ErratumKind(str, Enum):
    """What kind of error a source text makes (the errata table)."""

    anachronism = "anachronism"  # a name, office-holder or state of affairs from another time
    wrong_title = "wrong_title"  # a person called by an office or title they do not hold
    misattribution = "misattribution"  # words or a view attributed to someone who did not say or hold them
    unclear_attribution = "unclear_attribution"  # a garbled attribution: who says it cannot be told
    factual_error = "factual_error"  # a plain statement of fact that is false
    simplification = "simplification"  # true in outline, wrong in a detail the data depends on (a date, a cause)
    stitched_text = "stitched_text"  # pieces of several texts joined, or a text out of order
    truncated_text = "truncated_text"  # the text starts or ends in the middle of the article
    typo = "typo"  # a misprint
    malformed_quotation = "malformed_quotation"  # quotation marks that are not closed or not opened
