
from govwatch import facts as F
from govwatch.checks import run_checks

from tests.checks.conftest import D, article, column, findings_of, item, page, run_facts


def _news_found(rulebook, art, as_of, status=F.OK):
    col = column("工作动态", items=[item(art.url, as_of)])
    facts = run_facts(columns=[col], pages=[page(art, column=col, status=status)], as_of=as_of)
    return findings_of(run_checks(facts, rulebook), "timeliness.news")


def _doc_found(rulebook, art, as_of, calendar=None, category="notice"):
    col = column("通知公告", category=category, items=[item(art.url, as_of)])
    facts = run_facts(columns=[col], pages=[page(art, column=col)], as_of=as_of)
    return findings_of(run_checks(facts, rulebook, calendar), "timeliness.document")


def test_timeliness_news_published_the_day_after_the_event_is_on_time(rulebook):
    art = article("http://n/1.html", published=D(2026, 11, 26), event_date=D(2026, 11, 25))
    assert _news_found(rulebook, art, D(2026, 11, 27)) == []


def test_timeliness_news_published_two_days_after_the_event_is_late(rulebook):
    art = article("http://n/1.html", title="区财政局召开会议", published=D(2026, 11, 26), event_date=D(2026, 11, 24))
    (f,) = _news_found(rulebook, art, D(2026, 11, 27))
    assert (f.evidence["published"], f.evidence["event_date"], f.evidence["delay_days"]) == (
        "2026-11-26", "2026-11-24", 2)
    assert f.points == rulebook.rule("timeliness.news").points


def test_timeliness_news_without_an_event_date_is_late(rulebook):
    art = article("http://n/1.html", published=D(2026, 11, 26), event_date=None)
    (f,) = _news_found(rulebook, art, D(2026, 11, 27))
    assert (f.evidence["event_date"], f.evidence["delay_days"]) == (None, None)


def test_timeliness_news_published_before_the_cycle_is_not_judged(rulebook):
    art = article("http://n/1.html", published=D(2026, 11, 20), event_date=None)
    assert _news_found(rulebook, art, D(2026, 11, 27)) == []


def test_timeliness_news_unverified_page_is_not_judged(rulebook):
    art = article("http://n/1.html", published=D(2026, 11, 26), event_date=None)
    assert _news_found(rulebook, art, D(2026, 11, 27), status=F.UNVERIFIED) == []


def test_timeliness_document_twenty_working_days_across_national_day_is_on_time(rulebook, calendar):
    # (2025-09-26, 2025-10-30]: holiday 10-01..10-08 off, Sunday 9-28 and Saturday 10-11 (调休) worked.
    art = article("http://d/1.html", published=D(2025, 10, 30), signed=D(2025, 9, 26))
    assert _doc_found(rulebook, art, D(2025, 10, 31), calendar) == []


def test_timeliness_document_twenty_one_working_days_across_national_day_is_late(rulebook, calendar):
    art = article("http://d/1.html", published=D(2025, 10, 31), signed=D(2025, 9, 26))
    (f,) = _doc_found(rulebook, art, D(2025, 10, 31), calendar)
    assert (f.evidence["working_days"], f.evidence["signature_date"], f.evidence["signature_source"]) == (
        21, "2025-09-26", "落款")


def test_timeliness_document_late_in_working_days_within_four_calendar_weeks(rulebook, calendar):
    # 27 calendar days, yet 21 working days: Sunday 2026-01-04 was a 调休 working day.
    art = article("http://d/1.html", published=D(2026, 1, 30), signed=D(2026, 1, 3))
    (f,) = _doc_found(rulebook, art, D(2026, 1, 30), calendar)
    assert ((D(2026, 1, 30) - D(2026, 1, 3)).days, f.evidence["working_days"]) == (27, 21)


def test_timeliness_document_uses_header_written_date_when_body_has_no_signature_date(rulebook, calendar):
    art = article("http://d/1.html", published=D(2025, 10, 31), signed=None, written=D(2025, 9, 26))
    (f,) = _doc_found(rulebook, art, D(2025, 10, 31), calendar)
    assert (f.evidence["signature_date"], f.evidence["signature_source"]) == ("2025-09-26", "成文日期")


def test_timeliness_document_body_signature_date_wins_over_header(rulebook, calendar):
    art = article("http://d/1.html", published=D(2025, 10, 31), signed=D(2025, 10, 20), written=D(2025, 9, 1))
    assert _doc_found(rulebook, art, D(2025, 10, 31), calendar) == []


def test_timeliness_document_without_any_signature_date_is_late(rulebook, calendar):
    art = article("http://d/1.html", published=D(2026, 11, 26), signed=None, written=None)
    (f,) = _doc_found(rulebook, art, D(2026, 11, 27), calendar)
    assert (f.evidence["signature_date"], f.evidence["working_days"]) == (None, None)


def test_timeliness_document_ignores_news_columns(rulebook, calendar):
    art = article("http://d/1.html", published=D(2026, 11, 26), signed=None, written=None)
    assert _doc_found(rulebook, art, D(2026, 11, 27), calendar, category="news") == []


def test_timeliness_document_applies_to_finance_columns(rulebook, calendar):
    art = article("http://d/1.html", published=D(2026, 11, 26), signed=None, written=None)
    assert len(_doc_found(rulebook, art, D(2026, 11, 27), calendar, category="finance")) == 1


def test_timeliness_uses_list_date_when_article_has_no_publish_date(rulebook, calendar):
    col = column("通知公告", category="notice", items=[item("http://d/1.html", D(2026, 11, 26))])
    art = article("http://d/1.html", published=None, signed=None, written=None)
    facts = run_facts(columns=[col], pages=[page(art, column=col)], as_of=D(2026, 11, 27))
    (f,) = findings_of(run_checks(facts, rulebook, calendar), "timeliness.document")
    assert f.evidence["published"] == "2026-11-26"
