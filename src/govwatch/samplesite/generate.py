"""Write the sample portal to disk: pages, site.toml, truth.json and the server's fault table.

Layout of DIR:
  www/          the document root; a URL's query string maps to "<path>@<query>"
  faults.json   dynamic behaviours the server adds (500, WAF, hang, reset, loops, traps...)
  site.toml     the site configuration (INTERFACES.md §1), units only
  truth.json    what a correct first run at the as-of date must find
Generation streams unit by unit, so memory stays flat at any scale.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from govwatch.lib.errors import GovwatchError
from govwatch.lib.workdays import WorkCalendar
from govwatch.rulebook import load_rulebook
from govwatch.samplesite import content as C
from govwatch.samplesite import flavours, render
from govwatch.samplesite.site import plan_site, scale_pages
from govwatch.samplesite.truth import TruthBuilder

DEFAULT_BASE_URL = "http://127.0.0.1:8765/"
DEFAULT_SEED = 2017
ROBOTS = "User-agent: *\nDisallow: /search/\n"
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000005000185d2f8b60000000049454e44ae426082")


@dataclass
class Summary:
    out_dir: str
    as_of: str
    anchor: str
    seed: int
    pages: int = 0
    files: int = 0
    units: int = 0
    columns: int = 0
    findings: int = 0
    near_misses: int = 0
    faults: int = 0
    seconds: float = 0.0
    base_url: str = DEFAULT_BASE_URL
    by_rule: dict[str, int] = field(default_factory=dict)


class CachedCalendar(WorkCalendar):
    """Working days are asked for again and again; chinese-calendar lookups are not free."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self._cache: dict[dt.date, bool] = {}

    def is_workday(self, day: dt.date) -> bool:
        hit = self._cache.get(day)
        if hit is None:
            hit = self._cache[day] = super().is_workday(day)
        return hit


def url_to_file(root: Path, url_path: str) -> Path:
    """Where the page for a root-relative URL (with optional query) lives under www/."""
    path, _, query = url_path.partition("?")
    if path.endswith("/"):
        path += "index.html"
    if query:
        path += "@" + query
    return root / path.lstrip("/")


class Writer:
    def __init__(self, root: Path):
        self.root = root
        self.pages = 0
        self.files = 0

    def write(self, url_path: str, data: str | bytes, encoding: str = "utf-8", mtime: dt.date | None = None,
              page: bool = True) -> None:
        target = url_to_file(self.root, url_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        raw = data.encode(encoding, "xmlcharrefreplace") if isinstance(data, str) else data
        target.write_bytes(raw)
        if mtime is not None:
            stamp = dt.datetime(mtime.year, mtime.month, mtime.day, 8, 0, tzinfo=dt.timezone.utc).timestamp()
            os.utime(target, (stamp, stamp))
        self.pages += page
        self.files += 1


# The homepage variant's boxes: column category -> box heading.
HOME_BOXES = {"news": "要闻动态", "notice": "通知公告"}
HOME_BOX_ROWS = 8


def generate_site(out_dir: str | Path, as_of: dt.date, seed: int = DEFAULT_SEED, scale: str | int = "default",
                  base_url: str = DEFAULT_BASE_URL, anchor: dt.date | None = None,
                  progress: Callable[[int, int, str], None] | None = None,
                  homepage_age: int | None = None) -> Summary:
    """Generate the portal into `out_dir` (replacing a previous sample there) and return a summary.

    `homepage_age`: the homepage also shows 要闻动态 and 通知公告 boxes whose newest item is that many
    days old at `as_of` (the variant for national.homepage_stale); None keeps the plain homepage."""
    started = time.perf_counter()
    anchor = anchor or as_of
    if as_of < anchor:
        raise GovwatchError(f"监测日期 {as_of} 不能早于锚定日期 {anchor}")
    try:
        pages = scale_pages(scale)
    except ValueError:
        raise GovwatchError(f"无法识别的规模：{scale}（可用 small、default、large 或页面数）") from None
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise GovwatchError(f"基础网址无效：{base_url}")
    base_url = base_url if base_url.endswith("/") else base_url + "/"
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()) and not ((out / "site.toml").exists() or (out / "www").exists()):
        raise GovwatchError(f"输出目录 {out} 非空且不是示例门户目录，拒绝覆盖")
    if (out / "www").exists():
        shutil.rmtree(out / "www")
    out.mkdir(parents=True, exist_ok=True)
    root = out / "www"
    rulebook = load_rulebook()
    cal = CachedCalendar(rulebook.calendar_days, rulebook.unknown_year)
    writer = Writer(root)
    truth = TruthBuilder(rulebook, cal, as_of, base_url, anchor=anchor)
    faults: dict[str, dict] = {"/search/": {"kind": "search"}}
    units_toml: list[tuple[str, str, str]] = []
    home_items: dict[str, list] = {category: [] for category in HOME_BOXES}
    edits: list[dict] = []
    summary = Summary(str(out), as_of.isoformat(), anchor.isoformat(), seed, base_url=base_url)
    total_units = len(rulebook.units)

    for n, plan in enumerate(plan_site(seed, anchor, pages, rulebook, cal)):
        units_toml.append((plan.code, plan.name, plan.section))
        summary.units += 1
        writer.write(plan.section, render.section_root(plan), plan.encoding)
        if plan.trap:
            faults[plan.trap] = {"kind": "trap", "unit": plan.code}
        for col in plan.columns:
            summary.columns += 1
            if col.fault:
                faults[col.path] = {"kind": col.fault}
                if col.path.endswith("/"):
                    faults[col.path + "index.html"] = {"kind": col.fault}
                continue
            for url, html in render.list_pages(plan, col, as_of):
                # Endpoint answers (JSON, XML) carry no charset label: always UTF-8.
                writer.write(url, html, plan.encoding if html.lstrip().startswith("<!") else "utf-8", mtime=as_of)
            if homepage_age is not None and col.category in HOME_BOXES:
                home_items[col.category].extend(
                    (i.title, i.path, i.date) for i in col.visible_items(as_of)
                    if not i.fault and i.kind == "article" and (as_of - i.date).days >= homepage_age)
            for item in col.items:
                if not item.visible(as_of):
                    continue
                _record_edits(item, anchor, as_of, truth.url(item.path), edits)
                if item.fault:
                    _fault_item(item, faults)
                    continue
                changed = max([item.date] + [d for d in (item.answered_at(as_of), item.extended_at(as_of), item.updated_at(as_of)) if d])
                writer.write(item.path, render.detail(plan, col, item, as_of), plan.encoding, mtime=changed)
                for ref in item.attachments + [r for _, r in item.forms if r]:
                    if ref.outcome == "ok":
                        writer.write(ref.href, f"{ref.text}\n（示例附件，{plan.organ}）\n".encode("utf-8"), mtime=item.date, page=False)
                for ref in item.images:
                    if ref.outcome == "ok":
                        writer.write(ref.href, TINY_PNG, mtime=item.date, page=False)
                for ref in item.body_links:
                    if ref.reason == "软404":
                        faults[ref.href] = {"kind": "soft404"}
                    elif ref.outcome == "ok" and ref.href.startswith("/"):
                        faults[ref.href] = {"kind": "redirect", "status": 301, "to": plan.section}
        if flavours.is_flavour(plan):
            writer.write(flavours.profile_path(plan), flavours.profile_page(plan, as_of, render), plan.encoding, mtime=as_of)
            writer.write(flavours.overview_path(plan), flavours.overview_page(plan, as_of, render), plan.encoding, mtime=as_of)
        truth.unit(plan)
        if progress:
            progress(n + 1, total_units, plan.name)

    boxes = []
    for category, heading in HOME_BOXES.items():
        newest = sorted(home_items[category], key=lambda t: (t[2], t[1]), reverse=True)[:HOME_BOX_ROWS]
        if newest:
            # The variant's point is the age of the newest item: pin it to exactly `homepage_age` days.
            title, url, _ = newest[0]
            boxes.append((heading, [(title, url, as_of - dt.timedelta(days=homepage_age))] + newest[1:]))
    writer.write("/", render.home(units_toml, boxes))
    writer.write("/robots.txt", ROBOTS, page=False)
    writer.write("/css/style.css", render.CSS, page=False)
    writer.write("/js/page.js", render.PAGE_JS, page=False)
    (out / "faults.json").write_text(json.dumps(faults, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "site.toml").write_text(site_toml(base_url, units_toml), encoding="utf-8")
    extra = _fault_truth(faults, truth.url, units_toml)
    data = truth.finish(extra)
    data.update({"seed": seed, "anchor": anchor.isoformat(), "scale": pages,
                 "edits_since_anchor": edits, "generator": "govwatch.samplesite",
                 # years chinese-calendar does not know were judged on weekends only
                 "calendar_warnings": cal.warnings()})
    data["stats"] = {"pages": writer.pages, "files": writer.files, "units": summary.units, "columns": summary.columns}
    (out / "truth.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    summary.pages, summary.files = writer.pages, writer.files
    summary.findings = len(data["findings"])
    summary.near_misses = len(data["near_misses"])
    summary.faults = len(data["unverified"])
    for f in data["findings"]:
        summary.by_rule[f["rule"]] = summary.by_rule.get(f["rule"], 0) + 1
    summary.seconds = time.perf_counter() - started
    return summary


def _fault_item(item, faults: dict) -> None:
    if item.fault == "loop":
        other = item.path.replace(".html", "_1.html")
        faults[item.path] = {"kind": "redirect", "status": 302, "to": other}
        faults[other] = {"kind": "redirect", "status": 302, "to": item.path}
    else:
        faults[item.path] = {"kind": item.fault}


def _record_edits(item, anchor: dt.date, as_of: dt.date, url: str, edits: list) -> None:
    if item.date > anchor:
        return
    for what, day in (("回复", item.answered), ("申请延期", item.extension), ("更正", item.typo_fixed_on)):
        if day and anchor < day <= as_of:
            edits.append({"url": url, "edit": what, "date": day.isoformat()})


def _fault_truth(faults: dict, url, units: list) -> list[dict]:
    out = []
    for path, f in sorted(faults.items()):
        if f["kind"] == "trap":
            out.append({"url": url(path) + "?date=2026-01", "unit": f.get("unit"), "kind": "trap", "reason": "无限日历陷阱（?date= 链接无穷无尽）",
                        "charge": "不计入单位扣分，采集应识别并停止"})
        elif f["kind"] == "soft404":
            continue  # a planted broken target: it is in the findings
    return out


def site_toml(base_url: str, units: list[tuple[str, str, str]]) -> str:
    host = urlsplit(base_url).hostname
    lines = [
        "# 示例门户（govwatch sample generate 生成）。栏目由采集自动发现，这里只列出各单位的栏目入口。",
        "[site]", f'name = "{C.SITE_NAME}（示例）"', f'home = "{base_url}"', # The dead service is one of the site's own origins: private addresses are exempt per host
        # and port, and only the origins named here.
        f'allowed_hosts = ["{host}", "{C.DEAD_SERVICE}"]',
        'rulebook = "district-2017"', "concurrency_per_host = 8", "delay_seconds = 0", "obey_robots = true",
        "allow_private_addresses = true", "timeout_seconds = 5", "max_page_bytes = 5242880", "",
    ]
    for code, name, section in units:
        lines += ["[[units]]", f'code = "{code}"', f'name = "{name}"', f'sections = ["{base_url.rstrip("/")}{section}"]', ""]
    return "\n".join(lines)
