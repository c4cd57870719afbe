"""E-mail digests: unit admins get only new or returned problems of their units; the office gets the summary."""

from __future__ import annotations

import pytest
from django.core import mail

from govwatch.reports import digests

ADDRESSES = {"0105": ["ymj@example.gov.cn"], "0107": ["czj@example.gov.cn", "czj2@example.gov.cn"],
             "0109": ["nyj@example.gov.cn"], "0111": ["zwzx@example.gov.cn"], "0101": ["zfb@example.gov.cn"]}


@pytest.fixture
def recipients(monkeypatch):
    monkeypatch.setattr(digests, "unit_recipients", lambda unit: ADDRESSES.get(unit.code, []))


@pytest.fixture
def office(settings):
    settings.GOVWATCH_OFFICE_EMAILS = ["office@example.gov.cn"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.GOVWATCH_BASE_URL = "https://govwatch.example.gov.cn"


def _by_recipient():
    return {tuple(m.to): m for m in mail.outbox}


def test_unit_admin_gets_only_new_and_returned_problems(data, recipients, office):
    report = digests.send_run_digests(data.runs[-1])
    sent = _by_recipient()
    czj = sent[("czj@example.gov.cn", "czj2@example.gov.cn")]
    assert "区财政局" in czj.subject
    assert "错别字：“按装”应为“安装”" in czj.body
    assert "工作动态" not in czj.body.split("错别字")[0]  # its stale column is old news: not in the digest
    assert czj.body.count("\n1. ") == 1 and "\n2. " not in czj.body
    back = sent[("zwzx@example.gov.cn",)]
    assert "[再次出现]" in back.body and "专项资金" in back.body
    assert "[新增，待复核]" in sent[("nyj@example.gov.cn",)].body
    assert "https://govwatch.example.gov.cn/findings/" in czj.body
    assert report.sent == len(mail.outbox) == 5  # four units with news + the office


def test_unit_with_nothing_new_gets_no_mail(data, recipients, office):
    digests.send_run_digests(data.runs[-1])
    assert ("zfb@example.gov.cn",) not in _by_recipient()  # 0101 区政府办: the same stale column every week


def test_office_receives_the_run_summary(data, recipients, office):
    digests.send_run_digests(data.runs[-1])
    summary = _by_recipient()[("office@example.gov.cn",)]
    assert summary.subject == "【政府网站监测】2026年11月27日监测完成：41个单位平均97.66分"
    assert "新增问题3个，再次出现1个" in summary.body
    assert "区农村经营管理局（0113）：82分" in summary.body


def test_first_run_reports_every_problem_as_new(data, recipients, office):
    report = digests.send_run_digests(data.runs[0])
    assert ("zfb@example.gov.cn",) in _by_recipient()
    assert "0101" in report.unit_mails


def test_dismissed_and_bonus_findings_are_never_mailed(data, recipients, office):
    digests.send_run_digests(data.runs[0])
    bodies = "\n".join(m.body for m in mail.outbox)
    assert "banner.jpg" not in bodies
    assert "本周期更新信息" not in bodies


def test_units_without_admin_addresses_are_reported_not_mailed(data, recipients, office):
    report = digests.send_run_digests(data.runs[-1])
    assert report.units_without_recipients == []
    report = digests.send_run_digests(data.runs[0])
    assert "0104" in report.units_without_recipients
    assert "0104" not in report.unit_mails


def test_unit_recipients_reads_web_memberships(data):
    from django.apps import apps
    from django.contrib.auth import get_user_model

    membership = apps.get_model("web", "UnitMembership")  # govwatch.web is an installed app: a LookupError fails
    users = get_user_model().objects
    unit = next(u for u in data.units if u.code == "0107")
    membership.objects.create(user=users.create_user("unit0107", email="czj@example.gov.cn"), unit=unit)
    membership.objects.create(user=users.create_user("nomail"), unit=unit)
    membership.objects.create(user=users.create_user("gone", email="old@example.gov.cn", is_active=False), unit=unit)
    other = next(u for u in data.units if u.code == "0302")
    membership.objects.create(user=users.create_user("unit0302", email="gaj@example.gov.cn"), unit=other)
    assert digests.unit_recipients(unit) == ["czj@example.gov.cn"]


def test_mail_backend_is_smtp_from_environment_else_console(monkeypatch):
    import importlib

    import govwatch.settings as project_settings

    monkeypatch.delenv("GOVWATCH_EMAIL_BACKEND", raising=False)
    monkeypatch.setenv("GOVWATCH_SMTP_HOST", "smtp.example.gov.cn")
    monkeypatch.setenv("GOVWATCH_SMTP_PORT", "465")
    monkeypatch.setenv("GOVWATCH_SMTP_SSL", "1")
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
        assert (reloaded.EMAIL_HOST, reloaded.EMAIL_PORT, reloaded.EMAIL_USE_SSL) == ("smtp.example.gov.cn", 465, True)
    finally:
        monkeypatch.delenv("GOVWATCH_SMTP_HOST")
        monkeypatch.delenv("GOVWATCH_SMTP_PORT")
        monkeypatch.delenv("GOVWATCH_SMTP_SSL")
        reloaded = importlib.reload(project_settings)
    assert reloaded.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_first_run_mail_says_first_monitoring_without_comparing(data, recipients, office):
    digests.send_run_digests(data.runs[0])
    body = _by_recipient()[("zfb@example.gov.cn",)].body
    assert "进行了首次监测，贵单位有以下问题：" in body
    assert "首次监测前" not in body
    assert "warc" not in body and "offset=" not in body


def test_mails_without_a_server_are_one_eml_file_per_message(data, recipients, office, settings, tmp_path):
    import email
    from email.policy import default

    settings.EMAIL_BACKEND = "govwatch.reports.mailfiles.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    report = digests.send_run_digests(data.runs[-1])
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == report.sent == len(report.unit_mails) + 1 > 1
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=default)
        assert path.stem == str(message["subject"]).strip()  # the file name is the readable subject
        assert "warc" not in message.get_content()
