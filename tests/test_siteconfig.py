import pytest

from govwatch.lib.errors import ConfigError
from govwatch.rulebook import CATEGORY_IDS
from govwatch.siteconfig import load_site

GOOD = """
[site]
name = "君山区人民政府门户网站"
home = "http://www.example.gov.cn/"
delay_seconds = 1

[[units]]
code = "0107"
name = "区财政局"
sections = ["http://www.example.gov.cn/bmxxgk/czj/"]

[[units]]
code = "0302"
sections = ["http://www.example.gov.cn/bmxxgk/gaj/"]

[[columns]]
url = "http://www.example.gov.cn/bmxxgk/czj/tzgg/"
unit = "0107"
category = "notice"
expected = "quarterly"
"""


def _write(tmp_path, text):
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_site_config_defaults_and_attribution(tmp_path):
    site = load_site(_write(tmp_path, GOOD))
    assert site.allowed_hosts == ("www.example.gov.cn",)
    assert site.rulebook == "district-2017"
    assert site.delay_seconds == 1.0 and site.concurrency_per_host == 4 and site.obey_robots is True
    assert site.allow_private_addresses is False
    assert site.unit_for_url("http://www.example.gov.cn/bmxxgk/czj/gzdt/t1.html") == "0107"
    assert site.unit_for_url("http://www.example.gov.cn/other/") is None
    assert site.pin_for("http://www.example.gov.cn/bmxxgk/czj/tzgg/").expected == "quarterly"


def test_site_config_unit_code_without_quotes_names_line_and_field(tmp_path):
    path = _write(tmp_path, GOOD.replace('code = "0302"', "code = 302"))
    with pytest.raises(ConfigError) as err:
        load_site(path)
    assert err.value.field == "units.1.code"
    assert path.read_text(encoding="utf-8").splitlines()[err.value.line - 1] == "code = 302"


def test_site_config_unknown_category_is_rejected(tmp_path):
    path = _write(tmp_path, GOOD.replace('category = "notice"', 'category = "gossip"'))
    with pytest.raises(ConfigError) as err:
        load_site(path)
    assert err.value.field == "columns.0.category"
    assert err.value.message == f"未知类别（可用：{', '.join(CATEGORY_IDS)}）"


def test_site_config_column_for_unlisted_unit_is_rejected(tmp_path):
    path = _write(tmp_path, GOOD.replace('unit = "0107"', 'unit = "0999"'))
    with pytest.raises(ConfigError) as err:
        load_site(path)
    assert "0999" in err.value.message


def test_site_config_bad_home_url(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_site(_write(tmp_path, GOOD.replace('home = "http://www.example.gov.cn/"', 'home = "www.example.gov.cn"')))
    assert err.value.field == "site.home" and err.value.line == 4


def test_site_config_unknown_site_field(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_site(_write(tmp_path, GOOD.replace("delay_seconds = 1", "delay = 1")))
    assert err.value.field == "site.delay"


def test_site_config_unit_not_in_the_rulebook_is_refused_with_its_line(tmp_path):
    from govwatch.rulebook import load_rulebook
    from govwatch.siteconfig import check_units

    path = _write(tmp_path, GOOD.replace('code = "0302"', 'code = "9999"'))
    site = load_site(path)
    with pytest.raises(ConfigError) as err:
        check_units(site, load_rulebook(site.rulebook))
    assert err.value.line == 13
    assert err.value.field == "units[1].code"
    assert "9999（未填单位名称）不在规则库单位名单（附件1）中" in str(err.value)


def test_site_config_units_of_the_rulebook_are_accepted(tmp_path):
    from govwatch.rulebook import load_rulebook
    from govwatch.siteconfig import check_units

    site = load_site(_write(tmp_path, GOOD))
    assert check_units(site, load_rulebook(site.rulebook)) is None
    assert [u.code for u in site.units] == ["0107", "0302"]


def test_site_config_notify_channels_per_site_and_unit(tmp_path):
    text = GOOD.replace('delay_seconds = 1\n', 'delay_seconds = 1\nnotify = ["wecombot://abc123"]\n'
                        'probe_pages = ["http://www.example.gov.cn/zwgk/"]\n')
    text = text.replace('name = "区财政局"\n', 'name = "区财政局"\nnotify = ["dingtalk://token123", "json://hooks.example.gov.cn/czj"]\n')
    site = load_site(_write(tmp_path, text))
    assert site.notify == ("wecombot://abc123",)
    assert site.probe_pages == ("http://www.example.gov.cn/zwgk/",)
    assert [u.notify for u in site.units] == [("dingtalk://token123", "json://hooks.example.gov.cn/czj"), ()]


def test_site_config_notify_that_is_not_a_url_names_the_field(tmp_path):
    path = _write(tmp_path, GOOD.replace('name = "区财政局"\n', 'name = "区财政局"\nnotify = ["钉钉群"]\n'))
    with pytest.raises(ConfigError) as err:
        load_site(path)
    assert err.value.field == "units.0.notify"
