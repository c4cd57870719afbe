"""Where LibreOffice is installed, the reports convert to PDF with Chinese text intact.

Skipped cleanly when `soffice` or poppler's tools are absent (as in a minimal CI).
The CJK font comes from the same PyPI package as the charts, through a
private fontconfig file, so nothing on the system is assumed.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from govwatch.reports.cli import build_report
from govwatch.reports.fonts import font_path

pytestmark = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdftoppm")),
                                reason="LibreOffice (soffice) or poppler-utils not installed")


def _env(tmp_path):
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{font_path().parent}</dir>
  <cachedir>{tmp_path / 'fc-cache'}</cachedir>
</fontconfig>
""", encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(tmp_path)}


def _to_pdf(docx, tmp_path):
    env = _env(tmp_path)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, env=env, timeout=300)
    pdf = tmp_path / (docx.stem + ".pdf")
    assert pdf.is_file()
    return pdf, env


@pytest.mark.parametrize("kind, kw", [("weekly", {}), ("quarterly", {"quarter": "2026Q4"}), ("circular", {})])
def test_report_converts_to_pdf_with_chinese_text(data, tmp_path, kind, kw):
    docx = build_report(kind, out=tmp_path / f"{kind}.docx", **kw)
    pdf, env = _to_pdf(docx, tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "区农村经营管理局" in text
    if kind != "circular":
        for unit in data.units:
            assert unit.name in text.replace(" ", "")
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, env=env)
    pages = list(tmp_path.glob("page*.png"))
    assert len(pages) == 1 and pages[0].stat().st_size > 1000


@pytest.mark.parametrize("kind, kw", [("weekly", {}), ("quarterly", {"quarter": "2026Q4"}), ("circular", {})])
def test_report_pdf_has_chinese_dates_no_archive_pointer_and_unbroken_addresses(data, tmp_path, kind, kw):
    import re

    from govwatch.monitoring.models import Finding

    docx = build_report(kind, out=tmp_path / f"{kind}.docx", **kw)
    pdf, _env_ = _to_pdf(docx, tmp_path)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = text.replace("\u200b", "")
    assert "区农村经营管理局" in text
    assert re.findall(r"warc|offset=|存档：", text) == []
    assert re.findall(r"\b20\d\d-\d\d-\d\d\b", text) == []
    assert re.search(r"20\d\d年\d{1,2}月\d{1,2}日|二〇二六年", text)
    urls = {f.url for f in data.runs[-1].findings.filter(state=Finding.State.CONFIRMED, points__lt=0)}
    flat = re.sub(r"\s+", "", text)
    printed = [u for u in urls if u in flat]
    assert kind == "circular" or len(printed) > 0
    for url in printed:
        # A line may end only right after a slash: no word of an address is cut in two.
        pattern = r"/\s*".join(re.escape(part) for part in url.split("/"))
        assert re.search(pattern, text), url
