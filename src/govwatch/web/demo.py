"""The end of `govwatch demo`: demo users, printed, then the dashboard on http://127.0.0.1:8000."""

from __future__ import annotations

import socket

DASHBOARD_HOST = "127.0.0.1"
DASHBOARD_PORT = 8000


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((DASHBOARD_HOST, port))
        except OSError:
            return False
    return True


def finish_demo(console, *, serve: bool = True, port: int = DASHBOARD_PORT, after_users=None):
    from govwatch.web.services import create_demo_users

    users = create_demo_users()
    if after_users is not None:
        after_users(users)
    console.print("\n[bold]演示用户[/]（密码均为：[bold]{}[/]）".format(users.password))
    console.print("  office    监测办管理员")
    console.print("  reviewer  复核员")
    console.print("  leader    领导（只读）")
    console.print("  unit0107  单位管理员（0107 区财政局）")
    console.print("  unit0302  单位管理员（0302 公安分局）")
    console.print(f"  其余单位管理员 unitNNNN 同理（共 {len(users.usernames) - 3} 个），可用 GOVWATCH_DEMO_PASSWORD 指定密码")
    if not serve:
        console.print("启动网页管理端：govwatch serve")
        return users
    from govwatch.web.cli import serve_forever

    if not _free(port):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind((DASHBOARD_HOST, 0))
            new = s.getsockname()[1]
        console.print(f"[yellow]端口 {port} 已被占用，改用 {new}[/]")
        port = new
    console.print(f"[bold]4/4[/] 网页管理端：http://{DASHBOARD_HOST}:{port}/  （Ctrl+C 停止）")
    serve_forever(DASHBOARD_HOST, port, announce=False)
    return users
