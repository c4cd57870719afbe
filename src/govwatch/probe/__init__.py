"""Availability probes (national.site_unreachable): fetch a portal's homepage and named pages on a
schedule, store each result, and judge a week of them with `govwatch.checks.availability`.

- fetch.py: one probe under the address guard, with the reason for a failure;
- service.py: probe a site now and store the results; the week's warning and strip for the dashboard;
- scheduler.py: when probes are due, run by Celery beat or by an embedded thread under a lock;
- cli.py: `govwatch probe --site S.toml [--once]`.
"""
