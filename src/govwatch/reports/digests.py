"""E-mail digests after a run.

- Each unit admin receives only the problems of their units that are new or
  have come back since the previous complete run of the same site (compared
  by `Finding.key`). A unit with nothing new gets no mail.
- The office (settings.GOVWATCH_OFFICE_EMAILS) receives the run summary.

Mail goes through Django (console backend by default, SMTP from the
GOVWATCH_SMTP_* environment variables). Call `send_run_digests(run)` once a
run is published; it never changes monitoring data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from govwatch.reports import cn

log = logging.getLogger(__name__)
SUBJECT_PREFIX = "【政府网站监测】"


def unit_recipients(unit) -> list[str]:
    """E-mail addresses of the unit's admins: the web app's UnitMembership when installed, else none."""
    from django.apps import apps
    from django.db import transaction

    try:
        membership = apps.get_model("web", "UnitMembership")
    except LookupError:
        return []
    try:
        with transaction.atomic():
            rows = membership.objects.filter(unit=unit, user__is_active=True).select_related("user")
            return sorted({m.user.email.strip() for m in rows if (m.user.email or "").strip()})
    except Exception:  # an unmigrated web app: no recipients rather than no digests at all
        log.warning("unit_recipients: web app tables unavailable", exc_info=True)
        return []


def office_recipients() -> list[str]:
    from django.conf import settings

    return list(getattr(settings, "GOVWATCH_OFFICE_EMAILS", []) or [])


def _link(path: str) -> str:
    from django.conf import settings

    base = getattr(settings, "GOVWATCH_BASE_URL", "")
    return f"{base}{path}" if base else ""


@dataclass
class DigestReport:
    run: int
    unit_mails: dict[str, list[str]] = field(default_factory=dict)  # unit code -> recipients
    units_without_recipients: list[str] = field(default_factory=list)
    office: list[str] = field(default_factory=list)
    sent: int = 0


def new_problems_by_unit(run) -> dict[str, dict]:
    """{unit code: {"unit": Unit, "items": [finding rows], "score": int|None}} for new or returned deductions."""
    from govwatch.monitoring.models import Finding
    from govwatch.reports.data import _finding_row, new_finding_keys

    new, returned = new_finding_keys(run)
    scores = {s.unit.code: s.score for s in run.scores.select_related("unit")}
    out: dict[str, dict] = {}
    qs = (run.findings.select_related("unit").filter(key__in=new, unit__isnull=False, points__lt=0)
          .exclude(state=Finding.State.DISMISSED).order_by("unit__code", "rule", "url", "id"))
    for f in qs:
        row = _finding_row(f, run.rulebook)
        row["status"] = "再次出现" if f.key in returned else "新增"
        if f.state == Finding.State.PENDING:
            row["status"] += "，待复核"
        entry = out.setdefault(f.unit.code, {"unit": f.unit, "items": [], "score": scores.get(f.unit.code)})
        entry["items"].append(row)
    return out


def unit_message(run, entry: dict, previous_text: str) -> tuple[str, str]:
    unit = entry["unit"]
    items = entry["items"]
    subject = f"{SUBJECT_PREFIX}{unit.name} {cn.ymd(run.as_of)}监测：新发现或再次出现的问题{len(items)}个"
    if previous_text:
        opening = f"{cn.ymd(run.as_of)}对“{run.site.name}”的监测中，与{previous_text}相比，贵单位有以下新发现或再次出现的问题："
    else:
        opening = f"{cn.ymd(run.as_of)}对“{run.site.name}”进行了首次监测，贵单位有以下问题："
    lines = [f"{unit.name}：", "", opening, ""]
    for i, f in enumerate(items, 1):
        lines.append(f"{i}. [{f['status']}] {f['message']}（{f['title']}，{f['points']}分）")
        lines.append(f"   页面：{f['url']}")
        if f["excerpt"]:
            lines.append(f"   证据：{f['excerpt']}")
        link = _link(f"/findings/{f['id']}/")
        if link:
            lines.append(f"   详情：{link}")
    lines.append("")
    if entry["score"] is not None:
        lines.append(f"本次得分：{entry['score']}分。")
    lines.append("请及时整改，并在监测平台填写整改答复。待复核的问题经复核确认后才计入得分。")
    link = _link(f"/units/{unit.code}/")
    if link:
        lines.append(f"本单位页面：{link}")
    lines += ["", "（本邮件由政府网站监测系统自动发送）"]
    return subject, "\n".join(lines)


def office_message(run) -> tuple[str, str]:
    from govwatch.reports.data import weekly_context

    w = weekly_context(run)
    subject = f"{SUBJECT_PREFIX}{w['as_of_text']}监测完成：{w['unit_count']}个单位平均{w['mean_score']}分"
    lines = [f"{w['site']} {w['as_of_text']}监测结果（监测编号 {run.pk}，周期 {w['period_text']}）", "",
             f"监测单位：{w['unit_count']}个；平均得分：{w['mean_score']}分；满分单位：{w['full_marks']}个；"
             f"被扣分单位：{w['deducted_units']}个。",
             f"与上次监测（{w['previous_text']}）相比：新增问题{w['new_count']}个，再次出现{w['returned_count']}个。",
             f"待人工复核的问题：{w['pending_count']}个；无法访问（未核实）的栏目：{w['unverified_count']}个；"
             f"未配置监测的单位：{w['not_configured']}。", ""]
    if w["not_monitored"]:
        lines += ["未能有效监测（不评分、不排名）的单位：" + "；".join(f"{m['name']}（{m['reason']}）"
                                                      for m in w["not_monitored"]), ""]
    lowest = sorted(w["ranking"], key=lambda r: (r["score"], r["unit"]))[:5]
    lines.append("得分最低的单位：")
    for r in lowest:
        lines.append(f"  {r['name']}（{r['unit']}）：{r['score']}分，扣{r['deductions']}分")
    if run.warnings:
        lines += ["", "运行提示："] + [f"  {x}" for x in run.warnings]
    link = _link("/")
    if link:
        lines += ["", f"监测平台：{link}"]
    lines += ["", "（本邮件由政府网站监测系统自动发送）"]
    return subject, "\n".join(lines)


def send_run_digests(run, *, fail_silently: bool = False) -> DigestReport:
    """Send the unit digests and the office summary of one complete run. Returns who got what."""
    from django.conf import settings
    from django.core.mail import EmailMessage, get_connection

    from govwatch.reports.data import previous_complete_run

    report = DigestReport(run=run.pk)
    if run.status != run.Status.COMPLETE:
        return report
    prev = previous_complete_run(run)
    previous_text = f"{cn.ymd(prev.as_of)}的监测" if prev else None
    messages = []
    sender = settings.DEFAULT_FROM_EMAIL
    for code, entry in sorted(new_problems_by_unit(run).items()):
        to = unit_recipients(entry["unit"])
        if not to:
            report.units_without_recipients.append(code)
            continue
        subject, body = unit_message(run, entry, previous_text)
        messages.append(EmailMessage(subject, body, sender, to))
        report.unit_mails[code] = to
    office = office_recipients()
    if office:
        subject, body = office_message(run)
        messages.append(EmailMessage(subject, body, sender, office))
        report.office = office
    if messages:
        with get_connection(fail_silently=fail_silently) as conn:
            report.sent = conn.send_messages(messages) or 0
    return report


def send_after_publish(run) -> None:
    """The pipeline's after-publish hook (settings.GOVWATCH_AFTER_PUBLISH_HOOKS): mail never fails a run."""
    send_run_digests(run, fail_silently=True)
