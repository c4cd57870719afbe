"""Fixtures for the run service: a two-unit site and a crawler replaced by prepared results."""

from __future__ import annotations

import datetime as dt

import pytest

from govwatch import facts as F
from govwatch.crawl.result import CrawlResult

BASE = "http://portal.test/"
SITE = f"""
[site]
name = "测试门户"
home = "{BASE}"

[[units]]
code = "0107"
name = "区财政局"
sections = ["{BASE}czj/"]

[[units]]
code = "0302"
name = "公安分局"
sections = ["{BASE}gaj/"]
"""

AS_OF = dt.date(2026, 11, 27)


@pytest.fixture
def site_path(tmp_path, settings):
    settings.RUNS_DIR = tmp_path / "runs"
    path = tmp_path / "site.toml"
    path.write_text(SITE, encoding="utf-8")
    return path


def _column(unit, slug, name, newest, category="news", status=F.OK, n=3):
    url = f"{BASE}{'czj' if unit == '0107' else 'gaj'}/{slug}/"
    items = tuple(F.ListItem(title=f"信息{i}", url=f"{url}t{i}.html", date=newest - dt.timedelta(days=30 * i))
                  for i in range(n))
    return F.Column(url=url, unit=unit, name=name, category=category, key_area=False, expected=None,
                    status=status, items=items)


def _result(columns, pages=(), links=(), unverified=()):
    return CrawlResult(columns=list(columns), pages=list(pages), links=list(links),
                       crawled_pages=len(columns) + len(pages), unverified=list(unverified), requests=42)


@pytest.fixture
def fake_crawl(monkeypatch):
    """Replace the crawler with a queue of prepared results."""
    queue: list[CrawlResult] = []

    def crawl_site(site, rulebook, run_dir, *, as_of, previous=None, progress=True, resume=False, text_hook=None,
                   watchdog=None):
        return queue.pop(0)

    import govwatch.crawl

    monkeypatch.setattr(govwatch.crawl, "crawl_site", crawl_site)
    return queue


def _stale_and_fresh():
    return _result([
        _column("0107", "gzdt", "工作动态", AS_OF - dt.timedelta(days=11)),
        _column("0302", "jwdt", "警务动态", AS_OF - dt.timedelta(days=10)),
    ])
