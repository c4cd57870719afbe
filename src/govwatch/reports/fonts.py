"""The CJK font for charts: Noto Sans CJK SC (OFL), installed from PyPI, registered with matplotlib.

Government intranets have no internet and servers rarely carry Chinese system
fonts, so the font ships as a Python package (``noto-cjk-sans-otc``) and is
registered by file; nothing on the system is assumed.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FAMILY = "Noto Sans CJK SC"


def font_path() -> Path:
    import noto_cjk_sans_otc

    return Path(str(noto_cjk_sans_otc.FONT_PATH))


@lru_cache(maxsize=1)
def register_cjk_font() -> str:
    """Register the bundled font with matplotlib once; return the family name to use."""
    from matplotlib import font_manager

    path = str(font_path())
    if not any(f.fname == path for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    names = {f.name for f in font_manager.fontManager.ttflist if f.fname == path}
    if FAMILY not in names:  # a collection without the SC face: take what it has rather than render boxes
        return sorted(names)[0]
    return FAMILY
