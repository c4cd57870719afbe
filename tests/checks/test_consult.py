import datetime as dt

from govwatch import facts as F
from govwatch.checks import run_checks

from tests.checks.conftest import AS_OF, D, column, item, page, question, run_facts

# The column lists the question, so it is neither blank nor stale: only the consult rules speak.
CONSULT = column("咨询投诉", category="consultation", items=[item("http://q/1.html", AS_OF)])
CYCLE_START = AS_OF - dt.timedelta(days=7)


def _check(rulebook, q, status=F.OK):
    facts = run_facts(columns=[CONSULT], pages=[page(q, column=CONSULT, status=status)], cycle_start=CYCLE_START)
    return [f.rule for f in run_checks(facts, rulebook)]


def test_consult_reply_after_seven_days_is_on_time(rulebook):
    q = question("http://q/1.html", asked=AS_OF - dt.timedelta(days=7), answered=AS_OF)
    assert _check(rulebook, q) == []


def test_consult_reply_after_eight_days_is_late(rulebook):
    q = question("http://q/1.html", asked=AS_OF - dt.timedelta(days=8), answered=AS_OF)
    assert _check(rulebook, q) == ["consult.unanswered_7d"]


def test_consult_unanswered_seven_days_is_fine_eight_is_not(rulebook):
    assert _check(rulebook, question("http://q/1.html", asked=AS_OF - dt.timedelta(days=7))) == []
    assert _check(rulebook, question("http://q/1.html", asked=AS_OF - dt.timedelta(days=8))) == ["consult.unanswered_7d"]


def test_consult_extension_excuses_seven_days(rulebook):
    q = question("http://q/1.html", asked=AS_OF - dt.timedelta(days=12), extension=True)
    assert _check(rulebook, q) == []


def test_consult_extension_does_not_excuse_fifteen_days(rulebook):
    q = question("http://q/1.html", asked=AS_OF - dt.timedelta(days=16), extension=True)
    assert _check(rulebook, q) == ["consult.unanswered_15d"]


def test_consult_sixteen_days_without_extension_triggers_both(rulebook):
    q = question("http://q/1.html", asked=AS_OF - dt.timedelta(days=16))
    assert _check(rulebook, q) == ["consult.unanswered_15d", "consult.unanswered_7d"]


def test_consult_fifteen_days_is_only_the_seven_day_rule(rulebook):
    q = question("http://q/1.html", asked=AS_OF - dt.timedelta(days=15))
    assert _check(rulebook, q) == ["consult.unanswered_7d"]


def test_consult_late_reply_before_the_cycle_is_not_charged_again(rulebook):
    q = question("http://q/1.html", asked=D(2026, 10, 1), answered=CYCLE_START)
    assert _check(rulebook, q) == []


def test_consult_late_reply_inside_the_cycle_is_charged(rulebook):
    q = question("http://q/1.html", asked=D(2026, 10, 1), answered=CYCLE_START + dt.timedelta(days=1))
    assert _check(rulebook, q) == ["consult.unanswered_15d", "consult.unanswered_7d"]


def test_consult_unreadable_asked_date_is_not_judged(rulebook):
    assert _check(rulebook, question("http://q/1.html", asked=None)) == []


def test_consult_unverified_page_is_not_judged(rulebook):
    q = question("http://q/1.html", asked=D(2026, 10, 1))
    assert _check(rulebook, q, status=F.UNVERIFIED) == []


def test_consult_evidence_and_message(rulebook):
    q = question("http://q/1.html", asked=D(2026, 11, 15), title="关于低保申请的咨询")
    found = run_checks(run_facts(columns=[CONSULT], pages=[page(q, column=CONSULT, warc="w#1")]), rulebook)
    (f,) = found
    assert f.evidence == {"asked": "2026-11-15", "answered": None, "delay_days": 12, "extension": False,
                          "status": "未回复", "limit_days": 7, "warc": "w#1"}
    assert f.message == "咨询“关于低保申请的咨询”提交于 2026-11-15，7日内未回复且未申请延期（已 12 天）"
    assert (f.url, f.column_url, f.points) == ("http://q/1.html", CONSULT.url, rulebook.rule(f.rule).points)


def test_consult_asked_with_time_uses_the_date_only(rulebook):
    q = question("http://q/1.html", asked=dt.datetime(2026, 11, 19, 23, 59), answered=dt.datetime(2026, 11, 26, 8, 0))
    assert _check(rulebook, q) == []


def test_consult_late_reply_always_is_charged_in_every_run(rulebook):
    import dataclasses

    rules = dict(rulebook.rules)
    for rid in ("consult.unanswered_7d", "consult.unanswered_15d"):
        rules[rid] = dataclasses.replace(rules[rid], params={**rules[rid].params, "late_reply": "always"})
    always = dataclasses.replace(rulebook, rules=rules)
    q = question("http://q/1.html", asked=D(2026, 10, 1), answered=CYCLE_START)
    assert _check(always, q) == ["consult.unanswered_15d", "consult.unanswered_7d"]
