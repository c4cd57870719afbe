"""Read pages: overview, unit page, finding page, archived evidence."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from govwatch.probe.service import site_availability
from govwatch.web import charts, queries, roles
from govwatch.web.evidence import (
    EVIDENCE_CSP, EvidenceMissing, archive_pointer, archived_urls, load_archived, render_evidence,
)
from govwatch.web.forms import AnswerForm, FindingFilterForm, ReviewActionForm
from govwatch.web.models import EvidenceUpload
from govwatch.web.permissions import any_role
from govwatch.web.rulebooks import rule_title, rulebook_for

PAGE_SIZE = 50


@require_GET
@any_role
def overview(request):
    ov = queries.overview(request.user, request.GET.get("site"))
    for row in ov.rows:
        row.spark = charts.sparkline(row.trend, label=f"{row.unit.name}得分趋势")
    series = [("平均得分" if len(ov.rows) > 1 else "得分", ov.overall_trend)]
    if len(ov.rows) > 1:
        series += [("最高分", ov.best_trend), ("最低分", ov.worst_trend)]
    chart = charts.trend_chart(ov.trend_labels, series)
    see_all = roles.sees_all_units(request.user)
    # Availability is the portal's, never a unit's: staff see it, unit admins do not need it.
    availability = site_availability(ov.site) if see_all and ov.site is not None else None
    return render(request, "web/overview.html", {"ov": ov, "chart": chart, "see_all": see_all,
                                                 "availability": availability})


def _finding_rows(findings, rulebook, archived=frozenset()):
    for f in findings:
        f.rule_title = rule_title(rulebook, f.rule)
        f.has_archive = bool((f.evidence or {}).get("warc")) or f.url in archived
        f.evidence_items = _evidence_items(f.evidence)
    return findings


EVIDENCE_LABELS = {
    "target": "失效目标", "reason": "原因", "http_status": "HTTP 状态", "status": "状态", "wrong": "错误文字",
    "right": "建议改为", "context": "上下文", "element": "缺失要素", "form": "表格", "newest_item_date": "最新信息日期",
    "days": "天数", "months": "月数", "carriers": "出现页面", "published_at": "发布日期", "event_date": "事件日期",
    "signature_date": "落款日期", "working_days": "工作日", "asked": "提问日期", "answered": "答复日期",
    "missing": "缺少", "placeholder": "占位文字", "entered_by": "录入人", "warc": "存档位置",
    "kind": "类型", "confidence": "置信度", "date": "日期", "category": "栏目类别", "count": "数量",
    "name": "名称", "title": "标题", "url": "地址", "doc_number": "文号", "organ": "发文机关",
    "threshold": "标准", "deadline": "应更新期限", "key_area": "重点领域", "expected": "应更新频率",
    "published": "发布日期", "signature_source": "落款来源", "max_working_days": "工作日上限",
    "max_delay_days": "天数上限", "extension": "申请延期", "answered_at": "答复日期", "asked_at": "提问日期",
}
# Offsets into extracted text mean nothing to a reader.
EVIDENCE_HIDDEN = {"start", "end"}


def _evidence_items(evidence):
    items = []
    for key, value in (evidence or {}).items():
        if key in EVIDENCE_HIDDEN:
            continue
        if isinstance(value, list):
            value = "；".join(str(v) for v in value[:10]) + ("……" if len(value) > 10 else "")
        elif isinstance(value, dict):
            value = "；".join(f"{k}={v}" for k, v in value.items())
        items.append((EVIDENCE_LABELS.get(key, key), value))
    return items


@require_GET
@any_role
def unit_detail(request, code):
    unit = get_object_or_404(roles.visible_units(request.user), code=code)
    page = queries.unit_page(unit, request.GET.get("run"))
    ctx = {"unit": unit, "page": page, "findings": [], "filters": None,
           "chart": charts.trend_chart(page.trend_labels, [(unit.name, page.trend)])}
    if page.run is not None:
        rulebook = rulebook_for(page.run.rulebook)
        base = roles.visible_findings(request.user).filter(run=page.run, unit=unit)
        present = base.order_by().values_list("rule", "column_url").distinct()
        rules, columns = set(), set()
        for rule, column in present:
            rules.add(rule)
            if column:
                columns.add(column)
        filters = FindingFilterForm(request.GET, rules=[(r, f"{r} {rule_title(rulebook, r)}") for r in sorted(rules)],
                                    columns=[(c, c) for c in sorted(columns)])
        qs = base
        if filters.is_valid():
            if filters.cleaned_data["rule"]:
                qs = qs.filter(rule=filters.cleaned_data["rule"])
            if filters.cleaned_data["state"]:
                qs = qs.filter(state=filters.cleaned_data["state"])
            if filters.cleaned_data["column"]:
                qs = qs.filter(column_url=filters.cleaned_data["column"])
        paginator = Paginator(qs.order_by("rule", "url", "id"), PAGE_SIZE)
        findings = paginator.get_page(request.GET.get("page"))
        rows = list(findings.object_list)
        archived = archived_urls(page.run.pk, [f.url for f in rows if not (f.evidence or {}).get("warc")])
        _finding_rows(rows, rulebook, archived)
        findings.object_list = rows
        query = request.GET.copy()
        query.pop("page", None)
        ctx.update(findings=findings, filters=filters, query=query.urlencode())
    return render(request, "web/unit.html", ctx)


@require_GET
@any_role
def finding_detail(request, pk):
    finding = get_object_or_404(roles.visible_findings(request.user).select_related("unit", "run", "run__site"), pk=pk)
    rulebook = rulebook_for(finding.run.rulebook)
    _finding_rows([finding], rulebook)
    finding.has_archive = bool(archive_pointer(finding))
    ctx = {
        "f": finding,
        "reviews": finding.reviews.select_related("actor"),
        "rectifications": finding.rectifications.all(),
        "rechecks": finding.rechecks.all(),
        "uploads": finding.uploads.all(),
        "can_review": roles.can_review(request.user),
        "can_answer": roles.can_answer(request.user, finding),
        "can_recheck": roles.can_recheck(request.user, finding),
        "review_form": ReviewActionForm(),
        "answer_form": AnswerForm(),
    }
    return render(request, "web/finding.html", ctx)


@require_GET
@any_role
@xframe_options_sameorigin
def evidence(request, pk):
    """The archived page, rewritten and served under a CSP that forbids scripts (for a sandboxed iframe)."""
    finding = get_object_or_404(roles.visible_findings(request.user).select_related("run"), pk=pk)
    ev = finding.evidence or {}
    try:
        page_url, page_html = load_archived(finding.run.run_dir, archive_pointer(finding))
        caption = f"存档快照（监测日期 {finding.run.as_of}）：{page_url or finding.url} —— {finding.message}"
        body = render_evidence(page_html, page_url or finding.url, ev, caption)
        status = 200
    except EvidenceMissing as exc:
        body = f"<!DOCTYPE html><meta charset=utf-8><p>{_escape(str(exc))}</p>"
        status = 404
    response = HttpResponse(body, content_type="text/html; charset=utf-8", status=status)
    response.headers["Content-Security-Policy"] = EVIDENCE_CSP
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _escape(text: str) -> str:
    from html import escape

    return escape(text)


@require_GET
@any_role
def evidence_upload(request, pk):
    upload = get_object_or_404(EvidenceUpload.objects.select_related("finding"), pk=pk)
    if not roles.visible_findings(request.user).filter(pk=upload.finding_id).exists():
        raise Http404
    response = FileResponse(upload.file.open("rb"), content_type=upload.content_type)
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response.headers["Content-Disposition"] = "inline"
    return response
