"""The embedded probe scheduler: one process only (a file lock), and none when a broker is set."""

from __future__ import annotations

from govwatch.probe import scheduler
from govwatch.samplesite.server import Flaky


def test_embedded_probes_run_in_one_process_only(tmp_path, monkeypatch):
    rounds = []
    monkeypatch.setattr(scheduler.EmbeddedProbes, "round", lambda self: rounds.append(self))
    first = scheduler.EmbeddedProbes(tmp_path / "probes.lock", tick=0.01)
    first.start()
    assert first.holding.wait(10)
    second = scheduler.EmbeddedProbes(tmp_path / "probes.lock", tick=0.01)
    second.start()
    assert not second.holding.wait(0.5)  # waits for the lock while the first holds it
    second.stop()
    second.join(10)
    assert not second.is_alive()
    assert not second.holding.is_set()
    first.stop()
    first.join(10)
    assert not first.is_alive()
    assert rounds and all(r is first for r in rounds)


def test_embedded_probes_not_started_when_a_broker_is_set(tmp_path, settings):
    settings.BROKER_URL = "redis://127.0.0.1:6379/0"
    assert scheduler.start_embedded(tmp_path) is None


def test_flaky_homepage_misbehaves_for_exactly_its_share_of_requests():
    flaky = Flaky(path="/", share=0.05)
    bad = [n for n in range(1, 101) if flaky.misbehaves()]
    assert bad == [20, 40, 60, 80, 100]


def test_sample_serve_flaky_flag_sets_up_the_homepage_share(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import govwatch.samplesite.server as server_mod
    from govwatch.samplesite.cli import sample

    (tmp_path / "site.toml").write_text('[site]\nname = "示例"\nhome = "http://127.0.0.1:8765/"\n', encoding="utf-8")
    made = []

    class FakeServer:
        flaky = None

        def __init__(self):
            import threading

            self.stopping = threading.Event()
            made.append(self)

        def serve_forever(self):
            raise KeyboardInterrupt

        def server_close(self):
            pass

    monkeypatch.setattr(server_mod, "make_server", lambda directory, host, port: FakeServer())
    result = CliRunner().invoke(sample, ["serve", str(tmp_path), "--flaky-share", "0.06", "--flaky-mode", "slow",
                                         "--slow-seconds", "20"])
    assert result.exit_code == 0, result.output
    assert len(made) == 1
    flaky = made[0].flaky
    assert (flaky.path, flaky.share, flaky.mode, flaky.slow_seconds) == ("/", 0.06, "slow", 20.0)


def test_embedded_probes_run_in_a_child_process_that_stops_with_the_server(tmp_path, settings):
    import time

    from filelock import FileLock, Timeout

    settings.BROKER_URL = ""
    proc = scheduler.start_embedded(tmp_path)
    assert proc is not None
    try:
        held = False
        deadline = time.monotonic() + 120
        while not held and proc.poll() is None and time.monotonic() < deadline:
            try:
                FileLock(str(tmp_path / "probes.lock")).acquire(timeout=0.5).lock.release()
                time.sleep(0.5)  # leave the lock free for the child to take
            except Timeout:
                held = True
        assert held, "the scheduler child never took the lock"
    finally:
        scheduler.stop_embedded(proc)
    assert proc.poll() is not None
    FileLock(str(tmp_path / "probes.lock")).acquire(timeout=10).lock.release()  # free again
