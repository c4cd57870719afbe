"""Build data/glyphs.tsv: look-alike neighbours of every CJK character, from rendered glyphs.

Run at development time (``python -m govwatch.textcheck.build_glyphs [--font PATH]``);
needs Pillow, numpy and a CJK font (default: Noto Sans CJK SC, Debian package
fonts-noto-cjk). The output is committed; the checker never renders anything.

Method: every character of the CJK Unified Ideographs block (U+4E00-U+9FA5) is
drawn at 40 px, blurred (sigma 1.2 px) and shrunk to 24x24 grey levels. The
similarity of two glyphs is the mean of

- the cosine of the whole (mean-centred) images, and
- the best cosine of the left, right, top or bottom 13/24 of the images, so
  that characters that share a component in the same place (晴/睛, 请/情,
  捉/提) score high even when the other component differs.

A character's neighbours are the common characters (those of
data/charclasses.tsv, the only ones ever proposed as a correction) with
similarity >= ``THRESHOLD``, at most ``TOP_K``, best first. The two
parameters were chosen on the hand-made groups of data/shape_groups.txt
(about 57% of those pairs are covered at about 4.8 neighbours a character),
never on an evaluation set.

Characters outside charclasses.tsv ("rare" characters) also get their
pypinyin readings (first two, tone digits), so that a rare character can be
judged as a typo of a common homophone (崾 -> 要) as well as of a look-alike.
Two kinds of rare characters get no readings and are never judged, because
they are written on purpose: traditional forms (台灣, 真實 on a 繁體 page), taken
from OpenCC's TSCharacters.txt (``--traditional PATH``, e.g. from an unpacked
opencc-python-reimplemented wheel, Apache 2.0), and characters of personal
names (明洙, 辉晟), taken from pycorrector's person_name.txt (``--names PATH``,
from an unpacked pycorrector wheel, Apache 2.0). Neither package is a
dependency, and no data of theirs is copied into the output.
"""

from __future__ import annotations

import argparse
from pathlib import Path

DATA = Path(__file__).with_name("data")
OUT = DATA / "glyphs.tsv"
FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FONT_INDEX = 2  # Noto Sans CJK SC inside the collection
THRESHOLD = 0.80
TOP_K = 5
SIZE = 24


def render(chars, font_path: Path, font_index: int):
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype(str(font_path), 40, index=font_index)
    out = np.zeros((len(chars), SIZE, SIZE), np.float32)
    for k, ch in enumerate(chars):
        im = Image.new("L", (48, 48), 0)
        ImageDraw.Draw(im).text((24, 24), ch, font=font, fill=255, anchor="mm")
        im = im.filter(ImageFilter.GaussianBlur(1.2)).resize((SIZE, SIZE), Image.BILINEAR)
        out[k] = np.asarray(im, np.float32)
    return out


def _norm(x):
    import numpy as np

    x = x.reshape(len(x), -1).copy()
    x -= x.mean(1, keepdims=True)
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-6
    return x


def build(font_path: Path = FONT, font_index: int = FONT_INDEX, never_judged: set[str] = frozenset()):
    import numpy as np
    from pypinyin import Style, pinyin

    common = [line.split("\t")[0] for line in (DATA / "charclasses.tsv").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    common_set = set(common)
    chars = common + [chr(c) for c in range(0x4E00, 0x9FA6) if chr(c) not in common_set]
    n = len(common)
    glyphs = render(chars, font_path, font_index)
    h = 13
    parts = [_norm(glyphs), _norm(glyphs[:, :, :h]), _norm(glyphs[:, :, -h:]), _norm(glyphs[:, :h, :]),
             _norm(glyphs[:, -h:, :])]
    rows = []
    for lo in range(0, len(chars), 2000):
        hi = min(len(chars), lo + 2000)
        full = parts[0][lo:hi] @ parts[0][:n].T
        half = np.maximum.reduce([p[lo:hi] @ p[:n].T for p in parts[1:]])
        sim = (full + half) / 2
        for r in range(hi - lo):
            k = lo + r
            if k < n:
                sim[r, k] = -1.0
            order = np.argsort(-sim[r])[:TOP_K]
            neigh = "".join(chars[j] for j in order if sim[r, j] >= THRESHOLD)
            readings = ""
            if k >= n and chars[k] not in never_judged:
                rs = []
                for x in pinyin(chars[k], style=Style.TONE3, heteronym=True)[0]:
                    if x.isascii() and x.isalnum() and x not in rs:
                        rs.append(x)
                readings = ",".join(rs[:2])
            if neigh or readings:
                rows.append((chars[k], neigh, readings))
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="build data/glyphs.tsv")
    ap.add_argument("--font", type=Path, default=FONT)
    ap.add_argument("--font-index", type=int, default=FONT_INDEX)
    ap.add_argument("--traditional", type=Path, help="OpenCC TSCharacters.txt: traditional forms are never judged")
    ap.add_argument("--names", type=Path, help="pycorrector person_name.txt: characters of names are never judged")
    args = ap.parse_args(argv)
    never: set[str] = set()
    if args.traditional:
        for line in args.traditional.read_text(encoding="utf-8").splitlines():
            if line.strip():
                never.add(line.split("\t")[0].strip())
    if args.names:
        for line in args.names.read_text(encoding="utf-8").splitlines():
            if line.strip():
                never.update(line.split("\t")[0].strip())
    rows = build(args.font, args.font_index, never)
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write("# char<TAB>look-alike common characters, best first<TAB>readings (rare characters only);"
                 " built by build_glyphs.py from Noto Sans CJK SC glyphs\n")
        for ch, neigh, readings in rows:
            fh.write(f"{ch}\t{neigh}\t{readings}\n")
    print(f"{len(rows)} characters -> {OUT}")


if __name__ == "__main__":
    main()
