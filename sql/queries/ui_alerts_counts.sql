-- How many alerts are open, and how many of them are past the 2-hour answer deadline.
select
    count(*) as open_alerts,
    count(*) filter (where overdue) as overdue_alerts
from alerts_open
