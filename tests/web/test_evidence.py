"""The archived-page viewer: nothing executable survives, the problem is marked in place,
and the response carries the strict CSP."""

from __future__ import annotations

import pytest
from lxml import html as lhtml

from govwatch.monitoring.models import Finding
from govwatch.web.evidence import EVIDENCE_CSP, render_evidence
from tests.web.factories import ARCHIVED_HTML, BROKEN_TARGET

PAGE = "http://www.junshan.test/czj/tzgg/t20261120_1.html"


def render(evidence):
    return render_evidence(ARCHIVED_HTML, PAGE, evidence, "存档快照")


def test_render_strips_scripts_handlers_base_and_frames():
    out = render({"wrong": "按装", "right": "安装"})
    doc = lhtml.document_fromstring(out)
    assert doc.xpath("//script|//iframe|//base|//meta[@http-equiv]") == []
    assert [a for el in doc.iter() if isinstance(el.tag, str) for a in el.attrib if a.lower().startswith("on")] == []
    assert "javascript:" not in out
    assert "data-pwned" not in out.replace("setAttribute", "")  # only ever inside removed code


def test_render_marks_a_blank_columns_placeholder_to_scroll_to():
    page = "<html><body><h1>政策解读</h1><div class=list><p>暂无信息</p></div></body></html>"
    doc = lhtml.document_fromstring(render_evidence(page, PAGE, {"placeholder": "暂无信息", "items": 0}, "存档快照"))
    mark = doc.get_element_by_id("gw-problem")
    assert (mark.tag, mark.text) == ("mark", "暂无信息")
    assert mark.get("title") == "空白栏目：页面只显示“暂无信息”"
    assert "未能在页面中定位" not in doc.text_content()


def test_render_keeps_text_after_removed_elements():
    out = render({})
    assert "君山区财政局" in out
    assert "2026年11月20日" in out


def test_render_marks_typo_with_correction():
    doc = lhtml.document_fromstring(render({"wrong": "按装", "right": "安装", "context": "组织人员按装消防设施"}))
    mark = doc.get_element_by_id("gw-problem")
    assert mark.tag == "mark"
    assert mark.text == "按装"
    assert mark.text_content() == "按装→ 安装"
    assert "#c00000" in mark.get("style")
    # The sentence around the mark is intact.
    assert "请各单位认真组织人员按装→ 安装消防设施" in mark.getparent().text_content()


def test_render_outlines_broken_link():
    doc = lhtml.document_fromstring(render({"target": BROKEN_TARGET}))
    link = doc.get_element_by_id("gw-problem")
    assert link.tag == "a"
    assert link.get("href") == BROKEN_TARGET
    assert "outline:3px solid #c00000" in link.get("style")


def test_render_says_when_problem_not_found():
    assert "未能在页面中定位问题位置" in render({"wrong": "不存在的词", "right": "x"})


def test_render_survives_garbage():
    out = render_evidence("", PAGE, {}, "说明")
    assert out.startswith("<!DOCTYPE html>")
    out = render_evidence("\x00<<<>>>", PAGE, {"wrong": "x"}, "说明")
    assert "说明" in out


@pytest.mark.django_db
def test_evidence_view_headers(client_for, world):
    f = Finding.objects.get(unit__code="0107", rule="error.typo", evidence__has_key="warc")
    r = client_for("reviewer").get(f"/evidence/{f.pk}/")
    assert r.status_code == 200
    assert r["Content-Security-Policy"] == EVIDENCE_CSP
    assert EVIDENCE_CSP.startswith("default-src 'none'; img-src data:; style-src 'unsafe-inline';")
    assert EVIDENCE_CSP.endswith("sandbox")
    assert r["X-Frame-Options"] == "SAMEORIGIN"
    assert r["Referrer-Policy"] == "no-referrer"
    body = r.content.decode()
    assert "<script" not in body
    assert 'id="gw-problem"' in body


@pytest.mark.django_db
def test_evidence_view_missing_archive_is_404(client_for, world):
    f = Finding.objects.filter(unit__code="0107", rule="stale.news").first()
    r = client_for("reviewer").get(f"/evidence/{f.pk}/")
    assert r.status_code == 404
    assert r["Content-Security-Policy"] == EVIDENCE_CSP


@pytest.mark.django_db
def test_evidence_view_pointer_outside_run_dir_refused(client_for, world):
    f = Finding.objects.get(unit__code="0107", rule="error.typo", evidence__has_key="warc")
    f.evidence = {**f.evidence, "warc": "../../../../etc/passwd#offset=0"}
    f.save()
    r = client_for("reviewer").get(f"/evidence/{f.pk}/")
    assert r.status_code == 404
    assert "root:" not in r.content.decode()


@pytest.mark.django_db
def test_evidence_falls_back_to_archived_page_of_the_run(client_for, world):
    from govwatch.monitoring.models import PageFact

    typo = Finding.objects.get(unit__code="0107", rule="error.typo", evidence__has_key="warc")
    other = Finding.objects.filter(run=world["run"], unit__code="0107", rule="stale.news").first()
    PageFact.objects.create(run=world["run"], url=other.url, column_url=other.column_url, unit_code="0107",
                            kind="list", status="ok", warc=typo.evidence["warc"])
    c = client_for("unit0107")
    assert f"/evidence/{other.pk}/" in c.get("/units/0107/").content.decode()
    r = c.get(f"/evidence/{other.pk}/")
    assert r.status_code == 200
    assert "关于做好2026年冬季安全生产工作的通知" in r.content.decode()


@pytest.mark.django_db
def test_evidence_pointer_relative_to_runs_dir(client_for, world):
    from pathlib import Path

    f = Finding.objects.get(unit__code="0107", rule="error.typo", evidence__has_key="warc")
    run_dir_name = Path(f.run.run_dir).name
    f.evidence = {**f.evidence, "warc": f"{run_dir_name}/{f.evidence['warc']}"}
    f.save()
    r = client_for("reviewer").get(f"/evidence/{f.pk}/")
    assert r.status_code == 200
    assert 'id="gw-problem"' in r.content.decode()
