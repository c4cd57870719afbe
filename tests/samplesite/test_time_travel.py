"""`--as-of A+7 --anchor A` is the anchor's site plus that week's items and planned edits, nothing else."""

from __future__ import annotations

import datetime as dt
import re

from tests.samplesite.conftest import ANCHOR, WEEK_LATER

# List pages: TRS and own-CMS pages, the flavours' column pages, endpoint answers and section page (flavours.py).
LIST_FILE = re.compile(r"(/index(_\d+)?\.html|/list(@page=\d+)?|/lm/\w+\.html|/bmsy\.html"
                       r"|/dataproxy\.jsp@page=\d+&[\w=&]+|/api/list@columnId=\d+&pageNo=\d+)$")
DATED = re.compile(r"/t(\d{8})_\d+\.html$|/art/(\d{4})/(\d{1,2})/(\d{1,2})/art_\d+\.html$")


def url_date(path: str) -> dt.date | None:
    m = DATED.search(path)
    if not m:
        return None
    if m.group(1):
        return dt.datetime.strptime(m.group(1), "%Y%m%d").date()
    return dt.date(int(m.group(2)), int(m.group(3)), int(m.group(4)))


def files(root):
    return {"/" + str(p.relative_to(root)): p for p in root.rglob("*") if p.is_file()}


def test_week_later_keeps_every_page_except_lists_and_planned_edits(sample_site, sample_site_week_later):
    before = files(sample_site.path / "www")
    after = files(sample_site_week_later.path / "www")
    assert set(before) - set(after) == set()
    edited = {e["url"].split("/", 3)[3] for e in sample_site_week_later.truth["edits_since_anchor"]}
    changed = [p for p in before if before[p].read_bytes() != after[p].read_bytes()]
    unexpected = [p for p in changed if not LIST_FILE.search(p) and p.lstrip("/") not in edited]
    assert unexpected == []
    assert edited and all(("/" + e) in changed for e in edited)


def test_week_later_new_pages_are_dated_in_that_week(sample_site, sample_site_week_later):
    before = files(sample_site.path / "www")
    after = files(sample_site_week_later.path / "www")
    new_pages = [p for p in set(after) - set(before) if url_date(p)]
    assert new_pages
    assert [p for p in new_pages if not (ANCHOR < url_date(p) <= WEEK_LATER)] == []


def test_week_later_truth_uses_its_own_cycle(sample_site_week_later):
    assert sample_site_week_later.truth["cycle"] == [ANCHOR.isoformat(), WEEK_LATER.isoformat()]
    assert sample_site_week_later.truth["anchor"] == ANCHOR.isoformat()
