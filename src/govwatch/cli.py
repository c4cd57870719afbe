"""The `govwatch` command. Thin: each subcommand lives with the code it drives.

Subcommands are imported lazily so that `govwatch extract` does not pay for
Django or Scrapy start-up. A user's mistake (GovwatchError) ends with one line
on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import click

from govwatch.lib.errors import GovwatchError

# name -> "module:attribute" of a click command or group
COMMANDS: dict[str, str] = {
    "sample": "govwatch.samplesite.cli:sample",
    "run": "govwatch.monitoring.cli:run",
    "findings": "govwatch.monitoring.cli:findings",
    "scores": "govwatch.monitoring.cli:scores",
    "demo": "govwatch.monitoring.cli:demo",
    "extract": "govwatch.extract.cli:extract",
    "textcheck": "govwatch.textcheck.cli:textcheck",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)


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


if __name__ == "__main__":
    main()
