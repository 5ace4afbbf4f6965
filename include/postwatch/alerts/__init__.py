"""Hot alerts: detect (what crosses a threshold), group (copies of one story become one alert),
answer (an official page of the unit posted on the story), state (new -> acknowledged -> answered),
notify (e-mail, Telegram) and run (one pass, as the hot_alerts DAG runs it)."""
