"""The Word reports: open each generated .docx and check its tables, unit names and numbers."""

from __future__ import annotations

import datetime as dt
import re
from statistics import mean

import pytest

from govwatch.lib.errors import GovwatchError
from govwatch.monitoring.exports import scores_export
from govwatch.reports.cli import build_report

from .conftest import NO_RUN_WEEKS, docx_tables, docx_text, table_with_header
from .factories import AS_OFS, HOME, LOW_UNIT, MISSING


def _weekly(data, tmp_path):
    return build_report("weekly", out=tmp_path / "weekly.docx", run_ref=str(data.runs[-1].pk))


def test_weekly_ranking_table_equals_scores_export(data, tmp_path):
    path = _weekly(data, tmp_path)
    table = table_with_header(path, "排名", "机关编码")
    assert table[0] == ["排名", "机关编码", "单位名称", "扣分", "加分", "得分"]
    expected = scores_export(data.runs[-1])
    got = [(r[1], r[2], int(r[3]), int(r[4]), int(r[5])) for r in table[1:]]
    assert got == [(e["unit"], e["name"], e["deductions"], e["bonuses"], e["score"]) for e in expected]
    assert len(got) == 41


def test_weekly_names_every_unit(data, tmp_path):
    text = docx_text(_weekly(data, tmp_path))
    for unit in data.units:
        assert unit.name in text


def test_weekly_ranks_share_places_on_equal_scores(data, tmp_path):
    table = table_with_header(_weekly(data, tmp_path), "排名", "机关编码")[1:]
    by_score: dict[int, set[str]] = {}
    for r in table:
        by_score.setdefault(int(r[5]), set()).add(r[0])
    assert all(len(ranks) == 1 for ranks in by_score.values())
    assert table[0][0] == "1"
    assert table[-1][2] == "区农村经营管理局"


def test_weekly_deductions_table_lists_every_confirmed_deduction(data, tmp_path):
    from govwatch.monitoring.models import Finding

    table = table_with_header(_weekly(data, tmp_path), "单位名称", "问题类型")
    run = data.runs[-1]
    confirmed = run.findings.filter(state=Finding.State.CONFIRMED, points__lt=0)
    assert len(table) - 1 == confirmed.count()
    assert sum(int(r[3]) for r in table[1:]) == sum(f.points for f in confirmed)
    messages = "\n".join(r[2] for r in table[1:])
    assert "错别字：“按装”应为“安装”" in messages
    assert "既使" not in messages  # pending review: not a deduction yet
    assert "banner.jpg" not in messages  # dismissed


def test_weekly_new_problems_are_only_those_new_or_returned(data, tmp_path):
    table = table_with_header(_weekly(data, tmp_path), "单位名称", "情况")
    rows = {(r[0], r[1]) for r in table[1:]}
    assert rows == {("区移民开发局", "新增"), ("区财政局", "新增"), ("区农业局", "新增（待复核）"),
                    ("区政务中心", "再次出现")}
    assert "工作动态" not in "\n".join(r[2] for r in table[1:])  # stale every week: not new


def test_weekly_summary_states_counts_and_dates(data, tmp_path):
    text = docx_text(_weekly(data, tmp_path))
    scores = [e["score"] for e in scores_export(data.runs[-1])]
    assert f"平均得分{round(mean(scores), 2)}分" in text
    assert f"{sum(1 for s in scores if s >= 100)}个单位得满分" in text
    assert "二〇二六年十一月二十七日" in text
    assert "上次监测：2026年11月20日" in text


def test_weekly_embeds_the_ranking_chart(data, tmp_path):
    from docx import Document

    assert len(Document(str(_weekly(data, tmp_path))).inline_shapes) == 1


def _quarterly(tmp_path, **kw):
    return build_report("quarterly", out=tmp_path / "q.docx", quarter="2026Q4", **kw)


def test_quarterly_ranking_is_the_mean_of_weekly_scores_export(data, tmp_path):
    path = _quarterly(tmp_path)
    table = table_with_header(path, "排名", "机关编码")
    weekly: dict[str, list[int]] = {}
    for run in data.runs:
        for e in scores_export(run):
            weekly.setdefault(e["unit"], []).append(e["score"])
    got = {r[1]: (float(r[3]), int(r[4])) for r in table[1:]}
    assert got == {u: (round(mean(v), 2), len(v)) for u, v in weekly.items()}
    assert len(got) == 41


def test_quarterly_marks_the_missing_week_and_does_not_count_it(data, tmp_path):
    code, day = MISSING
    table = table_with_header(_quarterly(tmp_path), "排名", "机关编码")
    row = next(r for r in table if r[1] == code)
    assert row[4] == "5"
    assert row[5] == "、".join(f"{d.month}月{d.day}日" for d in sorted((*NO_RUN_WEEKS, day)))
    grid = table_with_header(tmp_path / "q.docx", "单位名称", "10月23日")
    assert grid[0][1:] == [f"{d.month}月{d.day}日" for d in AS_OFS]
    assert next(r for r in grid if r[0] == "广兴洲镇")[3] == "未监测"


def test_quarterly_lists_units_below_threshold_with_their_problems(data, tmp_path):
    table = table_with_header(_quarterly(tmp_path), "单位名称", "平均分")
    assert [r[0] for r in table[1:]] == ["区农村经营管理局"]
    assert "错误虚假信息" in table[1][2]
    table = table_with_header(_quarterly(tmp_path / "t", threshold=96), "单位名称", "平均分")
    assert len(table) - 1 > 1


def test_quarterly_indicator_statistics_add_up_to_confirmed_deductions(data, tmp_path):
    from govwatch.monitoring.models import Finding

    table = table_with_header(_quarterly(tmp_path), "指标", "问题类型")
    confirmed = Finding.objects.filter(run__in=data.runs, state=Finding.State.CONFIRMED, points__lt=0)
    assert sum(int(r[2]) for r in table[1:]) == confirmed.count()
    assert sum(int(r[4]) for r in table[1:]) == sum(f.points for f in confirmed)
    stale = next(r for r in table if r[1] == "动态要闻类栏目超过10天未更新")
    assert stale[3] == "14"  # units 0, 3, 6, ... 39


def test_quarterly_typical_problems_quote_the_evidence(data, tmp_path):
    text = docx_text(_quarterly(tmp_path))
    assert "五、典型问题" in text
    assert "证据摘录：最新信息日期：2026年10月10日" in text
    assert "warc" not in text and "存档：" not in text
    assert "缺失要素：" in text


def test_quarterly_without_web_answers_says_no_rectification_data(data, tmp_path):
    text = docx_text(_quarterly(tmp_path))
    assert "暂无整改数据" in text
    assert "已消除" in text


def test_quarterly_uses_web_rectification_answers_when_present(data, tmp_path):
    from django.apps import apps
    from django.contrib.auth import get_user_model

    rect = apps.get_model("web", "Rectification")  # govwatch.web is an installed app: a LookupError fails
    from govwatch.monitoring.models import Finding

    user = get_user_model().objects.create_user("unit0107", email="czj@example.gov.cn")
    finding = Finding.objects.filter(run=data.runs[-1], unit__code="0107", points__lt=0).first()
    rect.objects.create(finding=finding, kind="fixed", note="已修改", actor=user, actor_label="unit0107")
    text = docx_text(_quarterly(tmp_path))
    assert "暂无整改数据" not in text
    assert "各单位答复已整改1个" in text


def test_quarterly_embeds_trend_ranking_and_indicator_charts(data, tmp_path):
    from docx import Document

    assert len(Document(str(_quarterly(tmp_path))).inline_shapes) == 3


def test_quarterly_without_runs_is_a_clear_error(db, tmp_path):
    with pytest.raises(GovwatchError, match="2025年第一季度没有已完成的监测运行"):
        build_report("quarterly", out=tmp_path / "q.docx", quarter="2025Q1")


def _circular(tmp_path, **kw):
    return build_report("circular", out=tmp_path / "c.docx", **kw)


def test_circular_has_red_header_doc_number_and_chinese_date(data, tmp_path):
    from docx import Document

    path = _circular(tmp_path, doc_number="君政公办〔2026〕12号", issued=dt.date(2026, 11, 30))
    doc = Document(str(path))
    assert doc.paragraphs[0].text == "区政务公开领导小组办公室"
    assert str(doc.paragraphs[0].runs[0].font.color.rgb) == "E00000"
    assert doc.paragraphs[1].text == "君政公办〔2026〕12号"
    text = docx_text(path)
    assert "二〇二六年十一月三十日" in text
    assert "关于2026年11月27日政府门户网站内容保障监测情况的通报" in text


def test_circular_names_each_unit_in_ranking_order_with_its_problems(data, tmp_path):
    from govwatch.monitoring.models import Finding, Score
    from govwatch.reports.cn import ZWSP, document_text

    text = docx_text(_circular(tmp_path))
    run = data.runs[-1]
    deducted = Score.objects.filter(run=run, deductions__gt=0).select_related("unit")
    order = [s.unit.name for s in sorted(deducted, key=lambda s: (-s.score, s.unit.code))]
    assert len(order) > 2
    positions = [text.index(f"）{name}（") for name in order]
    assert positions == sorted(positions)  # best first, as the weekly results and the quarterly report list them
    for f in run.findings.filter(state=Finding.State.CONFIRMED, points__lt=0).select_related("unit"):
        assert f.unit.name in text
        assert document_text(f.message).replace(ZWSP, "") in text
    assert re.findall(r"\d{4}-\d{2}-\d{2}", text) == []  # dates in Chinese
    assert "二〇二六年十一月二十七日" in text  # the default date: the run's date
    assert "〔2026〕　号" in text  # the 文号 placeholder to fill in


def test_circular_for_a_quarter_names_units_below_threshold(data, tmp_path):
    text = docx_text(_circular(tmp_path, quarter="2026Q4"))
    assert "（一）区农村经营管理局（季度平均82.00分）" in text
    assert "（二）" not in text
    assert "二〇二六年十二月三十一日" in text


def test_issuer_can_be_replaced(data, tmp_path):
    text = docx_text(_circular(tmp_path, issuer="君山区政务公开领导小组办公室"))
    assert text.startswith("君山区政务公开领导小组办公室")


def test_docx_output_is_unescaped_text_for_markup_characters(data, tmp_path):
    from govwatch.monitoring.models import Finding

    f = Finding.objects.filter(run=data.runs[-1], unit__code="0107", points__lt=0).first()
    f.message = "标题含<特殊>字符 & 符号"
    f.save()
    assert "标题含<特殊>字符 & 符号" in docx_text(_weekly(data, tmp_path))


def test_all_tables_have_a_header_row_repeated_on_each_page(data, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    tables = Document(str(_weekly(data, tmp_path))).tables
    assert len(tables) == 3  # the weekly bulletin has three tables
    for t in tables:
        assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_low_unit_constant_matches_the_data(data):
    assert scores_export(data.runs[0])[-1]["unit"] == LOW_UNIT


def test_quarter_never_mixes_two_sites_scores(data, tmp_path):
    from govwatch.catalog.models import Site
    from govwatch.monitoring.models import Run, Score

    other = Site.objects.create(name="另一门户", home="http://other.example.gov.cn/")
    run = Run.objects.create(site=other, as_of=dt.date(2026, 11, 28), cycle_start=dt.date(2026, 11, 21),
                             status=Run.Status.COMPLETE, rulebook="district-2017")
    Score.objects.create(run=run, unit=data.units[0], deductions=50, bonuses=0, score=50, by_rule={"x": -50})
    latest = docx_text(build_report("quarterly", out=tmp_path / "a.docx", quarter="2026Q4"))
    assert "另一门户共开展监测1次" in latest
    first = docx_text(build_report("quarterly", out=tmp_path / "b.docx", run_ref=str(data.runs[0].pk)))
    assert "君山区人民政府门户网站共开展监测6次" in first
    assert "50.00" not in first


def test_quarterly_threshold_from_the_command_line_reads_as_a_whole_number(data, tmp_path, no_setup):
    from govwatch.cli import main

    out = tmp_path / "q.docx"
    main(["report", "--kind", "quarterly", "--quarter", "2026q4", "--threshold", "95", "--out", str(out)])
    text = docx_text(out)
    assert "四、平均得分低于95分的单位" in text
    assert "95.0分" not in text


def test_quarterly_lists_survey_answers_the_monitor_contradicts_with_links(data, tmp_path):
    from django.apps import apps
    from django.utils import timezone

    survey = apps.get_model("web", "Survey")
    unit = next(u for u in data.units if u.code == "0101")  # its news column is stale every week
    survey.objects.create(unit=unit, period="2026Q4", deadline=dt.date(2026, 12, 10), status="submitted",
                          answers={key: "yes" for key, _, _ in survey.QUESTIONS},
                          submitted_at=timezone.make_aware(dt.datetime(2026, 11, 20, 10)))
    out = _quarterly(tmp_path)
    table = table_with_header(out, "单位名称", "调查项")
    assert [row[:3] for row in table[1:]] == [["区政府办", "动态类栏目每两周内是否予以更新？", "是"]]
    assert "动态要闻类栏目“工作动态”超过10天未更新" in table[1][3]
    assert "1个单位的整改调查表共1项勾选与监测结果矛盾" in docx_text(out)
    from docx import Document

    targets = [r.target_ref for r in Document(str(out)).part.rels.values() if r.is_external]
    assert targets == [f"{HOME}bm/0101/gzdt/"]
