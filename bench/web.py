"""Web page latency on one year of data: 52 weekly runs of all 41 units.

    python bench/web.py [--requests 60] [--database-url postgres://...]

Builds a fresh database (SQLite in a temp dir by default), fills it with the test
factory (tests/web/factories.py), then times the ranking page `/` and a unit page
`/units/0107/` with Django's test Client, logged in as a leader (sees all units) and as
a unit admin. The baseline is the login page measured in the same run: the cost
of Django's request cycle with nothing of ours in it. Target: p95 <= 150 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_MS = 150.0


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def timed(client, path: str, n: int) -> list[float]:
    client.get(path)  # warm: template compilation, rulebook parse
    out = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(path)
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--runs", type=int, default=52)
    parser.add_argument("--database-url", default="", help="默认在临时目录中新建 SQLite 数据库")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="govwatch-bench-web-"))
    os.environ["GOVWATCH_DATA_DIR"] = str(tmp)
    os.environ["GOVWATCH_ALLOWED_HOSTS"] = "testserver"
    if args.database_url:
        os.environ["GOVWATCH_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("GOVWATCH_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govwatch.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if args.database_url:
        # A fresh schema on a shared server: only ever into a database named for tests.
        if "test" not in settings.DATABASES["default"]["NAME"]:
            print("拒绝：--database-url 的数据库名必须包含 test（基准会清空它）", file=sys.stderr)
            return 2
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0, interactive=False)

    from django.contrib.auth import get_user_model

    from govwatch.web import roles
    from govwatch.web.services import set_user_role
    from tests.web.factories import make_run, make_site, seed_units

    t0 = time.perf_counter()
    units = seed_units()
    site = make_site()
    last = dt.date(2026, 11, 27)
    settings.RUNS_DIR = tmp / "runs"
    for i in range(args.runs):
        day = last - dt.timedelta(days=7 * (args.runs - 1 - i))
        final = i == args.runs - 1
        make_run(site, day, units, seed=i, run_dir=tmp / "runs" / f"run-{i}" if final else None, special=final)
    build_s = time.perf_counter() - t0
    from govwatch.monitoring.models import Finding, Score

    roles.ensure_groups()
    User = get_user_model()
    leader = User.objects.create_user("leader", password="x")
    set_user_role(leader, roles.LEADER)
    unit_admin = User.objects.create_user("unit0107", password="x")
    set_user_role(unit_admin, roles.UNIT_ADMIN, ["0107"])
    print(f"数据库：{engine}；{args.runs} 次监测 × {len(units)} 个单位；问题 {Finding.objects.count()} 条，"
          f"得分 {Score.objects.count()} 条；造数 {build_s:.1f} 秒")

    anon = Client()
    as_leader = Client()
    as_leader.force_login(leader)
    as_unit = Client()
    as_unit.force_login(unit_admin)
    n = args.requests
    results = {
        "基准：登录页 /accounts/login/": timed(anon, "/accounts/login/", n),
        "排名页 /（领导）": timed(as_leader, "/", n),
        "排名页 /（单位管理员）": timed(as_unit, "/", n),
        "单位页 /units/0107/（领导）": timed(as_leader, "/units/0107/", n),
        "单位页 /units/0107/?state=confirmed": timed(as_leader, "/units/0107/?state=confirmed", n),
    }
    base = p95(results["基准：登录页 /accounts/login/"])
    print(f"\n每页 {n} 次请求（Django test Client，进程内，不含网络）")
    print(f"{'页面':<40}{'p50 ms':>9}{'p95 ms':>9}{'相对基准':>10}")
    worst = 0.0
    for name, samples in results.items():
        value = p95(samples)
        if not name.startswith("基准"):
            worst = max(worst, value)
        print(f"{name:<40}{statistics.median(samples):>9.1f}{value:>9.1f}{value / base:>9.1f}×")
    ok = worst <= TARGET_MS
    print(f"\n最慢页面 p95 = {worst:.1f} ms，目标 ≤ {TARGET_MS:.0f} ms：{'达标' if ok else '未达标'}")
    connection.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
