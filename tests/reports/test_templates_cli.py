"""Templates an office can replace, and the `govwatch report` command's arguments."""

from __future__ import annotations

import subprocess
import sys

import pytest
from docx import Document

from govwatch.cli import main
from govwatch.lib.errors import GovwatchError
from govwatch.reports import render
from govwatch.reports.build_templates import build
from govwatch.reports.cli import build_report

from .conftest import docx_text


def _custom_template(path, marker: str):
    doc = Document()
    doc.add_paragraph(f"{marker} {{{{ title }}}}")
    doc.add_paragraph("{%p for r in ranking %}")
    doc.add_paragraph("{{ r.rank }}、{{ r.name }} {{ r.score }}")
    doc.add_paragraph("{%p endfor %}")
    doc.save(path)
    return path


def test_bundled_templates_are_what_build_templates_writes(tmp_path):
    for path in build(tmp_path):
        bundled = render.BUNDLED / path.name
        assert bundled.is_file()
        assert docx_text(path) == docx_text(bundled)


def test_template_option_replaces_the_bundled_template(data, tmp_path):
    tpl = _custom_template(tmp_path / "mine.docx", "本办自定义模板")
    out = build_report("weekly", out=tmp_path / "w.docx", template=tpl)
    text = docx_text(out)
    assert text.startswith("本办自定义模板 政府门户网站内容保障周监测结果")
    assert "1、区民政局 102" in text


def test_template_directory_from_environment(data, tmp_path, monkeypatch):
    (tmp_path / "tpl").mkdir()
    _custom_template(tmp_path / "tpl" / "weekly.docx", "环境变量模板")
    monkeypatch.setenv("GOVWATCH_REPORT_TEMPLATES", str(tmp_path / "tpl"))
    assert docx_text(build_report("weekly", out=tmp_path / "w.docx")).startswith("环境变量模板")
    # A kind the directory lacks falls back to the bundled template.
    assert "通报" in docx_text(build_report("circular", out=tmp_path / "c.docx"))


def test_broken_template_is_a_one_line_error(data, tmp_path):
    doc = Document()
    doc.add_paragraph("{{ title ")
    doc.save(tmp_path / "bad.docx")
    with pytest.raises(GovwatchError, match="模板无法使用"):
        build_report("weekly", out=tmp_path / "w.docx", template=tmp_path / "bad.docx")


def test_missing_template_file_is_an_error(data, tmp_path):
    with pytest.raises(GovwatchError, match="模板文件不存在"):
        build_report("weekly", out=tmp_path / "w.docx", template=tmp_path / "nope.docx")


def _run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    captured = capsys.readouterr()
    return exc.value.code, captured.out, captured.err


def test_report_command_writes_the_file_and_says_so(data, tmp_path, no_setup, capsys):
    out = tmp_path / "w.docx"
    main(["report", "--kind", "weekly", "--run", "latest", "--out", str(out)])
    assert out.is_file()
    assert f"已生成周监测结果：{out}" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["--kind", "monthly", "--out", "x.docx"], "--kind 无效：monthly"),
    (["--out", "x.docx"], "缺少 --kind"),
    (["--kind", "weekly"], "缺少 --out"),
    (["--kind", "weekly", "--out", "x.xlsx"], "周监测结果应输出为 .docx 文件"),
    (["--kind", "scores-xlsx", "--out", "x.docx"], "季度得分表应输出为 .xlsx 文件"),
    (["--kind", "weekly", "--quarter", "2026Q4", "--out", "x.docx"], "请用 --run"),
    (["--kind", "quarterly", "--quarter", "2026Q5", "--out", "x.docx"], "季度格式应为 YYYYQn"),
    (["--kind", "circular", "--run", "1", "--quarter", "2026Q4", "--out", "x.docx"], "只能选一个"),
    (["--kind", "annual-xlsx", "--year", "26", "--out", "x.xlsx"], "--year 应为四位年份"),
    (["--kind", "quarterly", "--threshold", "九十", "--out", "x.docx"], "--threshold 应为数字"),
    (["--kind", "circular", "--date", "2026-13-01", "--out", "x.docx"], "--date 日期格式"),
])
def test_report_bad_arguments_exit_2_with_one_chinese_line(argv, message, capsys, no_setup):
    code, _, err = _run(["report", *argv], capsys)
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("错误：")
    assert message in lines[0]


def test_report_unknown_run_exits_2(db, tmp_path, capsys, no_setup):
    code, _, err = _run(["report", "--kind", "weekly", "--run", "999", "--out", str(tmp_path / "w.docx")], capsys)
    assert code == 2
    assert err.strip() == "错误：监测运行不存在：999"


def test_report_on_an_empty_database_exits_2_in_a_fresh_process(tmp_path):
    env = {"GOVWATCH_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin",
           "GOVWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = subprocess.run([sys.executable, "-m", "govwatch.cli", "report", "--kind", "weekly",
                             "--out", str(tmp_path / "w.docx")], capture_output=True, text=True, env=env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("错误：还没有完成的监测运行")
