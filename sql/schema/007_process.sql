-- Ad-hoc keyword sweeps (the keyword_sweep DAG): which posts an officer's query matched, and where.

create table if not exists sweep_results (
    sweep_id    varchar not null,
    query       varchar not null,
    date_from   date not null,
    date_to     date not null,
    platform    varchar not null,
    post_id     varchar not null,
    version     integer not null,
    local_date  date not null,
    source_id   varchar not null,
    unit_id     varchar,
    kind        varchar not null,
    url         varchar,
    title       varchar,
    spans       varchar not null,
    swept_at    timestamptz not null
);
comment on table sweep_results is 'Posts matched by an ad-hoc keyword sweep over a date range (also written as CSV under var/sweeps/).';
comment on column sweep_results.sweep_id is 'The sweep (Airflow run id); one CSV var/sweeps/<sweep_id>.csv per sweep.';
comment on column sweep_results.spans is 'JSON list of [field, start, end, matched text] in the stored post text.';
