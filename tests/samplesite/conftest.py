"""Sample portals generated once per session and served on a free loopback port."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from govwatch.samplesite.generate import generate_site
from govwatch.samplesite.server import free_port, serve_in_thread

# A fixed anchor: chinese-calendar knows 2026, and the 调休 Saturday 2026-10-10 is within 27 days of its cycle.
ANCHOR = dt.date(2026, 11, 6)
WEEK_LATER = ANCHOR + dt.timedelta(days=7)


class Served:
    def __init__(self, path, summary, base_url):
        self.path, self.summary, self.base_url = path, summary, base_url
        self.truth = json.loads((path / "truth.json").read_text(encoding="utf-8"))


def _served(tmp_path_factory, name, as_of):
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    out = tmp_path_factory.mktemp(name)
    summary = generate_site(out, as_of, seed=2017, scale="default", base_url=base, anchor=ANCHOR)
    print(f"\n生成 {name}: {summary.pages} 个网页，用时 {summary.seconds:.2f} 秒")
    return out, summary, base, port


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    out, summary, base, port = _served(tmp_path_factory, "anchor", ANCHOR)
    with serve_in_thread(out, port=port):
        yield Served(out, summary, base)


@pytest.fixture(scope="session")
def sample_site_week_later(tmp_path_factory):
    out, summary, base, port = _served(tmp_path_factory, "week", WEEK_LATER)
    with serve_in_thread(out, port=port):
        yield Served(out, summary, base)
