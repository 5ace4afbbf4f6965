-- Core warehouse tables. DuckLake has no primary keys: uniqueness of (platform, post_id)
-- is kept by the loader (MERGE inside one transaction) and checked by the quality suites.

create table if not exists units (
    unit_id     varchar not null,
    name        varchar not null,
    level       varchar not null,
    parent_id   varchar,
    aliases     varchar[],
    loaded_at   timestamptz not null
);
comment on table units is 'Administrative units from include/config/units.yaml (province, departments, communes...), reloaded on every run.';
comment on column units.unit_id is 'Stable id used everywhere else (units.yaml id).';
comment on column units.level is 'Level in the tree as configured: province, department, commune, district...';
comment on column units.parent_id is 'Parent unit id; null for the root.';
comment on column units.aliases is 'Other names the unit is known by, used for relevance matching.';

create table if not exists sources (
    source_id         varchar not null,
    name              varchar not null,
    unit_id           varchar,
    platform          varchar not null,
    kind              varchar not null,
    url               varchar,
    handle            varchar,
    page_id           varchar,
    channel_id        varchar,
    verified          boolean not null,
    admin_name        varchar,
    admin_phone       varchar,
    admin_email       varchar,
    active            boolean not null,
    poll_interval_min integer not null,
    conn_id           varchar,
    since             date,
    loaded_at         timestamptz not null
);
comment on table sources is 'Pages, channels, feeds, portals and file imports from include/config/sources.yaml.';
comment on column sources.kind is 'official (a unit''s own page), watched (other public pages), press (news outlets).';
comment on column sources.verified is 'Whether the page is verified with the platform (R1).';
comment on column sources.conn_id is 'Airflow connection (or environment variable) holding the token; never the token itself.';

create table if not exists source_state (
    source_id            varchar not null,
    watermark            timestamptz,
    etag                 varchar,
    last_modified        varchar,
    cursor               varchar,
    status               varchar not null,
    message              varchar,
    last_attempt_at      timestamptz,
    last_success_at      timestamptz,
    consecutive_failures integer not null,
    updated_at           timestamptz not null
);
comment on table source_state is 'One row per source: incremental watermark, HTTP validators and health of the last poll.';
comment on column source_state.status is 'ok, not_modified, error, auth_failed, rate_limited, quota_exceeded.';

create table if not exists ingest_runs (
    run_id        varchar not null,
    source_id     varchar not null,
    started_at    timestamptz,
    finished_at   timestamptz not null,
    status        varchar not null,
    message       varchar,
    payloads      integer not null,
    fetched       integer not null,
    loaded_new    integer not null,
    loaded_changed integer not null,
    unchanged     integer not null,
    duplicates    integer not null,
    quarantined   integer not null,
    landing_files varchar[]
);
comment on table ingest_runs is 'Per source and run: what was fetched and where each item went. fetched = loaded_new + loaded_changed + unchanged + duplicates + quarantined.';
comment on column ingest_runs.duplicates is 'Items superseded inside the same batch by a later version of the same post.';

create table if not exists posts (
    platform      varchar not null,
    post_id       varchar not null,
    source_id     varchar not null,
    unit_id       varchar,
    kind          varchar not null,
    url           varchar,
    title         varchar,
    text          varchar not null,
    author        varchar,
    author_id     varchar,
    published_at  timestamptz not null,
    updated_at    timestamptz,
    local_date    date not null,
    lang          varchar not null,
    likes         bigint,
    comments      bigint,
    shares        bigint,
    views         bigint,
    content_hash  varchar not null,
    story_key     varchar not null,
    encoding_fix  varchar,
    version       integer not null,
    first_seen_at timestamptz not null,
    refreshed_at  timestamptz not null
);
comment on table posts is 'Current version of every collected post, one row per (platform, post_id).';
comment on column posts.post_id is 'The platform''s id (Graph post id, YouTube video id...) or the canonical URL for feeds and portals.';
comment on column posts.url is 'Canonical URL: lower-case host, tracking parameters dropped.';
comment on column posts.text is 'Cleaned text: NFC, tone marks placed one way (hòa, thủy), HTML stripped, zero-width characters removed.';
comment on column posts.published_at is 'Publication time in UTC.';
comment on column posts.local_date is 'Publication day in Asia/Ho_Chi_Minh: the day a digest counts it in.';
comment on column posts.lang is 'vi, en or und (heuristic).';
comment on column posts.likes is 'Reactions / likes at the last poll (null when the platform does not say).';
comment on column posts.content_hash is 'Hash of cleaned title and text; a change makes a new version.';
comment on column posts.story_key is 'Copies of one story (same headline across outlets) share this key.';
comment on column posts.encoding_fix is 'Set when the text was repaired (e.g. mojibake_repaired).';
comment on column posts.refreshed_at is 'Last time the content or the engagement counts changed.';
comment on column posts.version is 'Starts at 1; +1 each time the content changes (edits). History in post_versions.';

create table if not exists post_versions (
    platform       varchar not null,
    post_id        varchar not null,
    version        integer not null,
    content_hash   varchar not null,
    title          varchar,
    text           varchar not null,
    title_original varchar,
    text_original  varchar,
    updated_at     timestamptz,
    fetched_at     timestamptz not null,
    landing_ref    varchar,
    recorded_at    timestamptz not null
);
comment on table post_versions is 'Every content version of every post, with the text as received when cleaning changed it.';
comment on column post_versions.text_original is 'The text as the platform sent it (null when identical to text).';
comment on column post_versions.landing_ref is 'Landing file and payload number the version came from (postwatch replay reads it).';

create table if not exists quarantine (
    quarantine_id  varchar not null,
    run_id         varchar,
    source_id      varchar not null,
    platform       varchar not null,
    item_id        varchar,
    stage          varchar not null,
    expectation    varchar,
    reason         varchar not null,
    record         varchar not null,
    record_hash    varchar not null,
    landing_ref    varchar,
    quarantined_at timestamptz not null,
    status         varchar not null,
    released_at    timestamptz
);
comment on table quarantine is 'Records that could not be loaded, with the reason. Nothing is dropped silently.';
comment on column quarantine.stage is 'parse (the payload or record could not be read), normalize, validate.';
comment on column quarantine.reason is 'Human-readable reason, naming the field and value.';
comment on column quarantine.record is 'The raw item as JSON, as received.';
comment on column quarantine.record_hash is 'Hash of the record: the same bad record seen again (a re-run, a replay) is not quarantined twice.';
comment on column quarantine.status is 'open, or released after a fix.';
