"""Pages in the list forms of the CMS families govwatch reads, for crawl and extract tests.

Modelled on what those families serve (see docs/list-forms.md), with neutral markup: no class
name here is one the readers look for."""

from __future__ import annotations

import json

PARA = ("为进一步做好本年度相关工作，根据上级部门统一部署，结合我区实际，现将有关事项通知如下。"
        "各单位要高度重视，明确责任分工，细化工作措施，确保各项任务按时保质完成。")


def rows(items) -> str:
    return "".join(f'<li><a href="{u}">{t}</a><span>{d}</span></li>' for u, t, d in items)


def frame(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<div class="top"><a href="/">首页</a></div>{body}</body></html>')


def article_with_sidebar(title: str, day: str, sidebar_items, prev_next=True) -> str:
    """One title, a body and a publication date, beside a dated 最新信息 box."""
    side = f'<div class="box-r"><h3>最新信息</h3><ul>{rows(sidebar_items)}</ul></div>'
    pn = '<div class="pn"><a href="/x/p.html">上一篇：通知</a> <a href="/x/n.html">下一篇：公告</a></div>' if prev_next else ""
    body = (f'<div class="box-l"><h1>{title}</h1><div class="i">发布时间：{day}　来源：区财政局</div>'
            f'<div class="c"><p>{PARA}</p><p>{PARA}</p><p>{PARA}</p></div>{pn}</div>{side}')
    return frame(title, body)


def section_index(blocks) -> str:
    """A section page: the latest few items of each of its columns, each block with 更多."""
    out = []
    for name, href, items in blocks:
        out.append(f'<div class="blk"><div class="hd">{name}<a href="{href}">更多</a></div><ul>{rows(items)}</ul></div>')
    return frame("部门首页", "".join(out))


def hanweb_column(name: str, records, endpoint: str, total_pages: int | None) -> str:
    """Hanweb jcms: records as CDATA in an XML datastore; nextgroup names the dataproxy endpoint."""
    recs = "".join(f'<record><![CDATA[<li><a href="{u}" target="_blank">{t}</a><span>{d}</span></li>]]></record>'
                   for u, t, d in records)
    total = f"<script>var totalpage = {total_pages};</script>" if total_pages else ""
    return frame(name, f'<div class="bt">{name}</div><div id="319"><script type="text/xml"><datastore>'
                       f'<nextgroup><![CDATA[<a href="{endpoint}"></a>]]></nextgroup><recordset>{recs}</recordset>'
                       f'</datastore></script>{total}<script src="/module/web/jpage/jpage.js"></script></div>')


def dataproxy_answer(records, total_pages: int) -> str:
    recs = "".join(f'<record><![CDATA[<li><a href="{u}">{t}</a><span>{d}</span></li>]]></record>' for u, t, d in records)
    return (f'<?xml version="1.0" encoding="utf-8"?><datastore><totalrecord>{total_pages * len(records)}</totalrecord>'
            f'<totalpage>{total_pages}</totalpage><recordset>{recs}</recordset></datastore>')


def script_data_column(name: str, records, total_pages: int = 1, endpoint: str | None = None) -> str:
    """An in-house platform: the rows are a JS literal in the page, written out by script."""
    data = ",".join(f"{{title:'{t}', linkUrl:'{u}', pubDate:'{d}'}}" for u, t, d in records)
    load = (f"$.ajax({{url: '{endpoint}', type: 'GET', success: draw}});" if endpoint else "")
    return frame(name, f'<div class="bt">{name}</div><ul id="app"></ul><script>var pageData = {{totalPage: {total_pages}, '
                       f'list: [{data}]}};\nfunction draw(d){{ d.list.forEach(function(r){{ $("#app").append("<li>"+r.title+"</li>"); }}); }}'
                       f"\ndraw(pageData); function go(n){{ {load} }}</script>")


def json_endpoint_column(name: str, endpoint: str) -> str:
    """A list a script loads from a JSON endpoint; nothing of it is in the page."""
    return frame(name, f'<div class="bt">{name}</div><ul id="list"></ul><script>'
                       f"fetch('{endpoint}').then(function(r){{return r.json()}}).then(function(d){{}});</script>")


def json_answer(records, total_pages: int) -> str:
    return json.dumps({"code": 200, "data": {"totalPage": total_pages, "records": [
        {"title": t, "url": u, "publishTime": d + " 09:30:00"} for u, t, d in records]}}, ensure_ascii=False)
