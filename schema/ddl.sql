-- Generated from schema/tables.py; do not edit.

CREATE TABLE articles (
    article_id VARCHAR NOT NULL,
    title VARCHAR,
    outlet VARCHAR,
    author VARCHAR,
    url VARCHAR,
    language VARCHAR NOT NULL,
    published_date DATE,
    published_date_earliest DATE,
    published_date_latest DATE,
    published_date_basis VARCHAR NOT NULL CHECK (published_date_basis IN ('stated', 'inferred')),
    text VARCHAR,
    text_sha256 VARCHAR NOT NULL,
    text_file VARCHAR NOT NULL,
    rights VARCHAR NOT NULL,
    text_license VARCHAR NOT NULL,
    redistributable BOOLEAN NOT NULL,
    rights_basis VARCHAR,
    notes VARCHAR,
    PRIMARY KEY (article_id)
);

CREATE TABLE actors (
    actor_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    actor_type VARCHAR NOT NULL CHECK (actor_type IN ('person', 'state', 'government', 'igo', 'organization', 'media', 'armed_group', 'group', 'anonymous_source')),
    country_code VARCHAR,
    wikidata_id VARCHAR,
    parent_actor_id VARCHAR,
    note VARCHAR,
    PRIMARY KEY (actor_id)
);

CREATE TABLE actor_aliases (
    actor_id VARCHAR NOT NULL,
    alias VARCHAR NOT NULL,
    alias_key VARCHAR NOT NULL,
    PRIMARY KEY (actor_id, alias)
);

CREATE TABLE actor_roles (
    actor_id VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    organization_actor_id VARCHAR NOT NULL,
    role_seq BIGINT NOT NULL,
    start_date DATE,
    end_date DATE,
    source VARCHAR,
    role_state VARCHAR NOT NULL CHECK (role_state IN ('held', 'acting', 'nominee', 'designate')),
    PRIMARY KEY (actor_id, role, organization_actor_id, role_seq)
);

CREATE TABLE actor_mentions (
    mention_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    actor_id VARCHAR NOT NULL,
    span_start BIGINT NOT NULL,
    span_end BIGINT NOT NULL,
    quote VARCHAR,
    as_office VARCHAR,
    office_state VARCHAR CHECK (office_state IN ('held', 'acting', 'nominee', 'designate', 'former')),
    office_words VARCHAR,
    PRIMARY KEY (mention_id)
);

CREATE TABLE topics (
    topic_id VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    PRIMARY KEY (topic_id)
);

CREATE TABLE cameo_codes (
    cameo_code VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    root_code VARCHAR NOT NULL,
    goldstein_scale DOUBLE,
    plover_type VARCHAR,
    PRIMARY KEY (cameo_code)
);

CREATE TABLE plover_types (
    plover_type VARCHAR NOT NULL,
    quad_class VARCHAR NOT NULL CHECK (quad_class IN ('verbal_cooperation', 'material_cooperation', 'verbal_conflict', 'material_conflict')),
    label VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    PRIMARY KEY (plover_type)
);

CREATE TABLE event_types (
    event_type VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    cameo_code VARCHAR,
    plover_type VARCHAR,
    PRIMARY KEY (event_type)
);

CREATE TABLE events (
    event_id VARCHAR NOT NULL,
    event_type VARCHAR NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('occurred', 'ongoing', 'planned', 'proposed', 'speculated', 'denied', 'hypothetical', 'denied_for_period')),
    date_start DATE,
    date_end DATE,
    date_precision VARCHAR CHECK (date_precision IN ('day', 'week', 'month', 'year', 'multi_year')),
    duration_days BIGINT,
    date_open VARCHAR CHECK (date_open IN ('start', 'end')),
    date_basis VARCHAR NOT NULL CHECK (date_basis IN ('stated', 'relative', 'inferred')),
    date_note VARCHAR,
    location VARCHAR,
    country_code VARCHAR,
    summary VARCHAR NOT NULL,
    cameo_code VARCHAR,
    plover_type VARCHAR,
    PRIMARY KEY (event_id)
);

CREATE TABLE event_participants (
    event_id VARCHAR NOT NULL,
    actor_id VARCHAR NOT NULL,
    participant_role VARCHAR NOT NULL CHECK (participant_role IN ('initiator', 'recipient', 'participant', 'host', 'mediator', 'author', 'subject')),
    capacity VARCHAR,
    PRIMARY KEY (event_id, actor_id)
);

CREATE TABLE event_mentions (
    mention_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    event_id VARCHAR NOT NULL,
    reported_status VARCHAR NOT NULL CHECK (reported_status IN ('occurred', 'ongoing', 'planned', 'proposed', 'speculated', 'denied', 'hypothetical', 'denied_for_period')),
    date_expression VARCHAR,
    span_start BIGINT NOT NULL,
    span_end BIGINT NOT NULL,
    quote VARCHAR,
    condition_event_id VARCHAR,
    denial_scope_start DATE,
    denial_scope_end DATE,
    PRIMARY KEY (mention_id)
);

CREATE TABLE positions (
    position_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    actor_id VARCHAR NOT NULL,
    topic_id VARCHAR,
    stance VARCHAR NOT NULL CHECK (stance IN ('support', 'oppose', 'neutral', 'mixed')),
    target_actor_id VARCHAR,
    event_id VARCHAR,
    span_start BIGINT NOT NULL,
    span_end BIGINT NOT NULL,
    quote VARCHAR,
    cameo_code VARCHAR NOT NULL,
    plover_type VARCHAR,
    holds_from DATE,
    holds_until DATE,
    holds_basis VARCHAR,
    PRIMARY KEY (position_id)
);

CREATE TABLE demands (
    demand_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    claimant_actor_id VARCHAR NOT NULL,
    addressee_actor_id VARCHAR NOT NULL,
    topic_id VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    event_id VARCHAR,
    demand_status VARCHAR NOT NULL CHECK (demand_status IN ('made', 'expected')),
    span_start BIGINT NOT NULL,
    span_end BIGINT NOT NULL,
    quote VARCHAR,
    cameo_code VARCHAR NOT NULL,
    plover_type VARCHAR,
    PRIMARY KEY (demand_id)
);

CREATE TABLE demand_addressees (
    demand_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    actor_id VARCHAR NOT NULL,
    addressee_seq BIGINT NOT NULL,
    PRIMARY KEY (demand_id, actor_id)
);

CREATE TABLE attribution_sources (
    source_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    actor_id VARCHAR NOT NULL,
    via_source_id VARCHAR,
    depth BIGINT NOT NULL,
    event_id VARCHAR,
    span_start BIGINT NOT NULL,
    span_end BIGINT NOT NULL,
    quote VARCHAR,
    PRIMARY KEY (source_id)
);

CREATE TABLE attributions (
    attribution_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    mention_id VARCHAR,
    position_id VARCHAR,
    demand_id VARCHAR,
    source_id VARCHAR,
    PRIMARY KEY (attribution_id)
);

CREATE TABLE event_relations (
    relation_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    source_event_id VARCHAR NOT NULL,
    relation_type VARCHAR NOT NULL CHECK (relation_type IN ('reports', 'part_of', 'causes', 'before', 'for')),
    target_event_id VARCHAR NOT NULL,
    span_start BIGINT NOT NULL,
    span_end BIGINT NOT NULL,
    quote VARCHAR,
    PRIMARY KEY (relation_id)
);

CREATE TABLE errata (
    erratum_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    erratum_kind VARCHAR NOT NULL CHECK (erratum_kind IN ('anachronism', 'wrong_title', 'misattribution', 'unclear_attribution', 'factual_error', 'simplification', 'stitched_text', 'truncated_text', 'typo', 'malformed_quotation')),
    what_is_wrong VARCHAR NOT NULL,
    correction VARCHAR NOT NULL,
    correction_basis VARCHAR,
    span_start BIGINT NOT NULL,
    span_end BIGINT NOT NULL,
    quote VARCHAR,
    PRIMARY KEY (erratum_id)
);
