"""Sample portal flavours beyond TRS and our own CMS (issue 11): a Hanweb-jcms-like one and an
in-house JS platform, with the traps real portals of those families hold.

- "hanweb": a column is `col/col<N>/index.html`; its first page keeps the rows as CDATA records
  in a `<script type="text/xml"><datastore>`, whose `<nextgroup>` names the site's
  `/module/web/jpage/dataproxy.jsp?page=1&...` endpoint; the endpoint answers every page as XML
  with `<totalpage>`. No `index_N.html` exists.
- "jsdata": a column is `lm/<slug>.html`; the first page's rows are a JSON literal in a script
  (`var pageData = {...}`) that a script writes into the page; the other pages come from the
  `/api/list?columnId=<N>&pageNo=<n>` JSON endpoint its script names.

Both flavours link, from the unit's menu, an article page with a dated 最新信息 sidebar and a
section page listing the latest items of each column (neither is a column), and their article
pages carry a dated 相关信息 sidebar of the column's earlier items.
"""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from typing import Iterator

from govwatch.samplesite.model import Column, Item, UnitPlan

FLAVOURS = ("hanweb", "jsdata")
HANWEB_PAGE = 15
JSDATA_PAGE = 10
SIDEBAR_ITEMS = 5  # latest items in the 最新信息 box and per block of the section page


def column_path(plan: UnitPlan, col: Column) -> str:
    if plan.flavour == "hanweb":
        return f"{plan.section}col/col{col.cid}/index.html"
    return f"{plan.section}lm/{col.slug}.html"


def endpoint(plan: UnitPlan, col: Column, page: int) -> str:
    if plan.flavour == "hanweb":
        return f"/module/web/jpage/dataproxy.jsp?page={page}&webid=1&columnid={col.cid}&unitid={plan.index + 1}"
    return f"/api/list?columnId={col.cid}&pageNo={page}"


def profile_path(plan: UnitPlan) -> str:
    return f"{plan.section}jggk.html"


def overview_path(plan: UnitPlan) -> str:
    return f"{plan.section}bmsy.html"


def menu_extra(plan: UnitPlan) -> str:
    """Links beside the column menu: the traps (an article, a section index)."""
    return (f'<div class="quick-links"><a href="{profile_path(plan)}">机构概况</a> '
            f'<a href="{overview_path(plan)}">部门首页</a></div>')


def _row(item: Item, as_of: dt.date, extra) -> str:
    return (f'<li><a href="{item.path}" target="_blank" title="{escape(item.title)}">{escape(item.title)}</a>'
            f'<span class="date">{item.date.isoformat()}</span>{extra(item, as_of, dt.date.isoformat)}</li>')


def _records(items: list[Item], as_of: dt.date, r) -> str:
    return "".join(f"<record><![CDATA[{_row(i, as_of, r._row_extra)}]]></record>" for i in items)


def _frame(plan: UnitPlan, title: str, metas: dict, nav: str, crumbs: str, body: str, head, header, footer) -> str:
    return head(title, plan.encoding, metas) + header() + crumbs + '<div class="wrap">' + nav + body + "</div>" + footer()


def list_pages(plan: UnitPlan, col: Column, as_of: dt.date, r) -> Iterator[tuple[str, str]]:
    """(URL, body) of the column's first page and of each endpoint answer. `r` is the render module."""
    items = col.visible_items(as_of)
    per = HANWEB_PAGE if plan.flavour == "hanweb" else JSDATA_PAGE
    total = max(1, -(-len(items) // per))
    chunks = [items[p * per:(p + 1) * per] for p in range(total)]
    metas = r.site_metas(column=col.name)
    empty = '<div class="no-info">暂无信息</div>' if not items and col.placeholder else ""
    title = f'<div class="col-name">{escape(col.name)}</div>'
    nav = r.unit_nav(plan)
    if plan.flavour == "hanweb":
        recs = _records(chunks[0], as_of, r)
        body = (f'<div class="col-box">{title}<div id="{col.cid}"><script type="text/xml"><datastore>'
                f'<nextgroup><![CDATA[<a href="{endpoint(plan, col, 1)}"></a>]]></nextgroup>'
                f"<recordset>{recs}</recordset></datastore></script>"
                f"<script>var totalpage = {total};</script>"
                f'<script src="/module/web/jpage/jpage.js"></script></div>{empty}</div>')
        yield col.path, _frame(plan, f"{col.name} {plan.name}", metas, nav, r.crumbs(plan, col), body, r.head, r.header, r.footer)
        if total > 1:
            for n, chunk in enumerate(chunks, start=1):
                yield endpoint(plan, col, n), (f'<?xml version="1.0" encoding="utf-8"?><datastore>'
                                               f"<totalrecord>{len(items)}</totalrecord><totalpage>{total}</totalpage>"
                                               f"<recordset>{_records(chunk, as_of, r)}</recordset></datastore>")
        return
    data = {"totalPage": total, "pageNo": 1, "list": [_record(i, as_of) for i in chunks[0]]}
    load = f"$.ajax({{url: '{endpoint(plan, col, 1)}', data: {{pageNo: n}}, success: draw}});"
    body = (f'<div class="col-box">{title}<ul id="list-{col.cid}"></ul>{empty}<div id="pager"></div>'
            f"<script>var pageData = {json.dumps(data, ensure_ascii=False)};\n"
            f"function draw(d) {{ var h = ''; d.list.forEach(function (x) {{ h += '<li><a href=\"' + x.linkUrl + '\">' + x.title + '</a><span>' + x.pubDate.substring(0, 10) + '</span></li>'; }}); "
            f"document.getElementById('list-{col.cid}').innerHTML = h; }}\ndraw(pageData);\n"
            f"function go(n) {{ {load} }}</script></div>")
    yield col.path, _frame(plan, f"{col.name}-{plan.name}", metas, nav, r.crumbs(plan, col), body, r.head, r.header, r.footer)
    if total > 1:
        for n, chunk in enumerate(chunks, start=1):
            yield endpoint(plan, col, n), json.dumps(
                {"code": 200, "data": {"totalPage": total, "pageNo": n, "records": [_record(i, as_of) for i in chunk]}},
                ensure_ascii=False)


def _record(item: Item, as_of: dt.date) -> dict:
    rec = {"title": item.title, "linkUrl": item.path, "pubDate": f"{item.date.isoformat()} 09:00:00"}
    if item.kind == "question":
        rec["status"] = item.status_at(as_of)
        ans = item.answered_at(as_of)
        rec["replyDate"] = ans.isoformat() if ans else ""
        rec["extended"] = bool(item.extended_at(as_of))
    upd = item.updated_at(as_of)
    if upd:
        rec["updateDate"] = upd.isoformat()
    return rec


def sidebar(col: Column, item: Item) -> str:
    """The 相关信息 box of an article page: the items of its column published before it, dated. Only
    older items: an article page stays the same as the column grows (its validators hold)."""
    older = sorted((i for i in col.items if (i.date, i.id) < (item.date, item.id) and not i.fault),
                   key=lambda i: (i.date, i.id), reverse=True)[:SIDEBAR_ITEMS]
    if not older:
        return ""
    rows = "".join(f'<li><a href="{i.path}">{escape(i.title)}</a><span>{i.date.isoformat()}</span></li>' for i in older)
    return f'<div class="box-right"><h3>相关信息</h3><ul>{rows}</ul></div>'


def profile_page(plan: UnitPlan, as_of: dt.date, r) -> str:
    """机构概况: one title, a body and a date, beside a 最新信息 box of the unit's oldest-looking items."""
    latest = sorted((i for c in plan.columns for i in c.visible_items(as_of) if not i.fault and not c.fault),
                    key=lambda i: (i.date, i.id))
    box = "".join(f'<li><a href="{i.path}">{escape(i.title)}</a><span>{i.date.isoformat()}</span></li>'
                  for i in latest[:SIDEBAR_ITEMS])
    text = (f"{plan.organ}是区人民政府工作部门，贯彻落实党中央、国务院和省、市、区关于本领域工作的方针政策和决策部署，"
            "在履行职责过程中坚持和加强党的集中统一领导。主要职责是：拟订并组织实施本领域发展规划和政策措施；"
            "负责本领域的监督管理工作；完成区委、区人民政府交办的其他任务。")
    body = (f'<div class="article"><div class="art-title">机构概况</div>'
            f'<div class="art-info"><span>发布日期：{r.ymd_cn(dt.date(as_of.year, 1, 5))}</span>'
            f"<span>信息来源：{escape(plan.organ)}</span></div>"
            f'<div class="art-body"><p>{escape(text)}</p><p>{escape(text)}</p></div></div>'
            + (f'<div class="box-right"><h3>最新信息</h3><ul>{box}</ul></div>' if box else ""))
    return _frame(plan, f"机构概况-{plan.name}", r.site_metas(column="机构概况", ctype="文章页"), r.unit_nav(plan),
                  r.crumbs(plan, None), body, r.head, r.header, r.footer)


def overview_page(plan: UnitPlan, as_of: dt.date, r) -> str:
    """部门首页: the latest items of each column with items, each block with 更多."""
    blocks = []
    for col in plan.columns:
        latest = [i for i in col.visible_items(as_of) if not i.fault][:SIDEBAR_ITEMS]
        if not latest or col.fault:
            continue
        rows = "".join(f'<li><a href="{i.path}">{escape(i.title)}</a><span>{i.date.isoformat()}</span></li>' for i in latest)
        blocks.append(f'<div class="blk"><div class="blk-hd">{escape(col.name)}<a href="{col.path}">更多</a></div><ul>{rows}</ul></div>')
    body = '<div class="overview">' + "".join(blocks) + "</div>"
    return _frame(plan, f"部门首页-{plan.name}", r.site_metas(column=plan.name, ctype="部门首页"), r.unit_nav(plan),
                  r.crumbs(plan, None), body, r.head, r.header, r.footer)


def is_flavour(plan: UnitPlan) -> bool:
    return plan.flavour in FLAVOURS

