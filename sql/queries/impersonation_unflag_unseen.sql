-- New suspects this scan did not see any more (no posts in the window, gone from the watched list)
-- leave the open list; confirmed ones stay until resolved.
update impersonation_suspects
set flagged = false
where
    status = 'new'
    and flagged
    and suspect_id not in (select suspect_id from suspects_in)
