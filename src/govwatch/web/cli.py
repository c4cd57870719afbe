"""`govwatch serve`: the dashboard in one process, with its static files, no extra server needed."""

from __future__ import annotations

import click


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


def serve_forever(host: str = "127.0.0.1", port: int = 8000) -> None:
    server = make_server(host, port)
    click.echo(f"网页管理端：http://{host}:{port}/  （Ctrl+C 停止）")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("已停止。")
    finally:
        server.server_close()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
@click.option("--port", default=8000, show_default=True, type=int, help="监听端口")
def serve(host, port):
    """启动网页管理端。"""
    from govwatch.monitoring.bootstrap import setup_django

    setup_django()
    from govwatch.web.roles import ensure_groups

    ensure_groups()
    serve_forever(host, port)
