"""Plan the sample portal: filler content that breaks no rule, plus planted problems.

Planted problems and their near-miss twins are laid out around the anchor date
(see `SCENARIOS`). The truth is not taken from here: `truth.py` applies the
rules to the plan at the as-of date, so what a scenario "means" is whatever
the rules make of it.
"""

from __future__ import annotations

import datetime as dt
import random

from govwatch.lib.dates import add_months
from govwatch.samplesite import content as C
from govwatch.samplesite.model import ONE, Column, Item, LinkRef, UnitPlan

FUTURE_DAYS = 60  # items are planned this far beyond the anchor, for time travel
HISTORY_DAYS = 730  # about two years of items
TRS_PAGE = 15  # items per list page, TRS flavour
OWN_PAGE = 12  # items per list page, own flavour

# Items per column at scale "default" (~3k pages); other scales multiply.
BASE_COUNTS = {"news": 14, "notice": 8, "policy": 6, "personnel": 4, "plan": 3, "profile": 2, "finance": 4,
               "statistics": 4, "consultation": 8, "guide": 4, "other": 4}
# (newest item: days before the anchor (min, max), recent cadence in days, plans future items)
FILLER_TIMING = {
    "news": ((0, 2), 3, True), "notice": ((10, 60), 25, True), "policy": ((15, 90), 30, True),
    "personnel": ((20, 200), 60, True), "plan": ((20, 200), 90, False), "profile": ((100, 600), 200, False),
    "finance": ((10, 200), 60, True), "statistics": ((10, 120), 40, True), "consultation": ((0, 5), 6, True),
    "guide": ((200, 600), 90, False), "other": ((15, 150), 45, False),
}
QUIET_UNITS = {"0102", "0104", "0105", "0109", "0113", "0117", "0126", "0128", "0301", "0303", "0305",
               "0307", "0309", "0405", "0402"}
GBK_UNITS = {"0124", "0404"}
NO_TABLE_UNITS = {"0116"}  # 落款 checks must not fall back on 成文日期 there


class Ctx:
    """What item makers need: the unit, its rng, the anchor, the calendar and the rulebook."""

    def __init__(self, plan: UnitPlan, rng: random.Random, anchor: dt.date, rulebook, cal, scale: float):
        self.plan, self.rng, self.A, self.rb, self.cal, self.scale = plan, rng, anchor, rulebook, cal, scale
        self.seq = 0

    # ---- calendar helpers ----
    def back_working_days(self, day: dt.date, n: int) -> dt.date:
        """The latest date d with exactly n working days in (d, day]."""
        d, count = day, 0
        while count < n:
            if self.cal.is_workday(d):
                count += 1
            d -= ONE
        return d

    def owes_doc_number(self, title: str) -> bool:
        rule = self.rb.rule("error.nonstandard")
        return any(k in title for k in rule["doc_number_keywords"]) and not any(k in title for k in rule["doc_number_exempt"])

    def doc_number(self, year: int, style: str | None = None) -> str:
        self.seq += 1
        prefix = C.doc_prefix(self.plan.index) + self.rng.choice(["发", "办发", "函"])
        style = style or self.rng.choices(["〔〕", "[]", "（）", "()"], [8, 1, 1, 1])[0]
        return f"{prefix}{style[0]}{year}{style[1]}{self.rng.randint(1, 60)}号"

    def index_no(self, day: dt.date) -> str:
        self.seq += 1
        if self.plan.index_scheme == "code":
            return f"{self.plan.code}-{day.year}-{self.seq:05d}"
        return f"MB1C{self.plan.index * 37 % 9000 + 1000:04d}X/{day.year}-{self.seq:05d}"

    # ---- item makers ----
    def news(self, day: dt.date, delay: int | None = 0, style: str = "md", typo: str | None = None,
             right: str | None = None, image: LinkRef | None = None) -> Item:
        rng = self.rng
        event = None if delay is None else day - dt.timedelta(days=delay)
        if event is None:
            md = "近日"
        elif style == "ymd":
            md = f"{event.year}年{event.month}月{event.day}日"
        else:
            md = f"{event.month}月{event.day}日"
        unit = self.plan.name
        paras = [C.fill(rng, rng.choice(C.NEWS_LEADS), md=md, unit=unit)] + C.paragraphs(rng, C.NEWS_SENTENCES, rng.randint(2, 4))
        item = Item(kind="article", genre="news", title=C.news_title(rng, unit), date=day, paras=paras,
                    event_date=event, event_style=style, time=f"{rng.randint(8, 17):02d}:{rng.choice(['00', '15', '30', '45'])}")
        self._decorate(item, typo=typo, right=right)
        if image is not None:
            item.images.append(image)
        elif rng.random() < 0.12:
            item.images.append(LinkRef("", "img", "图片", "ok"))  # path filled by the layout
        return item

    def doc(self, day: dt.date, genre: str, sign_wd: int | None = None, *, sign_date: dt.date | None | str = "auto",
            organ: bool = True, doc_number: str | None | bool = "auto", attach: int | None = None,
            unlinked: str | None = None, table_only_date: bool = False, sign_style: str | None = None,
            title: str | None = None, typo: str | None = None, right: str | None = None,
            broken_attachment: bool = False) -> Item:
        rng = self.rng
        title = title or C.doc_title(rng, self.plan.organ, genre)
        if sign_date == "auto":
            sign_date = self.back_working_days(day, sign_wd if sign_wd is not None else rng.randint(1, 10))
        paras = [C.fill(rng, s) for s in rng.sample(C.DOC_SENTENCES, rng.randint(3, 5))]
        if genre == "财政":
            paras = [C.fill(rng, s) for s in C.FINANCE_SENTENCES[: rng.randint(2, 4)]]
        item = Item(kind="article", genre="doc", title=title, date=day, paras=paras,
                    sign_organ=self.plan.organ if organ else None, sign_date=None if table_only_date else sign_date,
                    sign_style=sign_style or rng.choices(["arabic", "chinese"], [3, 1])[0],
                    time=f"{rng.randint(8, 17):02d}:{rng.choice(['00', '20', '40'])}")
        if self.plan.info_table:
            item.index_no = self.index_no(day)
            item.written_date = sign_date if isinstance(sign_date, dt.date) else None
        elif table_only_date:
            raise ValueError("table_only_date needs a unit with the 信息公开 table")
        if doc_number == "auto":
            doc_number = self.owes_doc_number(title) or rng.random() < 0.2
        if doc_number is True:
            year = sign_date.year if isinstance(sign_date, dt.date) else day.year
            item.doc_number = self.doc_number(year)
        elif isinstance(doc_number, str):
            item.doc_number = doc_number
        n_attach = attach if attach is not None else (rng.randint(1, 2) if rng.random() < 0.3 else 0)
        for k in range(n_attach):
            name = f"{k + 1}.{rng.choice(['报名表', '统计表', '实施细则', '名单', '申报书'])}.{rng.choice(['doc', 'xls', 'pdf'])}"
            ok = not (broken_attachment and k == 0)
            item.attachments.append(LinkRef("", "attachment", name, "ok" if ok else "broken", "" if ok else "HTTP 404"))
        if unlinked:
            item.unlinked_attachment = unlinked
        item.mentions_attachment = bool(item.attachments or unlinked)
        self._decorate(item, typo=typo, right=right)
        return item

    def plain(self, day: dt.date, genre: str = "其他") -> Item:
        rng = self.rng
        item = Item(kind="article", genre="plain", title=C.doc_title(rng, self.plan.organ, genre), date=day,
                    paras=C.paragraphs(rng, C.DOC_SENTENCES + C.NEWS_SENTENCES, rng.randint(2, 4)))
        self._decorate(item)
        return item

    def question(self, asked: dt.date, reply_after: int | None, extension_after: int | None = None) -> Item:
        rng = self.rng
        topic = rng.choice(C.TOPICS)
        item = Item(kind="question", genre="question", title=f"关于{topic}的咨询", date=asked,
                    paras=[C.fill(rng, rng.choice(C.QUESTION_BODIES), topic=topic), rng.choice(C.REPLY_BODIES)],
                    asked_time=f"{rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}", asker=rng.choice(["市民", "网友", "群众"]) + C.person(rng)[0] + "先生")
        if reply_after is not None:
            item.answered = asked + dt.timedelta(days=reply_after)
        if extension_after is not None:
            item.extension = asked + dt.timedelta(days=extension_after)
        item.date_source = "list"
        return item

    def guide(self, day: dt.date, missing: tuple[str, ...] = (), synonyms: bool = False, layout: str | None = None,
              forms: tuple[str, ...] = ("ok",)) -> Item:
        """`forms`: one entry per form: ok (linked, exists), nolink (mentioned only), broken (linked, 404)."""
        rng = self.rng
        name = rng.choice(C.GUIDE_ITEMS)
        elements_cfg = self.rb.rule("guide.missing_element")["elements"]
        elements = {}
        for canon, syns in elements_cfg.items():
            if canon in missing:
                continue
            elements[canon] = syns[1] if synonyms and len(syns) > 1 else canon
        item = Item(kind="guide", genre="guide", title=f"{name}办事指南", date=day, elements=elements,
                    guide_layout=layout or rng.choice(["table", "headings", "dl"]), date_source="label")
        for k, state in enumerate(forms):
            form = f"{name}{C.FORM_NAMES[(k + len(name)) % len(C.FORM_NAMES)]}"
            if state == "nolink":
                item.forms.append((form, None))
            else:
                item.forms.append((form, LinkRef("", "attachment", f"《{form}》", "ok" if state == "ok" else "broken",
                                                 "" if state == "ok" else "HTTP 404")))
        return item

    def _decorate(self, item: Item, typo: str | None = None, right: str | None = None) -> None:
        rng = self.rng
        if typo:
            pos = rng.randint(1, len(item.paras))
            item.paras.insert(pos, C.TYPO_FRAMES[typo].format(w=typo))
            item.typos.append((typo, C.RIGHT_OF[typo]))
        if right:
            wrong = next(w for w, r in C.RIGHT_OF.items() if r == right)
            item.paras.insert(1, C.TYPO_FRAMES[wrong].format(w=right))
            item.right_words.append(right)
        if self.plan.encoding == "gbk" and rng.random() < 0.5:
            item.paras.append(f"（责任编辑：{rng.choice(['刘镕', '王堃', '陈镕'])}）")
        item.meta_mode = rng.choices(["full", "missing", "wrong"], [85, 8, 7])[0]
        if item.genre in ("news", "doc", "plain"):
            sources = ["meta", "label", "list"] + (["info_table"] if self.plan.info_table and item.genre == "doc" else [])
            weights = [70, 12, 8] + ([10] if len(sources) == 4 else [])
            item.date_source = rng.choices(sources, weights)[0]


# ---------------------------------------------------------------------------
# Filler


def _dates(rng: random.Random, anchor: dt.date, n: int, newest_off: int, cadence: int, future: bool,
           min_gap: int = 1) -> list[dt.date]:
    newest = anchor - dt.timedelta(days=newest_off)
    dates = []
    d = newest
    recent = min(n, 5)
    for _ in range(recent):
        dates.append(d)
        d -= dt.timedelta(days=max(min_gap, cadence + rng.randint(-1, 1)))
    start = anchor - dt.timedelta(days=HISTORY_DAYS)
    for _ in range(n - recent):
        if d <= start:
            dates.append(d)
            d -= dt.timedelta(days=max(min_gap, cadence))
        else:
            dates.append(start + dt.timedelta(days=rng.randint(0, (d - start).days)))
    if future:
        f = newest + dt.timedelta(days=max(min_gap, cadence))
        while f <= anchor + dt.timedelta(days=FUTURE_DAYS):
            dates.append(f)
            f += dt.timedelta(days=max(min_gap, cadence + rng.randint(0, 2)))
    return dates


GENRES = {"notice": ["通知", "公告", "公示"], "policy": ["办法", "意见", "方案", "通知", "解读"], "plan": ["规划", "计划"],
          "personnel": ["人事"], "finance": ["财政"], "statistics": ["统计"]}


def filler_item(ctx: Ctx, col: Column, day: dt.date) -> Item:
    cat = col.category
    rng = ctx.rng
    if cat == "news":
        return ctx.news(day, delay=rng.choice([0, 0, 0, 1]))
    if cat in GENRES:
        return ctx.doc(day, rng.choice(GENRES[cat]))
    if cat == "consultation":
        return ctx.question(day, reply_after=rng.randint(1, 5), extension_after=None)
    if cat == "guide":
        return ctx.guide(day)
    return ctx.plain(day, "其他")


def fill_column(ctx: Ctx, col: Column, n: int | None = None, newest_off: int | None = None, cadence: int | None = None,
                future: bool | None = None, min_gap: int = 1) -> Column:
    key = col.category if col.category in FILLER_TIMING else "other"
    (lo, hi), cad, fut = FILLER_TIMING[key]
    rng = ctx.rng
    if n is None:
        base = BASE_COUNTS[key]
        n = base if key == "profile" else max(1, round(base * ctx.scale * rng.uniform(0.7, 1.3)))
    if newest_off is None:
        newest_off = rng.randint(lo, hi)
    quiet = ctx.plan.code in QUIET_UNITS
    if cadence is None:
        cadence = 9 if (key == "news" and quiet) else cad
    if key == "news" and quiet:
        min_gap = max(min_gap, 8)
    if future is None:
        future = fut
    for day in _dates(rng, ctx.A, n, newest_off, cadence, future, min_gap):
        col.items.append(filler_item(ctx, col, day))
    return col


def _column(ctx: Ctx, name: str, category: str, *, key_area: bool = False, expected: str | None = None) -> Column:
    """A new column with its intended category, key-area flag and expected frequency."""
    ctx.plan.columns = [c for c in ctx.plan.columns if c.name != name]
    col = Column(unit=ctx.plan.code, name=name, slug="", category=category, key_area=key_area, expected=expected)
    ctx.plan.columns.append(col)
    return col


def filler_columns(ctx: Ctx) -> None:
    rng = ctx.rng
    town = ctx.plan.code.startswith("04")
    keys = ["news", "notice", "policy", "profile", "consultation", "guide"]
    keys += rng.sample(["personnel", "plan", "finance", "statistics", "other"], rng.randint(2, 5))
    for key in keys:
        pool = C.COLUMN_NAMES["town_news" if key == "news" and town else key]
        name = pool[(ctx.plan.index + rng.randint(0, 3)) % len(pool)]
        fill_column(ctx, _column(ctx, name, key, expected=C.FILLER_EXPECTED.get(name)))


def named(ctx: Ctx, name: str, category: str, *, key_area: bool = False, expected: str | None = None) -> Column:
    """An existing filler column of this unit by name, or a new empty one; either way with the stated intent."""
    for col in ctx.plan.columns:
        if col.name == name:
            if (col.category, col.key_area, col.expected) != (category, key_area, expected):
                raise ValueError(f"column {name} of {ctx.plan.code} was planted with another intent")
            return col
    return _column(ctx, name, category, key_area=key_area, expected=expected)


def first_of(ctx: Ctx, category: str) -> Column:
    for col in ctx.plan.columns:
        if col.category == category and not col.fault:
            return col
    raise LookupError(category)


def month_boundary(anchor: dt.date, months: int, grace_days: int = 0) -> tuple[dt.date, dt.date]:
    """(oldest newest-date that is still fine, newest newest-date that is already stale) at `anchor`."""
    fine = add_months(anchor, -months) - dt.timedelta(days=grace_days)
    while add_months(fine, months) + dt.timedelta(days=grace_days) < anchor:
        fine += ONE
    while add_months(fine - ONE, months) + dt.timedelta(days=grace_days) >= anchor:
        fine -= ONE
    return fine, fine - ONE


def old_items(ctx: Ctx, col: Column, newest: dt.date, n: int = 3) -> None:
    """Filler history ending exactly at `newest` and nothing after it."""
    for k in range(n):
        col.items.append(filler_item(ctx, col, newest - dt.timedelta(days=k * 37)))


def cycle_days(ctx: Ctx) -> list[dt.date]:
    return [ctx.A - dt.timedelta(days=k) for k in range(0, 7)]


def weekday_in_cycle(ctx: Ctx, k: int = 0) -> dt.date:
    days = [d for d in cycle_days(ctx) if ctx.cal.is_workday(d)] or cycle_days(ctx)
    return days[k % len(days)]
