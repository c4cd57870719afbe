"""Ranking bars and trend lines, rendered offline with Chinese labels.

Pure functions of plain values: the Word reports embed the PNG, the web app
can serve the PNG bytes or inline the SVG text. No pyplot, so rendering is
safe inside a web worker thread.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Iterable, Mapping, Sequence

RED = "#c0392b"
BLUE = "#2e6da4"
GREY = "#7f8c8d"


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    from govwatch.reports.fonts import register_cjk_font

    family = register_cjk_font()
    fig = Figure(figsize=(width, height), dpi=150)
    return fig, {"family": family}


def _export(fig, fmt: str) -> bytes | str:
    import matplotlib

    buf = io.BytesIO()
    # Text as paths in SVG: the page needs no Chinese web font to show the labels.
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "govwatch"}):
        fig.savefig(buf, format=fmt, bbox_inches="tight", metadata=_metadata(fmt))
    data = buf.getvalue()
    return data.decode("utf-8") if fmt == "svg" else data


def _metadata(fmt: str) -> dict:
    # Fixed metadata keeps the output byte-stable for the same input.
    if fmt == "svg":
        return {"Date": None}
    if fmt == "png":
        return {"Software": None}
    return {}


# The text width of a GB/T 9704 page (A4 less 28 mm + 26 mm margins).
RANKING_WIDTH_MM = 156


def ranking_chart(rows: Iterable[tuple[str, float | None]], *, title: str = "各单位得分排名",
                  threshold: float | None = None, fmt: str = "png") -> bytes | str:
    """Horizontal bars, best first (top). ``rows`` are (unit name, score); None means 未监测 and is skipped."""
    data = [(name, float(score)) for name, score in rows if score is not None]
    data.sort(key=lambda r: (-r[1], r[0]))
    n = max(len(data), 1)
    # Drawn within the page's text width (RANKING_WIDTH_MM) and inserted at its own size, so that
    # 41 unit names print at 8.5 pt, one bar per line, on one A4 page.
    fig, font = _figure(RANKING_WIDTH_MM / 25.4, 0.9 + 0.19 * n)
    ax = fig.add_subplot(1, 1, 1)
    names = [d[0] for d in data][::-1]
    values = [d[1] for d in data][::-1]
    colors = [RED if threshold is not None and v < threshold else BLUE for v in values]
    ax.barh(range(len(values)), values, color=colors, height=0.72)
    ax.set_yticks(range(len(values)))
    ax.set_yticklabels(names, fontdict=font, fontsize=8.5)
    ax.set_ylim(-0.6, len(values) - 0.4)
    top = max([100.0] + values) + 8
    ax.set_xlim(0, top)
    for i, v in enumerate(values):
        ax.text(v + 0.6, i, f"{v:g}", va="center", fontsize=7, fontdict=font)
    if threshold is not None:
        ax.axvline(threshold, color=RED, linestyle="--", linewidth=0.8)
        ax.text(threshold, len(values) - 0.3, f"{threshold:g}分线", color=RED, fontsize=7, ha="right", fontdict=font)
    ax.set_xlabel("得分", fontdict=font)
    ax.set_title(title, fontdict=font, fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    if not data:
        ax.text(50, 0, "暂无得分数据", ha="center", fontdict=font)
    return _export(fig, fmt)


def merge_equal_series(series: Mapping[str, Sequence[float | None]]) -> dict[str, tuple]:
    """Series with the same weekly scores as one, labelled with every name (甲、乙).

    Drawn apart, one line would hide the other while both labels claimed it.
    """
    merged: dict[tuple, list[str]] = {}
    for label, values in series.items():
        merged.setdefault(tuple(values), []).append(label)
    return {"、".join(labels): values for values, labels in merged.items()}


def trend_chart(dates: Sequence[dt.date], series: Mapping[str, Sequence[float | None]], *,
                title: str = "得分趋势", fmt: str = "png") -> bytes | str:
    """One line per series over the weekly as-of dates; None (a week without a run) leaves a gap."""
    fig, font = _figure(7.0, 3.2)
    ax = fig.add_subplot(1, 1, 1)
    x = list(range(len(dates)))
    palette = [BLUE, RED, "#27ae60", "#8e44ad", "#d35400", GREY, "#16a085", "#2c3e50"]
    for i, (label, values) in enumerate(merge_equal_series(series).items()):
        ys = [float("nan") if v is None else float(v) for v in values]
        ax.plot(x, ys, marker="o", markersize=3, linewidth=1.4, label=label, color=palette[i % len(palette)])
    ax.set_xticks(x)
    ax.set_xticklabels([f"{d.month}月{d.day}日" for d in dates], fontdict=font, fontsize=7, rotation=45, ha="right")
    ax.set_ylabel("得分", fontdict=font)
    ax.set_title(title, fontdict=font, fontsize=11)
    ax.grid(axis="y", linewidth=0.4, alpha=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    if series:
        ax.legend(prop={"family": font["family"], "size": 7}, loc="upper center", bbox_to_anchor=(0.5, -0.22),
                  frameon=False, ncol=min(4, len(series)))
    if not dates:
        ax.text(0.5, 0.5, "暂无监测数据", ha="center", transform=ax.transAxes, fontdict=font)
    return _export(fig, fmt)


def indicator_chart(rows: Iterable[tuple[str, float]], *, title: str = "各指标扣分", fmt: str = "png") -> bytes | str:
    """Bars of deducted points per indicator (absolute values)."""
    data = [(name, abs(float(v))) for name, v in rows]
    fig, font = _figure(7.0, 1.2 + 0.3 * max(len(data), 1))
    ax = fig.add_subplot(1, 1, 1)
    ax.barh(range(len(data)), [d[1] for d in data][::-1], color=RED, height=0.6)
    ax.set_yticks(range(len(data)))
    ax.set_yticklabels([d[0] for d in data][::-1], fontdict=font, fontsize=8)
    ax.set_xlabel("扣分", fontdict=font)
    ax.set_title(title, fontdict=font, fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    return _export(fig, fmt)
