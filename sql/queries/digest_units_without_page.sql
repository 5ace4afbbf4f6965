-- Units with no active official page at all (R1), for the scoreboard's footnote.
select unit_id, unit_name
from units_without_official_page
