-- Impersonation scan (R3, R6): pages that look like one of our units' official pages, the evidence
-- behind each score, and the data officer's decisions. Written by the `impersonation_scan` DAG
-- (scores) and by `postwatch impersonation confirm|dismiss|resolve` / `impersonation_decide` (decisions).

create table if not exists impersonation_suspects (
    suspect_id        varchar not null,
    platform          varchar not null,
    page_key          varchar not null,
    name              varchar,
    handle            varchar,
    url               varchar,
    source_id         varchar,
    origins           varchar[],
    posts             integer not null,
    last_post_at      timestamptz,
    first_seen_at     timestamptz not null,
    last_scored_at    timestamptz not null,
    score             double not null,
    flagged           boolean not null,
    matched_unit_id   varchar,
    matched_source_id varchar,
    evidence          varchar not null,
    status            varchar not null,
    decided_by        varchar,
    decided_at        timestamptz,
    decided_score     double,
    note              varchar,
    resurfaced_at     timestamptz
);
comment on table impersonation_suspects is 'Pages scored against the registry of official pages, one row per (platform, page_key). Rows are kept when the score reaches the configured record floor; flagged ones are the suspects.';
comment on column impersonation_suspects.suspect_id is 'Stable id: hash of platform and page_key (16 hex characters; the CLI accepts a unique prefix).';
comment on column impersonation_suspects.page_key is 'The page''s identity on its platform: page or channel id when known, else the folded author name, else the registry source''s id, handle or URL.';
comment on column impersonation_suspects.name is 'Page name as last seen (registry name for watched pages, else the author name of its latest post).';
comment on column impersonation_suspects.handle is 'Username / handle (from the registry or the page''s post URLs), when known.';
comment on column impersonation_suspects.source_id is 'The watched source in sources.yaml for this page, when it is one.';
comment on column impersonation_suspects.origins is 'Why it was a candidate: watched (in the watched list), author (its posts use a unit''s name), copies (it re-posts our official posts).';
comment on column impersonation_suspects.posts is 'Its posts inside the scan window.';
comment on column impersonation_suspects.last_post_at is 'Publication time (UTC) of its latest collected post.';
comment on column impersonation_suspects.first_seen_at is 'When a scan first recorded it.';
comment on column impersonation_suspects.last_scored_at is 'When a scan last scored it.';
comment on column impersonation_suspects.score is 'From 0 to 1: the sum of the weighted signals in evidence, capped at 1.';
comment on column impersonation_suspects.flagged is 'Score at or above the configured threshold in the last scan that saw it (impersonation.yaml).';
comment on column impersonation_suspects.matched_unit_id is 'The unit it most resembles.';
comment on column impersonation_suspects.matched_source_id is 'That unit''s official page it most likely imitates (same platform first), when the unit has one.';
comment on column impersonation_suspects.evidence is 'JSON: {"signals": [{signal, value, weight, contribution, detail}], "matched_reference": ...}.';
comment on column impersonation_suspects.status is 'new, confirmed, dismissed or resolved (confirmed and then dealt with: reported, taken down).';
comment on column impersonation_suspects.decided_by is 'Who made the last decision (confirm, dismiss, resolve).';
comment on column impersonation_suspects.decided_score is 'The score when that decision was made: a dismissed page comes back only when its score rises by the configured margin above it.';
comment on column impersonation_suspects.note is 'The officer''s note with the last decision.';
comment on column impersonation_suspects.resurfaced_at is 'When a scan last re-opened a dismissed or resolved page (history in impersonation_decisions).';

create table if not exists impersonation_decisions (
    suspect_id  varchar not null,
    decision    varchar not null,
    previous    varchar not null,
    decided_by  varchar not null,
    decided_at  timestamptz not null,
    score       double,
    note        varchar
);
comment on table impersonation_decisions is 'Every decision on a suspect, never rewritten: the audit trail behind impersonation_suspects.status.';
comment on column impersonation_decisions.decision is 'confirmed, dismissed, resolved, or resurfaced (a scan re-opened it as new).';
comment on column impersonation_decisions.previous is 'The status before the decision.';
comment on column impersonation_decisions.decided_by is 'The officer (CLI user or Airflow user), or "scan" for resurfaced.';
comment on column impersonation_decisions.score is 'The suspect''s score at that moment.';

create table if not exists impersonation_scans (
    scan_id       varchar not null,
    as_of         date not null,
    window_start  date not null,
    started_at    timestamptz not null,
    finished_at   timestamptz not null,
    threshold     double not null,
    candidates    integer not null,
    recorded      integer not null,
    flagged       integer not null,
    new_suspects  integer not null,
    resurfaced    integer not null
);
comment on table impersonation_scans is 'Each scan: the window of posts it read, its threshold and what it found.';
comment on column impersonation_scans.as_of is 'Last local day (Asia/Ho_Chi_Minh) of the window of posts read.';
comment on column impersonation_scans.candidates is 'Pages scored (official pages excluded).';
comment on column impersonation_scans.recorded is 'Rows written to impersonation_suspects (new or rescored).';
comment on column impersonation_scans.flagged is 'Rows at or above the threshold after this scan.';
comment on column impersonation_scans.new_suspects is 'Pages flagged for the first time.';
comment on column impersonation_scans.resurfaced is 'Dismissed or resolved pages re-opened as new.';
