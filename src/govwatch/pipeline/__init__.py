"""One monitoring run as a list of stages (see `run.execute_run`).

    start   -> start.py    validate the configuration, open (or reopen) the run record
    crawl   -> crawl.py    the crawler in its child process, fed the previous run's state
    store   -> store.py    the run's fact store, and its copy into the run's rows
    check   -> check.py    the rulebook's checks over the store, one unit at a time; typo judging
    publish -> publish.py  findings (review state kept), columns, scores, in one transaction
    hooks   -> hooks.py    after-publish hooks (mail digests and other notifiers register here)

The pipeline sits above `crawl`, `store`, `checks` and the monitoring services it writes
through; nothing below it imports it, and it imports nothing above it (not `reports`,
not `web`). Import `govwatch.pipeline.run` after Django is set up.
"""
