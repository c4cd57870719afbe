"""HTML for the sample portal: TRS-WCM-like ("trs"), our own ("own"), and the flavours of flavours.py.

Renders a plan at an as-of date. Article pages do not depend on the as-of date
except through planned edits; list pages show what is visible at that date.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Iterator

import sys

from govwatch.samplesite import content as C
from govwatch.samplesite import flavours as F
from govwatch.samplesite.model import Column, Item, UnitPlan
from govwatch.samplesite.planner import OWN_PAGE, TRS_PAGE

CN_DIGITS = "〇一二三四五六七八九"


def cn_number(n: int) -> str:
    if n < 10:
        return CN_DIGITS[n] if n else "〇"
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def cn_date(d: dt.date) -> str:
    """二〇二六年十月九日"""
    return "".join(CN_DIGITS[int(c)] for c in str(d.year)) + f"年{cn_number(d.month)}月{cn_number(d.day)}日"


def ymd_cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ---------------------------------------------------------------------------
# Page frame


def head(title: str, encoding: str, metas: dict[str, str]) -> str:
    charset = ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' if encoding == "gbk"
               else '<meta charset="utf-8">')
    meta = "".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in metas.items())
    return (f"<!DOCTYPE html><html lang=\"zh-CN\"><head>{charset}{meta}<title>{escape(title)}</title>"
            '<link rel="stylesheet" href="/css/style.css"></head><body>')


def header() -> str:
    return ('<div class="top-bar"><div class="logo"><a href="/">君山区人民政府门户网站</a></div>'
            '<ul class="top-nav"><li><a href="/">首页</a></li><li><a href="/search/?q=">站内搜索</a></li></ul></div>')


def footer() -> str:
    return (f'<div class="footer"><p><a href="/sitemap.html">网站地图</a> | <a href="/">返回首页</a></p>'
            f"<p>主办单位：{C.HOST_ORG}　网站标识码：{C.SITE_ID_CODE}</p>"
            f"<p>{C.ICP}　{C.GONGAN}</p></div></body></html>")


def site_metas(mode: str = "full", column: str | None = None, ctype: str | None = None) -> dict[str, str]:
    if mode == "missing":
        return {}
    m = {"SiteName": C.SITE_NAME if mode == "full" else "君山区政府网", "SiteDomain": "www.junshan.gov.cn",
         "SiteIDCode": C.SITE_ID_CODE if mode == "full" else "4306000000"}
    if column:
        m["ColumnName"] = column if mode == "full" else "首页"
        m["ColumnType"] = ctype or "信息列表"
    return m


def unit_nav(plan: UnitPlan) -> str:
    links = "".join(f'<li><a href="{c.path}">{escape(c.name)}</a></li>' for c in plan.columns)
    if plan.flavour == "trs":
        return f'<div class="leftnav"><h3>{escape(plan.name)}</h3><ul>{links}</ul></div>'
    dd = "".join(f'<dd><a href="{c.path}">{escape(c.name)}</a></dd>' for c in plan.columns)
    extra = F.menu_extra(plan) if F.is_flavour(plan) else ""
    return f'<dl class="side-menu"><dt>{escape(plan.name)}</dt>{dd}</dl>' + extra


def crumbs(plan: UnitPlan, col: Column | None) -> str:
    parts = ['<a href="/">首页</a>', f'<a href="{plan.section}">{escape(plan.name)}</a>']
    if col is not None:
        parts.append(f'<a href="{col.path}">{escape(col.name)}</a>')
    if plan.flavour == "trs":
        return '<div class="position">当前位置：' + " &gt; ".join(parts) + "</div>"
    return '<div class="crumb">您的位置：' + " &raquo; ".join(parts) + "</div>"


# ---------------------------------------------------------------------------
# Pages


def home(plans: list[tuple[str, str, str]], boxes: list[tuple[str, list[tuple[str, str, dt.date]]]] = ()) -> str:
    """The portal's homepage: the departments, and optionally dated boxes ((heading, [(title, url, date)]))."""
    rows = "".join(f'<li><a href="{section}">{escape(name)}</a><span>机关编码：{code}</span></li>' for code, name, section in plans)
    box_html = "".join(
        f'<div class="home-box"><h2>{escape(heading)}</h2><ul>'
        + "".join(f'<li><a href="{url}" title="{escape(title)}">{escape(title)}</a><span>{day.isoformat()}</span></li>'
                  for title, url, day in items)
        + "</ul></div>" for heading, items in boxes)
    return (head(C.SITE_NAME, "utf-8", site_metas(column="首页", ctype="首页")) + header()
            + '<div class="main">' + box_html + '<h2>部门信息公开</h2><ul class="dept-list">' + rows + "</ul></div>" + footer())


def section_root(plan: UnitPlan) -> str:
    trap = f'<p class="rili"><a href="{plan.trap}?date=2026-01">活动日历</a></p>' if plan.trap else ""
    body = (f'<div class="intro"><h2>{escape(plan.name)}信息公开</h2><p>{escape(plan.organ)}依法主动公开政府信息，'
            "请通过左侧栏目浏览。</p>" + trap + "</div>")
    return (head(f"{plan.name}_{C.SITE_NAME}", plan.encoding, site_metas(column=plan.name, ctype="部门首页")) + header()
            + crumbs(plan, None) + '<div class="main">' + unit_nav(plan) + body + "</div>" + footer())


def list_pages(plan: UnitPlan, col: Column, as_of: dt.date) -> Iterator[tuple[str, str]]:
    """(root-relative URL, html) of each list page of a column."""
    if F.is_flavour(plan):
        yield from F.list_pages(plan, col, as_of, sys.modules[__name__])
        return
    items = col.visible_items(as_of)
    per = TRS_PAGE if plan.flavour == "trs" else OWN_PAGE
    total = max(1, -(-len(items) // per))
    for p in range(total):
        chunk = items[p * per:(p + 1) * per]
        if plan.flavour == "trs":
            url = col.path + ("index.html" if p == 0 else f"index_{p}.html")
            yield (col.path if p == 0 else url), _trs_list(plan, col, chunk, p, total, as_of)
        else:
            url = col.path + ("" if p == 0 else f"?page={p + 1}")
            yield url, _own_list(plan, col, chunk, p + 1, total, len(items), as_of)


def _row_extra(item: Item, as_of: dt.date, fmt) -> str:
    out = ""
    if item.kind == "question":
        out += f'<span class="status">[{item.status_at(as_of)}]</span>'
        ext = item.extended_at(as_of)
        if ext:
            out += '<span class="yq">（已申请延期）</span>'
        ans = item.answered_at(as_of)
        if ans:
            out += f'<span class="reply">回复日期：{fmt(ans)}</span>'
    upd = item.updated_at(as_of)
    if upd:
        out += f'<span class="gx">（{fmt(upd)} 更新）</span>'
    return out


def _trs_list(plan: UnitPlan, col: Column, items: list[Item], page: int, total: int, as_of: dt.date) -> str:
    rows = []
    for it in items:
        rel = "./" + it.path[len(col.path):]
        rows.append(f'<li><a href="{rel}" target="_blank" title="{escape(it.title)}">{escape(it.title)}</a>'
                    f'<span class="date">{it.date.isoformat()}</span>{_row_extra(it, as_of, dt.date.isoformat)}</li>')
    empty = '<div class="no-data">暂无信息</div>' if not items and col.placeholder else ""
    pager = ('<div class="page"><script type="text/javascript">'
             f'createPageHTML({total}, {page}, "index", "html");</script></div>') if items else ""
    return (head(f"{col.name}_{plan.name}_{C.SITE_NAME}", plan.encoding, site_metas(column=col.name)) + header()
            + crumbs(plan, col) + '<div class="main">' + unit_nav(plan)
            + f'<div class="list"><h2 class="lm-title">{escape(col.name)}</h2><ul class="list-ul">{"".join(rows)}</ul>'
            + empty + pager + "</div></div>" + '<script src="/js/page.js"></script>' + footer())


def _own_date(plan: UnitPlan, d: dt.date) -> str:
    return f"[{ymd_cn(d)}]" if plan.date_style == "brackets" else f"{d.year}/{d.month:02d}/{d.day:02d}"


def _own_list(plan: UnitPlan, col: Column, items: list[Item], page: int, total: int, count: int, as_of: dt.date) -> str:
    fmt = lambda d: _own_date(plan, d).strip("[]")  # noqa: E731
    rows = []
    for it in items:
        rows.append(f'<tr><td class="t"><a href="{it.path}">{escape(it.title)}</a>{_row_extra(it, as_of, fmt)}</td>'
                    f'<td class="d">{_own_date(plan, it.date)}</td></tr>')
    empty = '<p class="empty">暂无信息</p>' if not items and col.placeholder else ""

    def link(n):
        return "list" if n == 1 else f"list?page={n}"

    pager = ""
    if items:
        pager = f'<div class="pager">共{count}条 第{page}/{total}页 <a href="{link(1)}">首页</a>'
        if page > 1:
            pager += f' <a href="{link(page - 1)}">上一页</a>'
        if page < total:
            pager += f' <a href="{link(page + 1)}">下一页</a>'
        pager += f' <a href="{link(total)}">尾页</a></div>'
    return (head(f"{col.name}-{plan.name}", plan.encoding, site_metas(column=col.name)) + header() + crumbs(plan, col)
            + '<div class="wrap">' + unit_nav(plan) + f'<div class="col-box"><div class="col-title">{escape(col.name)}</div>'
            + f'<table class="news-table">{"".join(rows)}</table>' + empty + pager + "</div></div>" + footer())


# ---------------------------------------------------------------------------
# Detail pages


def detail(plan: UnitPlan, col: Column, item: Item, as_of: dt.date) -> str:
    if item.kind == "question":
        body = _question(plan, item, as_of)
    elif item.kind == "guide":
        body = _guide(plan, item)
    else:
        body = _article(plan, col, item, as_of)
    metas = site_metas(item.meta_mode, col.name, "信息公开" if item.genre == "doc" else "文章页")
    if metas:
        metas["ArticleTitle"] = item.title
        if item.date_source == "meta" or item.kind != "article":
            metas["PubDate"] = f"{item.date.isoformat()} {item.time}" if item.kind == "article" else item.date.isoformat()
        metas["ContentSource"] = plan.organ
    if item.kind == "article" and item.date_source != "meta":
        metas.pop("PubDate", None)
    wrap = ('<div class="main">' + unit_nav(plan) + '<div class="content">' if plan.flavour == "trs"
            else '<div class="wrap">' + unit_nav(plan) + '<div class="article">')
    side = F.sidebar(col, item) if F.is_flavour(plan) else ""
    return (head(f"{item.title}_{plan.name}", plan.encoding, metas) + header() + crumbs(plan, col) + wrap + body + "</div>"
            + side + "</div>" + footer())


def _article(plan: UnitPlan, col: Column, item: Item, as_of: dt.date) -> str:
    src = item.date_source
    table = ""
    if plan.info_table and item.genre == "doc":
        pub = item.date.isoformat() if src in ("meta", "info_table") else ""
        written = item.written_date.isoformat() if item.written_date else ""
        table = ('<table class="xxgk_table">'
                 f"<tr><th>索引号：</th><td>{item.index_no or ''}</td><th>发布机构：</th><td>{escape(plan.organ)}</td></tr>"
                 f"<tr><th>成文日期：</th><td>{written}</td><th>发布日期：</th><td>{pub}</td></tr>"
                 f"<tr><th>文号：</th><td>{item.doc_number or ''}</td><th>主题分类：</th><td>{escape(col.name)}</td></tr></table>")
    label = ""
    if src in ("meta", "label"):
        if plan.flavour == "trs":
            label = f'<div class="info">发布时间：{item.date.isoformat()} {item.time}　来源：{escape(plan.organ)}</div>'
        else:
            label = f'<div class="art-info"><span>发布日期：{ymd_cn(item.date)}</span><span>信息来源：{escape(plan.organ)}</span></div>'
    elif plan.flavour == "own":
        label = f'<div class="art-info"><span>信息来源：{escape(plan.organ)}</span></div>'
    upd = item.updated_at(as_of)
    paras = list(item.paras)
    if upd:
        for wrong, right in item.typos:
            paras = [p.replace(wrong, right) for p in paras]
    body = []
    if item.doc_number:
        body.append(f'<p class="wh" style="text-align:center">{item.doc_number}</p>')
    body += [f"<p>{escape(p)}</p>" for p in paras]
    body += [f'<p style="text-align:center"><img src="{i.href}" alt="{escape(i.text)}"></p>' for i in item.images]
    if item.body_links:
        body.append('<p class="xglj">相关链接：' + "　".join(f'<a href="{escape(l.href)}">{escape(l.text)}</a>' for l in item.body_links) + "</p>")
    if item.attachments:
        body.append('<p class="fj">附件：' + "".join(f'<a href="{a.href}">{escape(a.text)}</a><br>' for a in item.attachments) + "</p>")
    elif item.unlinked_attachment:
        body.append(f'<p class="fj">附件：{escape(item.unlinked_attachment)}</p>')
    if item.sign_organ or item.sign_date:
        sig = []
        if item.sign_organ:
            sig.append(item.sign_organ)
        if item.sign_date:
            sig.append(cn_date(item.sign_date) if item.sign_style == "chinese" else ymd_cn(item.sign_date))
        body.append("".join(f'<p style="text-align:right">{escape(s)}</p>' for s in sig))
    if upd:
        body.append(f'<p class="gxsj">（本文于{ymd_cn(upd)}更正）</p>')
    cls = "TRS_Editor" if plan.flavour == "trs" else "art-body"
    title = (f'<h1 class="title">{escape(item.title)}</h1>' if plan.flavour == "trs"
             else f'<div class="art-title">{escape(item.title)}</div>')
    return table + title + label + f'<div class="{cls}" id="zoom">' + "".join(body) + "</div>"


def _question(plan: UnitPlan, item: Item, as_of: dt.date) -> str:
    ans = item.answered_at(as_of)
    ext = item.extended_at(as_of)
    status = item.status_at(as_of)
    q, reply = item.paras[0], item.paras[1]
    if plan.flavour == "trs":
        return (f'<div class="hd-detail"><h1>{escape(item.title)}</h1><table class="hd-table">'
                f"<tr><th>留言人</th><td>{escape(item.asker)}</td><th>提问时间</th><td>{item.date.isoformat()} {item.asked_time}</td></tr>"
                f'<tr><th>留言内容</th><td colspan="3">{escape(q)}</td></tr>'
                f"<tr><th>办理状态</th><td>{status}</td><th>申请延期</th><td>{'是（' + ext.isoformat() + '）' if ext else '否'}</td></tr>"
                f"<tr><th>回复单位</th><td>{escape(plan.organ)}</td><th>回复时间</th><td>{ans.isoformat() + ' 16:30' if ans else ''}</td></tr>"
                f'<tr><th>回复内容</th><td colspan="3">{escape(reply) if ans else "尚未回复"}</td></tr></table></div>')
    out = (f'<div class="letter"><h2>{escape(item.title)}</h2>'
           f'<p class="ask">来信人：{escape(item.asker)}　来信时间：{ymd_cn(item.date)} {item.asked_time}</p>'
           f'<div class="ask-body">{escape(q)}</div><p class="state">状态：{status}</p>')
    if ext:
        out += f'<p class="delay">申请延期：是（{ymd_cn(ext)}申请）</p>'
    if ans:
        out += (f'<div class="answer"><p>答复机构：{escape(plan.organ)}　答复时间：{ymd_cn(ans)}</p>'
                f"<div>{escape(reply)}</div></div>")
    return out + "</div>"


GUIDE_VALUES = {
    "申请条件": "符合相关规定的本区居民或在本区依法登记的企业、社会组织。",
    "办理地点": "君山区政务服务中心一楼综合窗口。",
    "办理时间": "工作日上午8:30至12:00，下午14:30至17:30（法定节假日除外）。",
    "联系电话": "0730-8171121",
    "办理流程": "申请—受理—审查—决定—送达。",
}


def _guide(plan: UnitPlan, item: Item) -> str:
    name = item.title.removesuffix("办事指南")
    forms_text = "；".join(f"《{f}》" for f, _ in item.forms)
    values = {"事项名称": name, "设定依据": C.GUIDE_BASES[item.id % len(C.GUIDE_BASES)],
              "办理材料": "1.申请人身份证明原件及复印件；" + (f"2.{forms_text}。" if forms_text else ""), **GUIDE_VALUES}
    rows = [(label, values[canon]) for canon, label in item.elements.items()]
    if item.guide_layout == "table":
        body = '<table class="bszn">' + "".join(f"<tr><th>{l}</th><td>{escape(v)}</td></tr>" for l, v in rows) + "</table>"
    elif item.guide_layout == "headings":
        nums = "一二三四五六七八九十"
        body = "".join(f"<h3>{nums[k]}、{l}</h3><p>{escape(v)}</p>" for k, (l, v) in enumerate(rows))
    else:
        body = '<dl class="guide">' + "".join(f"<dt>{l}：</dt><dd>{escape(v)}</dd>" for l, v in rows) + "</dl>"
    if "办理材料" not in item.elements and forms_text:
        body += f"<p>需填写{forms_text}。</p>"
    downloads = []
    for form, ref in item.forms:
        if ref is None:
            downloads.append(f"<li>《{escape(form)}》</li>")
        else:
            downloads.append(f'<li><a href="{ref.href}">《{escape(form)}》</a></li>')
    if downloads:
        body += '<div class="bgxz"><h4>表格下载</h4><ul>' + "".join(downloads) + "</ul></div>"
    return (f'<h1 class="title">{escape(item.title)}</h1><div class="info">发布日期：{item.date.isoformat()}</div>'
            f'<div class="guide-body">{body}</div>')


def trap_page(date_param: str) -> str:
    """An endless calendar: each month links to the months before and after."""
    try:
        y, m = (int(x) for x in date_param.split("-")[:2])
    except ValueError:
        y, m = 2026, 1
    prev_y, prev_m = (y - 1, 12) if m == 1 else (y, m - 1)
    next_y, next_m = (y + 1, 1) if m == 12 else (y, m + 1)
    return (head(f"活动日历 {y}年{m}月", "utf-8", {}) + header()
            + f'<div class="calendar"><h2>{y}年{m}月活动安排</h2><p>本月暂无活动安排。</p>'
            f'<a href="?date={prev_y}-{prev_m:02d}">上个月</a> <a href="?date={next_y}-{next_m:02d}">下个月</a></div>' + footer())


PAGE_JS = """function createPageHTML(total, current, prefix, suffix) {
  if (total <= 1) return;
  var html = "";
  if (current > 0) html += '<a href="' + (current == 1 ? prefix + "." + suffix : prefix + "_" + (current - 1) + "." + suffix) + '">上一页</a> ';
  for (var i = 0; i < total; i++) {
    var href = i == 0 ? prefix + "." + suffix : prefix + "_" + i + "." + suffix;
    html += i == current ? "<span>" + (i + 1) + "</span> " : '<a href="' + href + '">' + (i + 1) + "</a> ";
  }
  if (current < total - 1) html += '<a href="' + prefix + "_" + (current + 1) + "." + suffix + '">下一页</a>';
  document.write(html);
}
"""

CSS = "body{font-family:sans-serif;margin:0}.top-bar{background:#b30000;color:#fff;padding:8px}.footer{border-top:1px solid #ccc;font-size:12px;text-align:center}.leftnav,.side-menu{float:left;width:200px}.content,.list,.article,.col-box{margin-left:220px}\n"

NOT_FOUND = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>404 页面不存在</title></head>'
             "<body><h1>404</h1><p>您访问的页面不存在或已被删除。</p></body></html>")
SOFT_404 = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>提示信息</title></head>'
            '<body><div class="error"><h2>对不起，您访问的页面不存在！</h2><p>可能该页面已被删除或移动。</p>'
            '<p><a href="/">返回首页</a></p></div></body></html>')
WAF_412 = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>安全验证</title></head><body>'
           '<script>var _0x2f=["cookie","__jsl_clearance"];document[_0x2f[0]]=_0x2f[1]+"=1689"+"|0|"+(new Date).getTime()+";path=/";'
           "setTimeout(function(){location.reload()},1500);</script><noscript>请开启JavaScript并刷新页面</noscript></body></html>")
SERVER_ERROR = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>500 Internal Server Error</title></head>'
                "<body><h1>Internal Server Error</h1><p>服务器内部错误，请稍后再试。</p></body></html>")
SEARCH = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>站内搜索</title></head>'
          '<body><form action="/search/"><input name="q"><button>搜索</button></form><p>请输入关键词。</p></body></html>')
