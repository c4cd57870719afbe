"""Read pages: overview, unit page, finding page, archived evidence."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from govwatch.lib.evidence import present as present_evidence
from govwatch.probe.service import site_availability
from govwatch.web import charts, queries, roles
from govwatch.web.evidence import (
    EVIDENCE_CSP, EvidenceMissing, archive_pointer, archived_urls, load_archived, render_evidence, render_raw,
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
        f.evidence_items = _evidence_items(f.evidence, rulebook)
    return findings


def _evidence_items(evidence, rulebook=None):
    """(label, text) pairs through the one evidence presenter: no raw keys or Python values reach a page."""
    return [(f.label, f.text) for f in present_evidence(evidence, rulebook=rulebook)]


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
        filters = FindingFilterForm(request.GET, rules=[(r, rule_title(rulebook, r)) for r in sorted(rules)],
                                    columns=queries.column_choices(page.run.site_id, columns))
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
    finding.column_name = queries.column_name(finding.run.site_id, finding.column_url)
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
    """The archived page, rewritten and served under a CSP that forbids scripts (for a sandboxed iframe).

    ?raw=1: the 原始页面, with the page's own styles and no marks (still script-less and sandboxed)."""
    finding = get_object_or_404(roles.visible_findings(request.user).select_related("run"), pk=pk)
    ev = finding.evidence or {}
    try:
        page_url, page_html = load_archived(finding.run.run_dir, archive_pointer(finding))
        if request.GET.get("raw") == "1":
            body = render_raw(page_html)
        else:
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
