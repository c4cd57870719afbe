"""`govwatch columns`: the column inventory (栏目梳理) from the site's latest run."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from click.testing import CliRunner

from govwatch.cli import cli
from govwatch.pipeline.run import execute_run

from tests.monitoring.conftest import AS_OF, BASE, SITE, _column, _result

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_setup(monkeypatch):
    import govwatch.monitoring.bootstrap as bootstrap

    monkeypatch.setattr(bootstrap, "setup_django", lambda migrate=True: None)


def _published(site_path, fake_crawl):
    script = dataclasses.replace(_column("0302", "jwdt", "警务动态", AS_OF - dt.timedelta(days=2)),
                                 read_via="script_records", category_confidence=0.55)
    fake_crawl.append(_result([_column("0107", "gzdt", "工作动态", AS_OF - dt.timedelta(days=3)), script]))
    return execute_run(site_path, AS_OF, progress=False).run


def test_columns_json_lists_every_column_with_category_confidence_and_how_read(site_path, fake_crawl):
    _published(site_path, fake_crawl)
    result = CliRunner().invoke(cli, ["columns", "--site", str(site_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["unit"], r["unit_name"], r["name"], r["url"]) for r in rows] == [
        ("0107", "区财政局", "工作动态", f"{BASE}czj/gzdt/"), ("0302", "公安分局", "警务动态", f"{BASE}gaj/jwdt/")]
    assert [(r["category"], r["category_confidence"], r["read_via"], r["read_via_label"]) for r in rows] == [
        ("news", 1.0, "static", "静态页面"), ("news", 0.55, "script_records", "脚本内嵌数据")]
    assert [(r["item_count"], r["newest_item_date"], r["confirmed"]) for r in rows] == [
        (3, "2026-11-24", False), (3, "2026-11-25", False)]


def test_columns_table_is_in_chinese(site_path, fake_crawl):
    run = _published(site_path, fake_crawl)
    result = CliRunner().invoke(cli, ["columns", "--site", str(site_path)], terminal_width=240)
    assert result.exit_code == 0, result.output
    assert f"栏目梳理：监测运行 #{run.pk}（2026-11-27），共 2 个栏目" in result.output
    assert "脚本内嵌数据" in result.output and "待确认" in result.output


def test_columns_xlsx_has_chinese_headers_and_one_row_per_column(site_path, fake_crawl, tmp_path):
    from openpyxl import load_workbook

    _published(site_path, fake_crawl)
    out = tmp_path / "columns.xlsx"
    result = CliRunner().invoke(cli, ["columns", "--site", str(site_path), "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["栏目梳理"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("机关编码", "单位名称", "栏目名称", "栏目地址")
    assert len(rows) == 3
    assert rows[2][9] == "script_records"


def test_columns_without_any_run_says_so_in_chinese_and_exits_2(site_path, capsys):
    from govwatch.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["columns", "--site", str(site_path)])
    assert exc.value.code == 2
    assert "还没有完成的监测运行，暂无栏目清单" in capsys.readouterr().err


def test_columns_pinned_in_site_toml_show_as_confirmed_with_the_pinned_category(site_path, fake_crawl):
    _published(site_path, fake_crawl)
    site_path.write_text(SITE + f'''
[[columns]]
url = "{BASE}gaj/jwdt/"
unit = "0302"
category = "notice"
''', encoding="utf-8")
    result = CliRunner().invoke(cli, ["columns", "--site", str(site_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    pinned = [r for r in json.loads(result.output) if r["confirmed"]]
    assert [(r["url"], r["category"], r["category_label"], r["confirmed_by"]) for r in pinned] == [
        (f"{BASE}gaj/jwdt/", "notice", "通知公告类", "站点配置文件")]
