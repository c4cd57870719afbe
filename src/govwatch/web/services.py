"""Services of the web app. Views call these; they call the monitoring services
(`monitoring.review`, `monitoring.scores`) and the pipeline for anything that changes
findings or scores, so every change is audited and scores are recomputed at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import threading
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import close_old_connections, transaction
from django.utils import timezone

from govwatch.catalog.models import Site, Unit
from govwatch.lib.errors import GovwatchError
from govwatch.monitoring.review import review_finding, review_findings
from govwatch.monitoring.scores import SYSTEM, recompute_scores
from govwatch.monitoring.models import Finding, Review, Run
from govwatch.web import roles
from govwatch.web.models import EvidenceUpload, Rectification, Recheck, RunRequest, Survey, UnitMembership
from govwatch.web.rulebooks import rulebook_for
from govwatch.web.uploads import sniff_upload, stored_name

MANUAL_RULES = ("error.other", "error.false_info")


def _label(user) -> str:
    return user.get_username() if user is not None else SYSTEM


# ---------------------------------------------------------------------------
# Review


def _target_state(finding: Finding, action: str) -> str:
    if action == "confirm":
        return Finding.State.CONFIRMED
    if action == "dismiss":
        return Finding.State.DISMISSED
    if action == "restore":
        # Restoring undoes a dismissal, nothing else: back to where the machine put it.
        if finding.state != Finding.State.DISMISSED:
            return finding.state
        return Finding.State.PENDING if finding.needs_review else Finding.State.CONFIRMED
    raise GovwatchError(f"未知操作：{action}")


def review(finding: Finding, action: str, user, reason: str = "") -> Finding:
    """confirm / dismiss / restore one finding through the audited monitoring service."""
    to_state = _target_state(finding, action)
    if to_state == finding.state:
        return finding
    return review_finding(finding, to_state=to_state, actor=user, reason=reason)


def review_many(findings, action: str, user, reason: str = "") -> int:
    """The same action on many findings: audited one by one, scores recomputed once per run."""
    findings = list(findings)
    return review_findings([(f, _target_state(f, action)) for f in findings], actor=user, reason=reason)


def add_manual_finding(*, run: Run, unit: Unit, rule: str, url: str, message: str, user,
                       upload=None) -> Finding:
    """A reviewer's manual finding (其他错误 / 错误虚假信息): confirmed, audited, scored at once."""
    if rule not in MANUAL_RULES:
        raise GovwatchError(f"只能人工录入：{'、'.join(MANUAL_RULES)}")
    if not message.strip():
        raise GovwatchError("请填写问题说明")
    sniffed = sniff_upload(upload, allowed=("image/png", "image/jpeg", "application/pdf")) if upload else None
    points = rulebook_for(run.rulebook).rule(rule).points
    label = _label(user)
    now = timezone.now()
    key = hashlib.sha1(json.dumps(["manual", run.pk, unit.code, rule, url, message, now.isoformat()],
                                  ensure_ascii=False).encode()).hexdigest()
    with transaction.atomic():
        finding = Finding.objects.create(
            run=run, unit=unit, rule=rule, points=points, needs_review=False, state=Finding.State.CONFIRMED,
            url=url, column_url="", message=message.strip(), evidence={"entered_by": label}, key=key, manual=True)
        Review.objects.create(finding=finding, actor=user, actor_label=label, from_state="",
                              to_state=Finding.State.CONFIRMED, reason="人工录入")
        if upload is not None:
            original = upload.name[:255]
            upload.name = stored_name(sniffed)  # stored as what it is, under our name
            EvidenceUpload.objects.create(finding=finding, file=upload, content_type=sniffed,
                                          original_name=original, uploaded_by=label)
        recompute_scores(run, actor_label=label, reason=f"人工录入问题：{rule}")
    return finding


# ---------------------------------------------------------------------------
# Rectification (整改)


def answer_finding(finding: Finding, *, kind: str, note: str, user) -> Rectification:
    if not roles.can_answer(user, finding):
        raise GovwatchError("只有本单位管理员可以答复该问题")
    if kind not in Rectification.Kind.values:
        raise GovwatchError(f"无效的答复类型：{kind}")
    if not note.strip():
        raise GovwatchError("已整改请填写整改说明，申诉请填写申诉理由")
    return Rectification.objects.create(finding=finding, kind=kind, note=note.strip(), actor=user,
                                        actor_label=_label(user))


def recheck_finding(finding: Finding, user, fetch=None) -> Recheck:
    """Fetch the finding's page (or broken target) again, with the crawler's SSRF rule,
    and record what was seen then and now. It informs; only the next run changes scores."""
    from govwatch.web.recheck import before_text, judge, safe_fetch, site_guard

    ev = finding.evidence or {}
    url = ev.get("target") if finding.rule in ("error.broken_link", "guide.form_unavailable") and ev.get("target") else finding.url
    fetch = fetch or safe_fetch
    result = fetch(url, guard=site_guard(finding.run.site))
    outcome, after = judge(finding, result)
    return Recheck.objects.create(finding=finding, url=url, actor_label=_label(user), before=before_text(finding),
                                  after=after, outcome=outcome, http_status=result.status)


# ---------------------------------------------------------------------------
# 附件4 网站整改调查表


def open_survey_period(period: str, deadline: dt.date, units=None) -> int:
    """Issue the form to every active unit for one period; existing forms keep their answers."""
    period = period.strip()
    if not period:
        raise GovwatchError("请填写期次")
    units = list(units if units is not None else Unit.objects.filter(active=True))
    created = 0
    with transaction.atomic():
        for unit in units:
            _, new = Survey.objects.update_or_create(unit=unit, period=period, defaults={"deadline": deadline})
            created += new
    return created


def submit_survey(survey: Survey, *, fields: dict, answers: dict, stamp, user) -> Survey:
    from govwatch.web.survey_schema import ALL_QUESTIONS

    missing = [q for key, q, _ in ALL_QUESTIONS if key not in answers]
    if missing:
        raise GovwatchError(f"请勾选：{missing[0]}")
    if not fields.get("signature_name", "").strip():
        raise GovwatchError("请填写签字人姓名")
    if stamp is None and not survey.stamp:
        raise GovwatchError("请上传加盖单位公章的图片")
    content_type = sniff_upload(stamp, allowed=("image/png", "image/jpeg")) if stamp is not None else None
    for name, value in fields.items():
        setattr(survey, name, value.strip())
    survey.answers = {key: answers[key] for key, _, _ in ALL_QUESTIONS}
    replaced = survey.stamp.name if stamp is not None and survey.stamp else ""
    with transaction.atomic():
        if stamp is not None:
            survey.stamp.save(stored_name(content_type, prefix=f"{survey.unit.code}-"), stamp, save=False)
            survey.stamp_content_type = content_type
        survey.status = Survey.Status.SUBMITTED
        survey.submitted_by = _label(user)
        survey.submitted_at = timezone.now()
        survey.save()
        if replaced:
            _drop_replaced_stamp(survey, replaced, user)
    return survey


def _drop_replaced_stamp(survey: Survey, old_name: str, user) -> None:
    """Record the replaced stamp (name, size, SHA-256) in the admin log, then delete the file
    once the replacement is committed: old stamps are not kept, but their replacement is traceable."""
    from django.contrib.admin.models import CHANGE, LogEntry

    storage = survey.stamp.storage
    try:
        with storage.open(old_name, "rb") as fh:
            digest, size = hashlib.file_digest(fh, "sha256").hexdigest(), storage.size(old_name)
    except OSError:
        digest, size = "（文件已不存在）", 0
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[survey], action_flag=CHANGE, single_object=True,
        change_message=f"更换单位公章：旧文件 {old_name}（{size} 字节，SHA-256 {digest}）已删除，新文件 {survey.stamp.name}")
    transaction.on_commit(lambda: storage.delete(old_name))


# ---------------------------------------------------------------------------
# Runs started from the web


def start_run(site: Site, as_of: dt.date, user, *, background: bool = True) -> RunRequest:
    """Queue the run on the workers when a broker is configured, else run it in a
    background thread of this process (the request returns at once)."""
    from govwatch.monitoring.tasks import broker_url

    if not site.config_path:
        raise GovwatchError("该站点没有配置文件路径，无法从网页发起监测")
    req = RunRequest.objects.create(site=site, as_of=as_of, requested_by=_label(user),
                                    mode="queue" if broker_url() else "thread")
    if req.mode == "queue":
        from govwatch.monitoring.tasks import submit_run

        task = submit_run(site.config_path, as_of)
        req.message = f"已提交到监测队列：任务 {task.id}"
        req.save(update_fields=["message"])
        return req
    if background:
        threading.Thread(target=_run_in_thread, args=(req.pk,), daemon=True, name=f"govwatch-run-{req.pk}").start()
    else:
        _execute_request(req.pk)
    return req


def _run_in_thread(request_id: int) -> None:
    """Body of the background thread: it owns its database connection and closes it."""
    from django.db import connections

    close_old_connections()
    try:
        _execute_request(request_id)
    finally:
        connections.close_all()


def _execute_request(request_id: int) -> None:
    req = RunRequest.objects.select_related("site").get(pk=request_id)
    try:
        from govwatch.pipeline.run import execute_run

        outcome = execute_run(req.site.config_path, req.as_of, progress=False)
        req.run = outcome.run
        req.message = "已完成" if outcome.run.status == Run.Status.COMPLETE else f"失败：{outcome.run.error}"
    except Exception as exc:  # the thread has nobody to raise to: record it
        req.message = f"失败：{type(exc).__name__}: {exc}"
    req.save(update_fields=["run", "message"])


# ---------------------------------------------------------------------------
# Users


@dataclass
class DemoUsers:
    password: str
    usernames: list[str]


def set_user_role(user, role: str, unit_codes=()) -> None:
    from django.contrib.auth.models import Group

    roles.ensure_groups()
    with transaction.atomic():
        # The office runs Django admin for everything the dashboard does not cover.
        user.is_staff = user.is_superuser = role == roles.OFFICE
        user.save(update_fields=["is_staff", "is_superuser"])
        user.groups.set([Group.objects.get(name=role)])
        user.unit_memberships.all().delete()
        if role == roles.UNIT_ADMIN:
            UnitMembership.objects.bulk_create(
                [UnitMembership(user=user, unit=u) for u in Unit.objects.filter(code__in=list(unit_codes))])


def create_demo_users(password: str | None = None) -> DemoUsers:
    """office, reviewer, leader and unitNNNN for every unit; one password for all of them
    (GOVWATCH_DEMO_PASSWORD, else a random one that the demo prints)."""
    import os

    password = password or os.environ.get("GOVWATCH_DEMO_PASSWORD") or secrets.token_urlsafe(9)
    User = get_user_model()
    roles.ensure_groups()
    wanted = [("office", roles.OFFICE, ()), ("reviewer", roles.REVIEWER, ()), ("leader", roles.LEADER, ())]
    wanted += [(f"unit{u.code}", roles.UNIT_ADMIN, (u.code,)) for u in Unit.objects.order_by("code")]
    names = []
    with transaction.atomic():
        for username, role, codes in wanted:
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            if not user.email:
                # A reserved domain: demo digests can be addressed without ever reaching a real mailbox.
                user.email = f"{username}@demo.govwatch.invalid"
            user.save()
            set_user_role(user, role, codes)
            names.append(username)
    return DemoUsers(password=password, usernames=names)

