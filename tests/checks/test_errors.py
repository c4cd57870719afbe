import datetime as dt

from govwatch import facts as F
from govwatch.checks import portal_findings, run_checks

from tests.checks.conftest import AS_OF, D, article, column, findings_of, item, link, page, run_facts

NEWS = column("工作动态", items=[item("http://s/0107/a.html", AS_OF), item("http://s/0107/b.html", AS_OF),
                             item("http://s/0107/c.html", AS_OF)])
OTHER = column("工作动态", unit="0302", url="http://s/0302/gzdt/", items=[item("http://s/0302/a.html", AS_OF)])


def _pages():
    arts = [article(i.url, published=AS_OF, event_date=AS_OF) for i in NEWS.items]
    return [page(a, column=NEWS) for a in arts] + [page(article("http://s/0302/a.html"), column=OTHER)]


def _broken(rulebook, links, crawled_pages=100):
    facts = run_facts(columns=[NEWS, OTHER], pages=_pages(), links=links, crawled_pages=crawled_pages)
    return findings_of(run_checks(facts, rulebook), "error.broken_link"), portal_findings(facts, rulebook)


def test_broken_link_on_three_pages_of_one_unit_is_one_finding(rulebook):
    carriers = ["http://s/0107/c.html", "http://s/0107/a.html", "http://s/0107/b.html"]
    found, portal = _broken(rulebook, [link("http://dead/x", carriers, warc="w#3")])
    assert [(f.unit, f.url, f.column_url) for f in found] == [("0107", "http://s/0107/a.html", NEWS.url)]
    assert found[0].evidence["carriers"] == sorted(carriers)
    assert (found[0].evidence["target"], found[0].evidence["http_status"], found[0].evidence["warc"]) == (
        "http://dead/x", 404, "w#3")
    assert found[0].message == "链接失效：http://dead/x（HTTP 404），出现在 3 个页面"
    assert portal == []


def test_broken_link_on_two_units_is_one_finding_each(rulebook):
    found, _ = _broken(rulebook, [link("http://dead/x", ["http://s/0302/a.html", "http://s/0107/b.html"])])
    assert [(f.unit, f.url) for f in found] == [("0107", "http://s/0107/b.html"), ("0302", "http://s/0302/a.html")]


def test_broken_link_two_targets_on_one_page_are_two_findings(rulebook):
    found, _ = _broken(rulebook, [link("http://dead/x", ["http://s/0107/a.html"]),
                                  link("http://dead/y", ["http://s/0107/a.html"], kind="img")])
    assert [f.evidence["target"] for f in found] == ["http://dead/x", "http://dead/y"]


def test_broken_link_carried_by_template_share_is_charged_to_nobody(rulebook):
    share = rulebook.rule("error.broken_link")["template_share"]
    carriers = ["http://s/0107/a.html", "http://s/0107/b.html"]
    crawled = int(len(carriers) / share)  # exactly the template share
    found, portal = _broken(rulebook, [link("http://dead/x", carriers)], crawled_pages=crawled)
    assert found == []
    assert [(p.unit, p.points, p.evidence["template"]) for p in portal] == [(None, 0, True)]


def test_broken_link_just_below_template_share_is_charged(rulebook):
    share = rulebook.rule("error.broken_link")["template_share"]
    carriers = ["http://s/0107/a.html", "http://s/0107/b.html"]
    crawled = int(len(carriers) / share) + 1
    found, portal = _broken(rulebook, [link("http://dead/x", carriers)], crawled_pages=crawled)
    assert (len(found), portal) == (1, [])


def test_link_unverified_on_our_side_is_not_broken(rulebook):
    found, portal = _broken(rulebook, [link("http://slow/x", ["http://s/0107/a.html"], outcome="unverified",
                                            reason="超时", status=None)])
    assert (found, portal) == ([], [])


def test_broken_link_on_unattributed_or_unknown_page_is_not_charged(rulebook):
    found, _ = _broken(rulebook, [link("http://dead/x", ["http://s/elsewhere.html"])])
    assert found == []


def test_broken_link_carried_by_a_column_list_page_is_charged_to_its_unit(rulebook):
    found, _ = _broken(rulebook, [link("http://dead/x", [NEWS.url])])
    assert [(f.unit, f.url, f.column_url) for f in found] == [("0107", NEWS.url, NEWS.url)]


# --- typos


def test_typo_each_occurrence_is_a_pending_finding(rulebook):
    art = article("http://s/0107/a.html", published=AS_OF, event_date=AS_OF)
    hits = [F.TypoHit(start=9, end=11, wrong="按装", right="安装", kind="typo", confidence=0.9, context="按装空调"),
            F.TypoHit(start=3, end=5, wrong="按装", right="安装", kind="typo", confidence=0.9)]
    facts = run_facts(columns=[NEWS], pages=[page(art, column=NEWS, warc="w#1")], typos={art.url: hits})
    found = findings_of(run_checks(facts, rulebook), "error.typo")
    assert [(f.evidence["start"], f.state, f.needs_review) for f in found] == [(3, "pending", True), (9, "pending", True)]
    assert (found[1].evidence["wrong"], found[1].evidence["right"], found[1].evidence["end"]) == ("按装", "安装", 11)


def test_typo_on_unverified_page_is_ignored(rulebook):
    art = article("http://s/0107/a.html")
    hit = F.TypoHit(start=0, end=2, wrong="按装", right="安装", kind="typo", confidence=0.9)
    facts = run_facts(columns=[NEWS], pages=[page(art, column=NEWS, status=F.UNVERIFIED)], typos={art.url: [hit]})
    assert findings_of(run_checks(facts, rulebook), "error.typo") == []


# --- nonstandard


NOTICES = column("通知公告", category="notice", items=[item("http://s/0107/n.html", D(2026, 11, 1))])


def _nonstandard(rulebook, art, col=NOTICES):
    facts = run_facts(columns=[col], pages=[page(art, column=col)])
    return findings_of(run_checks(facts, rulebook), "error.nonstandard")


def test_nonstandard_complete_notice_is_fine(rulebook):
    art = article("http://s/0107/n.html", title="关于开展安全检查的通知", signed=D(2026, 11, 1))
    assert _nonstandard(rulebook, art) == []


def test_nonstandard_lists_missing_parts_in_order(rulebook):
    art = article("http://s/0107/n.html", title="关于开展安全检查的通知", doc_number=None, organ=None, signed=None,
                  mentions_attachment=True)
    (f,) = _nonstandard(rulebook, art)
    assert f.evidence["missing"] == ["文号", "附件", "落款机关", "落款日期"]
    assert f.message == "“关于开展安全检查的通知”信息更新不规范：缺少文号、附件、落款机关、落款日期"


def test_nonstandard_exempt_genre_owes_no_doc_number(rulebook):
    for title in ("《关于开展安全检查的通知》政策解读", "关于征地补偿方案的公示", "关于调整收费的公告"):
        art = article("http://s/0107/n.html", title=title, doc_number=None, signed=D(2026, 11, 1))
        assert _nonstandard(rulebook, art) == []


def test_nonstandard_formal_title_without_doc_number_is_missing_it(rulebook):
    art = article("http://s/0107/n.html", title="区财政局关于印发资金管理办法的通知", doc_number=None, signed=D(2026, 11, 1))
    assert [f.evidence["missing"] for f in _nonstandard(rulebook, art)] == [["文号"]]


def test_nonstandard_header_written_date_counts_as_signature_date(rulebook):
    art = article("http://s/0107/n.html", signed=None, written=D(2026, 11, 1))
    assert _nonstandard(rulebook, art) == []


def test_nonstandard_announced_attachment_present_is_fine(rulebook):
    art = article("http://s/0107/n.html", signed=D(2026, 11, 1), mentions_attachment=True,
                  attachments=[F.Attachment("附件1.doc", "http://s/f.doc")])
    assert _nonstandard(rulebook, art) == []


def test_nonstandard_only_for_policy_and_notice_columns(rulebook):
    art = article("http://s/0107/n.html", doc_number=None, organ=None, signed=None)
    news = column("工作动态", items=[item("http://s/0107/n.html", dt.date(2026, 11, 26))])
    assert _nonstandard(rulebook, art, col=news) == []


def test_broken_link_on_a_section_page_is_charged_by_section_prefix(rulebook):
    facts = run_facts(columns=[NEWS, OTHER], pages=_pages(),
                      links=[link("http://dead/y", ["http://s/0107/gzdt/index_3.html", "http://s/0107/"])])
    facts.page_units = {"http://s/0107/gzdt/index_3.html": "0107", "http://s/0107/": "0107"}
    found = findings_of(run_checks(facts, rulebook), "error.broken_link")
    assert [(f.unit, f.url, f.column_url) for f in found] == [("0107", "http://s/0107/", None)]
    assert found[0].evidence["carriers"] == ["http://s/0107/", "http://s/0107/gzdt/index_3.html"]


def test_typo_below_the_rulebook_confidence_floor_does_not_reach_review(rulebook):
    floor = rulebook.rule("error.typo")["confidence_floor"]
    art = article("http://s/0107/a.html", published=AS_OF, event_date=AS_OF)
    hits = [F.TypoHit(start=0, end=2, wrong="依宪", right="一线", kind="typo", confidence=round(floor - 0.01, 3)),
            F.TypoHit(start=5, end=7, wrong="按装", right="安装", kind="typo", confidence=floor)]
    facts = run_facts(columns=[NEWS], pages=[page(art, column=NEWS, warc="w#1")], typos={art.url: hits})
    found = findings_of(run_checks(facts, rulebook), "error.typo")
    assert [(f.evidence["wrong"], f.evidence["confidence"]) for f in found] == [("按装", floor)]


def test_broken_link_snapshot_is_the_carrying_page_and_the_target_record_is_kept(rulebook):
    pages = [page(article(i.url, published=AS_OF, event_date=AS_OF), column=NEWS, warc=f"w#{n}")
             for n, i in enumerate(NEWS.items)]
    facts = run_facts(columns=[NEWS, OTHER], pages=pages,
                      links=[link("http://dead/x", ["http://s/0107/b.html"], warc="w#404")])
    (found,) = findings_of(run_checks(facts, rulebook), "error.broken_link")
    assert found.url == "http://s/0107/b.html"
    assert (found.evidence["warc"], found.evidence["target_warc"]) == ("w#1", "w#404")
