"""管理 (office only): sites and runs, units (附件1), column overrides, the rulebook, users."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from govwatch.catalog.models import Column, Site, Unit
from govwatch.checks.coverage import READ_VIA_LABELS
from govwatch.lib.errors import GovwatchError
from govwatch.monitoring.coverage import confirm_column
from govwatch.web import roles, services
from govwatch.web.forms import ColumnOverrideForm, RunStartForm, SiteForm, UnitForm, UserForm
from govwatch.web.models import RunRequest
from govwatch.web.params import object_or_404
from govwatch.web.permissions import office_only
from govwatch.web.rulebooks import rulebook_for


@office_only
def index(request):
    return redirect("web:manage_sites")


@require_http_methods(["GET", "POST"])
@office_only
def sites(request):
    if request.method == "POST":
        site = object_or_404(Site, request.POST.get("site"))
        form = SiteForm(request.POST, instance=site)
        if form.is_valid():
            form.save()
            messages.success(request, f"已保存站点：{site.name}")
        else:
            messages.error(request, "站点设置有误：" + "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("web:manage_sites")
    rows = [(s, SiteForm(instance=s, auto_id=f"site{s.pk}_%s")) for s in Site.objects.order_by("id")]
    return render(request, "web/manage_sites.html", {
        "rows": rows, "run_form": RunStartForm(initial={"as_of": timezone.localdate()}),
        "requests": RunRequest.objects.select_related("site", "run")[:10],
    })


@require_POST
@office_only
def start_run(request, pk):
    site = get_object_or_404(Site, pk=pk)
    form = RunStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写正确的监测日期")
        return redirect("web:manage_sites")
    try:
        req = services.start_run(site, form.cleaned_data["as_of"], request.user)
        how = "已提交到监测队列" if req.mode == "queue" else "已在后台开始监测，完成后刷新本页查看"
        messages.success(request, f"{site.name}：{how}")
    except GovwatchError as exc:
        messages.error(request, str(exc))
    return redirect("web:manage_sites")


@require_http_methods(["GET", "POST"])
@office_only
def units(request):
    edit = request.GET.get("edit") or request.POST.get("unit")
    instance = object_or_404(Unit, edit) if edit else None
    form = UnitForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        unit = form.save()
        messages.success(request, f"已保存单位：{unit}")
        return redirect("web:manage_units")
    return render(request, "web/manage_units.html", {"units": Unit.objects.order_by("code"), "form": form,
                                                     "editing": instance})


# Each row carries its own form; 100 a page stays quick to render and to scan.
COLUMNS_PER_PAGE = 100


@require_http_methods(["GET", "POST"])
@office_only
def columns(request):
    if request.method == "POST":
        column = object_or_404(Column, request.POST.get("column"))
        form = ColumnOverrideForm(request.POST, instance=column)
        if form.is_valid():
            # The office's choice wins over discovery in later runs and makes the column's judgements confident.
            confirm_column(form.save(commit=False), actor_label=request.user.get_username())
            messages.success(request, f"已确认栏目：{column.name}")
        else:
            messages.error(request, "栏目设置有误")
        return redirect(request.get_full_path())
    qs = Column.objects.select_related("unit", "site")
    unit = request.GET.get("unit", "")
    if unit:
        qs = qs.filter(unit__code=unit)
    todo = request.GET.get("todo") == "1"
    if todo:
        qs = qs.filter(pinned=False)
    page = Paginator(qs.order_by("unit__code", "url"), COLUMNS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(c, ColumnOverrideForm(instance=c, auto_id=f"col{c.pk}_%s")) for c in page.object_list]
    return render(request, "web/manage_columns.html", {"rows": rows, "units": Unit.objects.all(), "unit": unit,
                                                       "page": page, "todo": todo, "via_labels": READ_VIA_LABELS})


@office_only
def rulebook(request):
    site = Site.objects.order_by("id").first()
    book = rulebook_for(site.rulebook if site else "district-2017")
    return render(request, "web/manage_rulebook.html", {"book": book, "rules": list(book.rules.values()),
                                                        "national": dict(book.national)})


@require_http_methods(["GET", "POST"])
@office_only
def users(request):
    User = get_user_model()
    edit = request.GET.get("edit") or request.POST.get("user_id")
    target = object_or_404(User, edit) if edit else None
    initial = {}
    if target is not None:
        initial = {"username": target.username, "role": next(iter(roles.roles_of(target)), roles.LEADER),
                   "units": list(target.unit_memberships.values_list("unit_id", flat=True))}
    form = UserForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = target or User(username=data["username"])
            if target is None and User.objects.filter(username=data["username"]).exists():
                raise GovwatchError("用户名已存在")
            if target is None and not data["password"]:
                raise GovwatchError("新用户必须设置密码")
            user.username = data["username"]
            if data["password"]:
                # settings.AUTH_PASSWORD_VALIDATORS: length, common passwords, likeness to the username.
                try:
                    validate_password(data["password"], user)
                except ValidationError as exc:
                    raise GovwatchError("密码不符合要求：" + "；".join(exc.messages)) from exc
                user.set_password(data["password"])
            user.save()
            services.set_user_role(user, data["role"], [u.code for u in data["units"]])
            messages.success(request, f"已保存用户：{user.username}")
            return redirect("web:manage_users")
        except GovwatchError as exc:
            form.add_error(None, str(exc))
    people = User.objects.order_by("username").prefetch_related("groups", "unit_memberships__unit")
    return render(request, "web/manage_users.html", {"people": people, "form": form, "editing": target})
