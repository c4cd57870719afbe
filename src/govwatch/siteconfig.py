"""Site configuration (INTERFACES.md §1): one TOML file per monitored portal."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from govwatch.lib.errors import ConfigError, toml_syntax_error
from govwatch.lib.tomlpos import find_line
from govwatch.rulebook import CATEGORY_IDS, FREQUENCIES, DEFAULT_RULEBOOK


@dataclass(frozen=True)
class UnitSection:
    code: str
    name: str
    sections: tuple[str, ...]
    # Apprise URLs where this unit's digest is also sent (a DingTalk/WeCom/Feishu group robot, a webhook).
    notify: tuple[str, ...] = ()


@dataclass(frozen=True)
class ColumnPin:
    url: str
    unit: str | None = None
    category: str | None = None
    key_area: bool | None = None
    expected: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class SiteConfig:
    path: str
    name: str
    home: str
    allowed_hosts: tuple[str, ...]
    rulebook: str
    concurrency_per_host: int = 4
    delay_seconds: float = 0.25
    max_pages: int = 200000
    obey_robots: bool = True
    allow_private_addresses: bool = False
    timeout_seconds: float = 20.0
    max_page_bytes: int = 5 * 1024 * 1024
    units: tuple[UnitSection, ...] = ()
    columns: tuple[ColumnPin, ...] = ()
    # Pages probed for availability besides the homepage (national.site_unreachable lists their failures).
    probe_pages: tuple[str, ...] = ()
    # Apprise URLs where the office's run summary is also sent.
    notify: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    @property
    def base_dir(self) -> Path:
        return Path(self.path).parent

    def unit_for_url(self, url: str) -> str | None:
        """The unit whose section root is the longest prefix of `url`."""
        best, best_len = None, -1
        for unit in self.units:
            for root in unit.sections:
                if url.startswith(root) and len(root) > best_len:
                    best, best_len = unit.code, len(root)
        return best

    def pin_for(self, url: str) -> ColumnPin | None:
        for pin in self.columns:
            if pin.url == url:
                return pin
        return None


_SITE_FIELDS = {
    "name": str, "home": str, "rulebook": str, "concurrency_per_host": int, "delay_seconds": float,
    "max_pages": int, "obey_robots": bool, "allow_private_addresses": bool, "allowed_hosts": list,
    "timeout_seconds": float, "max_page_bytes": int, "probe_pages": list, "notify": list,
}


def load_site(path: str | Path) -> SiteConfig:
    path = Path(path)
    if not path.exists():
        raise ConfigError(str(path), None, None, "站点配置文件不存在")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(str(path), None, None, "站点配置文件应为 UTF-8 编码") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_syntax_error(str(path), exc) from None
    return parse_site(raw, text, str(path))


def parse_site(raw: dict, text: str, path: str) -> SiteConfig:
    def fail(keys, message):
        raise ConfigError(path, find_line(text, keys), ".".join(str(k) for k in keys), message)

    def typed(table, keys, typ, required=False, default=None):
        value = table.get(keys[-1])
        if value is None:
            if required:
                fail(keys, "缺少必填字段")
            return default
        if typ is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if (typ is int and isinstance(value, bool)) or not isinstance(value, typ):
            fail(keys, f"类型错误：应为 {typ.__name__}")
        return value

    site = raw.get("site")
    if not isinstance(site, dict):
        fail(["site"], "缺少 [site] 表")
    for key in site:
        if key not in _SITE_FIELDS:
            fail(["site", key], "未知字段")
    name = typed(site, ["site", "name"], str, required=True)
    home = typed(site, ["site", "home"], str, required=True)
    parts = urlsplit(home)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        fail(["site", "home"], "应为以 http:// 或 https:// 开头的网址")
    hosts = typed(site, ["site", "allowed_hosts"], list, default=[parts.hostname])
    for i, host in enumerate(hosts):
        if not isinstance(host, str) or not host:
            fail(["site", "allowed_hosts"], f"第 {i + 1} 项应为主机名字符串")
    values = {k: typed(site, ["site", k], t) for k, t in _SITE_FIELDS.items() if k not in ("name", "home", "allowed_hosts")}
    for key in ("concurrency_per_host", "max_pages", "max_page_bytes"):
        if values[key] is not None and values[key] < 1:
            fail(["site", key], "应为正整数")
    for key in ("delay_seconds", "timeout_seconds"):
        if values[key] is not None and values[key] < 0:
            fail(["site", key], "不能为负数")
    if values["probe_pages"] is not None:
        for page in values["probe_pages"]:
            if not isinstance(page, str) or urlsplit(page).scheme not in ("http", "https"):
                fail(["site", "probe_pages"], f"不是有效网址：{page!r}")
        values["probe_pages"] = tuple(values["probe_pages"])
    if values["notify"] is not None:
        values["notify"] = _notify_urls(values["notify"], ["site", "notify"], fail)

    units = []
    seen = set()
    raw_units = raw.get("units", [])
    if not isinstance(raw_units, list):
        fail(["units"], "应为 [[units]] 数组表")
    for i, row in enumerate(raw_units):
        code = typed(row, ["units", i, "code"], str, required=True)
        if not (len(code) == 4 and code.isdigit()):
            fail(["units", i, "code"], "机关编码应为4位数字字符串（带引号，保留前导零），如 \"0107\"")
        if code in seen:
            fail(["units", i, "code"], f"机关编码重复：{code}")
        seen.add(code)
        unit_name = typed(row, ["units", i, "name"], str, default="")
        sections = typed(row, ["units", i, "sections"], list, required=True)
        if not sections:
            fail(["units", i, "sections"], "至少需要一个栏目入口网址")
        for s in sections:
            if not isinstance(s, str) or urlsplit(s).scheme not in ("http", "https"):
                fail(["units", i, "sections"], f"不是有效网址：{s!r}")
        notify = _notify_urls(typed(row, ["units", i, "notify"], list, default=[]), ["units", i, "notify"], fail)
        units.append(UnitSection(code=code, name=unit_name, sections=tuple(sections), notify=notify))

    pins = []
    raw_cols = raw.get("columns", [])
    if not isinstance(raw_cols, list):
        fail(["columns"], "应为 [[columns]] 数组表")
    for i, row in enumerate(raw_cols):
        url = typed(row, ["columns", i, "url"], str, required=True)
        unit = typed(row, ["columns", i, "unit"], str)
        if unit is not None and unit not in seen:
            fail(["columns", i, "unit"], f"单位 {unit} 未在 [[units]] 中配置")
        category = typed(row, ["columns", i, "category"], str)
        if category is not None and category not in CATEGORY_IDS:
            fail(["columns", i, "category"], f"未知类别（可用：{', '.join(CATEGORY_IDS)}）")
        expected = typed(row, ["columns", i, "expected"], str)
        if expected is not None and expected not in FREQUENCIES:
            fail(["columns", i, "expected"], f"未知更新频率（可用：{', '.join(FREQUENCIES)}）")
        pins.append(ColumnPin(url=url, unit=unit, category=category,
                              key_area=typed(row, ["columns", i, "key_area"], bool), expected=expected,
                              name=typed(row, ["columns", i, "name"], str)))

    defaults = SiteConfig(path=path, name=name, home=home, allowed_hosts=tuple(hosts), rulebook=DEFAULT_RULEBOOK)
    overrides = {k: v for k, v in values.items() if v is not None}
    return SiteConfig(
        **{**defaults.__dict__, **overrides, "units": tuple(units), "columns": tuple(pins)}
    )


def check_units(site: SiteConfig, rulebook) -> None:
    """Refuse a [[units]] row the rulebook's unit list (附件1) does not know.

    Units are scored and ranked against that list, so a stray code (a typo
    such as 9999) must not quietly become a new department. An office that
    really has a new unit extends the rulebook's unit file on purpose.
    """
    known = {u.code for u in rulebook.units}
    text = Path(site.path).read_text(encoding="utf-8") if Path(site.path).exists() else ""
    for i, unit in enumerate(site.units):
        if unit.code not in known:
            where = "规则库单位名单（附件1）" if site.rulebook == DEFAULT_RULEBOOK else f"规则库 {site.rulebook} 的单位名单"
            raise ConfigError(site.path, find_line(text, ["units", i, "code"]), f"units[{i}].code",
                              f"机关编码 {unit.code}{'（' + unit.name + '）' if unit.name else '（未填单位名称）'}"
                              f"不在{where}中；新增单位请先在规则库的单位名单中加入该单位")


def _notify_urls(urls: list, keys: list, fail) -> tuple[str, ...]:
    """Notification targets as Apprise URLs (dingtalk://, wecombot://, feishu://, json://, mailto://...)."""
    for url in urls:
        if not isinstance(url, str) or "://" not in url:
            fail(keys, f"应为通知地址（Apprise 格式，如 dingtalk://令牌 或 json://主机/路径）：{url!r}")
    return tuple(urls)
