"""Planted problems and their near-miss twins, one function per unit, laid out at the anchor.

Each scenario states what it intends in `notes` (rule, reason) for the near
misses; the truth keeps a note only when the rules indeed do not fire.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from govwatch.samplesite import content as C
from govwatch.samplesite.model import LinkRef
from govwatch.samplesite.planner import (Ctx, _column, fill_column, first_of, month_boundary, named, old_items,
                                         weekday_in_cycle)

D = dt.timedelta


def _days(ctx: Ctx, n: int) -> dt.date:
    return ctx.A - D(days=n)


def s0101(ctx: Ctx):  # bonus over the monthly cap; bonus.notice; a typo
    news = first_of(ctx, "news")
    news.items = [i for i in news.items if i.date < ctx.A - D(days=6) or i.date > ctx.A]
    for k in range(7):
        news.items.append(ctx.news(_days(ctx, k), delay=0, typo="布署" if k == 3 else None))
    notice = first_of(ctx, "notice")
    for k in (1, 3, 5):
        notice.items.append(ctx.doc(_days(ctx, k), "通知"))


def s0103(ctx: Ctx):  # stale.news 11 days beside 10 days; stale.plan with its twin
    ctx.plan.columns = [c for c in ctx.plan.columns if c.category not in ("news", "plan")]
    stale = _column(ctx, "工作动态", "news")
    old_items(ctx, stale, _days(ctx, 11), 6)
    near = _column(ctx, "部门动态", "news")
    old_items(ctx, near, _days(ctx, 10), 6)
    near.notes.append(("stale.news", "最新信息距监测日正好10天，未超过10天"))
    fine, stale_day = month_boundary(ctx.A, 10)
    old_items(ctx, _column(ctx, "发展规划", "plan"), stale_day, 2)
    twin = _column(ctx, "规划计划", "plan")
    old_items(ctx, twin, fine, 2)
    twin.notes.append(("stale.plan", f"最新信息 {fine} 距监测日正好10个月，未超过"))


def s0104(ctx: Ctx):  # stale.personnel twins; exactly one news and one notice in the cycle; synonym guide
    ctx.plan.columns = [c for c in ctx.plan.columns if c.category != "personnel"]
    fine, stale_day = month_boundary(ctx.A, 10)
    old_items(ctx, _column(ctx, "招考录用", "personnel"), stale_day, 3)
    twin = _column(ctx, "人事信息", "personnel")
    old_items(ctx, twin, fine, 3)
    twin.notes.append(("stale.personnel", f"最新信息 {fine} 距监测日正好10个月，未超过"))
    news = first_of(ctx, "news")
    news.items = [i for i in news.items if not (ctx.A - D(days=7) < i.date <= ctx.A)]
    news.items.append(ctx.news(_days(ctx, 2)))
    notice = first_of(ctx, "notice")
    notice.items = [i for i in notice.items if not (ctx.A - D(days=7) < i.date <= ctx.A)]
    notice.items.append(ctx.doc(_days(ctx, 3), "公告"))
    g = ctx.guide(_days(ctx, 300), synonyms=True, layout="dl", forms=("ok",))
    g.notes.append(("guide.missing_element", "要素以同义词出现（申请材料、咨询电话、法律依据等），均视为具备"))
    first_of(ctx, "guide").items.append(g)


def s0106(ctx: Ctx):  # stale.notice and stale.policy, each with its twin
    ctx.plan.columns = [c for c in ctx.plan.columns if c.category not in ("notice", "policy")]
    fine, stale_day = month_boundary(ctx.A, 5)
    old_items(ctx, _column(ctx, "通知公告", "notice"), stale_day, 4)
    twin = _column(ctx, "公示公告", "notice")
    old_items(ctx, twin, fine, 4)
    twin.notes.append(("stale.notice", f"最新信息 {fine} 距监测日正好5个月，未超过"))
    old_items(ctx, _column(ctx, "政策文件", "policy"), stale_day - D(days=3), 3)
    twin = _column(ctx, "规范性文件", "policy")
    old_items(ctx, twin, fine, 3)
    twin.notes.append(("stale.policy", f"最新信息 {fine} 距监测日正好5个月，未超过"))


def s0107(ctx: Ctx):  # stale.key_area twins; broken attachment; timeliness from 成文日期 only
    fine, stale_day = month_boundary(ctx.A, 12, 60)
    col = _column(ctx, "财政预决算", "finance", key_area=True)
    old_items(ctx, col, stale_day, 2)
    twin = _column(ctx, "精准扶贫", "other", key_area=True)
    old_items(ctx, twin, fine, 2)
    twin.notes.append(("stale.key_area", f"重点领域栏目按年度更新，最新信息 {fine} 尚在12个月加60天宽限期内"))
    fin = named(ctx, "专项资金", "finance")
    if not fin.items:
        fill_column(ctx, fin)
    fin.items.append(ctx.doc(_days(ctx, 40), "财政", attach=2, broken_attachment=True))
    fin.items.append(ctx.doc(weekday_in_cycle(ctx, 1), "财政", sign_wd=25, table_only_date=True))


def s0108(ctx: Ctx):  # consultation twins around 7 and 15 days, extensions, planned extension
    col = first_of(ctx, "consultation")
    q = ctx.question(_days(ctx, 12), reply_after=8)
    col.items.append(q)
    q = ctx.question(_days(ctx, 10), reply_after=7)
    q.notes.append(("consult.unanswered_7d", "提问后第7天回复，未超过7日"))
    col.items.append(q)
    q = ctx.question(_days(ctx, 20), reply_after=16, extension_after=6)
    q.notes.append(("consult.unanswered_7d", "已申请延期，7日规则不扣分（15日规则照扣）"))
    col.items.append(q)
    q = ctx.question(_days(ctx, 18), reply_after=15, extension_after=5)
    q.notes.append(("consult.unanswered_15d", "已申请延期，第15天回复，未超过15日"))
    q.notes.append(("consult.unanswered_7d", "已申请延期"))
    col.items.append(q)
    q = ctx.question(_days(ctx, 30), reply_after=10)
    q.notes.append(("consult.unanswered_7d", "逾期回复发生在本周期之前，已在以前的周期扣分"))
    col.items.append(q)
    q = ctx.question(_days(ctx, 6), reply_after=12, extension_after=7)  # planned edits: extension A+1, reply A+6
    col.items.append(q)
    first_of(ctx, "news").items.append(ctx.news(_days(ctx, 33), typo="震憾"))


def s0110(ctx: Ctx):  # blank columns and a one-item twin
    col = _column(ctx, "防汛抗旱", "other")
    col.placeholder = True
    col.items.append(ctx.plain(ctx.A + D(days=4)))  # first item arrives in the week after the anchor
    _column(ctx, "水利建设", "other")
    twin = _column(ctx, "河长制", "other")
    twin.items.append(ctx.plain(_days(ctx, 90)))
    twin.notes.append(("blank.column", "栏目只有1条信息，不是空白栏目"))


def s0111(ctx: Ctx):  # guide elements and forms
    col = first_of(ctx, "guide")
    col.items.append(ctx.guide(_days(ctx, 200), missing=("办理时间", "联系电话"), layout="table"))
    col.items.append(ctx.guide(_days(ctx, 210), missing=("设定依据",), layout="headings", forms=("nolink", "ok")))
    col.items.append(ctx.guide(_days(ctx, 220), layout="dl", forms=("broken",)))
    g = ctx.guide(_days(ctx, 230), layout="headings", forms=("ok", "ok"))
    g.notes.append(("guide.form_unavailable", "提及的表格均提供了可下载的链接"))
    col.items.append(g)


def s0112(ctx: Ctx):  # stale.expected twins (monthly) and a yearly one
    fine, stale_day = month_boundary(ctx.A, 1, 15)
    old_items(ctx, _column(ctx, "月度统计", "statistics", expected="monthly"), stale_day, 4)
    twin = _column(ctx, "统计月报", "statistics", expected="monthly")
    old_items(ctx, twin, fine, 4)
    twin.notes.append(("stale.expected", f"按月更新的栏目，最新信息 {fine} 尚在1个月加15天宽限期内"))
    _, stale_year = month_boundary(ctx.A, 12, 60)
    old_items(ctx, _column(ctx, "工作总结", "other", expected="yearly"), stale_year - D(days=20), 2)


def s0114(ctx: Ctx):  # the worst unit
    keep = ("profile", "finance", "statistics", "other")
    ctx.plan.columns = [c for c in ctx.plan.columns if c.category in keep]
    old_items(ctx, _column(ctx, "工作动态", "news"), _days(ctx, 40), 5)
    _, stale5 = month_boundary(ctx.A, 5)
    notice = _column(ctx, "通知公告", "notice")
    old_items(ctx, notice, stale5 - D(days=90), 3)
    notice.items.append(ctx.doc(stale5 - D(days=100), "通知", doc_number=False, title="关于做好城区燃气安全检查工作的通知"))
    old_items(ctx, _column(ctx, "政策文件", "policy"), stale5 - D(days=60), 2)
    _, stale10 = month_boundary(ctx.A, 10)
    old_items(ctx, _column(ctx, "城建规划", "plan"), stale10 - D(days=120), 2)
    _column(ctx, "重大项目", "other", key_area=True).placeholder = True
    cons = _column(ctx, "住建信箱", "consultation")
    cons.items.append(ctx.question(_days(ctx, 20), reply_after=None))
    cons.items.append(ctx.question(_days(ctx, 9), reply_after=None))
    cons.items.append(ctx.question(_days(ctx, 60), reply_after=3))
    guide = _column(ctx, "办事指南", "guide")
    guide.items.append(ctx.guide(_days(ctx, 400), missing=("申请条件", "办理地点", "办理流程"), layout="dl"))
    art = ctx.plain(_days(ctx, 50))
    art.body_links.append(LinkRef("/bmxxgk/zjj/old/zcfg.html", "a", "相关政策法规", "broken", "HTTP 404"))
    named(ctx, "党建工作", "other").items.append(art)


def s0115(ctx: Ctx):  # timeliness.news twins
    col = first_of(ctx, "news")
    col.items.append(ctx.news(weekday_in_cycle(ctx, 0), delay=2))
    col.items.append(ctx.news(weekday_in_cycle(ctx, 1), delay=None))
    n = ctx.news(weekday_in_cycle(ctx, 2), delay=1)
    n.notes.append(("timeliness.news", "事件发生次日发布，未超过24小时时限"))
    col.items.append(n)
    col.items.append(ctx.news(weekday_in_cycle(ctx, 3), delay=0, style="ymd"))


def s0116(ctx: Ctx):  # nonstandard documents and exempt twins
    pol = first_of(ctx, "policy")
    notice = first_of(ctx, "notice")
    pol.items.append(ctx.doc(_days(ctx, 45), "通知", doc_number=False, title="关于开展食品安全专项整治的通知"))
    pol.items.append(ctx.doc(_days(ctx, 60), "办法", attach=0, unlinked="1.食品经营户登记表.doc",
                             title="君山区小餐饮登记管理办法"))
    notice.items.append(ctx.doc(_days(ctx, 70), "通知", organ=False, title="关于做好节日期间食品安全工作的通知"))
    notice.items.append(ctx.doc(_days(ctx, 80), "通知", sign_date=None, title="关于开展药品安全宣传周活动的通知"))
    a = ctx.doc(_days(ctx, 50), "公告", doc_number=False, title="关于食品生产许可有关事项的公告")
    a.notes.append(("error.nonstandard", "公告没有自己的文号，不要求文号"))
    notice.items.append(a)
    b = ctx.doc(_days(ctx, 55), "解读", doc_number=False, title="《食品安全监督抽检实施细则》政策解读")
    b.notes.append(("error.nonstandard", "政策解读没有自己的文号，不要求文号"))
    pol.items.append(b)


def s0118(ctx: Ctx):  # a 500 column; a document exactly 20 working days after its 落款
    col = _column(ctx, "督导评估", "other")
    col.fault = "500"
    notice = first_of(ctx, "notice")
    d = ctx.doc(weekday_in_cycle(ctx, 2), "通知", sign_wd=20)
    d.notes.append(("timeliness.document", "落款后正好第20个工作日发布，未超过20个工作日"))
    notice.items.append(d)


def s0119(ctx: Ctx):  # a column behind a WAF challenge
    _column(ctx, "医疗服务", "other", key_area=True).fault = "waf"


def s0120(ctx: Ctx):  # typos, one corrected in the week after the anchor; a page that hangs
    news = first_of(ctx, "news")
    news.items.append(ctx.news(_days(ctx, 15), typo="贯撤"))
    fixed = ctx.news(_days(ctx, 25), typo="再接再励")
    fixed.typo_fixed_on = ctx.A + D(days=2)
    news.items.append(fixed)
    d = ctx.doc(_days(ctx, 35), "通知", typo="建全")
    d.typos.append(("中华人民共合国", "中华人民共和国"))
    d.paras.append("依据《中华人民共合国政府信息公开条例》有关规定执行。")
    first_of(ctx, "notice").items.append(d)
    hang = ctx.news(_days(ctx, 120))
    hang.fault = "hang"
    news.items.append(hang)


def s0121(ctx: Ctx):  # a page that resets the connection and a redirect loop
    news = first_of(ctx, "news")
    for fault, age in (("reset", 130), ("loop", 140)):
        it = ctx.news(_days(ctx, age))
        it.fault = fault
        news.items.append(it)


def s0122(ctx: Ctx):  # a very large page and a calendar trap
    it = ctx.news(_days(ctx, 150))
    it.fault = "large"
    first_of(ctx, "news").items.append(it)
    ctx.plan.trap = ctx.plan.section + "hdrl/"
    first_of(ctx, "news").items.append(ctx.news(_days(ctx, 44), typo="一股作气"))


def s0309(ctx: Ctx):  # a typo in an otherwise clean unit (it needs review, so the no-review score stays 100)
    first_of(ctx, "notice").items.append(ctx.doc(_days(ctx, 90), "通知", typo="通迅"))


def s0123(ctx: Ctx):  # broken links of every kind, and a redirect that works
    news = first_of(ctx, "news")
    img = LinkRef(ctx.plan.section + "images/hd2019.jpg", "img", "活动照片", "broken", "HTTP 404")
    news.items.append(ctx.news(_days(ctx, 20), image=img))
    news.items.append(ctx.news(_days(ctx, 30), image=img))
    a = ctx.plain(_days(ctx, 40))
    a.body_links.append(LinkRef(f"http://{C.DEAD_SERVICE}/sfxz/", "a", "法律援助申请系统", "broken", "连接被拒绝"))
    a.body_links.append(LinkRef(ctx.plan.section + "ztzl/pfzl/", "a", "普法专栏", "broken", "软404"))
    a.body_links.append(LinkRef("http://sfj.junshan.invalid/", "a", "原司法局网站", "broken", "DNS 解析失败"))
    a.body_links.append(LinkRef(ctx.plan.section + "go/flyz", "a", "法律援助指南", "ok"))
    a.notes.append(("error.broken_link", "“法律援助指南”链接经301跳转后正常打开，不是错链接",
                    {"target": ctx.plan.section + "go/flyz"}))
    named(ctx, "普法宣传", "other").items.append(a)


def s0124(ctx: Ctx):  # GBK unit: a typo on a GBK page
    first_of(ctx, "news").items.append(ctx.news(_days(ctx, 18), typo="部份"))


def s0125(ctx: Ctx):  # a 404 target shared with another unit
    a = ctx.news(_days(ctx, 22))
    a.body_links.append(LinkRef("/zt/2019/yhyshj/", "a", "优化营商环境专题", "broken", "HTTP 404"))
    first_of(ctx, "news").items.append(a)


def s0302(ctx: Ctx):  # unanswered questions; planned reply
    col = first_of(ctx, "consultation")
    col.items.append(ctx.question(_days(ctx, 9), reply_after=None))
    q = ctx.question(_days(ctx, 12), reply_after=None, extension_after=6)
    q.notes.append(("consult.unanswered_7d", "已申请延期，且未超过15日"))
    q.notes.append(("consult.unanswered_15d", "提问12天，未超过15日"))
    col.items.append(q)
    col.items.append(ctx.question(_days(ctx, 5), reply_after=8))  # planned reply at A+3, 8 days late


def s0304(ctx: Ctx):  # timeliness.document around the holiday calendar
    plan = named(ctx, "年度工作计划", "plan", expected="yearly")
    if not plan.items:
        fill_column(ctx, plan, newest_off=60)
    notice = first_of(ctx, "notice")
    pos, rev = _calendar_twins(ctx)
    if pos:
        p, d1 = pos
        notice.items.append(ctx.doc(p, "通知", sign_date=d1))
    if rev:
        p, d1 = rev
        it = ctx.doc(p, "通知", sign_date=d1)
        it.notes.append(("timeliness.document", f"落款 {d1} 至发布 {(p - d1).days} 个自然日，但扣除法定节假日后"
                                                f"只有 {ctx.cal.working_days_after(d1, p)} 个工作日，未超过20个工作日"))
        notice.items.append(it)
    plan.items.append(ctx.doc(weekday_in_cycle(ctx, 1), "计划", sign_date=None))
    plan.items.append(ctx.doc(weekday_in_cycle(ctx, 2), "计划", sign_wd=24, sign_style="chinese"))


def _calendar_twins(ctx: Ctx):
    """Two (publish, 落款) pairs that only the real holiday calendar judges right.

    pos: over 20 working days only because a 调休 weekend counts as a working day
    (a weekends-only count says 20 or fewer). rev: 28 calendar days or more, yet at
    most 20 working days, because statutory holidays do not count. Over 20 working
    days within 27 calendar days would need two 调休 days without the holiday
    between them, which the State Council calendar never has; when the anchor is
    far from any holiday, the plain cases (21 working days; 28+ calendar days
    with 20 working days) stand in.
    """

    def weekdays(d1, p):
        return sum(1 for k in range(1, (p - d1).days + 1) if (d1 + D(days=k)).weekday() < 5)

    days = sorted(ctx.A - D(days=k) for k in range(7))
    pos = rev = None
    for p in days:
        for n in range(21, 45):
            d1 = p - D(days=n)
            wd = ctx.cal.working_days_after(d1, p)
            if pos is None and wd > 20 >= weekdays(d1, p):
                pos = (p, d1)
            if rev is None and n >= 28 and wd <= 20 < weekdays(d1, p):
                rev = (p, d1)
    p = weekday_in_cycle(ctx, 0)
    pos = pos or (p, ctx.back_working_days(p, 21))
    if rev is None:
        for n in range(28, 40):
            if ctx.cal.working_days_after(p - D(days=n), p) == 20:
                rev = (p, p - D(days=n))
    return pos, rev


def s0306(ctx: Ctx):  # typos, the shared 404 target, a stale personnel column
    news = first_of(ctx, "news")
    news.items.append(ctx.news(_days(ctx, 12), typo="观注"))
    a = ctx.news(_days(ctx, 26), typo="座落")
    a.body_links.append(LinkRef("/zt/2019/yhyshj/", "a", "优化营商环境专题", "broken", "HTTP 404"))
    news.items.append(a)
    ctx.plan.columns = [c for c in ctx.plan.columns if c.category != "personnel"]
    _, stale10 = month_boundary(ctx.A, 10)
    old_items(ctx, _column(ctx, "人才招聘", "personnel"), stale10 - D(days=30), 2)
    r = ctx.news(_days(ctx, 14), right="部署")
    r.notes.append(("error.typo", "“部署”写法正确，不是错别字"))
    news.items.append(r)


def s0308(ctx: Ctx):  # stale.key_area (quarterly) twins
    fine, stale_day = month_boundary(ctx.A, 3, 30)
    old_items(ctx, _column(ctx, "环境保护季报", "other", key_area=True, expected="quarterly"), stale_day, 3)
    twin = _column(ctx, "生态环境季报", "other", key_area=True, expected="quarterly")
    old_items(ctx, twin, fine, 3)
    twin.notes.append(("stale.key_area", f"按季度更新的重点领域栏目，最新信息 {fine} 尚在3个月加30天宽限期内"))


def s0402(ctx: Ctx):  # exactly two news and two notices in the cycle: the minimum for a bonus
    news = first_of(ctx, "news")
    news.items = [i for i in news.items if not (ctx.A - D(days=7) < i.date <= ctx.A)]
    news.items += [ctx.news(_days(ctx, 1)), ctx.news(_days(ctx, 4), right="安装")]
    notice = first_of(ctx, "notice")
    notice.items = [i for i in notice.items if not (ctx.A - D(days=7) < i.date <= ctx.A)]
    notice.items += [ctx.doc(_days(ctx, 2), "公示"), ctx.doc(_days(ctx, 5), "通知")]


def s0403(ctx: Ctx):  # one more late news item
    first_of(ctx, "news").items.append(ctx.news(weekday_in_cycle(ctx, 1), delay=3))


def s0405(ctx: Ctx):  # clean: a 20-working-day notice in a quiet unit; a 落款 date only in the header
    notice = first_of(ctx, "notice")
    notice.items = [i for i in notice.items if not (ctx.A - D(days=7) < i.date <= ctx.A)]
    d = ctx.doc(weekday_in_cycle(ctx, 1), "通知", sign_wd=20, attach=0, title="关于开展农村饮水安全排查工作的通知")
    d.notes.append(("timeliness.document", "落款后正好第20个工作日发布，未超过20个工作日"))
    notice.items.append(d)
    # INDICATORS.md reading 4: with no date in the body, the 信息公开 header's 成文日期 is the 落款 date
    h = ctx.doc(_days(ctx, 40), "通知", attach=0, table_only_date=True, title="关于做好秋冬季农田水利建设工作的通知")
    h.notes.append(("error.nonstandard", "正文落款未写日期，但信息公开表有成文日期，视为具备落款日期"))
    first_of(ctx, "policy").items.append(h)


SCENARIOS: dict[str, Callable[[Ctx], None]] = {
    name[1:]: fn for name, fn in list(globals().items()) if name.startswith("s0") and callable(fn)
}
