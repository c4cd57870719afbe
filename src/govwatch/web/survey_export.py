"""附件4 as the office files it: a Word document laid out like the printed form, and its PDF.

The answers, the signature and the stamp image come from the submitted form; the
questions and their boxes come from `survey_schema`, the same data the web form uses.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from govwatch.lib.errors import GovwatchError
from govwatch.web.survey_schema import COLUMN_QUESTIONS, UPDATE_QUESTIONS

FONT = "仿宋"
TITLE_FONT = "方正小标宋简体"


def _run(paragraph, text: str, *, size: float = 12, bold: bool = False, font: str = FONT):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return run


def _cell(cell, text: str, *, bold: bool = False):
    cell.text = ""
    _run(cell.paragraphs[0], text, bold=bold)


def _answer_text(choices, value) -> str:
    """The printed boxes with the chosen one ticked: ☑是 □否."""
    return "　".join(("☑" if key == value else "□") + label for key, label in choices)


def survey_docx(survey) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    doc = Document()
    _run(doc.add_paragraph(), "附件4", size=14, bold=True)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, "网站整改调查表", size=20, font=TITLE_FONT)
    _run(doc.add_paragraph(), f"期次：{survey.period}", size=12)
    answers = survey.answers or {}
    header = [("填报单位", survey.unit.name, None, None), ("办公地址", survey.office_address, None, None),
              ("分管领导", survey.leader_name, "联系方式", survey.leader_contact),
              ("网站管理员", survey.admin_name, "联系方式", f"{survey.admin_contact}　QQ：{survey.admin_qq}")]
    groups = [("栏目建设情况", COLUMN_QUESTIONS), ("信息更新情况", UPDATE_QUESTIONS)]
    rows = len(header) + sum(len(q) for _, q in groups) + 1
    table = doc.add_table(rows=rows, cols=4)
    table.style = "Table Grid"
    r = 0
    for label, value, label2, value2 in header:
        cells = table.rows[r].cells
        _cell(cells[0], label, bold=True)
        if label2 is None:
            merged = cells[1].merge(cells[3])
            _cell(merged, value or "")
        else:
            _cell(cells[1], value or "")
            _cell(cells[2], label2, bold=True)
            _cell(cells[3], value2 or "")
        r += 1
    for group, questions in groups:
        # One label cell per group, spanning its questions, as on the printed form.
        label_cell = table.cell(r, 0).merge(table.cell(r + len(questions) - 1, 0))
        _cell(label_cell, group, bold=True)
        for key, question, choices in questions:
            cells = table.rows[r].cells
            _cell(cells[1].merge(cells[2]), question)
            _cell(cells[3], _answer_text(choices, answers.get(key)))
            r += 1
    cells = table.rows[r].cells
    _cell(cells[0], "部门签字盖章", bold=True)
    sign = cells[1].merge(cells[3])
    _cell(sign, f"签字：{survey.signature_name or '（未签字）'}")
    if survey.stamp:
        with survey.stamp.open("rb") as fh:
            sign.add_paragraph().add_run().add_picture(io.BytesIO(fh.read()), width=Mm(35))
    if survey.submitted_at:
        from django.utils import timezone

        day = timezone.localtime(survey.submitted_at).date()
        _run(doc.add_paragraph(), f"提交日期：{day.year}年{day.month}月{day.day}日　提交人：{survey.submitted_by}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def docx_to_pdf(docx: bytes, name: str) -> bytes:
    """The PDF LibreOffice makes of a .docx; an office without LibreOffice gets a sentence, not a traceback."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise GovwatchError("本机未安装 LibreOffice，无法导出 PDF；请导出 Word 版后另存为 PDF")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{name}.docx"
        src.write_bytes(docx)
        try:
            subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{Path(tmp) / 'lo'}",
                            "--convert-to", "pdf", "--outdir", tmp, str(src)],
                           check=True, capture_output=True, timeout=180, env={"HOME": tmp, "PATH": "/usr/bin:/bin"})
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            raise GovwatchError("PDF 转换失败，请导出 Word 版后另存为 PDF") from None
        pdf = Path(tmp) / f"{name}.pdf"
        if not pdf.is_file():
            raise GovwatchError("PDF 转换失败，请导出 Word 版后另存为 PDF")
        return pdf.read_bytes()
