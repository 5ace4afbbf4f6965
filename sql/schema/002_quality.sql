-- Data quality as data: every validation run, every expectation's outcome per source, and
-- source-health incidents (one per breakage, so the officer is mailed once, and on recovery).

create table if not exists dq_runs (
    dq_run_id     varchar not null,
    run_id        varchar,
    trigger       varchar not null,
    suite         varchar not null,
    source_id     varchar,
    started_at    timestamptz not null,
    finished_at   timestamptz not null,
    rows_checked  bigint not null,
    rows_failed   bigint not null,
    success       boolean not null,
    gx_result     varchar
);
comment on table dq_runs is 'One row per validation run of one suite: the Great Expectations run on a batch, the reconciliation of a load, or the batch-level checks after a collect run.';
comment on column dq_runs.run_id is 'The ingest run (ingest_runs.run_id) or data_quality DAG run the validation belongs to.';
comment on column dq_runs.trigger is 'collect (inside the collect flow), data_quality (re-validation of history), release (a quarantined record re-run), cli.';
comment on column dq_runs.suite is 'raw_items.<platform>, normalized_posts, load_reconciliation, landing_reconciliation, source_checks.';
comment on column dq_runs.source_id is 'The source of the batch; null when one run spans several sources.';
comment on column dq_runs.rows_checked is 'Rows (items, posts, or sources for source_checks) the suite looked at.';
comment on column dq_runs.rows_failed is 'Rows that failed at least one row-level expectation (quarantined in the collect flow).';
comment on column dq_runs.success is 'True when every expectation passed.';
comment on column dq_runs.gx_result is 'Great Expectations validation result id; its page is in the Data Docs (var/gx/data_docs).';

create table if not exists dq_results (
    dq_run_id        varchar not null,
    suite            varchar not null,
    expectation      varchar not null,
    expectation_type varchar,
    column_name      varchar,
    source_id        varchar,
    severity         varchar not null,
    element_count    bigint,
    unexpected_count bigint,
    observed_value   varchar,
    success          boolean not null,
    message          varchar,
    recorded_at      timestamptz not null
);
comment on table dq_results is 'Outcome of each expectation or check, per source, in each dq run.';
comment on column dq_results.expectation is 'PostWatch name of the check (post_id_not_null, published_at_not_future, bad_row_share, stale_source...), the same name quarantine.expectation uses.';
comment on column dq_results.expectation_type is 'The Great Expectations expectation behind it (expect_column_values_to_be_in_set...).';
comment on column dq_results.severity is 'row: failing rows are quarantined and the rest loads; warn: recorded and shown in the digest; fail: fails the Airflow task.';
comment on column dq_results.element_count is 'Rows the expectation looked at for this source.';
comment on column dq_results.unexpected_count is 'Rows (or sources) that did not meet it.';
comment on column dq_results.observed_value is 'What was measured, as text: a share, a count, a band, hours since the last success...';
comment on column dq_results.message is 'Human-readable outcome naming the source and the number.';

create table if not exists source_incidents (
    incident_id       varchar not null,
    source_id         varchar not null,
    kind              varchar not null,
    message           varchar,
    opened_at         timestamptz not null,
    last_seen_at      timestamptz not null,
    closed_at         timestamptz,
    polls             integer not null,
    notified_open_at  timestamptz,
    notified_close_at timestamptz,
    notify_error      varchar
);
comment on table source_incidents is 'A source that broke (token expired, repeated errors, gone stale) from the first poll it was seen broken until it recovered. At most one open incident per source.';
comment on column source_incidents.kind is 'auth_failed, repeated_errors or stale (the first cause seen; message keeps the latest detail).';
comment on column source_incidents.polls is 'Checks that saw the source broken during the incident.';
comment on column source_incidents.closed_at is 'When the source was seen healthy again; null while the incident is open.';
comment on column source_incidents.notified_open_at is 'When the data officer was mailed about it (null: not yet sent; retried on the next check).';
comment on column source_incidents.notified_close_at is 'When the recovery mail was sent.';
comment on column source_incidents.notify_error is 'Why the last mail attempt failed (no SMTP configured, server refused...).';
