"""The whole portal plan, one unit at a time, with URLs laid out per CMS flavour."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Iterator

from govwatch.samplesite import content as C
from govwatch.samplesite.flavours import FLAVOURS, column_path
from govwatch.samplesite.model import Column, Item, UnitPlan, item_rng
from govwatch.samplesite.planner import GBK_UNITS, NO_TABLE_UNITS, Ctx, filler_columns
from govwatch.samplesite.scenarios import SCENARIOS

# Units served by the "own" CMS (query-string pagination, different markup); the rest look like TRS WCM.
OWN_UNITS = {"0102", "0105", "0108", "0110", "0113", "0115", "0119", "0122", "0125", "0301", "0303", "0306",
             "0308", "0402", "0404"}

COLUMN_SLUGS = {
    "工作动态": "gzdt", "部门动态": "bmdt", "今日君山": "jrjs", "要闻快讯": "ywkx", "基层一线": "jcyx", "信息速递": "xxsd",
    "新闻发布": "xwfb", "工作简报": "gzjb", "乡镇动态": "xzdt", "街道动态": "jddt", "村务动态": "cwdt", "通知公告": "tzgg",
    "公示公告": "gsgg", "公告公示": "gggs", "通告": "tg", "政策文件": "zcwj", "规范性文件": "gfxwj", "政策解读": "zcjd",
    "部门文件": "bmwj", "法律法规": "flfg", "人事信息": "rsxx", "招考录用": "zkly", "人才招聘": "rczp", "人事任免": "rsrm",
    "发展规划": "fzgh", "年度计划": "ndjh", "规划计划": "ghjh", "机构简介": "jgjj", "机构职能": "jgzn", "领导信息": "ldxx",
    "内设机构": "nsjg", "部门预决算": "bmyjs", "专项资金": "zxzj", "收费项目": "sfxm", "三公经费": "sgjf", "统计信息": "tjxx",
    "数据发布": "sjfb", "统计分析": "tjfx", "咨询答复": "zxdf", "政民互动": "zmhd", "局长信箱": "jzxx", "在线咨询": "zxzx",
    "网民留言": "wmly", "办事指南": "bszn", "服务指南": "fwzn", "办事事项": "bssx", "党建工作": "djgz", "建议提案办理": "jytabl",
    "领导活动": "ldhd", "工作总结": "gzzj", "政务公开年报": "zwgknb", "财政预决算": "czyjs", "精准扶贫": "jzfp",
    "防汛抗旱": "fxkh", "水利建设": "sljs", "河长制": "hzz", "月度统计": "ydtj", "统计月报": "tjyb", "城建规划": "cjgh",
    "重大项目": "zdxm", "住建信箱": "zjxx", "督导评估": "ddpg", "医疗服务": "ylfw", "年度工作计划": "ndgzjh",
    "环境保护季报": "hjbhjb", "生态环境季报": "sthjjb", "普法宣传": "pfxc",
}

# Units whose lists come as Hanweb jcms datastores, or as JSON written by script (flavours.py).
HANWEB_UNITS = {"0110", "0125", "0306"}
JSDATA_UNITS = {"0119", "0308", "0404"}


def _flavour(code: str) -> str:
    if code in HANWEB_UNITS:
        return "hanweb"
    if code in JSDATA_UNITS:
        return "jsdata"
    return "own" if code in OWN_UNITS else "trs"


SCALES = {"small": 800, "default": 3000, "large": 100000}
DEFAULT_PAGES = SCALES["default"]


def scale_pages(scale: str | int) -> int:
    if isinstance(scale, int):
        return scale
    if scale in SCALES:
        return SCALES[scale]
    if str(scale).isdigit():
        return int(scale)
    raise ValueError(scale)


def plan_site(seed: int, anchor: dt.date, pages: int, rulebook, cal) -> Iterator[UnitPlan]:
    """Yield each unit's plan; memory stays at one unit's worth."""
    # measured: pages ≈ 500 fixed (sections, guides, profiles, first list pages) + ~2250 per unit of factor
    factor = max(0.2, (pages - 500) / 2250)
    for index, unit in enumerate(rulebook.units):
        plan = UnitPlan(
            code=unit.code, name=unit.name, slug=C.UNIT_SLUGS[unit.code], index=index,
            organ=C.organ_name(unit.code, unit.name),
            flavour=_flavour(unit.code),
            encoding="gbk" if unit.code in GBK_UNITS else "utf-8",
            info_table=unit.code not in OWN_UNITS and unit.code not in NO_TABLE_UNITS,
            index_scheme="code" if index % 2 == 0 else "org",
            date_style="brackets" if index % 2 == 0 else "slashes",
        )
        ctx = Ctx(plan, item_rng(seed, unit.code, anchor.isoformat()), anchor, rulebook, cal, factor)
        filler_columns(ctx)
        scenario = SCENARIOS.get(unit.code)
        if scenario:
            scenario(ctx)
        layout(plan)
        yield plan


def layout(plan: UnitPlan) -> None:
    used: set[str] = set()
    for k, col in enumerate(plan.columns):
        slug = COLUMN_SLUGS.get(col.name, f"lm{k}")
        while slug in used:
            slug += "x"
        used.add(slug)
        col.slug = slug
        col.cid = 1000 + plan.index * 40 + k
        if plan.flavour in FLAVOURS:
            col.path = column_path(plan, col)
        else:
            col.path = f"{plan.section}{slug}/" if plan.flavour == "trs" else f"{plan.section}col/{col.cid}/list"
        order = sorted(range(len(col.items)), key=lambda i: (col.items[i].date, i))
        for seq, i in enumerate(order):
            item = col.items[i]
            item.id = (plan.index + 1) * 1_000_000 + k * 10_000 + seq
            _item_paths(plan, col, item)


def _item_paths(plan: UnitPlan, col: Column, item: Item) -> None:
    d = item.date
    if plan.flavour == "trs":
        folder = f"{col.path}{d:%Y%m}/"
        item.path = f"{folder}t{d:%Y%m%d}_{item.id}.html"
        att = lambda k, ext: f"{folder}P0{d:%Y%m%d}{item.id}{k}.{ext}"  # noqa: E731
        img = f"{folder}W0{d:%Y%m%d}{item.id}.png"
    else:
        item.path = f"{plan.section}art/{d.year}/{d.month}/{d.day}/art_{item.id}.html"
        att = lambda k, ext: f"{plan.section}files/{item.id}_{k}.{ext}"  # noqa: E731
        img = f"{plan.section}img/{item.id}.png"
    item.attachments = [
        dataclasses.replace(a, href=a.href or att(k, a.text.rsplit(".", 1)[-1] if "." in a.text else "doc"))
        for k, a in enumerate(item.attachments)
    ]
    if item.attachments and any(a.outcome == "broken" for a in item.attachments):
        item.attachments = [dataclasses.replace(a, href=a.href.replace("/P0", "/P9") if a.outcome == "broken" else a.href)
                            for a in item.attachments]
    item.images = [dataclasses.replace(i, href=i.href or img) for i in item.images]
    item.forms = [(name, None if ref is None else dataclasses.replace(ref, href=ref.href or att(10 + k, "doc")))
                  for k, (name, ref) in enumerate(item.forms)]
