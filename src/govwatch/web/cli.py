"""`govwatch serve`: the dashboard in one process, with its static files, no extra server needed."""

from __future__ import annotations

import errno
import socket

import click

from govwatch.lib.errors import GovwatchError


def check_port(host: str, port: int) -> None:
    """Fail with one Chinese line when the address cannot be listened on, before any server starts.

    gunicorn would otherwise retry five times in English and the builtin server
    would raise an OSError traceback.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise GovwatchError(f"监听地址无效：{host}") from None
    family, _type, _proto, _name, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # The servers set SO_REUSEADDR too, so a port held only by TIME_WAIT sockets counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise GovwatchError(_bind_message(host, port, exc)) from None


def _bind_message(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"端口 {port} 已被占用，请用 --port 换一个端口"
    if exc.errno == errno.EACCES:
        return f"没有权限监听端口 {port}（1024 以下的端口需要管理员权限），请用 --port 换一个端口"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"本机没有地址 {host}，请检查 --host"
    return f"无法监听 {host}:{port}：{exc.strerror or exc}"


def make_server(host: str, port: int):
    """A threaded WSGI server serving the app and its static files (also with DEBUG off)."""
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server as wsgi_make_server

    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - signature of the base class
            pass

    return wsgi_make_server(host, port, StaticFilesHandler(get_wsgi_application()),
                            server_class=Server, handler_class=QuietHandler)


def serve_forever(host: str = "127.0.0.1", port: int = 8000, announce: bool = True) -> None:
    try:
        server = make_server(host, port)
    except OSError as exc:  # taken between check_port and here
        raise GovwatchError(_bind_message(host, port, exc)) from None
    if announce:
        click.echo(f"网页管理端：http://{host}:{port}/  （Ctrl+C 停止）")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("已停止。")
    finally:
        server.server_close()


def collect_static() -> None:
    """Copy (and compress) static files into STATIC_ROOT, where WhiteNoise serves them from."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def gunicorn_app(host: str, port: int, workers: int, timeout: int = 120):
    """The production server: gunicorn's pre-fork workers running govwatch.wsgi (WhiteNoise inside)."""
    from gunicorn.app.base import BaseApplication

    from govwatch.wsgi import application

    class App(BaseApplication):
        def load_config(self):
            for key, value in {"bind": f"{host}:{port}", "workers": workers, "timeout": timeout,
                               "accesslog": "-", "errorlog": "-"}.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    return App()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
@click.option("--port", default=8000, show_default=True, type=int, help="监听端口")
@click.option("--workers", "-w", default=2, show_default=True, type=int, help="gunicorn 工作进程数")
@click.option("--server", type=click.Choice(["gunicorn", "builtin"]), default="gunicorn", show_default=True,
              help="gunicorn 用于生产；builtin 为单进程内置服务器（无 gunicorn 的平台）")
@click.option("--no-collectstatic", is_flag=True, help="启动时不收集静态文件")
@click.option("--no-probes", is_flag=True, help="不在本进程内执行可用性探测（未设置消息队列时默认执行）")
def serve(host, port, workers, server, no_collectstatic, no_probes):
    """启动网页管理端。"""
    from govwatch.monitoring.bootstrap import setup_django

    check_port(host, port)
    setup_django()
    from govwatch.web.roles import ensure_groups

    ensure_groups()
    if not no_collectstatic:
        collect_static()
    from govwatch.probe.scheduler import start_embedded, stop_embedded

    probes = None
    if not no_probes:
        from django.conf import settings

        probes = start_embedded(settings.DATA_DIR)
    try:
        _serve(host, port, workers, server)
    finally:
        stop_embedded(probes)


def _serve(host, port, workers, server):
    if server == "gunicorn":
        try:
            app = gunicorn_app(host, port, workers)
        except ImportError:  # gunicorn is POSIX-only
            click.echo("未安装 gunicorn，改用内置服务器。", err=True)
        else:
            click.echo(f"网页管理端：http://{host}:{port}/  （gunicorn，{workers} 个工作进程；Ctrl+C 停止）")
            app.run()
            return
    serve_forever(host, port)
