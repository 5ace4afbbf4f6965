"""Data quality: Great Expectations suites per stage, quarantine of failing rows, batch-level checks
with severities, source-health incidents, and every result stored in the warehouse.

Where each check runs (and why there):

* ``raw_items`` (suites.raw_items_suite): required fields per platform, on the items a parser
  produced, before normalization. Failing items are quarantined with the check's name.
* ``normalized_posts`` (suites.posts_suite): the cleaned batch, before load. Failing rows are
  quarantined; the rest of the batch loads.
* ``load_reconciliation`` (reconcile.py): items parsed = loaded + quarantined + duplicates.
* ``source_checks`` (checks.py): per source after a run's load: bad-row share, silent sources,
  7-day volume band, staleness; each with a severity (warn or fail).

Great Expectations is imported lazily: DAG files import the pipeline, and GX takes seconds to import.
"""
