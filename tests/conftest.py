"""Shared test fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
# GOVWATCH_SHARED_DATA points elsewhere when the repository is checked out away from ../shared (a worktree).
SHARED_DATA = Path(os.environ.get("GOVWATCH_SHARED_DATA") or REPO_ROOT.parent / "shared" / "data").resolve()


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data; skips the test when the folder is absent (never in CI)."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        if os.environ.get("GOVWATCH_REQUIRE_SHARED_DATA"):
            pytest.fail(f"shared data missing in CI: {path}")
        pytest.skip(f"../shared/data is not here ({path}); accuracy data lives beside the repository")
    return path
