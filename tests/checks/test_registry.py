import random
from collections import Counter

from govwatch import facts as F
from govwatch.checks import REGISTRY, finding_sort_key, run_checks
from govwatch.rulebook import RULE_IDS

from tests.checks.conftest import AS_OF, D, article, column, guide, item, link, page, question, run_facts


def test_registry_covers_every_non_manual_rule(rulebook):
    non_manual = {rid for rid in RULE_IDS if not rulebook.rule(rid).manual}
    assert set(REGISTRY) == non_manual


def test_registry_has_no_manual_rule(rulebook):
    assert [rid for rid in REGISTRY if rulebook.rule(rid).manual] == []


def _busy_facts(shuffle_seed=None):
    news = column("工作动态", items=[item("http://s/a.html", D(2026, 10, 1))])
    consult = column("咨询", category="consultation", items=[item("http://s/q.html", AS_OF)])
    guides = column("办事指南", category="guide", items=[item("http://s/g.html", AS_OF)])
    pages = [page(question("http://s/q.html", asked=D(2026, 10, 1)), column=consult),
             page(guide("http://s/g.html", elements=[]), column=guides),
             page(article("http://s/a.html", published=D(2026, 10, 1)), column=news)]
    links = [link("http://dead/1", ["http://s/g.html", "http://s/a.html"]), link("http://dead/0", ["http://s/q.html"])]
    columns = [news, consult, guides]
    if shuffle_seed is not None:
        rng = random.Random(shuffle_seed)
        for seq in (pages, links, columns):
            rng.shuffle(seq)
    return run_facts(columns=columns, pages=pages, links=links)


def test_run_checks_is_sorted_by_unit_rule_url_discriminator(rulebook):
    found = run_checks(_busy_facts(), rulebook)
    assert [finding_sort_key(f) for f in found] == sorted(finding_sort_key(f) for f in found)


def test_run_checks_does_not_depend_on_input_order(rulebook):
    expected = [(f.rule, f.url, f.evidence.get("element")) for f in run_checks(_busy_facts(), rulebook)]
    assert len(expected) == BUSY_FINDINGS
    for seed in range(5):
        again = [(f.rule, f.url, f.evidence.get("element")) for f in run_checks(_busy_facts(seed), rulebook)]
        assert again == expected


# _busy_facts gives: 1 stale news column, a question 7d and 15d late, 2 dead link targets, 8 missing guide elements.
BUSY_FINDINGS = 13


def test_run_checks_busy_facts_give_the_planted_findings(rulebook):
    rules = Counter(f.rule for f in run_checks(_busy_facts(), rulebook))
    assert rules == {"stale.news": 1, "consult.unanswered_7d": 1, "consult.unanswered_15d": 1,
                     "error.broken_link": 2, "guide.missing_element": 8}


def test_run_checks_points_and_state_come_from_the_rule(rulebook):
    found = run_checks(_busy_facts(), rulebook)
    assert len(found) == BUSY_FINDINGS
    for f in found:
        rule = rulebook.rule(f.rule)
        assert (f.points, f.needs_review, f.state) == (
            rule.points, rule.needs_review, "pending" if rule.needs_review else "confirmed")


def test_run_checks_findings_are_json_ready(rulebook):
    import json

    found = run_checks(_busy_facts(), rulebook)
    assert len(found) == BUSY_FINDINGS
    for f in found:
        assert json.loads(json.dumps(F.jsonable(f)))["rule"] == f.rule


def test_run_checks_manual_rules_produce_nothing(rulebook):
    rules = {f.rule for f in run_checks(_busy_facts(), rulebook)}
    assert rules & {"error.other", "error.false_info"} == set()
