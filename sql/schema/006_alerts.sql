-- Hot alerts (a negative story spreading fast, a critical rule hit, a spike in mentions) with their
-- state (new -> acknowledged -> answered), the posts grouped into each, and the daily digests sent.
-- Written by the `hot_alerts`, `alert_update` and `daily_digest` DAGs and `postwatch alerts|digest`.

create table if not exists alerts (
    alert_id         varchar not null,
    story_key        varchar not null,
    kind             varchar not null,
    unit_id          varchar,
    rule_id          varchar,
    title            varchar,
    url              varchar,
    severity         varchar not null,
    reason           varchar not null,
    status           varchar not null,
    created_at       timestamptz not null,
    first_seen_at    timestamptz not null,
    last_seen_at     timestamptz not null,
    posts            integer not null,
    engagement       bigint not null,
    notified_at      timestamptz,
    acknowledged_at  timestamptz,
    acknowledged_by  varchar,
    answered_at      timestamptz,
    answered_by      varchar,
    answer_url       varchar,
    note             varchar,
    updated_at       timestamptz not null
);
comment on table alerts is 'One row per story that raised a hot alert; copies of the story (same canonical URL, content hash or near-identical title) join the same alert.';
comment on column alerts.alert_id is 'Stable id: 12 hex characters of the hash of the first story key (the CLI accepts a unique prefix).';
comment on column alerts.story_key is 'posts.story_key of the first post, or spike:<unit|rule|press>:<id>:<local hour or day> for volume spikes.';
comment on column alerts.kind is 'velocity (negative post spreading fast), critical_rule (a rule of severity critical fired), spike (mentions far above their usual rate).';
comment on column alerts.severity is 'critical or high.';
comment on column alerts.reason is 'JSON: what crossed which threshold (engagement per hour, rule ids, counts against the baseline).';
comment on column alerts.status is 'new, acknowledged (the officer has seen it) or answered (an official page of the unit posted on the story, or the officer marked it).';
comment on column alerts.first_seen_at is 'Publication time (UTC) of the earliest post of the story: the 2-hour clock of R8 starts here.';
comment on column alerts.answered_at is 'When the unit answered: publication time of its official post on the story, or when the officer marked it.';
comment on column alerts.answered_by is '"auto:<source_id>" when found on an official page, else the officer.';

create table if not exists alert_posts (
    alert_id   varchar not null,
    platform   varchar not null,
    post_id    varchar not null,
    match      varchar not null,
    added_at   timestamptz not null
);
comment on table alert_posts is 'Posts grouped into an alert, and how each was matched: story_key, url, content_hash, title (rapidfuzz).';

create table if not exists alert_events (
    alert_id   varchar not null,
    event      varchar not null,
    event_at   timestamptz not null,
    event_by   varchar,
    note       varchar
);
comment on table alert_events is 'History of each alert: created, grouped, notified, acknowledged, answered.';

create table if not exists digests (
    day          date not null,
    built_at     timestamptz not null,
    sent_at      timestamptz,
    sends        integer not null,
    recipients   varchar[],
    subject      varchar not null,
    message_id   varchar,
    eml_path     varchar not null,
    dry_run      boolean not null
);
comment on table digests is 'One row per digest day: when it was built and stored under var/digests/<day>/, and when it was sent (a re-run sends again only with force).';
