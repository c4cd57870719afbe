"""整改: a unit admin answers a finding, starts a re-check, and fills in 附件4."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govwatch.lib.errors import GovwatchError
from govwatch.monitoring import surveycheck
from govwatch.web import roles, services
from govwatch.web.forms import AnswerForm, OpenSurveyForm, SurveyForm
from govwatch.web.models import Survey
from govwatch.web.permissions import any_role
from govwatch.web.survey_schema import ALL_QUESTIONS, COLUMN_QUESTIONS


@require_POST
@any_role
def answer(request, pk):
    finding = get_object_or_404(roles.visible_findings(request.user), pk=pk)
    if not roles.can_answer(request.user, finding):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_finding(finding, kind=form.cleaned_data["kind"], note=form.cleaned_data["note"],
                                    user=request.user)
            messages.success(request, "答复已提交，监测办将看到")
        except GovwatchError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "请选择答复类型并填写说明")
    return redirect("web:finding", pk=pk)


@require_POST
@any_role
def recheck(request, pk):
    finding = get_object_or_404(roles.visible_findings(request.user).select_related("run", "run__site"), pk=pk)
    if not roles.can_recheck(request.user, finding):
        raise PermissionDenied
    result = services.recheck_finding(finding, request.user)
    messages.info(request, f"复查完成：{result.get_outcome_display()}")
    return redirect("web:finding", pk=pk)


def _visible_surveys(user):
    if roles.roles_of(user) & {roles.OFFICE, roles.LEADER, roles.REVIEWER}:
        return Survey.objects.all()
    return Survey.objects.filter(unit__in=roles.visible_units(user))


@require_http_methods(["GET", "POST"])
@any_role
def survey_list(request):
    office = roles.is_office(request.user)
    open_form = OpenSurveyForm(request.POST or None) if office else None
    if request.method == "POST":
        if not office:
            raise PermissionDenied
        if open_form.is_valid():
            try:
                n = services.open_survey_period(open_form.cleaned_data["period"], open_form.cleaned_data["deadline"])
                messages.success(request, f"已向各单位下发整改调查表（新建 {n} 份）")
                return redirect(f"{request.path}?period={open_form.cleaned_data['period']}")
            except GovwatchError as exc:
                messages.error(request, str(exc))
    surveys = _visible_surveys(request.user).select_related("unit")
    periods = sorted(set(surveys.values_list("period", flat=True)), reverse=True)
    period = request.GET.get("period") or (periods[0] if periods else "")
    rows = list(surveys.filter(period=period).order_by("unit__code"))
    own = roles.own_unit_ids(request.user) if roles.UNIT_ADMIN in roles.roles_of(request.user) else set()
    for s in rows:
        # Only the unit's own admin fills a form in; everyone else reads it.
        s.can_fill = s.unit_id in own and s.status == Survey.Status.OPEN
    submitted = sum(1 for s in rows if s.status == Survey.Status.SUBMITTED)
    return render(request, "web/surveys.html", {
        "rows": rows, "periods": periods, "period": period, "open_form": open_form,
        "submitted": submitted, "total": len(rows),
    })


@require_http_methods(["GET", "POST"])
@any_role
def survey_detail(request, pk):
    survey = get_object_or_404(_visible_surveys(request.user).select_related("unit"), pk=pk)
    editable = roles.UNIT_ADMIN in roles.roles_of(request.user) and survey.unit_id in roles.own_unit_ids(request.user)
    initial = {name: getattr(survey, name) for name in SurveyForm.HEADER}
    initial.update(survey.answers or {})
    initial["signature_name"] = survey.signature_name
    form = SurveyForm(request.POST or None, request.FILES or None, initial=initial)
    preview = None
    if request.method == "POST" and request.POST.get("action") == "check":
        # 先核对: the unit sees how its ticks compare with the monitor before it submits; nothing is saved.
        if not editable:
            raise PermissionDenied
        preview = {key: request.POST.get(key) for key, _, _ in ALL_QUESTIONS}
        kept = {k: request.POST.get(k) for k in SurveyForm.HEADER + ("signature_name",) if request.POST.get(k)}
        form = SurveyForm(initial={**initial, **kept, **{k: v for k, v in preview.items() if v}})
    elif request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.submit_survey(
                    survey, fields={name: data[name] for name in SurveyForm.HEADER + ("signature_name",)},
                    answers={key: data[key] for key, _, _ in ALL_QUESTIONS}, stamp=data.get("stamp"),
                    user=request.user)
                messages.success(request, "整改调查表已提交")
                return redirect("web:survey", pk=pk)
            except GovwatchError as exc:
                form.add_error("stamp" if "图片" in str(exc) or "文件" in str(exc) else None, str(exc))
    checks = surveycheck.check_survey(survey, ALL_QUESTIONS, preview)
    column_keys = {key for key, _, _ in COLUMN_QUESTIONS}
    return render(request, "web/survey.html", {
        "s": survey, "form": form, "editable": editable, "checks": checks, "preview": preview is not None,
        # The printed form has one label cell per group: 栏目建设情况, then 信息更新情况.
        "column_checks": [q for q in checks if q.key in column_keys],
        "update_checks": [q for q in checks if q.key not in column_keys],
        "contradicted": sum(1 for q in checks if q.contradicted)})


@any_role
def survey_stamp(request, pk):
    survey = get_object_or_404(_visible_surveys(request.user), pk=pk)
    if not survey.stamp:
        raise Http404
    response = FileResponse(survey.stamp.open("rb"), content_type=survey.stamp_content_type or "image/png")
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
@any_role
def survey_export(request, pk, fmt):
    """附件4 as Word or PDF, for filing; whoever may read the form may export it."""
    from urllib.parse import quote

    from govwatch.web.survey_export import docx_to_pdf, survey_docx

    if fmt not in ("docx", "pdf"):
        raise Http404
    survey = get_object_or_404(_visible_surveys(request.user).select_related("unit"), pk=pk)
    name = f"网站整改调查表-{survey.unit.name}-{survey.period}"
    body = survey_docx(survey)
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if fmt == "pdf":
        try:
            body = docx_to_pdf(body, "survey")
        except GovwatchError as exc:
            messages.error(request, str(exc))
            return redirect("web:survey", pk=pk)
        content_type = "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{fmt}"
    return response
