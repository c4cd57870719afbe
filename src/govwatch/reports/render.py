"""Word reports from docxtpl templates: which template, and the context each kind adds to its data.

Template lookup, first hit wins:
1. an explicit file (`govwatch report --template FILE`);
2. `<kind>.docx` in the directory named by GOVWATCH_REPORT_TEMPLATES;
3. the template bundled with the package (`govwatch/reports/templates/<kind>.docx`).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from govwatch.lib.errors import GovwatchError
from govwatch.reports import charts
from govwatch.reports.data import DEFAULT_ISSUER

KINDS = ("weekly", "quarterly", "circular")
BUNDLED = Path(__file__).parent / "templates"
ENV_DIR = "GOVWATCH_REPORT_TEMPLATES"
_CN_INDEX = "一二三四五六七八九十"


def index_cn(i: int) -> str:
    from govwatch.reports.cn import cn_small

    return cn_small(i) if 0 < i < 100 else str(i)


def template_path(kind: str, explicit: str | os.PathLike | None = None) -> Path:
    if kind not in KINDS:
        raise GovwatchError(f"报告类型无效：{kind}（可用：{'、'.join(KINDS)}）")
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise GovwatchError(f"模板文件不存在：{path}")
        return path
    env = os.environ.get(ENV_DIR)
    if env:
        path = Path(env) / f"{kind}.docx"
        if path.is_file():
            return path
    return BUNDLED / f"{kind}.docx"


def _image(tpl, png: bytes, width_mm: float | None = None):
    """A chart in the document; without a width, at the size it was drawn, so its fonts keep their points."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    return InlineImage(tpl, io.BytesIO(png), width=Mm(width_mm) if width_mm else None)


def _links(tpl, reason: str, links: list[dict]):
    """A reason followed by its contradicting findings, each a hyperlink to the page it is about."""
    from docxtpl import RichText

    rt = RichText(reason, size=20)
    for link in links:
        rt.add("\n")
        if tpl is None:
            rt.add(f"{link['text']}（{link['url']}）", size=20)
        else:
            rt.add(link["text"], size=20, color="0563C1", underline=True, url_id=tpl.build_url_id(link["url"]))
    return rt


def _fmt(value) -> str:
    if value is None:
        return "未监测"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def prepare(kind: str, ctx: dict, tpl=None, *, threshold: float | None = None) -> dict:
    """The template context: the data plus rows shaped for tables, and the charts as inline images."""
    ctx = {k: v for k, v in ctx.items() if not k.startswith("_")} | {"_grid": ctx.get("_grid")}
    ctx.setdefault("issuer", DEFAULT_ISSUER)
    if kind == "weekly":
        rows = []
        for u in ctx["units"]:
            for i, f in enumerate(u["items"]):
                rows.append({**f, "unit_label": f"{u['name']}\n（{u['score']}分）" if i == 0 else ""})
        ctx["deduction_rows"] = rows
        ctx.setdefault("date_cn", ctx["as_of_cn"])
        if tpl is not None:
            ctx["ranking_chart"] = _image(tpl, charts.ranking_chart(ctx["chart_rows"], title="本周各单位得分",
                                                                   threshold=threshold))
    elif kind == "quarterly":
        grid = ctx["_grid"]
        for i, t in enumerate(ctx["typical"], 1):
            t["index_cn"] = index_cn(i)
        for r in ctx["ranking"]:
            r["weekly_text"] = [_fmt(v) for v in r["weekly"]]
        ctx["week_means_text"] = [_fmt(v) for v in ctx["week_means"]]
        from govwatch.reports.cn import cn_date

        ctx.setdefault("date_cn", cn_date(grid.dates[-1]))
        for c in ctx.get("rectification", {}).get("contradictions", ()):
            c["evidence"] = _links(tpl, c["reason"], c["links"])
        if tpl is not None:
            lowest = [r for r in sorted(ctx["ranking"], key=lambda r: (r["mean"] is None, r["mean"] or 0, r["unit"]))
                      if r["mean"] is not None][:3]
            series = {"全区平均": ctx["week_means"]}
            for r in lowest:
                series[r["name"]] = r["weekly"]
            ctx["trend_chart"] = _image(tpl, charts.trend_chart(grid.dates, series, title=f"{ctx['label']}得分趋势"), 120)
            ctx["ranking_chart"] = _image(tpl, charts.ranking_chart(
                [(r["name"], r["mean"]) for r in ctx["ranking"]], title="各单位季度平均得分", threshold=ctx["threshold"]))
            ctx["indicator_chart"] = _image(tpl, charts.indicator_chart(
                [(s["title"], s["points"]) for s in ctx["indicators"]], title="各类问题扣分"), 150) \
                if ctx["indicators"] else ""
    elif kind == "circular":
        for i, n in enumerate(ctx["named"], 1):
            n["index_cn"] = index_cn(i)
    ctx.pop("_grid", None)
    return ctx


def render_docx(kind: str, ctx: dict, out: str | os.PathLike, *, template: str | os.PathLike | None = None,
                threshold: float | None = None) -> Path:
    from docxtpl import DocxTemplate

    path = template_path(kind, template)
    try:
        from jinja2 import Environment

        from govwatch.reports.cn import document_text

        tpl = DocxTemplate(str(path))
        env = Environment(autoescape=True, finalize=document_text)
        tpl.render(prepare(kind, ctx, tpl, threshold=threshold), jinja_env=env, autoescape=True)
    except GovwatchError:
        raise
    except Exception as exc:  # a template an office edited badly: name it, don't dump a traceback
        raise GovwatchError(f"模板无法使用：{path}（{type(exc).__name__}: {exc}）") from None
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tpl.save(str(out))
    return out
