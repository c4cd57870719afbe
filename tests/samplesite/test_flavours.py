"""The sample portal's CMS flavours and the traps of issue 11 are in the default portal."""

from __future__ import annotations

import re
import tomllib


def _www(sample_site):
    return sample_site.path / "www"


def test_flavours_default_portal_has_every_list_form(sample_site):
    www = _www(sample_site)
    hanweb = sorted(www.glob("dept/*/col/col*/index.html"))
    proxied = sorted(www.glob("module/web/jpage/dataproxy.jsp@page=*"))
    jsdata = sorted(www.glob("dept/*/lm/*.html"))
    api = sorted(www.glob("api/list@columnId=*"))
    trs = sorted(www.glob("bmxxgk/*/*/index_1.html"))
    own = sorted(www.glob("dept/*/col/*/list@page=2"))
    assert [len(x) > 0 for x in (hanweb, proxied, jsdata, api, trs, own)] == [True] * 6
    first = hanweb[0].read_text(encoding="utf-8", errors="replace")
    assert "<datastore>" in first and "dataproxy.jsp?page=1" in first
    assert "var pageData = " in jsdata[0].read_text(encoding="utf-8", errors="replace")


def test_flavours_traps_linked_from_the_unit_menu(sample_site):
    www = _www(sample_site)
    profiles = sorted(www.glob("dept/*/jggk.html"))
    overviews = sorted(www.glob("dept/*/bmsy.html"))
    assert len(profiles) == 6 and len(overviews) == 6
    profile = profiles[0].read_text(encoding="utf-8", errors="replace")
    assert "最新信息" in profile and len(re.findall(r"<span>\d{4}-\d{2}-\d{2}</span>", profile)) >= 3
    overview = overviews[0].read_text(encoding="utf-8", errors="replace")
    assert overview.count("更多") >= 3
    site = tomllib.loads((sample_site.path / "site.toml").read_text(encoding="utf-8"))
    assert len(site["units"]) == 41
