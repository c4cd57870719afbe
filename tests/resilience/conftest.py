from __future__ import annotations

import pytest


@pytest.fixture
def runs_dir(tmp_path, settings):
    settings.RUNS_DIR = tmp_path / "runs"
    return settings.RUNS_DIR
