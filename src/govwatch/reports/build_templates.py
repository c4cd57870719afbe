"""Build the bundled Word templates (weekly.docx, quarterly.docx, circular.docx).

    python -m govwatch.reports.build_templates [OUT_DIR]

The templates are ordinary .docx files with docxtpl (Jinja) tags. An office
copies one, changes wording, fonts, the red header or the layout in Word, and
keeps the tags it still wants; `docs/reports.md` lists every tag. This script
only regenerates the defaults that ship with the package.

Layout follows GB/T 9704 (党政机关公文格式) loosely: A4, 37 mm top margin,
仿宋 body text, 小标宋/黑体 headings, and for circulars a red issuer header
over a red rule.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).parent / "templates"

BODY_FONT = "仿宋"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
TABLE_FONT = "宋体"
RED = RGBColor(0xE0, 0x00, 0x00)


def _fonts(run, name: str, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _para(doc, text: str = "", *, font: str = BODY_FONT, size: float = 16, bold: bool = False,
          align=None, indent: bool = False, color=None, space_after: float = 0, line: float | None = 28):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(space_after)
    if line:
        fmt.line_spacing = Pt(line)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if text:
        _fonts(p.add_run(text), font, size, bold, color)
    return p


def _tag(doc, text: str):
    """A paragraph holding only a docxtpl block tag ({%p ... %}); docxtpl removes it on rendering."""
    return _para(doc, text, size=10, line=None)


def _title(doc, text: str, size: float = 22):
    return _para(doc, text, font=TITLE_FONT, size=size, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6, line=None)


def _heading(doc, text: str):
    p = _para(doc, text, font=HEADING_FONT, size=16, indent=True)
    p.paragraph_format.keep_with_next = True
    return p


def _body(doc, text: str):
    return _para(doc, text, indent=True)


def _set_cell(cell, text: str, *, bold: bool = False, size: float = 10.5, align=WD_ALIGN_PARAGRAPH.CENTER,
              shade: str | None = None):
    cell.text = ""
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    # "message\nurl" cells: the URL goes on its own line in a smaller size.
    head, sep, tail = text.partition("\n")
    _fonts(p.add_run(head), TABLE_FONT, size, bold)
    if sep:
        _fonts(p.add_run("\n" + tail), TABLE_FONT, max(size - 3, 7), bold)
    if shade:
        tcpr = cell._element.get_or_add_tcPr()
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), shade)
        tcpr.append(shd)


def _cant_split(row) -> None:
    """A problem's row stays on one page."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _loop_table(doc, headers: list[str], cells: list[str], loop: str, widths: list[float],
                aligns: list | None = None):
    """A table: a header row, then one row per item via docxtpl's {%tr for %} ... {%tr endfor %}."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, h in enumerate(headers):
        _set_cell(table.rows[0].cells[i], h, bold=True, shade="D9E2F3")
    _repeat_header(table.rows[0])
    _set_cell(table.rows[1].cells[0], "{%tr for " + loop + " %}")
    for i, c in enumerate(cells):
        align = (aligns[i] if aligns else WD_ALIGN_PARAGRAPH.CENTER)
        _set_cell(table.rows[2].cells[i], c, align=align)
    _set_cell(table.rows[3].cells[0], "{%tr endfor %}")
    _cant_split(table.rows[2])
    _widths(table, widths)
    return table


def _widths(table, widths: list[float]) -> None:
    # Word reads the cell widths, LibreOffice the grid: set both, and a fixed layout.
    for i, w in enumerate(widths):
        table.columns[i].width = Cm(w)
        for cell in table.columns[i].cells:
            cell.width = Cm(w)
    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)


def _page(doc, landscape: bool = False) -> None:
    sec = doc.sections[0]
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    else:
        sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    style = doc.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = Pt(16)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), BODY_FONT)
    _page_number_footer(sec)


def _page_number_footer(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run("— ")
    _fonts(run, "宋体", 14)
    run = p.add_run()
    _fonts(run, "宋体", 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _fonts(p.add_run(" —"), "宋体", 14)


def _red_rule(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "18")
    bottom.set(qn("w:space"), "4")
    bottom.set(qn("w:color"), "E00000")
    bdr.append(bottom)
    ppr.append(bdr)


def _signature(doc) -> None:
    # Kept together so that the date never stands alone on a last page.
    _para(doc).paragraph_format.keep_with_next = True
    _para(doc, "{{ issuer }}", align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.keep_with_next = True
    _para(doc, "{{ date_cn }}", align=WD_ALIGN_PARAGRAPH.RIGHT)


LEFT = WD_ALIGN_PARAGRAPH.LEFT
CENTER = WD_ALIGN_PARAGRAPH.CENTER


def weekly() -> Document:
    doc = Document()
    _page(doc)
    _title(doc, "{{ title }}")
    _para(doc, "（{{ period_text }}）", align=CENTER, size=16, line=None, space_after=12)
    _para(doc, "{{ site }}　监测编号：{{ run }}", size=12, align=CENTER, line=None)
    _para(doc, "监测日期：{{ as_of_text }}　上次监测：{{ previous_text }}", size=12, align=CENTER, line=None,
          space_after=12)
    _heading(doc, "一、总体情况")
    _body(doc, "本次共监测{{ unit_count }}个单位，平均得分{{ mean_score }}分，{{ full_marks }}个单位得满分，"
               "{{ deducted_units }}个单位存在扣分问题。与上次监测相比，新增问题{{ new_count }}个，"
               "再次出现的问题{{ returned_count }}个{% if pending_count %}；另有{{ pending_count }}个问题正在人工复核，"
               "复核确认前不计入得分{% endif %}。")
    _body(doc, "未配置监测的单位：{{ not_configured }}。{% if unverified_count %}本次有{{ unverified_count }}个栏目无法访问，"
               "已标记为未核实，不作扣分。{% endif %}")
    _body(doc, "监测覆盖：{{ coverage_text }}。")
    _tag(doc, "{%p if not_monitored %}")
    _body(doc, "以下{{ not_monitored_count }}个单位本次未能有效监测，不评分、不排名：{% for m in not_monitored %}"
               "{{ m.name }}（{{ m.reason }}。{{ m.advice }}）{% if not loop.last %}；{% endif %}{% endfor %}。")
    _tag(doc, "{%p endif %}")
    _para(doc, "{{ ranking_chart }}", align=CENTER, line=None)
    _heading(doc, "二、得分排名")
    _loop_table(doc, ["排名", "机关编码", "单位名称", "扣分", "加分", "得分"],
                ["{{ r.rank }}", "{{ r.unit }}", "{{ r.name }}", "{{ r.deductions }}", "{{ r.bonuses }}", "{{ r.score }}"],
                "r in ranking", [1.4, 2.0, 6.0, 1.8, 1.8, 1.8], [CENTER, CENTER, LEFT, CENTER, CENTER, CENTER])
    _heading(doc, "三、各单位扣分情况")
    _tag(doc, "{%p if deduction_rows %}")
    _loop_table(doc, ["单位名称", "问题类型", "问题说明及页面", "分值"],
                ["{{ d.unit_label }}", "{{ d.title }}", "{{ d.message }}\n{{ d.url }}", "{{ d.points }}"],
                "d in deduction_rows", [2.6, 3.4, 8.4, 1.2], [LEFT, LEFT, LEFT, CENTER])
    _tag(doc, "{%p else %}")
    _body(doc, "本次监测各单位均无扣分。")
    _tag(doc, "{%p endif %}")
    _heading(doc, "四、本周新增问题")
    _tag(doc, "{%p if new_problems %}")
    _loop_table(doc, ["单位名称", "情况", "问题说明及页面", "分值"],
                ["{{ n.name }}", "{{ n.status }}", "{{ n.message }}\n{{ n.url }}", "{{ n.points }}"],
                "n in new_problems", [2.8, 2.4, 9.2, 1.2], [LEFT, CENTER, LEFT, CENTER])
    _tag(doc, "{%p else %}")
    _body(doc, "与上次监测相比，本周无新增问题。")
    _tag(doc, "{%p endif %}")
    _signature(doc)
    return doc


def quarterly() -> Document:
    doc = Document()
    _page(doc)
    _title(doc, "{{ title }}")
    _para(doc, "（{{ start_text }}至{{ end_text }}）", align=CENTER, line=None, space_after=12)
    _heading(doc, "一、总体情况")
    _body(doc, "{{ label }}，{{ site }}共开展监测{{ run_count }}次（{{ run_dates_text }}），监测单位{{ unit_count }}个。"
               "各单位季度平均得分（周得分的平均值）为{{ mean_score }}分，最高{{ max_score }}分，最低{{ min_score }}分。"
               "得分最高的单位：{{ best_text }}；得分较低的单位：{{ worst_text }}。"
               "本季度共确认扣分问题{{ finding_count }}个，合计扣{{ deducted_points }}分；"
               "{{ below_count }}个单位平均得分低于{{ threshold }}分。")
    _tag(doc, "{%p if missing_units %}")
    _body(doc, "以下单位有未监测的周次，平均分只计已监测的周：{% for m in missing_units %}{{ m.name }}（{{ m.missing_text }}）"
               "{% if not loop.last %}、{% endif %}{% endfor %}。")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if not_monitored_units %}")
    _body(doc, "以下单位有未能有效监测的周次，该周不评分、不计入平均分：{% for m in not_monitored_units %}"
               "{{ m.name }}（{{ m.weeks_text }}）{% if not loop.last %}、{% endif %}{% endfor %}。")
    _tag(doc, "{%p endif %}")
    _para(doc, "{{ trend_chart }}", align=CENTER, line=None)
    _heading(doc, "二、得分排名")
    _body(doc, "按各单位本季度周得分的平均值排名。")
    _loop_table(doc, ["排名", "机关编码", "单位名称", "平均分", "监测周数", "未监测周"],
                ["{{ r.rank }}", "{{ r.unit }}", "{{ r.name }}", "{{ r.mean_text }}", "{{ r.weeks }}", "{{ r.missing_text }}"],
                "r in ranking", [1.4, 2.0, 5.4, 1.8, 2.0, 3.0], [CENTER, CENTER, LEFT, CENTER, CENTER, CENTER])
    _para(doc, "{{ ranking_chart }}", align=CENTER, line=None)
    _heading(doc, "三、各指标扣分统计")
    _tag(doc, "{%p if indicators %}")
    _loop_table(doc, ["指标", "问题类型", "问题数", "涉及单位", "扣分"],
                ["{{ s.indicator }}", "{{ s.title }}", "{{ s.count }}", "{{ s.unit_count }}", "{{ s.points }}"],
                "s in indicators", [3.2, 6.6, 1.8, 2.0, 1.8], [LEFT, LEFT, CENTER, CENTER, CENTER])
    _para(doc, "{{ indicator_chart }}", align=CENTER, line=None)
    _tag(doc, "{%p else %}")
    _body(doc, "本季度未确认扣分问题。")
    _tag(doc, "{%p endif %}")
    _heading(doc, "四、平均得分低于{{ threshold }}分的单位")
    _tag(doc, "{%p if below %}")
    _loop_table(doc, ["单位名称", "平均分", "主要问题"],
                ["{{ b.name }}", "{{ b.mean_text }}", "{{ b.problems }}"],
                "b in below", [4.0, 2.0, 9.6], [LEFT, CENTER, LEFT])
    _tag(doc, "{%p else %}")
    _body(doc, "本季度没有平均得分低于{{ threshold }}分的单位。")
    _tag(doc, "{%p endif %}")
    _heading(doc, "五、典型问题")
    _tag(doc, "{%p for t in typical %}")
    _body(doc, "（{{ t.index_cn }}）{{ t.title }}。本季度共{{ t.count }}个。例如{{ t.name }}：{{ t.message }}。")
    _para(doc, "证据摘录：{{ t.excerpt }}；页面：{{ t.url }}（{{ t.as_of_text }}监测）", size=12, indent=True, line=22)
    _tag(doc, "{%p endfor %}")
    _heading(doc, "六、整改情况")
    _body(doc, "{{ rectification_text }}")
    _tag(doc, "{%p if rectification.rows %}")
    _loop_table(doc, ["单位名称", "发现问题", "已消除", "仍存在", "答复已整改", "申诉", "整改调查表"],
                ["{{ x.name }}", "{{ x.found }}", "{{ x.resolved }}", "{{ x.remaining }}", "{{ x.fixed }}",
                 "{{ x.appeal }}", "{{ x.survey }}"], "x in rectification.rows",
                [4.0, 1.8, 1.8, 1.8, 2.2, 1.6, 2.4], [LEFT] + [CENTER] * 6)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if rectification.contradictions %}")
    _body(doc, "整改调查表与监测结果矛盾之处：")
    _loop_table(doc, ["单位名称", "调查项", "勾选", "监测结果"],
                ["{{ c.name }}", "{{ c.question }}", "{{ c.answer }}", "{{r c.evidence }}"],
                "c in rectification.contradictions", [3.0, 4.6, 1.2, 6.8], [LEFT, LEFT, CENTER, LEFT])
    _tag(doc, "{%p endif %}")
    _heading(doc, "附表：各单位周得分")
    table = doc.add_table(rows=5, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_cell(table.rows[0].cells[0], "单位名称", bold=True, size=8, shade="D9E2F3")
    _set_cell(table.rows[0].cells[1], "{%tc for d in date_labels %}", size=8)
    _set_cell(table.rows[0].cells[2], "{{ d }}", bold=True, size=8, shade="D9E2F3")
    _set_cell(table.rows[0].cells[3], "{%tc endfor %}", size=8)
    _repeat_header(table.rows[0])
    _set_cell(table.rows[1].cells[0], "{%tr for r in ranking %}", size=8)
    _set_cell(table.rows[2].cells[0], "{{ r.name }}", size=8, align=LEFT)
    _set_cell(table.rows[2].cells[1], "{%tc for v in r.weekly_text %}", size=8)
    _set_cell(table.rows[2].cells[2], "{{ v }}", size=8)
    _set_cell(table.rows[2].cells[3], "{%tc endfor %}", size=8)
    _set_cell(table.rows[3].cells[0], "{%tr endfor %}", size=8)
    _set_cell(table.rows[4].cells[0], "全区平均", bold=True, size=8)
    _set_cell(table.rows[4].cells[1], "{%tc for v in week_means_text %}", size=8)
    _set_cell(table.rows[4].cells[2], "{{ v }}", bold=True, size=8)
    _set_cell(table.rows[4].cells[3], "{%tc endfor %}", size=8)
    _para(doc, "注：“未监测”表示该周该单位没有监测结果，不计入平均分。", size=10.5, line=None)
    _signature(doc)
    return doc


def circular() -> Document:
    doc = Document()
    _page(doc)
    # The red header (版头): issuer in red, then the 文号 above a red rule. An office replaces the
    # {{ issuer }} tag with its own fixed 发文机关标志 if it prefers.
    _para(doc, "{{ issuer }}", font=TITLE_FONT, size=30, color=RED, align=CENTER, line=None, space_after=18)
    p = _para(doc, "{{ doc_number }}", align=CENTER, line=None, space_after=6)
    _red_rule(p)
    _para(doc, line=None)
    _title(doc, "{{ title }}")
    _para(doc, line=None)
    _para(doc, "各镇（街道）、场，区直有关单位：", line=28)
    _body(doc, "{{ summary }}现将{{ named_intro }}及其存在的问题通报如下：")
    _heading(doc, "一、被通报单位及存在的问题")
    _tag(doc, "{%p for n in named %}")
    _para(doc, "（{{ n.index_cn }}）{{ n.name }}（{{ n.score_text }}）", font="楷体", indent=True)
    _tag(doc, "{%p for p in n.problems %}")
    _body(doc, "{{ loop.index }}. {{ p.text }}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if not named %}")
    _body(doc, "本期监测未发现需要通报的单位。")
    _tag(doc, "{%p endif %}")
    _heading(doc, "二、有关要求")
    _body(doc, "请被通报单位高度重视，对照问题逐条整改，于5个工作日内完成整改，并将整改情况（附整改调查表）"
               "报区政务公开领导小组办公室。各单位要严把信息发布审核关，防止“不及时、不准确、不回应、不实用”问题反弹，"
               "确保政府网站信息更新及时、准确、安全、有效。")
    _signature(doc)
    return doc


TITLES = {"weekly": "周监测结果模板", "quarterly": "季度监测报告模板", "circular": "通报模板"}
BUILDERS = {"weekly": weekly, "quarterly": quarterly, "circular": circular}


def build(out_dir: Path = HERE) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, builder in BUILDERS.items():
        path = out_dir / f"{name}.docx"
        doc = builder()
        props = doc.core_properties
        props.author = props.last_modified_by = "govwatch"
        props.title = "{{ title }}"  # docxtpl fills document properties too
        props.subject = TITLES[name]
        props.comments = "docxtpl 模板，标记说明见 docs/reports.md"
        doc.save(path)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(p)
