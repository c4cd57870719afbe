from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fixture_html():
    """Decoded text of a fixture page (bytes go through decode_html like the crawler's)."""
    from govwatch.extract import decode_html

    def load(name: str) -> str:
        return decode_html((FIXTURES / name).read_bytes())

    return load
