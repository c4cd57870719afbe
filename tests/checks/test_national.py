import datetime as dt

from govwatch.checks import national_warnings

from tests.checks.conftest import AS_OF, D, article, column, guide, item, page, question, run_facts


def _by_id(warnings):
    return {w["id"]: w for w in warnings}


def test_national_blank_columns_level_follows_rulebook_thresholds(rulebook):
    conf = rulebook.national["national.blank_columns"]
    blanks = [column(f"栏目{i}", url=f"http://s/{i}/", category="notice", items=[]) for i in range(conf["warning"])]
    w = _by_id(national_warnings(run_facts(columns=blanks), rulebook))["national.blank_columns"]
    assert (w["count"], w["level"]) == (conf["warning"], "warning")
    w = _by_id(national_warnings(run_facts(columns=blanks[:-1]), rulebook))["national.blank_columns"]
    assert w["level"] == "ok"


def test_national_stale_news_uses_two_weeks(rulebook):
    days = rulebook.national["national.stale_columns"]["news_max_age_days"]
    fresh = column("工作动态", url="http://s/1/", items=[item("http://s/1.html", AS_OF - dt.timedelta(days=days))])
    old = column("部门动态", url="http://s/2/", items=[item("http://s/2.html", AS_OF - dt.timedelta(days=days + 1))])
    w = _by_id(national_warnings(run_facts(columns=[fresh, old]), rulebook))["national.stale_columns"]
    assert (w["count"], [d["url"] for d in w["details"]]) == (1, ["http://s/2/"])


def test_national_consult_three_months_is_a_veto(rulebook):
    col = column("咨询", category="consultation", items=[item("http://q/1.html", AS_OF)])
    q = question("http://q/1.html", asked=D(2026, 8, 26))
    w = _by_id(national_warnings(run_facts(columns=[col], pages=[page(q, column=col)]), rulebook))
    assert (w["national.consult_3_months"]["count"], w["national.consult_3_months"]["level"]) == (1, "veto")


def test_national_consult_exactly_three_months_is_ok(rulebook):
    col = column("咨询", category="consultation", items=[item("http://q/1.html", AS_OF)])
    q = question("http://q/1.html", asked=D(2026, 8, 27))
    w = _by_id(national_warnings(run_facts(columns=[col], pages=[page(q, column=col)]), rulebook))
    assert w["national.consult_3_months"]["level"] == "ok"


def test_national_meta_tags_lists_missing_tags(rulebook):
    required = list(rulebook.national["national.meta_tags"]["required"])
    col = column("工作动态", items=[item("http://s/a.html", AS_OF)])
    full = article("http://s/a.html", meta={tag: "x" for tag in required})
    partial = article("http://s/b.html", meta={tag: "x" for tag in required[1:]})
    w = _by_id(national_warnings(run_facts(columns=[col], pages=[page(full, column=col), page(partial, column=col)]),
                                 rulebook))["national.meta_tags"]
    assert (w["count"], w["details"][0]["missing"], w["level"]) == (1, required[:1], "warning")


def test_national_guide_elements_share(rulebook):
    elements = list(rulebook.rule("guide.missing_element")["elements"])
    col = column("办事指南", category="guide", items=[item("http://g/1.html", AS_OF)])
    g = guide("http://g/1.html", elements=[])
    w = _by_id(national_warnings(run_facts(columns=[col], pages=[page(g, column=col)]), rulebook))
    assert (w["national.guide_elements"]["missing_share"], w["national.guide_elements"]["level"]) == (1.0, "warning")
    g = guide("http://g/1.html", elements=elements)
    w = _by_id(national_warnings(run_facts(columns=[col], pages=[page(g, column=col)]), rulebook))
    assert w["national.guide_elements"]["level"] == "ok"


def test_national_only_computable_indicators_are_reported(rulebook):
    ids = [w["id"] for w in national_warnings(run_facts(), rulebook)]
    assert "national.site_unreachable" not in ids
    assert set(ids) <= set(rulebook.national)
    assert {w["level"] for w in national_warnings(run_facts(), rulebook)} == {"ok"}
