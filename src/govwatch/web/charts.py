"""Charts as inline SVG, drawn on the server: no chart library, no CDN, no script.

The markup is built from numbers and escaped labels only, so it is safe to mark safe.
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import mark_safe


def _scale(values, lo, hi, size, pad):
    span = (hi - lo) or 1
    return [pad + (size - 2 * pad) * (1 - (v - lo) / span) for v in values]


def sparkline(values: list[float | None], width: int = 120, height: int = 28, label: str = "") -> str:
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(points) < 2:
        return mark_safe(f'<svg class="spark" width="{width}" height="{height}" role="img" aria-label="{escape(label)}"></svg>')
    lo = min(min(v for _, v in points), 0 if min(v for _, v in points) < 60 else 60)
    hi = max(100, max(v for _, v in points))
    n = len(values) - 1 or 1
    ys = _scale([v for _, v in points], lo, hi, height, 3)
    coords = " ".join(f"{2 + (width - 4) * i / n:.1f},{y:.1f}" for (i, _), y in zip(points, ys))
    last_x = 2 + (width - 4) * points[-1][0] / n
    return mark_safe(
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}"><polyline fill="none" stroke="#1f5fa8" stroke-width="1.5" points="{coords}"/>'
        f'<circle cx="{last_x:.1f}" cy="{ys[-1]:.1f}" r="2.5" fill="#1f5fa8"/></svg>')


def trend_chart(labels: list[str], series: list[tuple[str, list[float | None]]], width: int = 1200,
                height: int = 240, y_min: float | None = None, y_max: float | None = None) -> str:
    """A line chart: one polyline per series, y gridlines, first/last date on the x axis."""
    left, right, top, bottom = 40, 12, 12, 28
    all_values = [v for _, vals in series for v in vals if v is not None]
    if not labels or not all_values:
        return mark_safe('<p class="muted">暂无趋势数据</p>')
    if len(labels) < 2:
        return mark_safe('<p class="muted">完成两次以上监测后显示趋势。</p>')
    # Scores bunch between 70 and 100: a zero-based axis would flatten every change.
    lo = y_min if y_min is not None else max(0.0, (min(all_values) // 10) * 10 - 10)
    hi = y_max if y_max is not None else max(100.0, -(-max(all_values) // 10) * 10)
    if hi - lo < 1:
        hi = lo + 1
    step_y = next(st for st in (1, 2, 5, 10, 20, 25, 50, 100) if (hi - lo) / st <= 6)
    lo, hi = step_y * (lo // step_y), step_y * -(-hi // step_y)
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels) - 1, 1)

    def x(i):
        return left + plot_w * i / n

    def y(v):
        return top + plot_h * (1 - (v - lo) / (hi - lo))

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="得分趋势">']
    ticks = [lo + step_y * k for k in range(int((hi - lo) / step_y) + 1)]
    for v in ticks:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e3e7ee"/>'
                     f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" class="axis">{v:.0f}</text>')
    step = max(1, len(labels) // 6)
    for i in range(0, len(labels), step):
        parts.append(f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle" class="axis">{escape(labels[i])}</text>')
    colors = ("#1f5fa8", "#c0392b", "#27ae60", "#8e44ad", "#e67e22")
    for idx, (name, values) in enumerate(series):
        color = colors[idx % len(colors)]
        pts = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
        coords = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{coords}"><title>{escape(name)}</title></polyline>')
        for (px, py), (i, v) in zip(pts, [(i, v) for i, v in enumerate(values) if v is not None]):
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2.5" fill="{color}"><title>{escape(labels[i])}：{v:.1f}</title></circle>')
    if len(series) > 1:
        for idx, (name, _) in enumerate(series):
            lx = left + 10 + idx * 110
            parts.append(f'<rect x="{lx}" y="{top}" width="14" height="4" fill="{colors[idx % len(colors)]}"/>'
                         f'<text x="{lx + 18}" y="{top + 6}" class="axis">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
