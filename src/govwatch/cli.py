"""The `govwatch` command. Thin: each subcommand lives with the code it drives.

Subcommands are imported lazily so that `govwatch extract` does not pay for
Django or Scrapy start-up. A user's mistake (GovwatchError) ends with one line
on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import click

from govwatch.cliutil import install_zh_messages, localize
from govwatch.lib.errors import GovwatchError

install_zh_messages()

# name -> ("module:attribute" of a click command or group, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("govwatch.monitoring.cli:demo", "一键演示：生成示例门户、完整监测一轮、输出结果"),
    "run": ("govwatch.monitoring.cli:run", "对一个站点执行一轮完整监测（采集、抽取、检查、评分）"),
    "findings": ("govwatch.monitoring.cli:findings", "导出某次监测的全部问题（json/csv/xlsx）"),
    "scores": ("govwatch.monitoring.cli:scores", "导出某次监测或某季度的单位得分（json/csv/xlsx）"),
    "columns": ("govwatch.monitoring.columns_cli:columns", "栏目梳理：列出站点发现的全部栏目及其类别、把握和读取方式"),
    "extract": ("govwatch.extract.cli:extract", "从一个保存的网页抽取要素，输出 JSON"),
    "textcheck": ("govwatch.textcheck.cli:textcheck", "检查文本中的错别字和错误表述，逐行输出 JSON"),
    "sample": ("govwatch.samplesite.cli:sample", "生成或启动内置示例门户网站"),
    "report": ("govwatch.reports.cli:report", "生成 Word 报告：周监测结果、季度监测报告、通报"),
    "serve": ("govwatch.web.cli:serve", "启动网页管理端（监测办、复核员、单位管理员、领导）"),
    "probe": ("govwatch.probe.cli:probe", "可用性探测：首页和指定网页能否在规定时间内打开"),
    "worker": ("govwatch.monitoring.tasks:worker", "启动分布式监测工作进程（需要 GOVWATCH_BROKER_URL）"),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        entry = COMMANDS.get(name)
        if entry is None:
            return None
        module, attr = entry[0].split(":")
        return localize(getattr(importlib.import_module(module), attr))

    def format_commands(self, ctx, formatter):
        # Listing must not import every subsystem; the help text lives here.
        with formatter.section("命令"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in COMMANDS])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govwatch")
def cli():
    """govwatch：政府门户网站内容保障常态化监测。"""


def main(argv=None):
    try:
        cli.main(args=argv, prog_name="govwatch", standalone_mode=False)
    except GovwatchError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("已中止。", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if exc.exit_code == 2 else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)


localize(cli)

if __name__ == "__main__":
    main()
