"""`govwatch extract FILE.html`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from govwatch.extract.cli import extract

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_extract_cli_article_json():
    result = CliRunner().invoke(extract, [str(FIXTURES / "trs_notice_article.html"), "--url", "http://www.example.gov.cn/czj/tzgg/202611/t20261120_1.html"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["kind"] == "article"
    assert data["published_at"] == "2026-11-20T16:32"
    assert data["signature"] == {"organ": "君山区财政局", "date": "2026-11-18"}
    assert data["attachments"][0]["url"].endswith(".docx")


def test_extract_cli_auto_kinds():
    kinds = {}
    for name in ("trs_list.html", "question_page.html", "guide_page.html", "news_article.html"):
        result = CliRunner().invoke(extract, [str(FIXTURES / name)])
        kinds[name] = json.loads(result.output)["kind"]
    assert kinds == {"trs_list.html": "list", "question_page.html": "question", "guide_page.html": "guide", "news_article.html": "article"}


def test_extract_cli_gbk_file_output_is_chinese():
    result = CliRunner().invoke(extract, [str(FIXTURES / "news_article.html"), "--kind", "article"])
    assert json.loads(result.output)["title"] == "区卫健局开展冬季流感防控专题培训"


def test_extract_cli_missing_file_one_line_exit_2(tmp_path):
    missing = tmp_path / "nope.html"
    proc = subprocess.run([sys.executable, "-m", "govwatch.cli", "extract", str(missing)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "文件不存在" in proc.stderr and "Traceback" not in proc.stderr
