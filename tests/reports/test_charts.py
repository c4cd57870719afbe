"""Charts render offline with Chinese labels, as PNG bytes and SVG text."""

from __future__ import annotations

import datetime as dt
import warnings

from govwatch.reports import charts
from govwatch.reports.fonts import FAMILY, font_path, register_cjk_font

ROWS = [("区财政局", 96), ("公安分局", 80), ("广兴洲镇", None), ("区政府办", 100)]
DATES = [dt.date(2026, 10, 23), dt.date(2026, 10, 30), dt.date(2026, 11, 6)]


def test_cjk_font_registered_from_the_python_package():
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    assert register_cjk_font() == FAMILY
    # The packaged font is registered; a system copy of the same family (fonts-noto-cjk) may win the lookup.
    assert str(font_path()) in {entry.fname for entry in font_manager.fontManager.ttflist}
    found = font_manager.findfont(font_manager.FontProperties(family=FAMILY), fallback_to_default=False)
    assert FT2Font(found).get_char_index(ord("区")) != 0


def test_ranking_chart_png_has_no_missing_glyphs():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = charts.ranking_chart(ROWS, threshold=90)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []


def test_ranking_chart_svg_is_text_with_paths_for_labels():
    svg = charts.ranking_chart(ROWS, fmt="svg")
    assert isinstance(svg, str)
    assert svg.lstrip().startswith("<?xml")
    assert "<svg" in svg
    # Labels are drawn as paths, so the browser needs no Chinese font.
    assert "<text" not in svg


def test_trend_chart_leaves_a_gap_for_a_week_without_score():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = charts.trend_chart(DATES, {"全区平均": [95.0, 96.5, 97.0], "广兴洲镇": [90, None, 99]})
    assert png[:4] == b"\x89PNG"
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []


def test_charts_are_byte_stable_for_the_same_input():
    assert charts.ranking_chart(ROWS, fmt="svg") == charts.ranking_chart(ROWS, fmt="svg")
    assert charts.trend_chart(DATES, {"全区平均": [1, 2, 3]}) == charts.trend_chart(DATES, {"全区平均": [1, 2, 3]})


def test_ranking_chart_without_scores_still_renders():
    assert charts.ranking_chart([("区财政局", None)])[:4] == b"\x89PNG"


def test_ranking_chart_for_41_units_is_drawn_at_the_width_it_is_printed():
    import io

    from PIL import Image

    from govwatch.reports.charts import RANKING_WIDTH_MM

    png = charts.ranking_chart([(f"单位{i:02d}", 80 + i % 20) for i in range(41)], threshold=90)
    image = Image.open(io.BytesIO(png))
    width_mm = image.width / image.info["dpi"][0] * 25.4
    # The reports insert it at this size (labels at their 8.5 pt), and it fits the page's text width.
    assert RANKING_WIDTH_MM * 0.8 < width_mm <= RANKING_WIDTH_MM
    assert image.height / image.info["dpi"][1] >= 41 * 0.16  # a line per unit, taller than its 8.5 pt label


def test_trend_chart_draws_units_with_equal_scores_as_one_labelled_line():
    merged = charts.merge_equal_series({"全区平均": [96.0, 97.0], "区财政局": [80.0, None],
                                        "区民政局": [80.0, None], "区教育局": [80.0, 81.0]})
    assert merged == {"全区平均": (96.0, 97.0), "区财政局、区民政局": (80.0, None), "区教育局": (80.0, 81.0)}
