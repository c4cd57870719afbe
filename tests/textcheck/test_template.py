"""A site's template lines, learnt from the run's own findings, are not content (issue #12)."""

from __future__ import annotations

from govwatch.facts import TypoHit
from govwatch.textcheck import get_checker
from govwatch.textcheck.template import MIN_PAGES, TemplateLines, line_key

# A sidebar line with a typo in it, repeated on every page of some site, and body lines of its own.
SIDEBAR = "热点专题：认真贯撤落实全会精神 第{n}期"
BODIES = ["各单位要进一步建全工作机制。", "今年以来全区共新增就业岗位三千余个。", "会议要求抓好安全生产各项工作。",
          "全力做好防汛抗旱准备。", "切实保障群众用水用电需求。"]


def _judge(template: TemplateLines, pages: dict[str, str]) -> dict[str, list[TypoHit]]:
    checker = get_checker()
    typos = {}
    for url, text in pages.items():
        hits = checker.check(text)
        template.note(url, text, hits)
        if hits:
            typos[url] = hits
    return typos


def _pages(count: int) -> dict[str, str]:
    return {f"http://site.test/a/{i}.html": "\n".join([BODIES[i % len(BODIES)], SIDEBAR.format(n=i + 3)])
            for i in range(count)}


def test_template_min_pages_comes_from_the_rulebook():
    assert MIN_PAGES == 3


def test_template_line_on_min_pages_is_dropped_and_body_typo_kept():
    template = TemplateLines(min_pages=3)
    typos = _judge(template, _pages(5))
    before = sorted((url, h.wrong) for url, hits in typos.items() for h in hits)
    assert len(before) == 6  # 贯撤 on each of 5 pages, 建全 on the first page's body
    settled = template.settle(typos)
    after = sorted((url, h.wrong) for url, hits in settled.items() for h in hits)
    assert after == [("http://site.test/a/0.html", "建全")]
    assert template.template_lines() == 1


def test_line_repeated_below_min_pages_is_still_judged():
    template = TemplateLines(min_pages=3)
    typos = _judge(template, _pages(2))
    settled = template.settle(typos)
    assert sorted(h.wrong for hits in settled.values() for h in hits) == ["建全", "贯撤", "贯撤"]


def test_line_key_ignores_spaces_and_numbers_only():
    assert line_key("共8页 当前第3页 尾页") == line_key("共12页  当前第10页 尾页")
    assert line_key("共8页 当前第3页 尾页") != line_key("共8页 当前第3页 末页")


def test_settle_keeps_pages_it_was_not_told_about():
    template = TemplateLines(min_pages=1)
    hit = TypoHit(0, 2, "贯撤", "贯彻", "typo", 0.9)
    assert template.settle({"http://site.test/x.html": [hit]}) == {"http://site.test/x.html": [hit]}
