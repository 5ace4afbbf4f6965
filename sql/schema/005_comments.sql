-- Public comments on the official pages' own posts (R5: respond promptly to public comments).
-- Written by the `comments` DAG; commenters are never stored by name, only as keyed hashes.

create table if not exists comments (
    platform       varchar not null,
    comment_id     varchar not null,
    post_id        varchar not null,
    source_id      varchar not null,
    unit_id        varchar,
    parent_id      varchar,
    thread_id      varchar not null,
    author_hash    varchar,
    by_page        boolean not null,
    text           varchar not null,
    created_at     timestamptz not null,
    kind           varchar not null,
    cues           varchar[],
    likes          bigint,
    replies        bigint,
    landing_ref    varchar,
    first_seen_at  timestamptz not null,
    refreshed_at   timestamptz not null
);
comment on table comments is 'Public comments and replies on official pages'' posts, one row per (platform, comment_id).';
comment on column comments.post_id is 'The post commented on (posts.post_id).';
comment on column comments.parent_id is 'The comment replied to; null for a top-level comment.';
comment on column comments.thread_id is 'The top-level comment of the thread (its own id for a top-level comment).';
comment on column comments.author_hash is 'HMAC-SHA256 of the commenter''s platform id (or name) with the deployment''s key (POSTWATCH_HASH_KEY); never the name itself. Null for the page''s own replies.';
comment on column comments.by_page is 'Written by the official page itself: such a reply answers its thread.';
comment on column comments.kind is 'question, complaint or other (Vietnamese cues, diacritic-insensitive).';
comment on column comments.cues is 'The cues that decided kind, folded (e.g. "?", "bao gio", "buc xuc").';

create table if not exists comment_policy (
    answer_within_hours double not null,
    report_kinds        varchar[] not null,
    lookback_days       integer not null,
    updated_at          timestamptz not null
);
comment on table comment_policy is 'The comment settings in force (comments config), one row, rewritten by each comments run: the view comments_unanswered reads it.';

create table if not exists comment_runs (
    run_id        varchar not null,
    source_id     varchar not null,
    started_at    timestamptz not null,
    finished_at   timestamptz not null,
    status        varchar not null,
    message       varchar,
    posts         integer not null,
    posts_skipped integer not null,
    payloads      integer not null,
    comments      integer not null,
    new_comments  integer not null
);
comment on table comment_runs is 'Per source and run of the comments DAG: posts read, comments stored, and how it went (ok, error, auth_failed...).';
