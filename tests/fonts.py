"""The CJK font the test corpus is printed in, from PyPI rather than the machine.

Noto Sans SC comes with the `pylopdf-fonts-zh-cn` wheel (SIL OFL 1.1), the same font the charts
use. It has PostScript (CFF) outlines, which reportlab cannot embed, so the tests use a TrueType
copy: every character of the Basic Multilingual Plane the font maps, its outlines converted to
quadratic curves with fontTools. The copy is made once per machine (about 15 s) into the temporary
folder, keyed by the source font's size and the converter's version, under a lock so that parallel
test workers make it once.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from functools import cache
from pathlib import Path

_CONVERTER_VERSION = 1


@cache
def cjk_ttf() -> Path:
    """A TrueType (glyf) copy of Noto Sans SC, made on first use and kept in the temporary folder."""
    from pipelines.charts.render import cjk_font_path  # matplotlib, only when a PDF is drawn

    source = cjk_font_path()
    folder = Path(tempfile.gettempdir()) / f"xxgk-test-fonts-{os.getuid()}"
    folder.mkdir(exist_ok=True)
    target = folder / f"{source.stem}-{source.stat().st_size}-v{_CONVERTER_VERSION}.ttf"
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            partial = target.with_suffix(f".{os.getpid()}.part")
            _to_truetype(source, partial)
            partial.rename(target)
    return target


def _to_truetype(source: Path, target: Path) -> None:
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    otf = TTFont(str(source))
    cmap = {code: name for code, name in otf.getBestCmap().items() if code <= 0xFFFF}
    order = [".notdef", *sorted(set(cmap.values()) - {".notdef"})]
    outlines = otf.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        # CFF draws counter-clockwise; TrueType wants clockwise outer contours.
        outlines[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    hmtx = otf["hmtx"]
    hhea = otf["hhea"]
    os2 = otf["OS/2"]
    names = otf["name"]
    family = names.getDebugName(1) or "Noto Sans SC"

    fb = FontBuilder(otf["head"].unitsPerEm, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap(cmap)
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({name: hmtx[name] for name in order})
    fb.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent)
    fb.setupNameTable({"familyName": family, "styleName": "Regular", "psName": "NotoSansSC-TrueType"})
    fb.setupOS2(
        sTypoAscender=os2.sTypoAscender,
        sTypoDescender=os2.sTypoDescender,
        usWinAscent=os2.usWinAscent,
        usWinDescent=os2.usWinDescent,
        fsType=0,
    )
    fb.setupPost()
    fb.save(str(target))
