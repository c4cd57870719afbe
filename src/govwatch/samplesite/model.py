"""The sample portal as data: units, columns and a timeline of items.

The timeline is a deterministic function of (seed, anchor, scale): every item,
including those dated after the anchor, exists in the plan from the start; an
item is on the site only once `as_of >= item.date`. Planned edits (a reply, an
extension, a corrected article) carry their own dates and show the same way.
That is what makes `--as-of A+7 --anchor A` "the same site plus that week".
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

Date = dt.date
ONE = dt.timedelta(days=1)


@dataclass(frozen=True)
class LinkRef:
    """A link the page carries whose outcome the plan knows (only non-trivial ones are listed)."""

    href: str  # root-relative path or absolute URL
    kind: str  # a | img | attachment
    text: str
    outcome: str  # ok | broken | unverified
    reason: str = ""


@dataclass
class Item:
    id: int = 0
    kind: str = "article"  # article | question | guide
    title: str = ""
    date: Date = dt.date(2000, 1, 1)  # publish date (questions: asked date)
    time: str = "09:30"
    paras: list[str] = field(default_factory=list)
    genre: str = "news"  # news | doc | plain
    # news
    event_date: Date | None = None
    event_style: str = "md"  # md | ymd
    # documents
    doc_number: str | None = None
    sign_organ: str | None = None
    sign_date: Date | None = None
    sign_style: str = "arabic"  # arabic | chinese
    written_date: Date | None = None  # 成文日期 in the 信息公开 table
    index_no: str | None = None
    attachments: list[LinkRef] = field(default_factory=list)
    mentions_attachment: bool = False
    unlinked_attachment: str | None = None  # announced but not linked
    date_source: str = "meta"  # meta | info_table | label | list
    meta_mode: str = "full"  # full | missing | wrong
    images: list[LinkRef] = field(default_factory=list)
    body_links: list[LinkRef] = field(default_factory=list)
    typos: list[tuple[str, str]] = field(default_factory=list)  # (wrong, right) planted in paras
    typo_fixed_on: Date | None = None  # planned edit: typos corrected, list row shows 更新
    right_words: list[str] = field(default_factory=list)  # near misses of error.typo
    # questions
    asked_time: str = "10:12"
    answered: Date | None = None
    extension: Date | None = None
    asker: str = "市民"
    # guides
    elements: dict[str, str] = field(default_factory=dict)  # canonical -> label as written
    guide_layout: str = "table"  # table | headings | dl
    forms: list[tuple[str, LinkRef | None]] = field(default_factory=list)
    # faults and notes
    fault: str | None = None  # hang | reset | loop | large: the page cannot be fetched
    notes: list[tuple[str, str]] = field(default_factory=list)  # (rule, reason) near-miss notes
    path: str = ""  # root-relative URL, set by the layout

    # ---- state at an as-of date ----
    def visible(self, as_of: Date) -> bool:
        return self.date <= as_of

    def answered_at(self, as_of: Date) -> Date | None:
        return self.answered if self.answered and self.answered <= as_of else None

    def extended_at(self, as_of: Date) -> Date | None:
        return self.extension if self.extension and self.extension <= as_of else None

    def status_at(self, as_of: Date) -> str:
        if self.answered_at(as_of):
            return "已回复"
        if self.extended_at(as_of):
            return "办理中"
        return "办理中" if (as_of - self.date).days > 3 else "未回复"

    def typos_at(self, as_of: Date) -> list[tuple[str, str]]:
        if self.typo_fixed_on and self.typo_fixed_on <= as_of:
            return []
        return self.typos

    def updated_at(self, as_of: Date) -> Date | None:
        return self.typo_fixed_on if self.typo_fixed_on and self.typo_fixed_on <= as_of else None


@dataclass
class Column:
    unit: str
    name: str
    slug: str
    # What the scenario means the column to be (附件3), written there by hand: truth is
    # built from these, never from the monitor's classifier, so a classifier bug shows.
    category: str = "other"
    key_area: bool = False
    expected: str | None = None
    items: list[Item] = field(default_factory=list)
    placeholder: bool = False  # shows "暂无信息" when it has no items
    fault: str | None = None  # 500 | waf: the list page cannot be fetched
    path: str = ""  # first list page, root-relative
    cid: int = 0
    notes: list[tuple] = field(default_factory=list)  # near-miss notes: (rule, reason[, discriminator dict])

    def visible_items(self, as_of: Date) -> list[Item]:
        return sorted((i for i in self.items if i.visible(as_of)), key=lambda i: (i.date, i.id), reverse=True)


@dataclass
class UnitPlan:
    code: str
    name: str
    slug: str
    index: int
    organ: str
    flavour: str  # trs | own | hanweb | jsdata (flavours.py)
    encoding: str  # utf-8 | gbk
    info_table: bool
    index_scheme: str  # code | org
    columns: list[Column] = field(default_factory=list)
    trap: str | None = None  # path of a calendar trap linked from the section root
    date_style: str = "brackets"  # own flavour list date: brackets [2026年11月20日] | slashes 2026/11/20

    @property
    def section(self) -> str:
        return f"/bmxxgk/{self.slug}/" if self.flavour == "trs" else f"/dept/{self.slug}/"


def item_rng(seed: int, *parts) -> random.Random:
    return random.Random(":".join(str(p) for p in (seed, *parts)))
