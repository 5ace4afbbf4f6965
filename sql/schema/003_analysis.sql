-- What PostWatch concluded about each post: relevance, tone, flags and the rule hits behind them.
-- Written by the `process` DAG for new and changed posts only; `reclassify` rewrites a range.

create table if not exists post_labels (
    platform          varchar not null,
    post_id           varchar not null,
    version           integer not null,
    content_hash      varchar not null,
    relevant          boolean not null,
    unit_ids          varchar[],
    mentions          varchar,
    tone              varchar not null,
    tone_score        double not null,
    tone_cues         varchar,
    offensive         boolean not null,
    offensive_terms   varchar[],
    needs_checking    boolean not null,
    check_reasons     varchar[],
    pack_version      varchar not null,
    model_version     varchar not null,
    processed_at      timestamptz not null
);
comment on table post_labels is 'One row per post (its current version): relevance, tone and flags, each with the evidence that decided it.';
comment on column post_labels.relevant is 'The post is about one of our units (name, alias, commune or place), or was published by a unit''s official page.';
comment on column post_labels.unit_ids is 'Units the post is about (ids from units.yaml).';
comment on column post_labels.mentions is 'JSON list of matched mentions: unit id, field, matched text, character span.';
comment on column post_labels.tone is 'positive, negative or neutral.';
comment on column post_labels.tone_score is 'From -1 (clearly negative) to 1 (clearly positive).';
comment on column post_labels.tone_cues is 'JSON list of the cues that decided the tone: lexicon words, rule ids, model n-grams, with weights.';
comment on column post_labels.offensive is 'Offensive language found (R4); offensive_terms says which.';
comment on column post_labels.needs_checking is 'Heuristic misinformation signal (R7): cue words, source kind, unusual spread. A prompt to verify, not a verdict.';
comment on column post_labels.pack_version is 'Version of the rule packs applied (see rule_hits.pack_version).';
comment on column post_labels.model_version is 'Tone model used: "default" (shipped lexicon model) or the configured model file''s hash.';

create table if not exists rule_hits (
    platform      varchar not null,
    post_id       varchar not null,
    version       integer not null,
    rule_id       varchar not null,
    pack_id       varchar not null,
    pack_version  varchar not null,
    category      varchar not null,
    severity      varchar not null,
    unit_id       varchar,
    spans         varchar not null,
    matched_at    timestamptz not null
);
comment on table rule_hits is 'Every keyword-rule hit: which rule of which pack version fired on which post version, and where.';
comment on column rule_hits.category is 'tone_positive, tone_negative, incident, offensive, misinformation, impersonation_cue, complaint, topic...';
comment on column rule_hits.severity is 'info, low, medium, high, critical (critical incidents raise hot alerts).';
comment on column rule_hits.unit_id is 'The unit that owns the rule (responds to it), when the rule names one.';
comment on column rule_hits.spans is 'JSON list of [field, start, end, matched text] in the stored post text.';

create table if not exists process_runs (
    run_id        varchar not null,
    started_at    timestamptz not null,
    finished_at   timestamptz not null,
    mode          varchar not null,
    posts         integer not null,
    hits          integer not null,
    pack_version  varchar not null,
    model_version varchar not null
);
comment on table process_runs is 'Each processing run: how many posts were labelled with which rules and model.';
