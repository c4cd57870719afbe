"""Page types from what the page shows (extract.pagetype)."""

from __future__ import annotations

import glob
import os
from pathlib import Path

import pytest

from govwatch.extract import classify_page, decode_html
from tests.crawl import cmsforms as C

SIDE = [(f"/x/a{i}.html", f"区财政局第{i}条工作信息", f"2026-11-{10 + i:02d}") for i in range(8)]
DATA = Path(os.environ.get("GOVWATCH_SHARED_DATA", "/work/shared/data"))


def test_pagetype_article_with_dated_sidebar_is_article():
    t = classify_page("http://h/bm/a.html", C.article_with_sidebar("关于做好年度工作的通知", "2026-11-20", SIDE))
    assert (t.type, t.signal) == ("article", "prose_body")
    assert t.confidence >= 0.7


def test_pagetype_article_without_prev_next_still_article():
    t = classify_page("http://h/bm/a.html", C.article_with_sidebar("通知", "2026-11-20", SIDE, prev_next=False))
    assert t.type == "article"


def test_pagetype_section_index_with_latest_items_of_each_column_is_index():
    blocks = [(name, f"/bm/{k}/", [(f"/bm/{k}/a{i}.html", f"{name}第{i}条", f"2026-11-{i + 1:02d}") for i in range(5)])
              for k, name in enumerate(("工作动态", "通知公告", "政策文件", "人事信息"))]
    t = classify_page("http://h/bm/", C.section_index(blocks))
    assert (t.type, t.signal) == ("index", "multi_list_blocks")


def test_pagetype_column_list_with_dated_sidebar_is_list():
    main = [(f"/bm/l{i}.html", f"列表第{i}条信息标题", f"2026-10-{i + 1:02d}") for i in range(15)]
    html = C.frame("工作动态", f'<div class="l"><ul>{C.rows(main)}</ul><a href="index_1.html">下一页</a></div>'
                             f'<div class="r"><h3>热点信息</h3><ul>{C.rows(SIDE[:5])}</ul></div>')
    t = classify_page("http://h/bm/gzdt/index.html", html)
    assert (t.type, t.signal) == ("list", "list_pagination")


def test_pagetype_records_only_hanweb_column_is_list():
    recs = [(f"/art/2026/11/{i + 1}/art_1_{i}.html", f"记录第{i}条", f"2026-11-{i + 1:02d}") for i in range(6)]
    t = classify_page("http://h/col/col1/index.html", C.hanweb_column("人事信息", recs, "/module/web/jpage/dataproxy.jsp?page=1&columnid=1", 3))
    assert t.type == "list"


def test_pagetype_attachment_by_content_type():
    assert classify_page("http://h/f", b"%PDF-1.4", "application/pdf").type == "attachment"


@pytest.mark.skipif(not (DATA / "dates").is_dir(), reason="shared data not present (../shared/data)")
def test_pagetype_real_article_pages_are_articles():
    files = sorted(glob.glob(str(DATA / "dates/original/*.html"))) + sorted(glob.glob(str(DATA / "govcn-policy-pages/*.html")))
    assert len(files) == 89
    kinds = [classify_page("http://x/a.html", decode_html(Path(f).read_bytes(), None)).type for f in files]
    # 69 news/government article pages (dates set) and 20 gov.cn policy pages: every one an article.
    assert kinds.count("article") == 89


def test_pagetype_short_article_with_related_box_is_article():
    html = C.frame("通知", '<div class="a"><div class="t">关于停水的通知</div><div class="b"><p>因管网维修，明日停水。</p></div></div>'
                         f'<div class="x"><h3>相关信息</h3><ul>{C.rows(SIDE[:5])}</ul></div>')
    t = classify_page("http://h/bm/a.html", html)
    assert (t.type, t.signal) == ("article", "sidebar_list")


def test_pagetype_column_named_like_a_box_with_pages_stays_list():
    main = [(f"/bm/l{i}.html", f"第{i}条最新信息", f"2026-10-{i + 1:02d}") for i in range(8)]
    html = C.frame("最新信息", f'<h2>最新信息</h2><ul>{C.rows(main)}</ul><a href="index_1.html">2</a>')
    assert classify_page("http://h/bm/zxxx/index.html", html).type == "list"
