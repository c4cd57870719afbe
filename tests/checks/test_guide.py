from govwatch import facts as F
from govwatch.checks import run_checks

from tests.checks.conftest import AS_OF, column, findings_of, guide, item, link, page, run_facts

GUIDES = column("办事指南", category="guide", items=[item("http://g/1.html", AS_OF)])


def _found(rulebook, g, links=(), status=F.OK):
    return run_checks(run_facts(columns=[GUIDES], pages=[page(g, column=GUIDES, status=status, warc="w#9")],
                                links=links), rulebook)


def _all_elements(rulebook):
    return list(rulebook.rule("guide.missing_element")["elements"])


def test_guide_with_every_element_has_no_missing_element(rulebook):
    g = guide("http://g/1.html", elements=_all_elements(rulebook))
    assert _found(rulebook, g) == []


def test_guide_missing_one_element_is_one_finding_naming_it(rulebook):
    elements = _all_elements(rulebook)
    g = guide("http://g/1.html", elements=[e for e in elements if e != "设定依据"])
    found = findings_of(_found(rulebook, g), "guide.missing_element")
    assert [(f.evidence["element"], f.points, f.url) for f in found] == [
        ("设定依据", rulebook.rule("guide.missing_element").points, "http://g/1.html")]
    assert found[0].message == "办事指南“城乡低保申请办事指南”缺少要素：设定依据"
    assert found[0].evidence["warc"] == "w#9"


def test_guide_synonym_reported_by_extractor_counts_as_present(rulebook):
    elements = [e for e in _all_elements(rulebook) if e != "设定依据"] + ["法律依据"]
    assert _found(rulebook, guide("http://g/1.html", elements=elements)) == []


def test_guide_missing_elements_one_finding_each_in_rulebook_order(rulebook):
    found = findings_of(_found(rulebook, guide("http://g/1.html", elements=[])), "guide.missing_element")
    assert sorted(f.evidence["element"] for f in found) == sorted(_all_elements(rulebook))


def test_guide_form_without_link_is_unavailable(rulebook):
    g = guide("http://g/1.html", elements=_all_elements(rulebook), forms=[F.FormRef("《低保申请表》", None)])
    found = _found(rulebook, g)
    assert [(f.rule, f.evidence["form"], f.evidence["form_url"], f.evidence["reason"]) for f in found] == [
        ("guide.form_unavailable", "《低保申请表》", None, "无下载链接")]


def test_guide_form_with_working_link_is_available(rulebook):
    g = guide("http://g/1.html", elements=_all_elements(rulebook), forms=[F.FormRef("《低保申请表》", "http://g/a.doc")])
    ok = link("http://g/a.doc", ["http://g/1.html"], outcome="ok", reason=None, status=200)
    assert _found(rulebook, g, links=[ok]) == []


def test_guide_broken_form_link_is_both_form_unavailable_and_broken_link(rulebook):
    g = guide("http://g/1.html", elements=_all_elements(rulebook), forms=[F.FormRef("《低保申请表》", "http://g/a.doc")])
    broken = link("http://g/a.doc", ["http://g/1.html"], kind="attachment")
    found = _found(rulebook, g, links=[broken])
    assert [(f.rule, f.url) for f in found] == [("error.broken_link", "http://g/1.html"),
                                                ("guide.form_unavailable", "http://g/1.html")]
    assert found[1].evidence["form_url"] == "http://g/a.doc"
    assert found[1].evidence["reason"] == "HTTP 404"


def test_guide_form_link_unverified_on_our_side_is_not_charged(rulebook):
    g = guide("http://g/1.html", elements=_all_elements(rulebook), forms=[F.FormRef("《低保申请表》", "http://g/a.doc")])
    slow = link("http://g/a.doc", ["http://g/1.html"], outcome="unverified", reason="超时", status=None)
    assert _found(rulebook, g, links=[slow]) == []


def test_guide_unverified_page_is_not_judged(rulebook):
    assert _found(rulebook, guide("http://g/1.html", elements=[]), status=F.UNVERIFIED) == []
