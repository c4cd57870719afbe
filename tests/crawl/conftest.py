from __future__ import annotations

import datetime as dt

import pytest

from govwatch.rulebook import load_rulebook
from tests.crawl.sitefixture import Server, Site, build_portal, closed_port, site_config

AS_OF = dt.date(2026, 11, 27)


@pytest.fixture(scope="session")
def rulebook():
    return load_rulebook()


def rulebook_with_rota(directory, share: float, period_days: int):
    """The bundled rulebook with another link re-check rota (share 0 and period 0: no re-checks).
    A copy on disk, because the crawl child loads the rulebook from its path."""
    import shutil

    from govwatch.rulebook import DATA_DIR

    for name in ("district-2017.toml", "units-2017.toml"):
        shutil.copy(DATA_DIR / name, directory / name)
    path = directory / "district-2017.toml"
    text = path.read_text(encoding="utf-8")
    assert "recheck_share = 0.085\n" in text and "recheck_period_days = 90\n" in text
    text = text.replace("recheck_share = 0.085\n", f"recheck_share = {share}\n")
    path.write_text(text.replace("recheck_period_days = 90\n", f"recheck_period_days = {period_days}\n"),
                    encoding="utf-8")
    return load_rulebook(path)


@pytest.fixture()
def portal():
    site = Site()
    server = Server(site)
    build_portal(site, server.base, closed_port())
    yield site, server
    server.close()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, rulebook):
    """One full crawl of the fixture portal, shared by the read-only tests."""
    from govwatch.crawl import crawl_site

    site = Site()
    server = Server(site)
    closed = closed_port()
    build_portal(site, server.base, closed)
    run_dir = tmp_path_factory.mktemp("run")
    events = []
    # The closed port is one of the site's own origins (its server down): private addresses are
    # exempt per host and port, so it must be named to be tried at all.
    cfg = site_config(server.base, extra_hosts=(f"127.0.0.1:{closed}",))
    cfg = type(cfg)(**{**cfg.__dict__, "extra": {**cfg.extra, "parse_workers": 1}})  # exercise the parse pool here
    result = crawl_site(cfg, rulebook, run_dir, as_of=AS_OF, progress=events.append)
    yield result, server, site, run_dir, events
    server.close()
