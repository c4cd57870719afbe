"""The review queue (复核): confirm, dismiss with a reason, restore; one or many; manual findings."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import FloatField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from govwatch.catalog.models import Unit
from govwatch.lib.errors import GovwatchError
from govwatch.monitoring.models import Finding, Run
from govwatch.web import services
from govwatch.web.models import Rectification
from govwatch.web.forms import ManualFindingForm, ReviewActionForm
from govwatch.web.params import valid_pks
from govwatch.web.permissions import reviewers
from govwatch.web.rulebooks import rule_title, rulebook_for

QUEUES = {
    "pending": ("待复核", {"state": Finding.State.PENDING}),
    "appeal": ("单位申诉", {"rectifications__kind": "appeal"}),
    "dismissed": ("已排除", {"state": Finding.State.DISMISSED}),
}


@reviewers
def queue(request):
    tab = request.GET.get("tab", "pending")
    tab = tab if tab in QUEUES else "pending"
    qs = Finding.objects.filter(**QUEUES[tab][1]).select_related("unit", "run").distinct()
    rule = request.GET.get("rule", "")
    unit = request.GET.get("unit", "")
    if rule:
        qs = qs.filter(rule=rule)
    if unit:
        qs = qs.filter(unit__code=unit)
    # Newest run first; within it the surest typo findings first (evidence.confidence, govwatch.textcheck),
    # findings without a confidence after them.
    confidence = Cast(KeyTextTransform("confidence", "evidence"), FloatField())
    order = ("-run__as_of", confidence.desc(nulls_last=True), "unit__code", "rule", "id")
    page = Paginator(qs.order_by(*order), 50).get_page(request.GET.get("page"))
    books = {}
    appeals = {}
    if tab == "appeal":
        # The reviewer decides on the unit's reason: show it in the queue, latest appeal per finding.
        for r in Rectification.objects.filter(finding__in=page.object_list, kind="appeal").order_by("at", "id"):
            appeals[r.finding_id] = r
    for f in page.object_list:
        book = books.setdefault(f.run.rulebook, rulebook_for(f.run.rulebook))
        f.rule_title = rule_title(book, f.rule)
        f.appeal = appeals.get(f.pk)
    counts = {key: Finding.objects.filter(**flt).distinct().count() for key, (_, flt) in QUEUES.items()}
    rules = Finding.objects.filter(**QUEUES[tab][1]).order_by("rule").values_list("rule", flat=True).distinct()
    return render(request, "web/review.html", {
        "page": page, "tab": tab, "tabs": [(k, v[0], counts[k]) for k, v in QUEUES.items()],
        "rules": [(r, rule_title(rulebook_for(""), r)) for r in rules], "units": Unit.objects.all(), "rule": rule, "unit": unit,
        "form": ReviewActionForm(),
    })


@require_POST
@reviewers
def act(request):
    """One finding (finding=<id>) or many (ids=<id>&ids=<id>) at once."""
    form = ReviewActionForm(request.POST)
    ids = request.POST.getlist("ids") or request.POST.getlist("finding")
    back = request.POST.get("next") or reverse("web:review")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("web:review")
    if not form.is_valid():
        for err in form.non_field_errors() or ["请选择操作"]:
            messages.error(request, err)
        return redirect(back)
    findings = list(Finding.objects.filter(pk__in=valid_pks(ids)).select_related("run"))
    if not findings:
        messages.error(request, "请先勾选问题")
        return redirect(back)
    try:
        changed = services.review_many(findings, form.cleaned_data["action"], request.user,
                                       form.cleaned_data.get("reason") or "")
    except GovwatchError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    label = dict(form.fields["action"].choices)[form.cleaned_data["action"]]
    messages.success(request, f"已{label} {changed} 条问题，得分已重新计算")
    return redirect(back)


@require_http_methods(["GET", "POST"])
@reviewers
def manual(request):
    run_qs = Run.objects.filter(status=Run.Status.COMPLETE).order_by("-as_of", "-id")
    form = ManualFindingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = run_qs.first()
        if run is None:
            messages.error(request, "还没有完成的监测运行，无法录入")
        else:
            try:
                finding = services.add_manual_finding(
                    run=run, unit=form.cleaned_data["unit"], rule=form.cleaned_data["rule"],
                    url=form.cleaned_data["url"], message=form.cleaned_data["message"], user=request.user,
                    upload=form.cleaned_data.get("evidence"))
            except GovwatchError as exc:
                form.add_error("evidence" if "文件" in str(exc) else None, str(exc))
            else:
                messages.success(request, "已录入问题，得分已重新计算")
                return redirect("web:finding", pk=finding.pk)
    return render(request, "web/manual.html", {"form": form, "run": run_qs.first()})


@require_POST
@reviewers
def act_one(request, pk):
    get_object_or_404(Finding, pk=pk)
    return act(request)
