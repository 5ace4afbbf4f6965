-- Resolve duplicates inside one batch explicitly: the latest version of each post wins
-- (by updated time, then publication, then fetch time, then arrival order).
create or replace temp table batch_latest as
with ranked as (
    select
        *,
        row_number() over (
            partition by platform, post_id
            order by coalesce(updated_at, published_at) desc, fetched_at desc, seq desc
        ) as rn
    from batch_in
)

select * exclude (rn) from ranked where rn = 1
