"""A reviewer who dismisses a typo finding as a name (人名/地名) teaches the site's whitelist (issue #12)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from govwatch import facts as F
from govwatch.monitoring.models import Dismissal, Finding
from govwatch.monitoring.review import review_finding
from govwatch.pipeline.run import execute_run
from tests.checks.conftest import article, page
from tests.monitoring.conftest import AS_OF, _column, _result

pytestmark = pytest.mark.django_db

# A person's name in prose, with no label or title: the checker reads 冯波 as 风波.
TEXT = "本次活动由冯波牵头组织，各部门要密切配合。"


def _with_article(as_of: dt.date, slug: str):
    news = _column("0107", "gzdt", "工作动态", as_of - dt.timedelta(days=1))
    art = dataclasses.replace(article(f"{news.url}{slug}.html", published=as_of, event_date=as_of), text=TEXT)
    page_ = dataclasses.replace(page(art, column=news), first_seen=as_of)
    return _result([news, _column("0302", "jwdt", "警务动态", as_of - dt.timedelta(days=1))], pages=[page_])


def test_typo_dismissed_as_a_name_is_not_found_again_on_a_new_page(site_path, fake_crawl):
    later = AS_OF + dt.timedelta(days=7)
    fake_crawl.extend([_with_article(AS_OF, "t1"), _with_article(later, "t2")])
    first = execute_run(site_path, AS_OF, progress=False).run
    typos = list(first.findings.filter(rule="error.typo"))
    assert [(f.evidence["wrong"], f.state) for f in typos] == [("冯波", Finding.State.PENDING)]
    review_finding(typos[0], to_state="dismissed", actor_label="reviewer", reason="人名/地名")
    assert list(Dismissal.objects.values_list("wrong", "reason")) == [("冯波", "人名/地名")]
    second = execute_run(site_path, later, progress=False).run
    assert second.findings.filter(rule="error.typo").count() == 0
