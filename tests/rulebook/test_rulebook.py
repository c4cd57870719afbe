import shutil
from pathlib import Path

import pytest

from govwatch.lib.errors import ConfigError
from govwatch.rulebook import DATA_DIR, RULE_IDS, load_rulebook
from govwatch.rulebook.classify import classify_column


def test_bundled_rulebook_carries_every_indicator_rule():
    rulebook = load_rulebook("district-2017")
    assert set(rulebook.rules) == set(RULE_IDS)


def test_bundled_rulebook_has_the_41_units_of_attachment_1():
    units = load_rulebook().units
    assert len(units) == 41
    assert units[0].code == "0101" and units[0].name == "区政府办"
    assert {u.code for u in units} >= {"0107", "0128", "0302", "0402", "0405"}
    assert all(u.name == u.name.strip() for u in units)


def test_bundled_rulebook_points_match_the_notice():
    rules = load_rulebook().rules
    assert rules["stale.news"].points == -5 and rules["stale.news"]["max_age_days"] == 10
    assert rules["stale.notice"]["max_age_months"] == 5
    assert rules["stale.personnel"]["max_age_months"] == 10
    assert rules["blank.column"].points == -10
    assert rules["consult.unanswered_7d"]["days"] == 7 and rules["consult.unanswered_15d"]["days"] == 15
    assert rules["timeliness.document"]["max_working_days"] == 20
    assert rules["bonus.news"]["monthly_cap"] == 5
    assert rules["error.false_info"].points == -10
    assert rules["error.typo"].needs_review is True


def _copy_rulebook(tmp_path: Path, edit) -> Path:
    for name in ("district-2017.toml", "units-2017.toml"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    path = tmp_path / "district-2017.toml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_rulebook_with_wrong_type_names_file_line_and_field(tmp_path):
    path = _copy_rulebook(tmp_path, lambda t: t.replace("max_age_days = 10\n", 'max_age_days = 10\npoints_x = 1\n', 1)
                          .replace('[rules."stale.policy"]\ntitle = "政策文件类栏目超过5个月未更新"\nindicator = "政策文件类栏目"\nkind = "state"\npoints = -5',
                                   '[rules."stale.policy"]\ntitle = "政策文件类栏目超过5个月未更新"\nindicator = "政策文件类栏目"\nkind = "state"\npoints = "five"'))
    with pytest.raises(ConfigError) as err:
        load_rulebook(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert err.value.field == "rules.stale.policy.points"
    assert lines[err.value.line - 1].startswith('points = "five"')
    assert str(path) in str(err.value)


def test_rulebook_missing_rule_is_an_error(tmp_path):
    path = _copy_rulebook(tmp_path, lambda t: t.replace('[rules."error.typo"]', '[rules."error.typo_renamed"]'))
    with pytest.raises(ConfigError) as err:
        load_rulebook(path)
    assert "error.typo" in str(err.value)


def test_rulebook_syntax_error_reports_line(tmp_path):
    path = _copy_rulebook(tmp_path, lambda t: t.replace("base_score = 100", "base_score = = 100"))
    with pytest.raises(ConfigError) as err:
        load_rulebook(path)
    assert err.value.line is not None
    assert "base_score = = 100" in path.read_text(encoding="utf-8").splitlines()[err.value.line - 1]


def test_unknown_rulebook_name_lists_the_bundled_ones():
    with pytest.raises(ConfigError) as err:
        load_rulebook("no-such-book")
    assert "district-2017" in str(err.value)


@pytest.mark.parametrize(
    "name, category, key_area, expected",
    [
        ("今日君山", "news", False, None),
        ("公示公告", "notice", False, None),
        ("任前公示", "personnel", False, None),
        ("招考录用", "personnel", False, None),
        ("月度统计", "statistics", False, "monthly"),
        ("领导活动", "other", False, "yearly"),
        ("财政预决算", "finance", True, None),
        ("咨询答复", "consultation", False, None),
        ("年度工作计划", "plan", False, "yearly"),
        ("环境保护动态", "news", True, None),
        ("机构职能", "profile", False, None),
        ("网上调查", "other", False, None),
    ],
)
def test_classify_column_by_name(name, category, key_area, expected):
    c = classify_column(name, load_rulebook())
    assert (c.category, c.key_area, c.expected) == (category, key_area, expected)


def test_rulebook_survey_row_with_unknown_rule_names_the_field(tmp_path):
    path = _copy_rulebook(tmp_path, lambda t: t.replace('[survey.upd_news]\nrules = ["stale.news"]',
                                                        '[survey.upd_news]\nrules = ["stale.newz"]'))
    with pytest.raises(ConfigError) as err:
        load_rulebook(path)
    assert err.value.field == "survey.upd_news.rules"
    assert "stale.newz" in str(err.value)


def test_rulebook_typo_confidence_floor_out_of_range_names_the_field(tmp_path):
    path = _copy_rulebook(tmp_path, lambda t: t.replace("confidence_floor = 0.66", "confidence_floor = 1.5"))
    with pytest.raises(ConfigError) as err:
        load_rulebook(path)
    assert err.value.field == "rules.error.typo.confidence_floor"


def test_bundled_rulebook_typo_confidence_floor():
    assert load_rulebook().rule("error.typo")["confidence_floor"] == 0.66


def test_classify_column_name_of_one_category_is_sure():
    c = classify_column("通知公告", load_rulebook())
    assert (c.category, c.confidence) == ("notice", 1.0)


def test_classify_column_name_of_several_categories_is_unsure():
    # 人才 (personnel) and 计划 (plan): the order decides, and the rulebook says how unsure that is.
    rulebook = load_rulebook()
    c = classify_column("人才引进计划", rulebook)
    assert c.category == "personnel"
    assert c.confidence == rulebook.classification["ambiguous_category"]
    assert c.confidence < rulebook.confidence["category"]


def test_classify_column_name_of_no_category_is_other_with_the_rulebook_confidence():
    rulebook = load_rulebook()
    c = classify_column("便民地图", rulebook)
    assert (c.category, c.confidence) == ("other", rulebook.classification["unmatched_category"])


def test_rulebook_without_classification_table_counts_every_name_as_sure(tmp_path):
    path = _copy_rulebook(tmp_path, lambda t: t.replace("[classification]\nambiguous_category = 0.5\nunmatched_category = 0.7\n", ""))
    rulebook = load_rulebook(path)
    assert dict(rulebook.classification) == {"ambiguous_category": 1.0, "unmatched_category": 1.0}
    assert classify_column("人才引进计划", rulebook).confidence == 1.0


def test_rulebook_classification_out_of_range_names_the_field(tmp_path):
    path = _copy_rulebook(tmp_path, lambda t: t.replace("ambiguous_category = 0.5", "ambiguous_category = 5"))
    with pytest.raises(ConfigError) as err:
        load_rulebook(path)
    assert "classification" in str(err.value) and "ambiguous_category" in str(err.value)
